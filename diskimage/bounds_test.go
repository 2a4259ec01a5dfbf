package diskimage

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"path/filepath"
	"runtime"
	"testing"
)

func TestLRUBounds(t *testing.T) {
	c := newLRU(3, 100)
	for i := range 5 {
		c.put(blockKey{off: int64(i)}, make([]byte, 10))
	}
	if _, ok := c.get(blockKey{off: 1}); ok {
		t.Error("entry 1 survived 4 newer ones in a 3-entry cache")
	}
	if _, ok := c.get(blockKey{off: 4}); !ok {
		t.Error("the newest entry was evicted")
	}
	c.put(blockKey{off: 9}, make([]byte, 95)) // over the byte budget with anything else
	if c.order.Len() != 1 || c.bytes != 95 {
		t.Errorf("after a 95-byte put in a 100-byte cache: %d entries, %d bytes", c.order.Len(), c.bytes)
	}
}

// A compressed cluster that would expand to 64 MiB (a decompression bomb)
// yields one cluster, as QEMU reads it, and costs about one cluster of
// memory.
func TestDecompressionBomb(t *testing.T) {
	dir := t.TempDir()
	raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.qcow2")
	writeGuest(t, raw, 1<<20, 11)
	run(t, "qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", raw, img)
	b := readFile(t, img)

	var bomb bytes.Buffer
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	io.CopyN(w, zeroReader{}, 64<<20)
	w.Close()
	at := (int64(len(b)) + 511) &^ 511
	b = append(b, make([]byte, at-int64(len(b)))...)
	b = append(b, bomb.Bytes()...)

	// Point guest cluster 0 at the bomb.
	const clusterBits = 16
	l1 := binary.BigEndian.Uint64(b[q2L1Offset:])
	l2 := binary.BigEndian.Uint64(b[l1:]) & q2OffsetMask
	sectors := (int64(bomb.Len()) + 511) / 512
	shift := 62 - (clusterBits - 8)
	binary.BigEndian.PutUint64(b[l2:], 1<<62|uint64(sectors-1)<<shift|uint64(at))

	d, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p := make([]byte, 1<<clusterBits)
	if _, err := d.ReadAt(p, 0); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if !bytes.Equal(p, make([]byte, len(p))) {
		t.Error("the bomb's first cluster is not zeros")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("reading one bomb cluster allocated %d bytes", alloc)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
