package ufile

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Multipart calls, per docs/UFILE.md "Multipart upload". Part numbers start at
// 0. The query string is not signed, so every call of one key signs the
// same resource /bucket/key; ListParts signs /bucket/ (empty key).

// Upload is an initiated multipart upload.
type Upload struct {
	UploadID string
	// BlkSize is the server's part size: every part but the last must be
	// exactly this long. Never assume 4 MiB (docs/UFILE.md has seen 32 MiB).
	BlkSize int64
}

// InitiateMultipartUpload is POST /<key>?uploads.
func (c *Client) InitiateMultipartUpload(ctx context.Context, key string) (Upload, error) {
	const op = "InitiateMultipartUpload"
	a, err := c.do(ctx, call{op: op, method: http.MethodPost, url: c.ObjectURL(key) + "?uploads",
		signKey: key, key: key, contentType: c.contentType()})
	if err != nil {
		return Upload{}, err
	}
	var r struct {
		UploadId string
		BlkSize  flexInt
	}
	if json.Unmarshal(a.body, &r) != nil || r.UploadId == "" {
		return Upload{}, c.badAnswer(op, key, "no UploadId in the answer", a)
	}
	if r.BlkSize <= 0 {
		return Upload{}, c.badAnswer(op, key, "no usable BlkSize in the answer", a)
	}
	return Upload{UploadID: r.UploadId, BlkSize: int64(r.BlkSize)}, nil
}

func partQuery(uploadID string, n int) string {
	return "?uploadId=" + url.QueryEscape(uploadID) + "&partNumber=" + strconv.Itoa(n)
}

// UploadPart is PUT /<key>?uploadId=<id>&partNumber=<n>. body must yield
// exactly size bytes; it is read once, so a retry needs a fresh one. It
// returns the part's ETag, unquoted (see CheckPartETag).
func (c *Client) UploadPart(ctx context.Context, key, uploadID string, n int, body io.Reader, size int64) (string, error) {
	op := "UploadPart " + strconv.Itoa(n)
	a, err := c.do(ctx, call{op: op, method: http.MethodPut, url: c.ObjectURL(key) + partQuery(uploadID, n),
		signKey: key, key: key, body: body, size: size, contentType: c.contentType(), uploadID: true})
	if err != nil {
		return "", err
	}
	etag := StripETag(a.header.Get("ETag"))
	if etag == "" {
		return "", c.badAnswer(op, key, "no ETag header in the answer", a)
	}
	return etag, nil
}

// Finished is FinishMultipartUpload's answer.
type Finished struct {
	ETag string // from the ETag header, unquoted; "" if none was sent
	Key  string // the stored key, if the answer said
	Size int64  // FileSize, or -1 if the answer did not say
}

// FinishMultipartUpload is POST /<key>?uploadId=<id> with the part ETags
// in part-number order, joined by "," (no spaces, no quotes). No rename
// target is sent (docs/UFILE.md: its name is contradictory; omit it).
func (c *Client) FinishMultipartUpload(ctx context.Context, key, uploadID string, etags []string) (Finished, error) {
	const op = "FinishMultipartUpload"
	body := strings.Join(etags, ",")
	a, err := c.do(ctx, call{op: op, method: http.MethodPost, url: c.ObjectURL(key) + "?uploadId=" + url.QueryEscape(uploadID),
		signKey: key, key: key, body: strings.NewReader(body), size: int64(len(body)), contentType: c.contentType(), uploadID: true})
	if err != nil {
		return Finished{}, err
	}
	f := Finished{ETag: StripETag(a.header.Get("ETag")), Size: -1}
	var r struct {
		Key      string
		FileSize *flexInt
	}
	if json.Unmarshal(a.body, &r) == nil {
		f.Key = r.Key
		if r.FileSize != nil {
			f.Size = int64(*r.FileSize)
		}
	}
	return f, nil
}

// AbortMultipartUpload is DELETE /<key>?uploadId=<id>: the id becomes
// unusable and its parts are deleted.
func (c *Client) AbortMultipartUpload(ctx context.Context, key, uploadID string) error {
	_, err := c.do(ctx, call{op: "AbortMultipartUpload", method: http.MethodDelete,
		url: c.ObjectURL(key) + "?uploadId=" + url.QueryEscape(uploadID), signKey: key, key: key, uploadID: true})
	return err
}

