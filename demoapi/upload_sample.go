package demoapi

import (
	"errors"
	"math/rand/v2"
	"os"
)

// WriteSampleImage writes a file of size bytes for `uimport --demo` to
// upload: the demo qcow2's header and tables (so the format check sees a
// qcow2), then a fixed pseudo-random mix of data runs and holes. Holes are
// left sparse, so a big sample costs little disk. The content is the same
// for the same size, so reruns resume.
func WriteSampleImage(path string, size int64) error {
	head := demoQCOW2()
	if size < int64(len(head)) {
		return errors.New("demoapi: a sample image needs at least 256 KiB")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(head); err != nil {
		f.Close()
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(size), 0x75696d706f7274))
	buf := make([]byte, 1<<20)
	for off := int64(len(head)); off < size; {
		run := min(int64(rng.IntN(4<<20)+64<<10), size-off)
		if rng.IntN(3) == 0 { // a hole: a third of the runs
			off += run
			continue
		}
		for left := run; left > 0; {
			chunk := buf[:min(left, int64(len(buf)))]
			for i := 0; i+8 <= len(chunk); i += 8 {
				v := rng.Uint64()
				chunk[i], chunk[i+1], chunk[i+2], chunk[i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
				chunk[i+4], chunk[i+5], chunk[i+6], chunk[i+7] = byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56)
			}
			if _, err := f.WriteAt(chunk, off); err != nil {
				f.Close()
				return err
			}
			off += int64(len(chunk))
			left -= int64(len(chunk))
		}
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
