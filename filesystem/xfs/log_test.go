package xfs

import (
	"errors"
	"os"
	"testing"
)

// mkfs.xfs leaves a clean log: an unmount record, then sectors stamped
// with the previous cycle. Clearing the record's unmount flag, or its
// header, makes the log look like a crashed system's.
func TestLogClean(t *testing.T) {
	for _, vt := range []variant{variants[0], variants[2]} {
		t.Run(vt.name, func(t *testing.T) {
			img := makeImage(t, smallTree(t), vt)
			f, err := os.Open(img)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			v, err := Open(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			if clean, err := v.LogClean(); !clean || err != nil {
				t.Fatalf("fresh file system: clean %v, %v", clean, err)
			}
			logAt, err := v.fsbToLinear(v.sb.logStart)
			if err != nil {
				t.Fatal(err)
			}
			logOff := int64(logAt) << v.sb.blockLog
			dirty, _ := Open(overlay{r: f, patches: map[int64][]byte{logOff + 512 + 9: {0}}}, st.Size())
			if clean, err := dirty.LogClean(); clean || err != nil {
				t.Errorf("unmount flag cleared: clean %v, %v", clean, err)
			}
			twoOps, _ := Open(overlay{r: f, patches: map[int64][]byte{logOff + 40: be32(2)}}, st.Size())
			if clean, err := twoOps.LogClean(); clean || err != nil {
				t.Errorf("a record of two operations: clean %v, %v", clean, err)
			}
			noHeader, _ := Open(overlay{r: f, patches: map[int64][]byte{logOff: {0, 0, 0, 1}}}, st.Size())
			if clean, err := noHeader.LogClean(); clean || !isCorrupt(err) {
				t.Errorf("no record header: clean %v, %v", clean, err)
			}
			external, _ := Open(overlay{r: f, patches: map[int64][]byte{48: be64(0)}}, st.Size())
			if _, err := external.LogClean(); !errors.Is(err, ErrExternalLog) {
				t.Errorf("external log: %v", err)
			}
		})
	}
}
