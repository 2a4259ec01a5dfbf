package ext4

// runKind says what a run of logical blocks holds.
type runKind uint8

const (
	runHole      runKind = iota // never written: reads as zeros
	runData                     // stored at phys
	runUnwritten                // allocated but uninitialised: reads as zeros
)

// run is a stretch of a file's logical blocks that map alike: for runData,
// to consecutive physical blocks from phys.
type run struct {
	kind   runKind
	phys   uint64
	length uint64 // in blocks, at least 1
}

// endOfMap is the length of the hole after a file's last mapped block;
// logical block numbers are 32-bit.
const endOfMap = uint64(1) << 32

// mapBlock maps logical block lblk of in to the run that starts there.
func (v *Volume) mapBlock(in *Inode, lblk uint64) (run, error) {
	if lblk >= endOfMap {
		return run{kind: runHole, length: 1}, nil
	}
	if in.Flags&flagExtents != 0 {
		return v.mapExtent(in.iBlock(), lblk)
	}
	return v.mapIndirect(in.iBlock(), lblk)
}
