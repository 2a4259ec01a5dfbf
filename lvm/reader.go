package lvm

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// MissingPVError: an LV lives (partly) on PVs that were not attached.
type MissingPVError struct {
	LV      string
	PVUUIDs []string
}

func (e *MissingPVError) Error() string {
	return fmt.Sprintf("lvm: logical volume %s needs PV %s, which was not among the disks read", e.LV, strings.Join(e.PVUUIDs, ", "))
}

// UnsupportedError: the LV's layout is one this package does not read.
type UnsupportedError struct{ LV, Layout string }

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("lvm: logical volume %s is %s, which cannot be read (only linear volumes can)", e.LV, e.Layout)
}

// ErrNoLV: no logical volume of that name.
var ErrNoLV = errors.New("lvm: no such logical volume")

// Open returns the contents of a linear logical volume and its size.
func (vg *VolumeGroup) Open(lvName string) (io.ReaderAt, int64, error) {
	lv, ok := vg.LV(lvName)
	if !ok {
		return nil, 0, fmt.Errorf("%w: %s in volume group %s", ErrNoLV, lvName, vg.Name)
	}
	if lv.Unsupported != "" {
		return nil, 0, &UnsupportedError{LV: lv.Name, Layout: lv.Unsupported}
	}
	if need := vg.NeededPVs(lv); len(need) > 0 {
		return nil, 0, &MissingPVError{LV: lv.Name, PVUUIDs: need}
	}
	r := &lvReader{size: lv.Size}
	for _, s := range lv.Segments {
		m := mapping{start: s.StartExtent * vg.ExtentSize, length: s.ExtentCount * vg.ExtentSize}
		if len(s.Stripes) == 1 {
			st := s.Stripes[0]
			pv := vg.pv(st.PV)
			m.dev = vg.devices[st.PV]
			m.devOff = pv.PEStart + st.StartExtent*vg.ExtentSize // bounded by pe_count checks
		}
		r.maps = append(r.maps, m)
	}
	return r, lv.Size, nil
}

// mapping: LV bytes [start, start+length) are at devOff of dev, or are
// zero when dev.r is nil (a "zero" segment).
type mapping struct {
	start, length int64
	dev           device
	devOff        int64
}

type lvReader struct {
	size int64
	maps []mapping // sorted, contiguous from 0
}

func (r *lvReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("lvm: negative offset")
	}
	done := 0
	for done < len(p) {
		pos := off + int64(done)
		if pos >= r.size {
			return done, io.EOF
		}
		i := sort.Search(len(r.maps), func(i int) bool { return r.maps[i].start+r.maps[i].length > pos })
		m := r.maps[i]
		in := pos - m.start
		chunk := p[done:]
		if int64(len(chunk)) > m.length-in {
			chunk = chunk[:m.length-in]
		}
		if m.dev.r == nil {
			clear(chunk)
			done += len(chunk)
			continue
		}
		at := m.devOff + in
		if at >= m.dev.size {
			return done, fmt.Errorf("lvm: byte %d of the volume is past the end of its PV: %w", pos, io.ErrUnexpectedEOF)
		}
		if int64(len(chunk)) > m.dev.size-at {
			chunk = chunk[:m.dev.size-at]
		}
		n, err := m.dev.r.ReadAt(chunk, at)
		done += n
		if n < len(chunk) {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return done, err
		}
	}
	return done, nil
}
