package demoapi

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// WriteSampleImage writes a file of size bytes for `uimport --demo` to
// upload: the demo qcow2's header and tables (so the format check sees a
// qcow2), then a fixed pseudo-random mix of data runs and holes. Holes are
// left sparse, so a big sample costs little disk. The content is the same
// for the same size, so reruns resume.
//
// The file is written under a new random name beside path (O_EXCL) and
// renamed over path, so a symbolic link planted at path (in a shared
// /tmp) is replaced, never written through.
func WriteSampleImage(path string, size int64) error {
	head := demoQCOW2()
	if size < int64(len(head)) {
		return errors.New("demoapi: a sample image needs at least 256 KiB")
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".uimport-sample-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op after the rename
	if err := writeSample(f, head, size); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func writeSample(f *os.File, head []byte, size int64) error {
	if _, err := f.Write(head); err != nil {
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
				return err
			}
			off += int64(len(chunk))
			left -= int64(len(chunk))
		}
	}
	return f.Truncate(size)
}

// SampleImage returns the demo's sample image of size, written (or kept
// from an earlier run, so its upload state still holds) in
// <temp>/uimport-<uid>: a directory only this user may write, created
// 0700 and checked to be a real directory of this user's. Nobody else can
// plant a link or a file of their choosing there.
func SampleImage(size int64) (path string, kept bool, err error) {
	dir, err := privateDir(filepath.Join(os.TempDir(), "uimport-"+strconv.Itoa(os.Getuid())))
	if err != nil {
		return "", false, err
	}
	path = filepath.Join(dir, "uimport-sample-"+strconv.FormatInt(size, 10)+".qcow2")
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return path, true, nil
	}
	return path, false, WriteSampleImage(path, size)
}

// privateDir makes dir (mode 0700) or checks the one there: not a link,
// a directory, owned by this user (where the OS says), and not writable
// by group or others.
func privateDir(dir string) (string, error) {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 || !ownedByMe(fi) || (runtime.GOOS != "windows" && fi.Mode().Perm()&0o022 != 0) {
		return "", fmt.Errorf("%s is not a private directory of this user's; remove it and try again", dir)
	}
	return dir, nil
}
