// Package apiclient speaks the UCloud-family API: it signs, encodes and sends
// actions and turns the answers into typed values and typed errors. It knows
// nothing of terminals.
package apiclient

import (
	"crypto/sha1"
	"encoding/hex"
	"io"
	"net/url"
	"sort"
)

// Params are the parameters of one action, as they are sent: raw string values.
// Empty values are neither sent nor signed.
type Params map[string]string

// Sign returns the request signature as docs/API.md defines it: every non-empty
// parameter except Signature, sorted by key in byte order, concatenated as
// key+value with raw (not URL-encoded) values, then the private key; lowercase
// hex SHA1 of that.
func Sign(params Params, privateKey string) string {
	h := sha1.New()
	for _, k := range params.sortedKeys() {
		io.WriteString(h, k)
		io.WriteString(h, params[k])
	}
	io.WriteString(h, privateKey)
	return hex.EncodeToString(h.Sum(nil))
}

// sortedKeys lists the keys that are sent and signed: non-empty, not Signature.
func (p Params) sortedKeys() []string {
	keys := make([]string, 0, len(p))
	for k, v := range p {
		if k == "Signature" || v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Signed returns a copy of p with PublicKey and Signature set and empty
// values dropped: exactly the parameters that go on the wire.
func (p Params) Signed(publicKey, privateKey string) Params {
	out := make(Params, len(p)+2)
	for k, v := range p {
		if k != "Signature" && v != "" {
			out[k] = v
		}
	}
	// An empty key is not sent, so it must not be listed either: callers
	// compare PreparedRequest.Params with what arrives.
	delete(out, "PublicKey")
	if publicKey != "" {
		out["PublicKey"] = publicKey
	}
	out["Signature"] = Sign(out, privateKey)
	return out
}

// Encode form-encodes the non-empty parameters, as the request body carries them.
func (p Params) Encode() string {
	v := make(url.Values, len(p))
	for k, val := range p {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v.Encode()
}
