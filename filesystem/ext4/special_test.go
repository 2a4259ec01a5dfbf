package ext4_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/uimport/uimport/filesystem/ext4"
)

// patchInode overwrites bytes of inode path's on-disk copy at off, where
// debugfs's imap says the inode lives.
func patchInode(t *testing.T, img, path string, off int64, b []byte) {
	t.Helper()
	m := regexp.MustCompile(`located at block (\d+), offset 0x([0-9a-f]+)`).FindStringSubmatch(debugfs(t, img, "imap "+path))
	if m == nil {
		t.Fatalf("debugfs imap %s: no location", path)
	}
	blk, _ := strconv.ParseInt(m[1], 10, 64)
	at, _ := strconv.ParseInt(m[2], 16, 64)
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, blk*4096+at+off); err != nil {
		t.Fatal(err)
	}
}

// TestEncryptedCasefoldedUnwritten covers what mke2fs -d cannot make:
// flags set with debugfs, and an extent turned unwritten by hand.
func TestEncryptedCasefoldedUnwritten(t *testing.T) {
	src := t.TempDir()
	write(t, filepath.Join(src, "enc/secret"), []byte("hi\n"))
	write(t, filepath.Join(src, "enc-file"), []byte("ciphertext"))
	write(t, filepath.Join(src, "Fold/README"), []byte("readme\n"))
	prealloc := randomBytes(12, 3*4096)
	write(t, filepath.Join(src, "prealloc"), prealloc)
	img := mkfs(t, src, 64<<20, "-t", "ext4", "-O", "casefold,encrypt,^metadata_csum")
	run(t, nil, "debugfs", "-w", "-R", "set_inode_field /enc flags 0x80800", img)
	run(t, nil, "debugfs", "-w", "-R", "set_inode_field /enc-file flags 0x80800", img)
	run(t, nil, "debugfs", "-w", "-R", "set_inode_field /Fold flags 0x40080000", img)
	// The extent root's first entry starts at i_block+12; its ee_len at +4.
	// A length over 32768 marks the extent unwritten: it reads as zeros
	// though its blocks hold data.
	patchInode(t, img, "/prealloc", 0x28+12+4, []byte{3, 0x80})
	if out := debugfs(t, img, "ex /prealloc"); !regexp.MustCompile(`Uninit`).MatchString(out) {
		t.Fatalf("prealloc's extent is not unwritten:\n%s", out)
	}

	fsys, v := openImage(t, img)
	info := v.Info()
	if len(info.Unsupported) != 1 || info.Unsupported[0] != "encrypt" {
		t.Errorf("Unsupported = %v, want [encrypt]", info.Unsupported)
	}
	if _, err := fsys.ReadDir("enc"); !errors.Is(err, ext4.ErrEncrypted) {
		t.Errorf("ReadDir enc: %v, want ErrEncrypted", err)
	}
	if _, err := fsys.ReadFile("enc/secret"); !errors.Is(err, ext4.ErrEncrypted) {
		t.Errorf("ReadFile enc/secret: %v, want ErrEncrypted", err)
	}
	if _, err := fsys.ReadFile("enc-file"); !errors.Is(err, ext4.ErrEncrypted) {
		t.Errorf("ReadFile enc-file: %v, want ErrEncrypted", err)
	}
	for _, name := range []string{"Fold/README", "Fold/readme", "Fold/ReadMe"} {
		if b, err := fsys.ReadFile(name); err != nil || string(b) != "readme\n" {
			t.Errorf("ReadFile %s = %q, %v", name, b, err)
		}
	}
	if _, err := fsys.ReadFile("fold/README"); err == nil {
		t.Error("a directory without casefold matched a name ignoring case")
	}
	got, err := fsys.ReadFile("prealloc")
	if err != nil || !bytes.Equal(got, make([]byte, len(prealloc))) {
		t.Errorf("ReadFile prealloc: %v; want %d zeros", err, len(prealloc))
	}
	// The blocks do hold the data: only the flag makes them zeros.
	raw, _ := os.ReadFile(img)
	if !bytes.Contains(raw, prealloc[:4096]) {
		t.Error("prealloc's data is not in the image")
	}
}
