package demoapi

import (
	"bytes"
	"compress/gzip"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uimport/uimport/ufile"
)

// Demo objects: a tiny stand-in for UFile on the same server, so
// `uimport --demo` and tests can run the pre-flight object check with no
// account. Objects live under /ufile/<bucket>/<key> (path-style, since the
// demo has no bucket host names) and answer GET and HEAD with Range,
// ETag and Last-Modified like UFile does.
//
// DemoBucket is public. DemoPrivateBucket holds the same objects but needs
// a UFile signature (Authorization header or pre-signed query) by a known
// account over /<bucket>/<key>, so refused and signed reads can be shown.
// Faults (SetFault) do not apply to objects, and object requests are not in
// Requests: those are API actions.
const (
	DemoBucket        = "demo-bucket"
	DemoPrivateBucket = "demo-private"
	objectPrefix      = "/ufile/"
)

// demoObject is one generated image. Each is small (at most a few hundred
// KB) but has a valid header, so format detection sees the real thing.
type demoObject struct {
	format string // as DemoObjectURL takes it
	key    string
	build  func() []byte
}

var demoObjects = []demoObject{
	{"qcow2", "images/ubuntu-22.04.qcow2", demoQCOW2},
	{"VMDK", "images/centos-7.vmdk", demoVMDK},
	{"VHD", "images/windows-2019.vhd", demoVHD},
	{"RAW", "images/debian-12.raw", demoRAW},
	// Formats the import does not take, to show a failed check.
	{"VHDX", "images/windows-2022.vhdx", demoVHDX},
	{"gzip", "images/ubuntu-22.04.qcow2.gz", func() []byte { return gzipped("ubuntu-22.04.qcow2", demoQCOW2()) }},
}

// DemoObjects lists the formats DemoObjectURL serves, importable ones
// first: qcow2, VMDK, VHD, RAW, then VHDX and gzip.
func DemoObjects() []string {
	out := make([]string, len(demoObjects))
	for i, o := range demoObjects {
		out[i] = o.format
	}
	return out
}

// DemoObjectURL is the URL of the demo object of format (any case) on the
// server at baseURL, e.g.
// http://127.0.0.1:PORT/ufile/demo-bucket/images/ubuntu-22.04.qcow2. It is
// "" for a format DemoObjects does not list.
func DemoObjectURL(baseURL, format string) string {
	for _, o := range demoObjects {
		if strings.EqualFold(o.format, format) {
			return strings.TrimRight(baseURL, "/") + objectPrefix + DemoBucket + "/" + ufile.EscapeKey(o.key)
		}
	}
	return ""
}

// storedObject is a demo object's bytes and UFile ETag.
type storedObject struct {
	data []byte
	etag string
}

// objectStore builds the objects once, on first use, by key.
var objectStore = sync.OnceValue(func() map[string]storedObject {
	m := make(map[string]storedObject, len(demoObjects))
	for _, o := range demoObjects {
		data := o.build()
		etag, _ := ufile.ETag(bytes.NewReader(data))
		m[o.key] = storedObject{data, etag}
	}
	return m
})

// objectModTime is fixed so Last-Modified and If-Modified-Since behave the
// same in every run.
var objectModTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func isObjectPath(p string) bool { return strings.HasPrefix(p, objectPrefix) }

// serveObject answers GET and HEAD on /ufile/<bucket>/<key>. Error bodies
// are UFile's JSON; a missing key gets a bare 404, as HEAD does on UFile.
func (s *Server) serveObject(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() { s.logLine(r.Method, "object", "HTTP "+strconv.Itoa(sw.status)) }()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		sw.Header().Set("Allow", "GET, HEAD")
		objectError(sw, http.StatusMethodNotAllowed, 0, "method not allowed")
		return
	}
	// r.URL.Path is decoded: the key is raw, as signatures need it.
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, objectPrefix), "/")
	if bucket != DemoBucket && bucket != DemoPrivateBucket {
		objectError(sw, http.StatusNotFound, -30010, "bucket not exist")
		return
	}
	if bucket == DemoPrivateBucket && !s.objectAuthorized(r, bucket, key) {
		objectError(sw, http.StatusForbidden, -148658, "invalid signature")
		return
	}
	obj, ok := builtInObject(key) // a generated object or a demo image (images.go)
	if !ok {
		sw.WriteHeader(http.StatusNotFound)
		return
	}
	h := sw.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+obj.etag+`"`)
	h.Set("X-Ufile-Storage-Class", "STANDARD")
	http.ServeContent(sw, r, "", objectModTime, bytes.NewReader(obj.data))
}

