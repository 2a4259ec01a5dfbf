package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/uimport/uimport/rangereader"
	"io"
	"net/http"
)

// answer is one HTTP answer, with at most the bytes asked for.
type answer struct {
	status int
	header http.Header
	body   []byte
	eof    bool  // body was read to its end
	length int64 // Content-Length, -1 unknown
}

// maxErrorBody bounds what is read of an error answer: enough for UFile's
// {"RetCode":...,"ErrMsg":...}.
const maxErrorBody = 4 << 10

// get sends a GET with a Range header (and Authorization when auth is set)
// and reads at most limit bytes of a 2xx body. It never reads a whole large
// object: a server that ignores Range gets its answer cut at limit and the
// connection closed.
func (c *checker) get(ctx context.Context, rng, auth string, limit int) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Range", rng)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header, length: resp.ContentLength}
	if resp.StatusCode/100 != 2 {
		limit = maxErrorBody
	}
	// One byte more than limit tells "exactly limit bytes" from "more".
	a.body, err = io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return a, err
	}
	a.eof = len(a.body) <= limit
	a.body = a.body[:min(len(a.body), limit)]
	return a, nil
}

// contentRange parses a Content-Range value; see rangereader.
var contentRange = rangereader.ParseContentRange

// ufileError is UFile's error body. Bodies may be HTML or empty, and the
// Content-Type may be wrong, so parsing is attempted whatever it says and
// failure just means "no details".
type ufileError struct {
	RetCode int
	ErrMsg  string
}

func parseError(body []byte) ufileError {
	var e ufileError
	json.Unmarshal(body, &e)
	return e
}
