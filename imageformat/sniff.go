// Package imageformat recognises disk image formats from an object's first
// and last bytes, so uimport can catch a wrong --format, an archive or an
// installer ISO before the (slow, asynchronous) import fails on it.
//
// It is pure: callers fetch the bytes (see package preflight) and Sniff
// only looks at them.
package imageformat

// HeadSize is how many leading bytes Sniff wants: enough for every header
// it reads, the ISO 9660 volume descriptor at 0x8001 included.
const HeadSize = 64 << 10

// TailSize is how many trailing bytes Sniff wants: one VHD footer.
const TailSize = 512

// probe recognises one family of formats; ok is false when the bytes are
// not of that family.
type probe func(head, tail []byte, size int64, depth int) (r Result, ok bool)

// probes run in order; the first that recognises the bytes wins. Formats
// with a magic number at offset 0 come first. The VHD footer comes before
// ISO and RAW because a fixed VHD is raw data plus a footer. RAW is what is
// left (sniffRaw). They are set in init because sniffCompressed calls
// sniff again on what it decompresses.
var probes []probe

func init() {
	probes = []probe{
		sniffQCOW,
		sniffVMDK,
		sniffVHDX,
		sniffDynamicVHD,
		sniffVDI,
		sniffCompressed,
		sniffTar,
		sniffText,
		sniffFixedVHD,
		sniffISO,
	}
}

// Sniff examines head, the object's first bytes (up to HeadSize), and
// tail, its last bytes (up to TailSize; nil when unknown). size is the
// object's length, or -1 when unknown. It never fails: unrecognised bytes
// are RAW, and an empty head gives a Result with no Format.
func Sniff(head, tail []byte, size int64) Result {
	return sniff(head, tail, size, 0)
}

// sniff carries depth so a compressed object's content is examined once,
// not recursively (a gzip inside a gzip is reported as gzip).
func sniff(head, tail []byte, size int64, depth int) Result {
	if size == 0 {
		return rejected("empty", "the object is empty (0 bytes)", "upload the image again and check that the upload finished")
	}
	if size > 0 && int64(len(head)) > size {
		head = head[:size] // a server that sent more than the object holds
	}
	if len(tail) > TailSize {
		tail = tail[len(tail)-TailSize:]
	}
	// When head is the whole object, its end is the tail.
	if tail == nil && size > 0 && int64(len(head)) == size {
		tail = head[max(0, len(head)-TailSize):]
	}
	if len(head) == 0 {
		return Result{EndChecked: tail != nil}
	}
	r, ok := Result{}, false
	for _, p := range probes {
		if r, ok = p(head, tail, size, depth); ok {
			break
		}
	}
	if !ok {
		r = sniffRaw(head, size)
	}
	r.EndChecked = tail != nil
	return r
}