// objectAuthorized checks a UFile signature by a known account: in the
// Authorization header, or in a pre-signed query that has not expired, but
// not both (UFile refuses that). Clients must not trust the demo to be
// laxer than UFile: the expired case answers the same 403 here, its real
// RetCode being unconfirmed.
func (s *Server) objectAuthorized(r *http.Request, bucket, key string) bool {
	q := r.URL.Query()
	header := r.Header.Get("Authorization")
	if header != "" && ufile.IsPresigned(q) {
		return false
	}
	var pub, sig, want string
	if header != "" {
		cred, ok := strings.CutPrefix(header, "UCloud ")
		if pub, sig, ok = strings.Cut(cred, ":"); !ok {
			return false
		}
		priv, known := s.privateKeyFor(pub)
		if !known {
			return false
		}
		h := r.Header
		want = ufile.SignString(priv, ufile.StringToSign(r.Method, h.Get("Content-MD5"), h.Get("Content-Type"), h.Get("Date"), ufile.CanonicalHeaders(h), bucket, key))
	} else {
		pub, sig = q.Get(ufile.QueryPublicKey), q.Get(ufile.QuerySignature)
		expires, ok := ufile.Expiry(q)
		priv, known := s.privateKeyFor(pub)
		if !ok || !known || time.Now().After(expires) {
			return false
		}
		want = ufile.Sign(priv, r.Method, "", "", q.Get(ufile.QueryExpires), bucket, key)
	}
	return subtle.ConstantTimeCompare([]byte(sig), []byte(want)) == 1
}

