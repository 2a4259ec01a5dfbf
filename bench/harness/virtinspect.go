package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// viOS is the part of virt-inspector's XML that answers "which OS".
type viOS struct {
	Root        string `xml:"root"`
	Name        string `xml:"name"`
	Arch        string `xml:"arch"`
	Distro      string `xml:"distro"`
	ProductName string `xml:"product_name"`
	Major       string `xml:"major_version"`
	Minor       string `xml:"minor_version"`
	Osinfo      string `xml:"osinfo"`
}

// viCase is virt-inspector on one image.
type viCase struct {
	Image    string   `json:"image"`
	Settings string   `json:"settings,omitempty"` // LIBGUESTFS_BACKEND_SETTINGS
	Runs     int      `json:"runs"`
	Wall     stat     `json:"wall_s"`
	CPU      stat     `json:"cpu_s"`
	RSSKB    stat     `json:"rss_kb"`
	Error    string   `json:"error,omitempty"`
	OS       []viOS   `json:"os"`
	Ours     string   `json:"ours"`
	Theirs   string   `json:"theirs"`
	Same     bool     `json:"same"`
	Differs  []string `json:"differs,omitempty"`
}

// virtInspect runs libguestfs' virt-inspector (LIBGUESTFS_BACKEND=direct)
// on each image under /usr/bin/time -v, and sets its OS answers beside
// the ones in the inspect JSON (harness inspect's, same images).
//
//	harness virtinspect [-n 1] [-settings force_tcg] [-timeout 10m] -ours inspect.json -json FILE IMAGE...
func virtInspect(args []string) error {
	fs := flag.NewFlagSet("virtinspect", flag.ExitOnError)
	n := fs.Int("n", 1, "runs per image (the appliance supermin builds is cached after the first ever)")
	settings := fs.String("settings", "", "LIBGUESTFS_BACKEND_SETTINGS (force_tcg: no KVM)")
	timeout := fs.Duration("timeout", 10*time.Minute, "per run")
	oursPath := fs.String("ours", "", "harness inspect's JSON for the same images")
	out := fs.String("json", "", "write the cases here")
	logDir := fs.String("logs", "", "keep each run's XML and time -v output here")
	fs.Parse(args)
	if fs.NArg() == 0 {
		return errors.New("usage: virtinspect [-n N] [-settings S] -ours F -json F IMAGE...")
	}
	ours := map[string]inspectAnswer{}
	if b, err := os.ReadFile(*oursPath); err == nil {
		var res struct{ Cases []inspectCase }
		if json.Unmarshal(b, &res) == nil {
			for _, c := range res.Cases {
				if c.Mode == "local" {
					ours[c.Image] = c.Answer
				}
			}
		}
	}
	var cases []viCase
	for _, img := range fs.Args() {
		c := viCase{Image: filepath.Base(img), Settings: *settings}
		var wall, cpu, rss []float64
		for i := 0; i < *n; i++ {
			xmlOut, tv, err := runVirtInspector(img, *settings, *timeout, *logDir, i)
			if err != nil {
				c.Error = err.Error()
				break
			}
			if i == 0 {
				var doc struct {
					OS []viOS `xml:"operatingsystem"`
				}
				if err := xml.Unmarshal(xmlOut, &doc); err != nil {
					c.Error = "its XML: " + err.Error()
					break
				}
				c.OS = doc.OS
			}
			wall, cpu, rss = append(wall, tv.wall), append(cpu, tv.user+tv.sys), append(rss, tv.rssKB)
		}
		c.Runs, c.Wall, c.CPU, c.RSSKB = len(wall), stats(wall), stats(cpu), stats(rss)
		if a, ok := ours[c.Image]; ok {
			c.Ours = a.OS + " " + a.Arch + ", root " + a.Root
			c.Same, c.Differs, c.Theirs = compareOS(a, c.OS)
		}
		fmt.Fprintf(os.Stderr, "   %-31s virt-inspector %s: %.1f s median (n=%d), RSS %.0f MiB; %s; same answer: %v %s\n",
			c.Image, c.Settings, c.Wall.Median, c.Runs, c.RSSKB.Median/1024, c.Theirs, c.Same, c.Error)
		cases = append(cases, c)
	}
	return emit(map[string]any{"cases": cases}, *out)
}

// runVirtInspector runs it once and returns its XML and time -v figures.
func runVirtInspector(img, settings string, timeout time.Duration, logDir string, i int) ([]byte, timeV, error) {
	tmp, err := os.CreateTemp("", "virt-inspector-time-")
	if err != nil {
		return nil, timeV{}, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/time", "-v", "-o", tmp.Name(),
		"virt-inspector", "--no-applications", "--no-icon", "-a", img)
	cmd.Env = append(os.Environ(), "LIBGUESTFS_BACKEND=direct")
	if settings != "" {
		cmd.Env = append(cmd.Env, "LIBGUESTFS_BACKEND_SETTINGS="+settings)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	tv, _ := readTimeV(tmp.Name())
	if logDir != "" {
		base := filepath.Join(logDir, fmt.Sprintf("virt-inspector-%s-%s%d", filepath.Base(img), settings, i))
		os.WriteFile(base+".xml", stdout.Bytes(), 0o644)
		os.WriteFile(base+".err", stderr.Bytes(), 0o644)
		if b, err := os.ReadFile(tmp.Name()); err == nil {
			os.WriteFile(base+".time", b, 0o644)
		}
	}
	if runErr != nil || tv.status != 0 {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 600 {
			msg = msg[:600] + "…"
		}
		if ctx.Err() != nil {
			msg = fmt.Sprintf("timed out after %v; %s", timeout, msg)
		}
		return nil, tv, fmt.Errorf("virt-inspector: %v: %s", runErr, msg)
	}
	return stdout.Bytes(), tv, nil
}

// compareOS says whether virt-inspector found the same OS (distribution,
// version, architecture, root partition) as we did.
func compareOS(ours inspectAnswer, theirs []viOS) (bool, []string, string) {
	if len(theirs) != 1 {
		return false, []string{fmt.Sprintf("virt-inspector found %d operating systems", len(theirs))}, ""
	}
	t := theirs[0]
	desc := fmt.Sprintf("%s %s.%s %s, root %s (%s)", t.Distro, t.Major, t.Minor, t.Arch, t.Root, t.ProductName)
	var differs []string
	// Versions as numbers: libguestfs says 22 and 4 for Ubuntu's "22.04".
	id, version, _ := strings.Cut(ours.OS, " ")
	major, minor, _ := strings.Cut(version, ".")
	if id != t.Distro || atoiOr(major) != atoiOr(t.Major) || atoiOr(minor) != atoiOr(t.Minor) {
		differs = append(differs, fmt.Sprintf("OS: ours %q, theirs %q", ours.OS, t.Distro+" "+t.Major+"."+t.Minor))
	}
	if t.Arch != ours.Arch {
		differs = append(differs, fmt.Sprintf("arch: ours %q, theirs %q", ours.Arch, t.Arch))
	}
	// libguestfs names the disk sda, we name it as the guest will see it
	// on a virtio disk: compare the partition (or LV) part.
	ourRoot, _, _ := strings.Cut(ours.Root, " ")
	if strings.TrimPrefix(ourRoot, "/dev/vda") != strings.TrimPrefix(t.Root, "/dev/sda") {
		differs = append(differs, fmt.Sprintf("root: ours %q, theirs %q", ourRoot, t.Root))
	}
	return len(differs) == 0, differs, desc
}

// atoiOr reads a version number; "" and junk are 0.
func atoiOr(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}
