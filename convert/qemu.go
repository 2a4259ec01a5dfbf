package convert

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/uimport/uimport/imageformat"
)

// QemuStep is a conversion only qemu-img can make (VHDX, VDI, QED, a qcow2
// with a backing or external data file). It writes a temporary qcow2, so
// the caller asks first, showing SpaceNeeded.
type QemuStep struct {
	Program string
	Args    []string // convert -O qcow2 SRC DST
	Dest    string
	// SpaceNeeded is an upper bound on the output (the image chain's
	// allocated bytes, at most its virtual size, plus metadata);
	// SpaceFree what the destination's file system has (-1: unknown).
	SpaceNeeded, SpaceFree int64
}

// Command is the shell line it runs.
func (s *QemuStep) Command() string {
	return shellJoin(append([]string{"qemu-img"}, s.Args...))
}

// QemuMissingError: the image needs qemu-img and it is not installed.
type QemuMissingError struct {
	Format  string
	Command string // the conversion to run by hand
}

func (e *QemuMissingError) Error() string {
	return fmt.Sprintf("%s images must be converted to qcow2 with qemu-img, which is not installed: install it (qemu-utils or qemu-img), or run %s and upload the result",
		e.Format, e.Command)
}

// SpaceError: not enough room for qemu-img's output.
type SpaceError struct {
	Dir         string
	Need, Free  int64
	CommandHint string
}

func (e *SpaceError) Error() string {
	return fmt.Sprintf("the conversion needs up to %s in %s, which has %s free: set TMPDIR to a directory with more space, or run %s elsewhere and upload the result",
		imageformat.HumanSize(e.Need), e.Dir, imageformat.HumanSize(e.Free), e.CommandHint)
}

// planQemu prepares (but does not run) the qemu-img conversion.
func (p *Plan) planQemu(ctx context.Context, o Options) error {
	src, err := filepath.Abs(p.Path)
	if err != nil {
		return err
	}
	dir := o.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	// The name depends on the source only, so a rerun overwrites a
	// leftover of a killed run instead of piling up copies.
	id := sha256.Sum256([]byte(src))
	dest := filepath.Join(dir, "uimport-"+hex.EncodeToString(id[:6])+".qcow2")
	step := &QemuStep{Program: o.QemuImg, Args: []string{"convert", "-O", "qcow2", src, dest}, Dest: dest}
	prog := o.QemuImg
	if prog == "" {
		prog = "qemu-img"
	}
	if step.Program, err = exec.LookPath(prog); err != nil {
		hand := shellJoin([]string{"qemu-img", "convert", "-O", "qcow2", p.Path, strings.TrimSuffix(filepath.Base(p.Path), filepath.Ext(p.Path)) + ".qcow2"})
		return &QemuMissingError{Format: p.Inner.Format, Command: hand}
	}
	virtual, allocated, err := qemuInfo(ctx, step.Program, src)
	if err != nil {
		return err
	}
	need := allocated
	if virtual > 0 && (need == 0 || need > virtual) {
		need = virtual
	}
	// qcow2 metadata: an L2 entry per cluster, refcounts, header.
	step.SpaceNeeded = need + need/8192 + 4<<20
	step.SpaceFree = freeSpace(dir)
	if step.SpaceFree >= 0 && step.SpaceFree < step.SpaceNeeded {
		return &SpaceError{Dir: dir, Need: step.SpaceNeeded, Free: step.SpaceFree, CommandHint: step.Command()}
	}
	p.Qemu, p.VirtualSize, p.Format = step, virtual, imageformat.QCOW2
	p.chain = append(p.chain, "qcow2")
	p.Converted = true
	p.Steps = fmt.Sprintf("%s with qemu-img (a temporary copy of up to %s in %s)", p.chainText(), imageformat.HumanSize(step.SpaceNeeded), dir)
	p.Conversion = conversionVersion + ":" + strings.Join(p.chain, ">") + "(qemu-img)"
	return nil
}

// qemuInfo asks qemu-img for the virtual size and the allocated bytes of
// the whole backing chain.
func qemuInfo(ctx context.Context, prog, src string) (virtual, allocated int64, err error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, prog, "info", "--output=json", "--backing-chain", src)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("qemu-img cannot read %s: %s", filepath.Base(src), firstLine(errb.String(), err))
	}
	var chain []struct {
		VirtualSize int64 `json:"virtual-size"`
		ActualSize  int64 `json:"actual-size"`
	}
	if err := json.Unmarshal(out.Bytes(), &chain); err != nil || len(chain) == 0 {
		return 0, 0, fmt.Errorf("qemu-img info gave an answer uimport cannot read: %v", err)
	}
	for _, c := range chain {
		allocated += max(c.ActualSize, 0)
	}
	return chain[0].VirtualSize, allocated, nil
}

// RunQemu runs the planned qemu-img conversion; then Size is known and
// Open reads the result. Close removes it.
func (p *Plan) RunQemu(ctx context.Context) error {
	s := p.Qemu
	if s == nil {
		return nil
	}
	if free := freeSpace(filepath.Dir(s.Dest)); free >= 0 && free < s.SpaceNeeded {
		return &SpaceError{Dir: filepath.Dir(s.Dest), Need: s.SpaceNeeded, Free: free, CommandHint: s.Command()}
	}
	var errb bytes.Buffer
	cmd := exec.CommandContext(ctx, s.Program, s.Args...)
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		os.Remove(s.Dest)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("qemu-img convert failed: %s", firstLine(errb.String(), err))
	}
	fi, err := os.Stat(s.Dest)
	if err != nil {
		return err
	}
	p.temp, p.Size, p.RandomAccess = s.Dest, fi.Size(), true
	return nil
}

// Close removes a qemu-img conversion's temporary file, if any.
func (p *Plan) Close() error {
	if p.temp == "" {
		return nil
	}
	err := os.Remove(p.temp)
	p.temp = ""
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func firstLine(s string, err error) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return err.Error()
	}
	return printable(s)
}

// shellJoin quotes arguments for a POSIX shell where needed.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
