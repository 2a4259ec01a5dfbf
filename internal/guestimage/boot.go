package guestimage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// ELF returns the first bytes of an ELF executable: enough for a reader
// that tells the architecture from the header (64- or 32-bit x86).
func ELF(bits int) []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF")
	b[5], b[6] = 1, 1                        // little endian, version 1
	binary.LittleEndian.PutUint16(b[16:], 3) // ET_DYN
	if bits == 32 {
		b[4] = 1
		binary.LittleEndian.PutUint16(b[18:], 3) // EM_386
	} else {
		b[4] = 2
		binary.LittleEndian.PutUint16(b[18:], 62) // EM_X86_64
	}
	binary.LittleEndian.PutUint32(b[20:], 1)
	return b
}

// Initramfs describes an initramfs to build.
type Initramfs struct {
	// Compression of the main archive: "gzip", "xz", "zstd", "lz4"
	// (the kernel's legacy lz4 format), "bzip2" or "none".
	Compression string
	// Microcode prepends an uncompressed early cpio with CPU microcode.
	Microcode bool
	// Files is the archive's content (beyond a few standard files).
	Files Tree
}

// Build makes the initramfs with cpio -o -H newc and the compressor.
func (i Initramfs) Build(work string) ([]byte, error) {
	dir, err := os.MkdirTemp(work, "initramfs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	main, err := cpioArchive(filepath.Join(dir, "main"), i.Files)
	if err != nil {
		return nil, err
	}
	var compressed []byte
	switch i.Compression {
	case "", "none":
		compressed = main
	case "gzip":
		compressed, err = pipe(main, "gzip", "-9n")
	case "xz":
		// As dracut and the kernel want it: CRC32 checks, a small dictionary.
		compressed, err = pipe(main, "xz", "--check=crc32", "--lzma2=dict=1MiB")
	case "zstd":
		compressed, err = pipe(main, "zstd", "-q", "-15", "-c")
	case "lz4":
		compressed, err = pipe(main, "lz4", "-l", "-q", "-c")
	case "bzip2":
		compressed, err = pipe(main, "bzip2", "-c")
	default:
		return nil, fmt.Errorf("guestimage: unknown compression %q", i.Compression)
	}
	if err != nil {
		return nil, err
	}
	if !i.Microcode {
		return compressed, nil
	}
	early, err := cpioArchive(filepath.Join(dir, "early"), Tree{
		"early_cpio":                            File("1\n"),
		"kernel/x86/microcode/GenuineIntel.bin": Bytes(bytes.Repeat([]byte{0x01, 0x00, 0x00, 0x00}, 512)),
	})
	if err != nil {
		return nil, err
	}
	// dracut pads the early archive to 512 bytes before the main one.
	if pad := len(early) % 512; pad != 0 {
		early = append(early, make([]byte, 512-pad)...)
	}
	return append(early, compressed...), nil
}

// cpioArchive writes tree under dir and archives it as newc.
func cpioArchive(dir string, tree Tree) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := tree.Create(dir); err != nil {
		return nil, err
	}
	var names []string
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if rel, _ := filepath.Rel(dir, p); rel != "." {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	cmd := exec.Command("cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Join(names, "\n") + "\n")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("cpio: %v: %s", err, errOut.String())
	}
	return out.Bytes(), nil
}

func pipe(in []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", name, err, errOut.String())
	}
	return out.Bytes(), nil
}

// Module returns a kernel module file's bytes, compressed as its name
// says (.ko, .ko.xz, .ko.zst, .ko.gz): the module is a stub ELF object.
func Module(name string) ([]byte, error) {
	obj := append(ELF(64), []byte("\x00license=GPL\x00name="+strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))+"\x00")...)
	switch {
	case strings.HasSuffix(name, ".ko"):
		return obj, nil
	case strings.HasSuffix(name, ".ko.xz"):
		return pipe(obj, "xz", "--check=crc32")
	case strings.HasSuffix(name, ".ko.zst"):
		return pipe(obj, "zstd", "-q", "-c")
	case strings.HasSuffix(name, ".ko.gz"):
		return pipe(obj, "gzip", "-n")
	}
	return nil, fmt.Errorf("guestimage: not a module name: %q", name)
}
