// Command make-demo-images builds the guest disks the demo simulator
// serves (demoapi/images) with internal/guestimage and the real tools, and
// writes each zstd-compressed. Run it from the repository root:
//
//	go run ./internal/guestimage/cmd/make-demo-images -out demoapi/images
//
// Rerunning it is harmless: file system UUIDs are fixed, only timestamps
// and a few random bytes differ.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"

	"github.com/uimport/uimport/internal/guestimage"
)

type demoDisk struct {
	file     string // name under -out, without ".zst"
	scenario guestimage.Scenario
	format   string // guestimage.Convert's format; "raw" for none
}

// demoDisks are the images, named as demoapi embeds them: its key for
// each is "guests/" + file. demoapi/images.go says what each one shows.
func demoDisks() []demoDisk {
	return []demoDisk{
		{"ubuntu-22.04-mbr.qcow2", guestimage.Ubuntu2204MBR(), "qcow2"},
		{"rocky-9-gpt.qcow2", guestimage.Rocky9GPT(), "qcow2"},
		{"centos-6-sda.vmdk", guestimage.CentOS6(), "vmdk"},
		{"debian-12-novirtio.vhd", guestimage.Debian12NoVirtio(), "vhd"},
	}
}

func main() {
	out := flag.String("out", "demoapi/images", "directory to write the compressed images to")
	flag.Parse()
	if missing := guestimage.MissingTools(); len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "make-demo-images needs %v: run scripts/test-deps.sh\n", missing)
		os.Exit(1)
	}
	for _, d := range demoDisks() {
		size, packed, err := build(*out, d)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes, %d compressed\n", d.file, size, packed)
	}
}

// build writes d as out/<file>.zst and returns the image's size and the
// compressed size.
func build(out string, d demoDisk) (size, packed int, err error) {
	work, err := os.MkdirTemp("", "demo-image-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(work)
	path, err := d.scenario.Build(work)
	if err != nil {
		return 0, 0, err
	}
	if d.format != "raw" {
		if path, err = guestimage.Convert(path, d.format); err != nil {
			return 0, 0, err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return 0, 0, err
	}
	z := enc.EncodeAll(data, nil)
	return len(data), len(z), os.WriteFile(filepath.Join(out, d.file+".zst"), z, 0o644)
}
