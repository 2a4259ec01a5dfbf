package demoapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// UFileEndpoint is the --ufile-endpoint under which the server at baseURL
// keeps bucket's objects: objects are at <endpoint>/<key>, e.g.
// http://127.0.0.1:PORT/ufile/b/disk.qcow2.
func UFileEndpoint(baseURL, bucket string) string {
	return strings.TrimRight(baseURL, "/") + objectPrefix + bucket
}

func itoa(n int) string { return strconv.Itoa(n) }

// listParts is GET /?muploadpart&uploadId=<id>[&max-parts=N]
// [&part-number-marker=M], signed over /bucket/ (empty key). The marker
// lists parts numbered greater than M; with none, the list starts at part
// 0. Pages are at most ListPartsMax long.
func (c *objCall) listParts() {
	u := c.s.uploads
	q := c.r.URL.Query()
	limit := u.listMax
	if v, err := strconv.Atoi(q.Get("max-parts")); err == nil && v > 0 {
		limit = min(limit, v)
	}
	marker := -1
	if v := q.Get("part-number-marker"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil {
			c.fail(http.StatusBadRequest, -1, "bad part-number-marker")
			return
		}
		marker = m
	}
	u.mu.Lock()
	up := u.uploads[c.uploadID]
	if up == nil || up.bucket != c.bucket {
		u.mu.Unlock()
		c.noUpload()
		return
	}
	c.key = up.key
	var parts []map[string]any
	truncated, next := false, marker
	for _, n := range sortedParts(up) {
		if n <= marker {
			continue
		}
		if len(parts) == limit {
			truncated = true
			break
		}
		p := up.parts[n]
		parts = append(parts, map[string]any{"PartNum": n, "Etag": p.etag, "Size": p.size, "LastModified": p.at.Unix()})
		next = n
	}
	u.mu.Unlock()
	if parts == nil {
		parts = []map[string]any{}
	}
	c.json(http.StatusOK, map[string]any{
		"UploadId": c.uploadID, "Bucket": c.bucket, "Key": c.key, "StorageClass": "STANDARD", "Status": 0,
		"MaxParts": limit, "IsTruncated": truncated, "NextPartNumberMarker": next, "Parts": parts,
	})
}

// getObject answers GET and HEAD of an uploaded object, with Range, ETag
// and Last-Modified, as serveObject does for the demo objects.
func (c *objCall) getObject() {
	obj := c.s.uploads.object(c.bucket, c.key)
	if obj == nil { // deleted meanwhile
		c.w.WriteHeader(http.StatusNotFound)
		return
	}
	f, err := obj.open()
	if err != nil {
		c.w.WriteHeader(http.StatusNotFound)
		return
	}
	defer f.Close()
	h := c.w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+obj.etag+`"`)
	h.Set("X-Ufile-Storage-Class", "STANDARD")
	http.ServeContent(c.w, c.r, "", obj.at.Truncate(time.Second), f)
}

// deleteObject is DELETE /<key>: 204, or 404 when there is no such key.
func (c *objCall) deleteObject() {
	u := c.s.uploads
	u.mu.Lock()
	obj := u.objects[c.bucket+"/"+c.key]
	delete(u.objects, c.bucket+"/"+c.key)
	u.mu.Unlock()
	if obj == nil {
		c.w.WriteHeader(http.StatusNotFound)
		return
	}
	obj.remove()
	c.w.WriteHeader(http.StatusNoContent)
}

// UploadedObject returns the path of the file holding a finished object
// and its ETag, for tests that compare stored bytes; ok is false when
// there is no such object. A multipart object kept as its part files is
// made one file on the first call.
func (s *Server) UploadedObject(bucket, key string) (path, etag string, ok bool) {
	obj := s.uploads.object(bucket, key)
	if obj == nil {
		return "", "", false
	}
	path, err := obj.file(s.uploads)
	if err != nil {
		return "", "", false
	}
	return path, obj.etag, true
}

// PendingUploads counts multipart uploads initiated and neither finished
// nor aborted.
func (s *Server) PendingUploads() int {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.uploads)
}
