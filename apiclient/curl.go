package apiclient

import (
	"sort"
	"strings"
)

// SortedParams lists the parameters in signing order, for previews.
func (r PreparedRequest) SortedParams() [][2]string {
	keys := make([]string, 0, len(r.Params))
	for k, v := range r.Params {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([][2]string, len(keys))
	for i, k := range keys {
		out[i] = [2]string{k, r.Params[k]}
	}
	return out
}

// Curl is the equivalent curl command: it sends the same signed body. It holds
// the signature, never the private key.
func (r PreparedRequest) Curl() string {
	var b strings.Builder
	b.WriteString("curl -sS -X " + r.Method + " " + shellQuote(r.URL) + " \\\n")
	b.WriteString("  -H 'Content-Type: application/x-www-form-urlencoded'")
	for _, kv := range r.SortedParams() {
		b.WriteString(" \\\n  --data-urlencode " + shellQuote(kv[0]+"="+kv[1]))
	}
	return b.String()
}

// shellQuote single-quotes s for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
