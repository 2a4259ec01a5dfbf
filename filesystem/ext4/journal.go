package ext4

import "encoding/binary"

// The journal (ext3, ext4; JBD2, big-endian). A file system that was not
// unmounted cleanly (needs_recovery: a VM image copied while running) has
// committed transactions in its journal that never reached their home
// blocks. Reading without them can miss recent files, so this reader
// replays them in memory: the newest committed copy of each block, unless
// a later revoke cancels it, is read instead of the block itself. Nothing
// is written. Checksums are not verified, as elsewhere.
const (
	journalMagic = 0xC03B3998

	jbdDescriptor = 1
	jbdCommit     = 2
	jbdSuperV1    = 3
	jbdSuperV2    = 4
	jbdRevoke     = 5

	jbdIncompatRevoke = 0x1
	jbdIncompat64bit  = 0x2
	jbdIncompatCsumV2 = 0x8
	jbdIncompatCsumV3 = 0x10

	tagEscape   = 0x1
	tagSameUUID = 0x2
	tagLastTag  = 0x8

	incompatRecover = 0x4
	compatJournal   = 0x4

	// maxJournalBlocks bounds the journal this reader scans: 1 GiB of
	// 1 KiB blocks, the largest journal mke2fs makes.
	maxJournalBlocks = 1 << 20
	// maxReplayWrites bounds the block copies and revokes kept for the
	// replay (about 64 bytes each); a real log holds far fewer.
	maxReplayWrites = 1 << 18
)

// journalCopy is where the newest copy of a file system block is.
type journalCopy struct {
	phys    uint64 // the block in the image holding the copy
	escaped bool   // its first four bytes were the journal magic
}

// replayJournal returns the copies to read instead of home blocks, or nil
// when the journal is clean or absent.
func (v *Volume) replayJournal() (map[uint64]journalCopy, error) {
	if v.sb.incompat&incompatRecover == 0 || v.sb.compat&compatJournal == 0 {
		return nil, nil
	}
	if v.sb.journalIno == 0 {
		return nil, corrupt("the journal is on another device")
	}
	jin, err := v.readInode(uint64(v.sb.journalIno))
	if err != nil {
		return nil, err
	}
	if !jin.isRegular() || jin.Flags&flagInlineData != 0 {
		return nil, corrupt("journal inode %d is not a regular file", jin.Ino)
	}
	bs := uint64(v.sb.blockSize)
	j := &journalLog{v: v, in: jin, blocks: min(jin.Size/bs, maxJournalBlocks)}
	sb, err := j.block(0)
	if err != nil {
		return nil, err
	}
	be := binary.BigEndian
	if be.Uint32(sb) != journalMagic || (be.Uint32(sb[4:]) != jbdSuperV1 && be.Uint32(sb[4:]) != jbdSuperV2) {
		return nil, corrupt("journal superblock without magic")
	}
	if be.Uint32(sb[0xC:]) != v.sb.blockSize {
		return nil, corrupt("journal block size %d", be.Uint32(sb[0xC:]))
	}
	maxLen, first := uint64(be.Uint32(sb[0x10:])), uint64(be.Uint32(sb[0x14:]))
	seq, start := be.Uint32(sb[0x18:]), uint64(be.Uint32(sb[0x1C:]))
	if start == 0 {
		return map[uint64]journalCopy{}, nil // clean: nothing to replay
	}
	if maxLen > j.blocks || first == 0 || first >= maxLen || start < first || start >= maxLen {
		return nil, corrupt("journal bounds %d-%d, start %d", first, maxLen, start)
	}
	var incompat uint32
	if be.Uint32(sb[4:]) == jbdSuperV2 {
		incompat = be.Uint32(sb[0x28:])
	}
	return j.replay(first, maxLen, start, seq, incompat)
}

// journalLog reads the journal file's blocks.
type journalLog struct {
	v      *Volume
	in     *Inode
	blocks uint64
}

// phys maps journal block n to its block in the image.
func (j *journalLog) phys(n uint64) (uint64, error) {
	if n >= j.blocks {
		return 0, corrupt("journal block %d beyond %d", n, j.blocks)
	}
	r, err := j.v.mapBlock(j.in, n)
	if err != nil {
		return 0, err
	}
	if r.kind != runData {
		return 0, corrupt("journal block %d is a hole", n)
	}
	return r.phys, nil
}

func (j *journalLog) block(n uint64) ([]byte, error) {
	p, err := j.phys(n)
	if err != nil {
		return nil, err
	}
	return j.v.cache.block(p)
}

