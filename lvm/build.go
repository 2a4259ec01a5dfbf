package lvm

import (
	"fmt"
	"slices"
	"strings"
)

// buildVG turns the VG section of the metadata into a VolumeGroup,
// checking every number that is later used for offsets.
func buildVG(s *section) (*VolumeGroup, error) {
	vg := &VolumeGroup{Name: s.name, devices: map[string]device{}, pvIndex: map[string]int{}}
	vg.UUID, _ = s.str("id")
	vg.Seqno, _ = s.int("seqno")
	extent, ok := s.int("extent_size")
	// LVM allows extents up to 16 GiB on newer versions; 1 TiB is a bound.
	if !ok || extent <= 0 || extent > 1<<31 {
		return nil, corruptf("volume group %s: extent size %d sectors", vg.Name, extent)
	}
	vg.ExtentSize = extent * sectorSize
	if pvs := s.sub("physical_volumes"); pvs != nil {
		for _, p := range pvs.children() {
			if len(vg.PVs) == MaxPVs {
				return nil, corruptf("more than %d physical volumes", MaxPVs)
			}
			pv, err := buildPV(p, vg.ExtentSize)
			if err != nil {
				return nil, err
			}
			if _, dup := vg.pvIndex[pv.Name]; dup {
				return nil, corruptf("physical volume %s is listed twice", pv.Name)
			}
			vg.pvIndex[pv.Name] = len(vg.PVs)
			vg.PVs = append(vg.PVs, pv)
		}
	}
	cows := map[string]string{} // snapshot COW store LV -> origin
	segments := 0
	if lvs := s.sub("logical_volumes"); lvs != nil {
		for _, l := range lvs.children() {
			if len(vg.LVs) == MaxLVs {
				return nil, corruptf("more than %d logical volumes", MaxLVs)
			}
			lv, err := vg.buildLV(l, &segments, cows)
			if err != nil {
				return nil, err
			}
			vg.LVs = append(vg.LVs, lv)
		}
	}
	// An old-style snapshot's COW store is itself linear, but reading it
	// raw would give the copy-on-write exceptions, not the snapshot.
	for i := range vg.LVs {
		lv := &vg.LVs[i]
		if origin, ok := cows[lv.Name]; ok && lv.Unsupported == "" {
			lv.Unsupported = "snapshot"
			vg.Notes = append(vg.Notes, fmt.Sprintf("logical volume %s is a snapshot of %s; snapshots are not supported", lv.Name, origin))
		}
	}
	return vg, nil
}

func buildPV(p *section, extentBytes int64) (PV, error) {
	pv := PV{Name: p.name}
	pv.UUID, _ = p.str("id")
	pv.Device, _ = p.str("device")
	start, ok1 := p.int("pe_start")
	count, ok2 := p.int("pe_count")
	if !ok1 || !ok2 || pv.UUID == "" {
		return PV{}, corruptf("physical volume %s lacks id, pe_start or pe_count", p.name)
	}
	var ok bool
	if pv.PEStart, ok = mulOK(start, sectorSize); !ok || count < 0 {
		return PV{}, corruptf("physical volume %s: pe_start %d", p.name, start)
	}
	if data, ok := mulOK(count, extentBytes); !ok || data > 1<<63-1-pv.PEStart {
		return PV{}, corruptf("physical volume %s: %d extents", p.name, count)
	}
	pv.PECount = count
	pv.Missing = slices.Contains(p.strings("flags"), "MISSING")
	return pv, nil
}

func (vg *VolumeGroup) buildLV(l *section, segments *int, cows map[string]string) (LogicalVolume, error) {
	lv := LogicalVolume{Name: l.name}
	lv.UUID, _ = l.str("id")
	lv.Visible = slices.Contains(l.strings("status"), "VISIBLE")
	for _, c := range l.children() {
		if !strings.HasPrefix(c.name, "segment") {
			continue
		}
		*segments++
		if *segments > MaxSegments {
			return lv, corruptf("more than %d segments", MaxSegments)
		}
		seg, err := vg.buildSegment(lv.Name, c)
		if err != nil {
			return lv, err
		}
		if seg.Type == "snapshot" {
			if cow, ok := c.str("cow_store"); ok {
				origin, _ := c.str("origin")
				cows[cow] = origin
			}
		}
		lv.Segments = append(lv.Segments, seg)
	}
	slices.SortFunc(lv.Segments, func(a, b Segment) int {
		switch {
		case a.StartExtent < b.StartExtent:
			return -1
		case a.StartExtent > b.StartExtent:
			return 1
		}
		return 0
	})
	var extents int64
	for _, seg := range lv.Segments {
		if seg.StartExtent != extents {
			return lv, corruptf("logical volume %s: segments leave a gap or overlap at extent %d", lv.Name, extents)
		}
		extents += seg.ExtentCount // both bounded by 1<<40 below, no overflow
		if lv.Unsupported == "" {
			lv.Unsupported = segmentSupport(seg)
		}
	}
	size, ok := mulOK(extents, vg.ExtentSize)
	if !ok {
		return lv, corruptf("logical volume %s: %d extents overflow", lv.Name, extents)
	}
	lv.Size = size
	if lv.Unsupported != "" {
		vg.Notes = append(vg.Notes, fmt.Sprintf("logical volume %s: %s is not supported", lv.Name, lv.Unsupported))
	}
	return lv, nil
}

const maxExtents = 1 << 40

func (vg *VolumeGroup) buildSegment(lvName string, c *section) (Segment, error) {
	var seg Segment
	start, ok1 := c.int("start_extent")
	count, ok2 := c.int("extent_count")
	typ, ok3 := c.str("type")
	if !ok1 || !ok2 || !ok3 || start < 0 || start > maxExtents || count <= 0 || count > maxExtents {
		return seg, corruptf("logical volume %s: %s lacks a valid start_extent, extent_count or type", lvName, c.name)
	}
	seg = Segment{StartExtent: start, ExtentCount: count, Type: typ}
	if typ != "striped" {
		return seg, nil
	}
	stripes, _ := c.get("stripes")
	n, _ := c.int("stripe_count")
	if stripes.kind != kindList || n < 1 || int64(len(stripes.list)) != 2*n {
		return seg, corruptf("logical volume %s: %s has %d stripes but lists %d values", lvName, c.name, n, len(stripes.list))
	}
	for i := 0; i+1 < len(stripes.list); i += 2 {
		name, pe := stripes.list[i], stripes.list[i+1]
		if name.kind != kindString || pe.kind != kindInt || pe.num < 0 {
			return seg, corruptf("logical volume %s: %s has a bad stripe entry", lvName, c.name)
		}
		pv := vg.pv(name.str)
		if pv == nil {
			return seg, corruptf("logical volume %s: %s is on %q, which is not a PV of the group", lvName, c.name, name.str)
		}
		// Each stripe holds count/n extents of the segment.
		if pe.num > pv.PECount || count/n > pv.PECount-pe.num {
			return seg, corruptf("logical volume %s: %s runs past the end of %s", lvName, c.name, name.str)
		}
		seg.Stripes = append(seg.Stripes, Stripe{PV: name.str, StartExtent: pe.num})
	}
	return seg, nil
}

// segmentSupport says why a segment cannot be read ("" when it can).
func segmentSupport(s Segment) string {
	switch {
	case s.Type == "striped" && len(s.Stripes) == 1:
		return ""
	case s.Type == "striped":
		return fmt.Sprintf("striped (%d stripes)", len(s.Stripes))
	case s.Type == "zero":
		return ""
	}
	return s.Type
}
