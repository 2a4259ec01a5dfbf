package demoapi

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/uimport/uimport/ufile"
)

// Rebuilds images/ with the real mkfs, sfdisk and qemu-img (CI has them).
//go:generate go run ../internal/guestimage/cmd/make-demo-images -out images

// imageFiles are the demo guest images: real guest disks, small enough to
// ship in the binary, so `uimport --demo` can inspect an image and show
// what inspection finds with no account and no disk tools. They are built
// by internal/guestimage and stored zstd-compressed (a few KB each: the
// file systems are mostly empty). Each is served from DemoBucket (and
// DemoPrivateBucket) like the other demo objects, with Range support, and
// decompressed on first use.
//
//go:embed images/*.zst
var imageFiles embed.FS

// DemoImage is one demo guest disk.
type DemoImage struct {
	Key         string // object key in DemoBucket
	Title       string // short, for a menu
	Format      string // the import's Format for it: qcow2, VMDK, VHD, RAW
	Description string // what inspecting it shows
	// Findings are the finding ids an inspection reports for it when no
	// OS or format is declared, sorted; Blocking says one of them blocks
	// the import.
	Findings []string
	Blocking bool
}

// demoImages is in the order a menu offers them: clean first.
var demoImages = []struct {
	DemoImage
	file string // under images/
}{
	{DemoImage{
		Key: "guests/ubuntu-22.04-mbr.qcow2", Title: "Ubuntu 22.04 on MBR (qcow2)", Format: "qcow2",
		Description: "a clean cloud image: nothing to fix",
		Findings:    nil,
	}, "ubuntu-22.04-mbr.qcow2.zst"},
	{DemoImage{
		Key: "guests/rocky-9-gpt.qcow2", Title: "Rocky Linux 9 on GPT (qcow2)", Format: "qcow2",
		Description: "a GPT disk, which UHost cannot import (blocks), and an XFS root (warns)",
		Findings:    []string{"filesystem", "gpt"}, Blocking: true,
	}, "rocky-9-gpt.qcow2.zst"},
	{DemoImage{
		Key: "guests/centos-6-sda.vmdk", Title: "CentOS 6 from VMware (VMDK)", Format: "VMDK",
		Description: "fstab and root= name /dev/sda, virtio_blk missing from the initramfs, no cloud-init (warns)",
		Findings:    []string{"device-names", "no-cloud-init", "virtio-initramfs"},
	}, "centos-6-sda.vmdk.zst"},
	{DemoImage{
		Key: "guests/debian-12-novirtio.vhd", Title: "Debian 12 with a custom kernel (VHD)", Format: "VHD",
		Description: "the default kernel has no virtio_blk driver, so the host would not find its disk (blocks)",
		Findings:    []string{"no-cloud-init", "no-virtio"}, Blocking: true,
	}, "debian-12-novirtio.vhd.zst"},
}

// DemoImages lists the demo guest images, a clean one first.
func DemoImages() []DemoImage {
	out := make([]DemoImage, len(demoImages))
	for i, d := range demoImages {
		out[i] = d.DemoImage
		out[i].Findings = append([]string(nil), d.Findings...)
	}
	return out
}

// DemoImageURL is the URL of the demo image with this key on the server at
// baseURL, e.g. http://127.0.0.1:PORT/ufile/demo-bucket/guests/rocky-9-gpt.qcow2;
// "" for a key DemoImages does not list.
func DemoImageURL(baseURL, key string) string {
	if _, ok := imageLoaders[key]; !ok {
		return ""
	}
	return strings.TrimRight(baseURL, "/") + objectPrefix + DemoBucket + "/" + ufile.EscapeKey(key)
}

// DemoImageReader returns the decompressed image with this key, to inspect
// it without a server.
func DemoImageReader(key string) (*bytes.Reader, error) {
	load, ok := imageLoaders[key]
	if !ok {
		return nil, fmt.Errorf("demoapi: no demo image %q", key)
	}
	obj, err := load()
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(obj.data), nil
}

// maxDemoImage bounds one decompressed image; the largest is 6 MiB.
const maxDemoImage = 16 << 20

// imageLoaders decompress each image once, when first asked for.
var imageLoaders = func() map[string]func() (storedObject, error) {
	m := make(map[string]func() (storedObject, error), len(demoImages))
	for _, d := range demoImages {
		m[d.Key] = sync.OnceValues(func() (storedObject, error) { return loadImage(d.file) })
	}
	return m
}()

func loadImage(file string) (storedObject, error) {
	packed, err := imageFiles.ReadFile("images/" + file)
	if err != nil {
		return storedObject{}, err
	}
	data, err := decompressImage(packed, maxDemoImage)
	if err != nil {
		return storedObject{}, fmt.Errorf("demoapi: demo image %s: %w", file, err)
	}
	etag, err := ufile.ETag(bytes.NewReader(data))
	if err != nil {
		return storedObject{}, err
	}
	return storedObject{data, etag}, nil
}

// decompressImage decodes a zstd image of at most limit bytes.
func decompressImage(packed []byte, limit uint64) ([]byte, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(limit))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	return dec.DecodeAll(packed, nil)
}

// isBuiltInKey reports whether key is a read-only demo object's.
func isBuiltInKey(key string) bool {
	_, generated := objectStore()[key]
	_, image := imageLoaders[key]
	return generated || image
}

// builtInObject finds a read-only demo object: a generated one or a demo
// image. ok is false for keys that are neither, and for an image that
// failed to decompress (which the tests rule out).
func builtInObject(key string) (obj storedObject, ok bool) {
	if obj, ok = objectStore()[key]; ok {
		return obj, true
	}
	if load, isImage := imageLoaders[key]; isImage {
		obj, err := load()
		return obj, err == nil
	}
	return storedObject{}, false
}