// Part is one uploaded part as ListParts reports it.
type Part struct {
	Number int
	ETag   string
	Size   int64
}

// ListPartsPageSize is the max-parts asked per page. The server's default
// is unconfirmed (Python documents 1000, Go sends 100), so it is explicit.
const ListPartsPageSize = 1000

// maxListPages stops a server whose marker never advances.
const maxListPages = 100000

// ListParts is GET /?muploadpart&uploadId=<id>, following
// NextPartNumberMarker while IsTruncated. The first page is asked with no
// marker: the marker lists parts numbered greater than it, and parts start
// at 0. Duplicate numbers keep the last seen.
func (c *Client) ListParts(ctx context.Context, uploadID string) ([]Part, error) {
	const op = "ListParts"
	var out []Part
	seen := map[int]int{}
	marker := ""
	for page := 0; page < maxListPages; page++ {
		q := "?muploadpart&uploadId=" + url.QueryEscape(uploadID) + "&max-parts=" + strconv.Itoa(ListPartsPageSize)
		if marker != "" {
			q += "&part-number-marker=" + url.QueryEscape(marker)
		}
		a, err := c.do(ctx, call{op: op, method: http.MethodGet, url: c.base() + "/" + q, uploadID: true})
		if err != nil {
			return nil, err
		}
		var r struct {
			IsTruncated          bool
			NextPartNumberMarker json.RawMessage
			Parts                []struct {
				PartNum flexInt
				Etag    string
				Size    flexInt
			}
		}
		if err := json.Unmarshal(a.body, &r); err != nil {
			return nil, c.badAnswer(op, "", "the part list is not JSON", a)
		}
		for _, p := range r.Parts {
			part := Part{Number: int(p.PartNum), ETag: StripETag(p.Etag), Size: int64(p.Size)}
			if i, ok := seen[part.Number]; ok {
				out[i] = part
				continue
			}
			seen[part.Number] = len(out)
			out = append(out, part)
		}
		next := strings.Trim(string(r.NextPartNumberMarker), `" `)
		if !r.IsTruncated {
			return out, nil
		}
		if len(r.Parts) == 0 || next == "" || next == "null" || next == marker {
			return nil, c.badAnswer(op, "", "a truncated part list without a new NextPartNumberMarker", a)
		}
		marker = next
	}
	return nil, &Error{Op: op, Bucket: c.Bucket, Kind: KindBadAnswer, Message: "the part list never ended"}
}

// PutFile is PUT /<key> with the whole object in one request, for objects
// that fit one part (UFile takes up to 512 MB this way). body must yield
// exactly size bytes. It returns the object's ETag, unquoted ("" if the
// answer had none: HEAD the key to check).
func (c *Client) PutFile(ctx context.Context, key string, body io.Reader, size int64) (string, error) {
	a, err := c.do(ctx, call{op: "PutFile", method: http.MethodPut, url: c.ObjectURL(key),
		signKey: key, key: key, body: body, size: size, contentType: c.contentType()})
	if err != nil {
		return "", err
	}
	return StripETag(a.header.Get("ETag")), nil
}

// ObjectInfo is what HEAD says of an object.
type ObjectInfo struct {
	Size        int64 // Content-Length; -1 if absent
	ETag        string
	ContentType string
}

// Head is a signed HEAD /<key>. A missing key is KindNotFound (HEAD has no
// body, so "no bucket" cannot be told apart here).
func (c *Client) Head(ctx context.Context, key string) (ObjectInfo, error) {
	a, err := c.do(ctx, call{op: "HEAD", method: http.MethodHead, url: c.ObjectURL(key), signKey: key, key: key})
	if err != nil {
		return ObjectInfo{}, err
	}
	return ObjectInfo{Size: a.length, ETag: StripETag(a.header.Get("ETag")), ContentType: a.header.Get("Content-Type")}, nil
}

// Delete is DELETE /<key>: 204, or KindNotFound when there is no such key.
// uimport uses it only when asked to remove an object that failed its
// integrity check.
func (c *Client) Delete(ctx context.Context, key string) error {
	_, err := c.do(ctx, call{op: "DeleteFile", method: http.MethodDelete, url: c.ObjectURL(key), signKey: key, key: key})
	return err
}
