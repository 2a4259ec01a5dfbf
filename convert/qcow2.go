// Package convert turns what a user has (a RAW disk, a compressed image, an
// OVA) into what is uploaded, as a stream that is the same bytes on every
// run, so an interrupted upload resumes and its ETag can be checked.
//
// A RAW disk becomes a qcow2 holding only its non-zero clusters. The layout
// is computed from a map of those clusters before a byte is produced, so the
// output's size is known up front and it can be produced either at random
// (ReadAt, from a file) or strictly in order (from a decompressor).
//
// NewPlan decides, before a byte is sent, what one local file becomes: the
// file as it is; the image inside a gzip, xz, zstd or bzip2 file or an OVA
// (recognised by magic bytes, not the name); a RAW made qcow2 when that
// saves at least 20 %; or a qemu-img conversion for VHDX, VDI, QED and a
// qcow2 with a backing file, which the caller confirms first (RunQemu).
// Plan.Open then gives the bytes, random access when the image lies in the
// file as it is, else a stream that reads the file again from the start.
package convert

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ClusterSize is the qcow2 cluster size written: qemu-img's default.
const ClusterSize = 64 << 10

const (
	clusterBits   = 16
	l2Entries     = ClusterSize / 8 // one L2 table maps 512 MiB
	refcountOrder = 4               // 16-bit refcounts, as qemu-img writes
	rcEntries     = ClusterSize / 2 // one refcount block covers 2 GiB
	qcowHeaderLen = 104             // version 3 header without extensions
	oflagCopied   = uint64(1) << 63 // refcount is exactly one
)

// MaxVirtualSize bounds what is converted (qemu's own limit is 2 EiB; a
// sane disk is far below 64 TiB).
const MaxVirtualSize = int64(64) << 40

// Layout is where every part of the qcow2 goes. Offsets are in clusters.
type Layout struct {
	VirtualSize int64
	data        []int64 // guest cluster index of each data cluster, ascending
	l1Len       int64   // L1 entries
	l1At        int64
	l1Clusters  int64
	rtAt        int64 // refcount table
	rtClusters  int64
	rbAt        int64 // refcount blocks
	rbCount     int64
	l2At        int64
	l2Tables    []int64 // L1 index of each L2 table, ascending
	dataAt      int64
	total       int64 // clusters in the file
}

// NewLayout lays out a qcow2 for a disk of virtualSize bytes whose non-zero
// clusters (ClusterSize each, ascending guest indexes) are data.
func NewLayout(virtualSize int64, data []int64) (*Layout, error) {
	if virtualSize <= 0 || virtualSize > MaxVirtualSize {
		return nil, fmt.Errorf("convert: a virtual size of %d bytes cannot be converted", virtualSize)
	}
	guestClusters := (virtualSize + ClusterSize - 1) / ClusterSize
	for i, c := range data {
		if c < 0 || c >= guestClusters || (i > 0 && c <= data[i-1]) {
			return nil, errors.New("convert: data clusters must be ascending and inside the disk")
		}
	}
	l := &Layout{VirtualSize: virtualSize, data: data}
	l.l1Len = (guestClusters + l2Entries - 1) / l2Entries
	l.l1Clusters = ceilDiv(l.l1Len*8, ClusterSize)
	for _, c := range data {
		t := c / l2Entries
		if n := len(l.l2Tables); n == 0 || l.l2Tables[n-1] != t {
			l.l2Tables = append(l.l2Tables, t)
		}
	}
	fixed := 1 + l.l1Clusters + int64(len(l.l2Tables)) + int64(len(data))
	// Refcount blocks count themselves and the table that points at them:
	// grow until the layout covers every cluster it has.
	for l.rbCount = 1; ; l.rbCount++ {
		l.rtClusters = ceilDiv(l.rbCount*8, ClusterSize)
		l.total = fixed + l.rtClusters + l.rbCount
		if l.rbCount*rcEntries >= l.total {
			break
		}
	}
	l.l1At = 1
	l.rtAt = l.l1At + l.l1Clusters
	l.rbAt = l.rtAt + l.rtClusters
	l.l2At = l.rbAt + l.rbCount
	l.dataAt = l.l2At + int64(len(l.l2Tables))
	return l, nil
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// Size is the qcow2 file's length in bytes.
func (l *Layout) Size() int64 { return l.total * ClusterSize }

// DataClusters is how many clusters of guest data the file carries.
func (l *Layout) DataClusters() int { return len(l.data) }

// DataBytes is the guest data carried, in bytes.
func (l *Layout) DataBytes() int64 { return int64(len(l.data)) * ClusterSize }

// metaClusters is the number of clusters before the first data cluster.
func (l *Layout) metaClusters() int64 { return l.dataAt }

// meta fills buf (ClusterSize bytes) with metadata cluster c (< dataAt).
func (l *Layout) meta(c int64, buf []byte) {
	clear(buf)
	be := binary.BigEndian
	switch {
	case c == 0:
		copy(buf, "QFI\xfb")
		be.PutUint32(buf[4:], 3) // version
		// backing file offset and size: none (8..19 stay zero)
		be.PutUint32(buf[20:], clusterBits)
		// qemu counts a disk in whole sectors and drops a partial last
		// one; round up so no byte of the disk is lost (the rest is zeros).
		be.PutUint64(buf[24:], uint64((l.VirtualSize+511)/512*512))
		// crypt method 0 (32..35)
		be.PutUint32(buf[36:], uint32(l.l1Len))
		be.PutUint64(buf[40:], uint64(l.l1At*ClusterSize))
		be.PutUint64(buf[48:], uint64(l.rtAt*ClusterSize))
		be.PutUint32(buf[56:], uint32(l.rtClusters))
		// nb_snapshots, snapshots_offset: none (60..71)
		// incompatible, compatible, autoclear features: none (72..95)
		be.PutUint32(buf[96:], refcountOrder)
		be.PutUint32(buf[100:], qcowHeaderLen)
		// An end-of-extensions marker follows the header (zeros).
	case c < l.rtAt: // L1
		first := (c - l.l1At) * (ClusterSize / 8)
		for i, t := range l.l2Tables {
			if t < first || t >= first+ClusterSize/8 {
				continue
			}
			be.PutUint64(buf[(t-first)*8:], uint64((l.l2At+int64(i))*ClusterSize)|oflagCopied)
		}
	case c < l.rbAt: // refcount table
		first := (c - l.rtAt) * (ClusterSize / 8)
		for i := first; i < min(first+ClusterSize/8, l.rbCount); i++ {
			be.PutUint64(buf[(i-first)*8:], uint64((l.rbAt+i)*ClusterSize))
		}
	case c < l.l2At: // refcount blocks: every cluster of the file has refcount 1
		first := (c - l.rbAt) * rcEntries
		for i := first; i < min(first+rcEntries, l.total); i++ {
			be.PutUint16(buf[(i-first)*2:], 1)
		}
	default: // L2 table
		t := l.l2Tables[c-l.l2At]
		lo, hi := t*l2Entries, (t+1)*l2Entries
		for i := searchFirst(l.data, lo); i < len(l.data) && l.data[i] < hi; i++ {
			host := (l.dataAt + int64(i)) * ClusterSize
			be.PutUint64(buf[(l.data[i]-lo)*8:], uint64(host)|oflagCopied)
		}
	}
}

// searchFirst is the index of the first element of s that is ≥ v.
func searchFirst(s []int64, v int64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
