package main

import (
	"io"
	"sync"
)

// readAhead is a what-if, not part of uimport: a sequential read-ahead
// above rangereader, to show how many GETs an inspection needs when a
// stream of small reads (the initramfs, decompressed through the qcow2
// and XFS layers in 4-64 KiB pieces) is turned into a few large ones.
// rangereader fetches the missing blocks of one ReadAt in one GET, so a
// 4 MiB read here is one GET where 16 reads of 256 KiB were 16.
//
// A read that starts within 64 KiB after where a recent read ended
// continues that stream; each stream's window doubles from 256 KiB to
// 4 MiB. Other reads pass through untouched.
type readAhead struct {
	r    io.ReaderAt
	size int64

	mu      sync.Mutex
	streams [4]raStream // the most recent first
	buf     []byte      // the last window read
	bufOff  int64
}

type raStream struct {
	end    int64
	window int64
}

const (
	raMinWindow = 256 << 10
	raMaxWindow = 4 << 20
	raSlack     = 64 << 10
)

func (a *readAhead) ReadAt(p []byte, off int64) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	end := off + int64(len(p))
	if off >= a.bufOff && end <= a.bufOff+int64(len(a.buf)) {
		a.note(off, end)
		return copy(p, a.buf[off-a.bufOff:]), nil
	}
	i := a.stream(off)
	if i < 0 {
		a.note(off, end)
		return a.r.ReadAt(p, off)
	}
	s := &a.streams[i]
	s.window = min(raMaxWindow, max(raMinWindow, s.window*2))
	n := max(int64(len(p)), s.window)
	if off+n > a.size {
		n = a.size - off
	}
	buf := make([]byte, n)
	got, err := a.r.ReadAt(buf, off)
	if got < len(p) {
		a.note(off, end)
		if err == nil {
			err = io.EOF // the window was cut at the end of the object
		}
		return copy(p, buf[:got]), err
	}
	a.buf, a.bufOff = buf[:got], off
	a.note(off, end)
	return copy(p, buf), nil
}

// stream returns the recent stream off continues, or -1.
func (a *readAhead) stream(off int64) int {
	for i, s := range a.streams {
		if s.end > 0 && off >= s.end && off <= s.end+raSlack {
			return i
		}
	}
	return -1
}

// note records a read: it extends the stream it continues, or starts one.
func (a *readAhead) note(off, end int64) {
	for i, s := range a.streams {
		if s.end > 0 && off >= s.end-raSlack && off <= s.end+raSlack {
			a.streams[i].end = max(s.end, end)
			return
		}
	}
	copy(a.streams[1:], a.streams[:len(a.streams)-1])
	a.streams[0] = raStream{end: end}
}