// replay walks the log from start: descriptor blocks name the home block
// of each following data block, a commit block makes them count, revoke
// blocks cancel earlier copies. It stops at the first block that does not
// continue the sequence, and after one pass over the log at most.
func (j *journalLog) replay(first, maxLen, start uint64, seq, incompat uint32) (map[uint64]journalCopy, error) {
	be := binary.BigEndian
	bs := int(j.v.sb.blockSize)
	has64 := incompat&jbdIncompat64bit != 0
	// Tag layouts (jbd2 journal_tag_bytes): csum v3 has 16-byte tags with
	// 32-bit flags; older ones 8 bytes with 16-bit flags at 6, plus 2 for
	// a csum v2 checksum, plus 4 for the block number's high half.
	tagSize, tail := 8, 0
	switch {
	case incompat&jbdIncompatCsumV3 != 0:
		tagSize, tail = 16, 4
	case incompat&jbdIncompatCsumV2 != 0:
		tagSize, tail = 10, 4
	}
	if tagSize != 16 && has64 {
		tagSize += 4
	}
	type write struct {
		home uint64
		copy journalCopy
	}
	var (
		pending  []write
		revokes  = map[uint64]uint32{} // block -> newest revoking transaction
		pendingR = map[uint64]uint32{}
		commits  [][]write
		seqs     []uint32
		writes   int
	)
	pos := start
	next := func() {
		if pos++; pos >= maxLen {
			pos = first
		}
	}
	for steps := uint64(0); steps < maxLen; steps++ {
		b, err := j.block(pos)
		if err != nil || be.Uint32(b) != journalMagic || be.Uint32(b[8:]) != seq {
			break
		}
		switch be.Uint32(b[4:]) {
		case jbdDescriptor:
			next()
			for off := 12; off+tagSize <= bs-tail; {
				tag := b[off:]
				home := uint64(be.Uint32(tag))
				var flags uint32
				if tagSize == 16 {
					flags = be.Uint32(tag[4:])
				} else {
					flags = uint32(be.Uint16(tag[6:]))
				}
				if has64 {
					home |= uint64(be.Uint32(tag[8:])) << 32
				}
				p, err := j.phys(pos)
				if err != nil {
					return nil, err
				}
				if writes++; writes > maxReplayWrites {
					return nil, corrupt("journal holds over %d blocks to replay", maxReplayWrites)
				}
				pending = append(pending, write{home: home, copy: journalCopy{phys: p, escaped: flags&tagEscape != 0}})
				next()
				steps++
				off += tagSize
				if flags&tagSameUUID == 0 {
					off += 16
				}
				if flags&tagLastTag != 0 || steps >= maxLen {
					break
				}
			}
		case jbdRevoke:
			recSize := 4
			if has64 {
				recSize = 8
			}
			// r_count: the bytes used, its 16-byte header included.
			end := min(int(be.Uint32(b[12:])), bs)
			for off := 16; off+recSize <= end; off += recSize {
				blk := uint64(be.Uint32(b[off:]))
				if recSize == 8 {
					blk = be.Uint64(b[off:])
				}
				if writes++; writes > maxReplayWrites {
					return nil, corrupt("journal holds over %d blocks to replay", maxReplayWrites)
				}
				pendingR[blk] = seq
			}
			next()
		case jbdCommit:
			commits = append(commits, pending)
			seqs = append(seqs, seq)
			for blk, s := range pendingR {
				revokes[blk] = s
			}
			pending, pendingR = nil, map[uint64]uint32{}
			seq++
			next()
		default:
			steps = maxLen
		}
	}
	out := map[uint64]journalCopy{}
	for i, writes := range commits {
		for _, w := range writes {
			if r, ok := revokes[w.home]; ok && int32(seqs[i]-r) <= 0 {
				continue // revoked by this or a later transaction
			}
			if w.home < j.v.sb.blocksCount {
				out[w.home] = w.copy
			}
		}
	}
	return out, nil
}

// readCopy reads a journal copy of a block into p (one block).
func (c *blockCache) readCopy(p []byte, jc journalCopy) error {
	off, err := c.checkRange(jc.phys, 1)
	if err != nil {
		return err
	}
	if err := c.readAt(p, off); err != nil {
		return err
	}
	if jc.escaped {
		binary.BigEndian.PutUint32(p, journalMagic)
	}
	return nil
}

// applyJournal replaces, in buf (blocks from n), every block the journal
// holds a newer copy of.
func (c *blockCache) applyJournal(buf []byte, n uint64) error {
	if len(c.journal) == 0 {
		return nil
	}
	bs := int(c.blockSize)
	for i := 0; (i+1)*bs <= len(buf); i++ {
		if jc, ok := c.journal[n+uint64(i)]; ok {
			if err := c.readCopy(buf[i*bs:(i+1)*bs], jc); err != nil {
				return err
			}
		}
	}
	return nil
}
