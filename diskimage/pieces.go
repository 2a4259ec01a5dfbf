package diskimage

// What a piece of the guest disk maps to.
const (
	pieceZeros      = iota // unallocated or zeroed: reads as zeros (no backing file is read)
	pieceData              // stored as is at host
	pieceCompressed        // inside a compressed cluster or grain
)

// piece is a run of guest bytes with one mapping, at most one cluster or
// grain long.
type piece struct {
	kind  int
	n     int64
	host  int64  // pieceData: file offset of the first byte; pieceCompressed: a read-size hint
	entry uint64 // pieceCompressed: the table entry that locates the cluster
	in    int64  // pieceCompressed: offset of the first byte in the cluster
}

// mapper is a sparse format's table lookup.
type mapper interface {
	// mapping maps guest bytes [off, off+n); the piece may be shorter.
	mapping(off, n int64) (piece, error)
	readCompressed(p []byte, pc piece) error
}

// readPieces fills p with guest bytes from off. Host-contiguous data is
// read with one call to the file, however many clusters it spans, since
// each call may be an HTTP request.
func readPieces(f *file, m mapper, p []byte, off int64) error {
	runStart, runLen, runHost := 0, 0, int64(0) // pending contiguous read into p
	flush := func() error {
		err := f.readPadded(p[runStart:runStart+runLen], runHost, "data cluster or grain")
		runStart += runLen
		runLen = 0
		return err
	}
	done := 0
	for done < len(p) {
		pc, err := m.mapping(off+int64(done), int64(len(p)-done))
		if err != nil {
			return err
		}
		if pc.n <= 0 || pc.n > int64(len(p)-done) {
			return corrupt(f.format, "internal mapping error at guest offset 0x%x", off+int64(done))
		}
		n := int(pc.n)
		if pc.kind == pieceData && runLen > 0 && runHost+int64(runLen) == pc.host {
			runLen += n
			done += n
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		switch pc.kind {
		case pieceZeros:
			clear(p[done : done+n])
			runStart += n
		case pieceData:
			runLen, runHost = n, pc.host
		case pieceCompressed:
			if err := m.readCompressed(p[done:done+n], pc); err != nil {
				return err
			}
			runStart += n
		}
		done += n
	}
	return flush()
}