func objectError(w http.ResponseWriter, status, retCode int, msg string) {
	b, _ := json.Marshal(map[string]any{"RetCode": retCode, "ErrMsg": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-SessionId", "demo-session")
	w.WriteHeader(status)
	w.Write(b)
}

// statusWriter remembers the status for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// The generators below write just enough of each format's structures for a
// reader to accept the file: the header and the metadata it points to.

const (
	demoDiskSize = 20 << 30 // what the sparse images describe
	kib          = 1 << 10
)

// demoQCOW2 is an empty 20 GiB qcow2 v3 with 64 KiB clusters: header,
// refcount table, one refcount block and the L1 table, one cluster each.
func demoQCOW2() []byte {
	const cluster = 64 * kib
	b := make([]byte, 4*cluster)
	be := binary.BigEndian
	copy(b, "QFI\xfb")
	be.PutUint32(b[4:], 3)                                 // version
	be.PutUint32(b[20:], 16)                               // cluster_bits
	be.PutUint64(b[24:], demoDiskSize)                     // size
	be.PutUint32(b[36:], demoDiskSize/(cluster*cluster/8)) // l1_size: one entry per 512 MiB
	be.PutUint64(b[40:], 3*cluster)                        // l1_table_offset
	be.PutUint64(b[48:], cluster)                          // refcount_table_offset
	be.PutUint32(b[56:], 1)                                // refcount_table_clusters
	be.PutUint32(b[96:], 4)                                // refcount_order: 16-bit
	be.PutUint32(b[100:], 104)                             // header_length
	be.PutUint64(b[cluster:], 2*cluster)                   // refcount block for clusters 0..
	for i := range 4 {
		be.PutUint16(b[2*cluster+2*i:], 1) // clusters 0-3 are in use
	}
	return b
}

// demoVMDK is an empty 20 GiB streamOptimized VMDK, the format OVA exports
// use: header, embedded descriptor, then (grain directory at the end, as a
// stream writer puts it) GD marker and an all-empty GD, footer marker and
// footer, end-of-stream marker.
func demoVMDK() []byte {
	const (
		sector   = 512
		grain    = 128 // sectors
		gtes     = 512
		gdAt     = 128 // sector of the GD marker, after the grain-aligned overhead
		gdSecs   = 5   // 640 GD entries * 4 bytes
		sectors  = demoDiskSize / sector
		gdAtEnd  = ^uint64(0)
		compress = 1 << 16
		markers  = 1 << 17
	)
	header := func(gdOffset uint64) []byte {
		h := make([]byte, sector)
		le := binary.LittleEndian
		copy(h, "KDMV")
		le.PutUint32(h[4:], 3)
		le.PutUint32(h[8:], 1|compress|markers)
		le.PutUint64(h[12:], sectors)
		le.PutUint64(h[20:], grain)
		le.PutUint64(h[28:], 1)  // descriptor at sector 1
		le.PutUint64(h[36:], 20) // 20 sectors for it
		le.PutUint32(h[44:], gtes)
		le.PutUint64(h[56:], gdOffset)
		le.PutUint64(h[64:], grain) // overhead
		h[73], h[74], h[75], h[76] = '\n', ' ', '\r', '\n'
		le.PutUint16(h[77:], 1) // deflate
		return h
	}
	marker := func(val uint64, typ uint32) []byte {
		m := make([]byte, sector)
		binary.LittleEndian.PutUint64(m, val)
		binary.LittleEndian.PutUint32(m[12:], typ)
		return m
	}
	desc := "# Disk DescriptorFile\nversion=1\nCID=7e2a1c3f\nparentCID=ffffffff\ncreateType=\"streamOptimized\"\n\n" +
		"# Extent description\nRW " + strconv.Itoa(sectors) + " SPARSE \"centos-7.vmdk\"\n\n" +
		"# The Disk Data Base\n#DDB\n\nddb.virtualHWVersion = \"4\"\nddb.geometry.cylinders = \"2610\"\n" +
		"ddb.geometry.heads = \"255\"\nddb.geometry.sectors = \"63\"\nddb.adapterType = \"lsilogic\"\n"
	b := make([]byte, gdAt*sector)
	copy(b, header(gdAtEnd))
	copy(b[sector:], desc)
	b = append(b, marker(gdSecs, 2)...)           // GD marker
	b = append(b, make([]byte, gdSecs*sector)...) // no grain tables: all zero
	b = append(b, marker(1, 3)...)                // footer marker
	b = append(b, header(gdAt+1)...)              // footer: GD found at last
	return append(b, make([]byte, sector)...)     // end-of-stream marker
}

// demoRAW is a 256 KiB disk with an MBR: one bootable Linux partition.
func demoRAW() []byte {
	const size, start = 256 * kib, 63
	b := make([]byte, size)
	p := b[446:]
	p[0], p[4] = 0x80, 0x83
	binary.LittleEndian.PutUint32(p[8:], start)
	binary.LittleEndian.PutUint32(p[12:], size/512-start)
	b[510], b[511] = 0x55, 0xaa
	return b
}

// demoVHD is demoRAW as a fixed VHD: the data, then the 512-byte footer.
func demoVHD() []byte {
	data := demoRAW()
	f := make([]byte, 512)
	be := binary.BigEndian
	copy(f, "conectix")
	be.PutUint32(f[8:], 2)           // features: reserved bit, always set
	be.PutUint32(f[12:], 0x10000)    // format version 1.0
	be.PutUint64(f[16:], ^uint64(0)) // data offset: none for fixed disks
	copy(f[28:], "uimp")             // creator application
	be.PutUint32(f[32:], 0x10000)
	copy(f[36:], "Wi2k") // creator host OS
	be.PutUint64(f[40:], uint64(len(data)))
	be.PutUint64(f[48:], uint64(len(data)))
	be.PutUint32(f[56:], chs(uint64(len(data))/512))
	be.PutUint32(f[60:], 2) // fixed
	copy(f[68:], "uimport-demo-vhd")
	var sum uint32
	for _, c := range f {
		sum += uint32(c)
	}
	be.PutUint32(f[64:], ^sum)
	return append(data, f...)
}

// chs is the VHD spec's geometry for a disk of n sectors, packed as
// cylinders<<16 | heads<<8 | sectors-per-track.
func chs(n uint64) uint32 {
	n = min(n, 65535*16*255)
	var spt, heads, cth uint64
	if n >= 65535*16*63 {
		spt, heads, cth = 255, 16, n/255
	} else {
		spt, cth = 17, n/17
		heads = max((cth+1023)/1024, 4)
		if cth >= heads*1024 || heads > 16 {
			spt, heads, cth = 31, 16, n/31
		}
		if cth >= heads*1024 {
			spt, heads, cth = 63, 16, n/63
		}
	}
	return uint32(cth/heads)<<16 | uint32(heads)<<8 | uint32(spt)
}

// demoVHDX has the VHDX file identifier and both header signatures: enough
// to be recognised (and refused) as VHDX.
func demoVHDX() []byte {
	b := make([]byte, 192*kib)
	copy(b, "vhdxfile")
	for i, r := range "uimport demo" {
		binary.LittleEndian.PutUint16(b[8+2*i:], uint16(r)) // creator, UTF-16LE
	}
	copy(b[64*kib:], "head")
	copy(b[128*kib:], "head")
	return b
}

func gzipped(name string, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name, zw.ModTime = name, objectModTime
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}
