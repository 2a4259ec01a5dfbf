package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/guestimage"
)

// demoImageFile writes a demo guest disk to a file, as a user's image.
func demoImageFile(t *testing.T, key string) string {
	t.Helper()
	r, err := demoapi.DemoImageReader(key)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(key))
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (r *testRun) inspectOpts(t *testing.T, source string) *InspectOptions {
	return &InspectOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Source: source, Budget: inspect.DefaultBudget}
}

func TestNewCmdInspectFlags(t *testing.T) {
	r := newTestRun(t)
	var got *InspectOptions
	parsed(t, NewCmdInspect(r.f, func(o *InspectOptions) error { got = o; return nil }),
		"disk.qcow2", "--os-type", "CentOS", "--os-name", "CentOS 7.9 64位", "--format", "qcow2", "--region", "hk", "--budget", "5s")
	if got.Source != "disk.qcow2" || got.OsType != "CentOS" || got.OsName != "CentOS 7.9 64位" || got.Format != "qcow2" ||
		got.Region != "hk" || got.Budget != 5*time.Second {
		t.Errorf("options: %+v", got)
	}
}

// A local disk built with the real tools: the report names the OS, the
// layout and the kernels; a clean disk exits 0.
func TestRunInspectLocalClean(t *testing.T) {
	r := newTestRun(t)
	path := guestimage.BuildT(t, guestimage.Ubuntu2204MBR(), "vmdk")
	if err := runInspect(r.inspectOpts(t, path)); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	out := r.out.String()
	for _, want := range []string{"Ubuntu 22.04", "Format", "VMDK", "Partitions  MBR", "/dev/vda1", "Root", "ext4 on /dev/vda1",
		"(default): virtio_blk", "--os-type Ubuntu --os-name 'Ubuntu 22.04 64位'", "✓ Nothing"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// Findings are grouped with their fixes; a blocking one exits 7, and a
// declared OS of another family blocks too.
func TestRunInspectBlocking(t *testing.T) {
	r := newTestRun(t)
	opts := r.inspectOpts(t, demoImageFile(t, "guests/rocky-9-gpt.qcow2"))
	opts.OsType = "ubuntu" // any case: the API's spelling is compared
	err := runInspect(opts)
	if ExitCode(err) != ExitBlocked {
		t.Fatalf("exit %d (%v)\n%s", ExitCode(err), err, r.err)
	}
	out := r.out.String()
	for _, want := range []string{"Blocks the import (2)", "✗ gpt:", "✗ os-mismatch:", "Fix: ", "Warnings (1)", "! filesystem:", "2 findings block the import"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "Blocks the import") > strings.Index(out, "Warnings") {
		t.Errorf("blocking findings must come first:\n%s", out)
	}
}

// -o json is the report exactly (docs/INSPECT.md), with the same exit code.
func TestRunInspectJSON(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Output = "json"
	err := runInspect(r.inspectOpts(t, demoImageFile(t, "guests/debian-12-novirtio.vhd")))
	if ExitCode(err) != ExitBlocked {
		t.Fatalf("exit %d (%v)", ExitCode(err), err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r.out.Bytes(), &fields); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"findings", "format", "kernels", "os", "partition_table", "partitions", "root", "suggested", "virtual_size"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	var rep inspect.Report
	if err := json.Unmarshal(r.out.Bytes(), &rep); err != nil || !rep.Has(inspect.IDNoVirtio) || rep.Format != "VHD" || rep.OS == nil || rep.OS.ID != "debian" {
		t.Errorf("report %+v (%v)", rep, err)
	}
	if strings.Contains(r.out.String(), "Blocks the import") {
		t.Error("human text on stdout with -o json")
	}
}

// Over HTTP from the simulator (--demo names its guest disks by key): the
// report says how much was read, in ranged GETs, and the base images name
// the suggestion.
func TestRunInspectRemote(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo = true
	opts := r.inspectOpts(t, "guests/centos-6-sda.vmdk")
	opts.Region = "cn-bj2"
	if err := runInspect(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	out := r.out.String()
	for _, want := range []string{"CentOS", "/ufile/demo-bucket/guests/centos-6-sda.vmdk", "ranged GET", "! device-names:", "Nothing blocks the import"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// Bad input exits 2, a host that does not answer 4, a missing object 1.
func TestRunInspectErrors(t *testing.T) {
	r := newTestRun(t)
	base := r.simulator(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/disk.qcow2"
	ln.Close()
	for _, c := range []struct {
		source, osType string
		want           int
	}{
		{filepath.Join(t.TempDir(), "none.qcow2"), "", ExitUsage},
		{demoImageFile(t, "guests/ubuntu-22.04-mbr.qcow2"), "Solaris", ExitUsage},
		{closed, "", ExitNetwork},
		{base + "/ufile/demo-bucket/guests/none.qcow2", "", ExitFailure},
	} {
		opts := r.inspectOpts(t, c.source)
		opts.OsType = c.osType
		if err := runInspect(opts); ExitCode(err) != c.want {
			t.Errorf("%s: exit %d (%v), want %d", c.source, ExitCode(err), err, c.want)
		}
	}
}
