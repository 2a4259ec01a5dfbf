package filesystem

import (
	"io/fs"
	"testing"
)

func TestUnixModeAndDirentType(t *testing.T) {
	for mode, want := range map[uint16]fs.FileMode{
		0o100644: 0o644,
		0o040755: fs.ModeDir | 0o755,
		0o120777: fs.ModeSymlink | 0o777,
		0o104755: fs.ModeSetuid | 0o755,
		0o041777: fs.ModeDir | fs.ModeSticky | 0o777,
		0o020600: fs.ModeDevice | fs.ModeCharDevice | 0o600,
		0o060660: fs.ModeDevice | 0o660,
		0o010644: fs.ModeNamedPipe | 0o644,
		0o140755: fs.ModeSocket | 0o755,
		0o170644: fs.ModeIrregular | 0o644,
	} {
		if got := UnixMode(mode); got != want {
			t.Errorf("UnixMode(%o) = %v, want %v", mode, got, want)
		}
	}
	for code, want := range map[byte]fs.FileMode{0: fs.ModeIrregular, 1: 0, 2: fs.ModeDir, 7: fs.ModeSymlink, 8: fs.ModeIrregular} {
		if got := DirentType(code); got != want {
			t.Errorf("DirentType(%d) = %v, want %v", code, got, want)
		}
	}
}
