package report

import (
	"fmt"
	"text/tabwriter"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// DryRunRecord is `--dry-run --output json`: every parameter that would be sent.
type DryRunRecord struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Params map[string]string `json:"params"`
}

// DryRun shows the signed request on stdout. It holds the public key and
// the signature; the private key never reaches a PreparedRequest.
func DryRun(io *iostreams.IOStreams, asJSON bool, req apiclient.PreparedRequest) error {
	if asJSON {
		return JSON(io.Out, DryRunRecord{Method: req.Method, URL: req.URL, Params: req.Params})
	}
	Note(io, "Dry run: the request below was signed but not sent.")
	fmt.Fprintf(io.Out, "%s %s\nContent-Type: application/x-www-form-urlencoded\n\n", req.Method, req.URL)
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	for _, kv := range req.SortedParams() {
		fmt.Fprintf(tw, "  %s\t%s\n", kv[0], kv[1])
	}
	tw.Flush()
	fmt.Fprintf(io.Out, "\nThe same request with curl:\n%s\n", req.Curl())
	return nil
}

// Presigned tells, before the import is sent, that its URL carries a
// signature (why: the reason, "" for none), and that the journal will
// not. It reports whether it did.
func Presigned(io *iostreams.IOStreams, why string) bool {
	if why == "" {
		return false
	}
	Note(io, "UFileUrl is a pre-signed GET URL valid for %s, since %s; the journal keeps it without its signature.", importer.PresignText(), why)
	return true
}
