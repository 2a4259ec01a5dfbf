package inspect

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/internal/guestimage"
)

func buildInitramfs(t *testing.T, ir guestimage.Initramfs) []byte {
	t.Helper()
	b, err := ir.Build(t.TempDir())
	if err != nil {
		t.Fatalf("%v (run scripts/test-deps.sh if a tool is missing)", err)
	}
	return b
}

func TestScanInitramfsCompressions(t *testing.T) {
	const mod = "usr/lib/modules/6.1.0/kernel/drivers/block/"
	filler := guestimage.Tree{}
	for _, n := range []string{"a", "b", "c", "d"} {
		filler["usr/lib/firmware/"+n+".bin"] = guestimage.Bytes(bytes.Repeat([]byte(n), 100_000))
	}
	for _, comp := range []string{"none", "gzip", "xz", "zstd", "lz4", "bzip2"} {
		for _, micro := range []bool{false, true} {
			for _, ext := range []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"} {
				name := comp + map[bool]string{true: "+microcode"}[micro] + ext
				t.Run(name, func(t *testing.T) {
					files := guestimage.Tree{mod + "virtio_blk" + ext: guestimage.File("x"), mod + "loop.ko": guestimage.File("y")}
					files.Merge("", filler)
					with := buildInitramfs(t, guestimage.Initramfs{Compression: comp, Microcode: micro, Files: files})
					res, err := scanInitramfs(context.Background(), bytes.NewReader(with), int64(len(with)))
					if err != nil || !res.HasVirtioBlk || res.Compression != comp {
						t.Fatalf("with virtio_blk: %+v, %v", res, err)
					}
					without := buildInitramfs(t, guestimage.Initramfs{Compression: comp, Microcode: micro, Files: filler})
					res, err = scanInitramfs(context.Background(), bytes.NewReader(without), int64(len(without)))
					if err != nil || res.HasVirtioBlk {
						t.Fatalf("without virtio_blk: %+v, %v", res, err)
					}
				})
				if comp != "zstd" {
					break // one module suffix per compression is enough beyond zstd
				}
			}
		}
	}
}

func TestScanInitramfsBuiltinList(t *testing.T) {
	b := buildInitramfs(t, guestimage.Initramfs{Compression: "gzip", Files: guestimage.Tree{
		"lib/modules/5.15.0/modules.builtin": guestimage.File("kernel/fs/ext4/ext4.ko\nkernel/drivers/block/virtio_blk.ko\n"),
	}})
	res, err := scanInitramfs(context.Background(), bytes.NewReader(b), int64(len(b)))
	if err != nil || !res.HasVirtioBlk {
		t.Fatalf("%+v, %v", res, err)
	}
}

func TestScanInitramfsLimit(t *testing.T) {
	b := buildInitramfs(t, guestimage.Initramfs{Compression: "zstd", Files: guestimage.Tree{
		"a/zeros": guestimage.Bytes(make([]byte, 4<<20)),
		"usr/lib/modules/6.1.0/kernel/drivers/block/virtio_blk.ko": guestimage.File("x"),
	}})
	_, err := scanInitramfsLimit(context.Background(), bytes.NewReader(b), int64(len(b)), 1<<20)
	if !errors.Is(err, errInitramfsLimit) {
		t.Fatalf("err = %v, want the limit", err)
	}
}

func TestScanInitramfsHostile(t *testing.T) {
	good := buildInitramfs(t, guestimage.Initramfs{Compression: "gzip", Microcode: true, Files: guestimage.Tree{"etc/x": guestimage.File("x")}})
	cases := map[string][]byte{
		"empty":            {},
		"zeros":            make([]byte, 10000),
		"unknown":          []byte("hello world, not an archive"),
		"truncated header": []byte("070701000000"),
		"huge name size":   []byte("070701" + strings.Repeat("0", 8*11) + "FFFFFFFF" + strings.Repeat("0", 8)),
		"truncated gzip":   good[:len(good)-40],
		"xz dictionary":    {0xfd, '7', 'z', 'X', 'Z', 0, 0, 1, 0, 0, 0, 0, 2, 0, 0x21, 1, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"lzma dictionary":  {0x5d, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := scanInitramfs(context.Background(), bytes.NewReader(b), int64(len(b)))
			if res == nil || res.HasVirtioBlk {
				t.Fatalf("%+v, %v", res, err)
			}
			if name != "empty" && name != "zeros" && err == nil {
				t.Errorf("no error for %s", name)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	many := guestimage.Tree{}
	for i := 0; i < 600; i++ {
		many[strings.Repeat("d", 1+i%50)+"/"+string(rune('a'+i%26))+strings.Repeat("x", i/26)] = guestimage.File("")
	}
	b := buildInitramfs(t, guestimage.Initramfs{Compression: "none", Files: many})
	if _, err := scanInitramfs(ctx, bytes.NewReader(b), int64(len(b))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
}

func TestCheckXZDictionary(t *testing.T) {
	big := []byte{0xfd, '7', 'z', 'X', 'Z', 0, 0, 1, 0, 0, 0, 0, 2, 0, 0x21, 1, 40, 0, 0, 0, 0, 0, 0, 0}
	if err := checkXZDictionary(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "over the 128 MiB limit") {
		t.Errorf("4 GiB dictionary: %v", err)
	}
	small := bytes.Clone(big)
	small[16] = 20 // 1 MiB
	if err := checkXZDictionary(bytes.NewReader(small)); err != nil {
		t.Errorf("1 MiB dictionary: %v", err)
	}
}
