package ui

import (
	"context"
	"errors"
	"sync"

	"github.com/uimport/uimport/inspect"
)

// The test backend inspects nothing: its wizard keeps the flow without the
// image step. inspectingBackend adds an inspection to it.

func (b *testBackend) Inspect(context.Context, InspectRequest, func(string)) (Inspection, error) {
	return Inspection{}, errors.New("not offered")
}

func (b *testBackend) DemoImages() []DemoImage { return nil }

// inspectingBackend is the test backend with an inspection: canned
// reports by source, stages said, requests kept.
type inspectingBackend struct {
	*testBackend
	reports map[string]*inspect.Report
	demo    []DemoImage
	gate    chan struct{} // Inspect waits for it when set

	mu   sync.Mutex
	reqs []InspectRequest
}

func withInspection(opts Options, reports map[string]*inspect.Report) (Options, *inspectingBackend) {
	b := &inspectingBackend{testBackend: hooks(opts), reports: reports}
	opts.Backend = b
	return opts, b
}

func (b *inspectingBackend) Features() Features {
	f := b.testBackend.Features()
	f.Inspects = true
	return f
}

func (b *inspectingBackend) DemoImages() []DemoImage { return b.demo }

func (b *inspectingBackend) Inspect(ctx context.Context, req InspectRequest, progress func(string)) (Inspection, error) {
	b.mu.Lock()
	b.reqs = append(b.reqs, req)
	gate := b.gate
	b.mu.Unlock()
	progress("reading the partition table")
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return Inspection{}, ctx.Err()
		}
	}
	rep, ok := b.reports[req.Source]
	if !ok {
		return Inspection{}, errors.New("cannot read " + req.Source + ": no such object")
	}
	// The mismatch is the backend's to find, as inspect does.
	cp := *rep
	cp.Findings = append([]inspect.Finding(nil), rep.Findings...)
	if req.OsType != "" && rep.Suggested != nil && inspect.OSTypeFamily(req.OsType) != inspect.OSTypeFamily(rep.Suggested.OsType) {
		cp.Findings = append([]inspect.Finding{{ID: inspect.IDOSMismatch, Severity: inspect.Block,
			Message: "Declared OS type " + req.OsType + ", but the disk holds " + rep.Suggested.OsType + ".", Fix: "Use --os-type " + rep.Suggested.OsType}}, cp.Findings...)
	}
	return Inspection{Source: req.Source, Report: &cp}, nil
}

func (b *inspectingBackend) requests() []InspectRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]InspectRequest(nil), b.reqs...)
}

// Reports as inspect gives them, for the tests.
func ubuntuReport() *inspect.Report {
	return &inspect.Report{Format: "qcow2", VirtualSize: 10 << 30, PartitionTable: "mbr",
		Partitions: []inspect.Partition{{Device: "/dev/vda1", Number: 1, Size: 10 << 30, FS: "ext4", Mountpoint: "/"}},
		Root:       &inspect.Root{FS: "ext4", Device: "/dev/vda1"},
		OS:         &inspect.OS{ID: "ubuntu", VersionID: "22.04", PrettyName: "Ubuntu 22.04.3 LTS", Arch: "x86_64"},
		Kernels:    []inspect.Kernel{{Version: "5.15.0-91-generic", Default: true, VirtioBlk: "builtin"}},
		Suggested:  &inspect.Suggestion{OsType: "Ubuntu", OsName: "Ubuntu 22.04 64位"},
		Findings: []inspect.Finding{{ID: inspect.IDNoCloudInit, Severity: inspect.Info,
			Message: "cloud-init is not installed.", Fix: "Install it in the guest."}},
	}
}

func gptReport() *inspect.Report {
	r := ubuntuReport()
	r.PartitionTable, r.Format = "gpt", "VMDK"
	r.Findings = []inspect.Finding{{ID: inspect.IDGPT, Severity: inspect.Block,
		Message: "The disk has a GPT partition table; UHost imports MBR disks only.", Fix: "Convert it to MBR (sgdisk --gpttombr)."}}
	return r
}
