package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/uimport/uimport/apiclient"
)

// dryRun is `--dry-run --output json`: every parameter that would be sent.
type dryRun struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Params map[string]string `json:"params"`
}

// printDryRun shows the signed request on stdout. It holds the public key
// and the signature; the private key never reaches a PreparedRequest.
func printDryRun(s IO, asJSON bool, req apiclient.PreparedRequest) error {
	if asJSON {
		return writeJSON(s.Out, dryRun{Method: req.Method, URL: req.URL, Params: req.Params})
	}
	notef(s.Err, "Dry run: the request below was signed but not sent.")
	fmt.Fprintf(s.Out, "%s %s\nContent-Type: application/x-www-form-urlencoded\n\n", req.Method, req.URL)
	tw := tabwriter.NewWriter(s.Out, 0, 0, 2, ' ', 0)
	for _, kv := range req.SortedParams() {
		fmt.Fprintf(tw, "  %s\t%s\n", kv[0], kv[1])
	}
	tw.Flush()
	fmt.Fprintf(s.Out, "\nThe same request with curl:\n%s\n", req.Curl())
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
