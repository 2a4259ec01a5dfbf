package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/rangereader"
)

// inspectRun is what one inspection in its own process measured.
type inspectRun struct {
	Ms       float64 `json:"ms"`         // Inspect alone, not the process start
	CPUMs    float64 `json:"cpu_ms"`     // user+sys of this process during Inspect (all threads)
	MaxRSSKB int64   `json:"max_rss_kb"` // getrusage(RUSAGE_SELF) at the end
	// Reads and ReadBytes are the ReadAt calls Inspect made on the
	// image (the file, or the rangereader) and the bytes they returned.
	Reads     int64 `json:"reads"`
	ReadBytes int64 `json:"read_bytes"`
	// Requests and RequestBytes are the rangereader's GETs (remote only).
	Requests     int             `json:"requests,omitempty"`
	RequestBytes int64           `json:"request_bytes,omitempty"`
	Report       *inspect.Report `json:"report,omitempty"`
}

// countingReaderAt counts what is read through it.
type countingReaderAt struct {
	r            io.ReaderAt
	reads, bytes atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.reads.Add(1)
	c.bytes.Add(int64(n))
	return n, err
}

// inspectOne inspects one image in this process and prints an inspectRun
// as JSON: the measured child that `harness inspect` starts per run, so
// each run's peak RSS is its own.
//
//	harness inspectone [-cold] FILE
//	harness inspectone [-block BYTES] -url URL
//	harness inspectone -baseline      (only the process: RSS with nothing inspected)
func inspectOne(args []string) error {
	fs := flag.NewFlagSet("inspectone", flag.ExitOnError)
	url := fs.String("url", "", "read the image from this URL with ranged GETs")
	cold := fs.Bool("cold", false, "drop FILE's pages from the page cache first (posix_fadvise DONTNEED)")
	baseline := fs.Bool("baseline", false, "inspect nothing: the process's own RSS")
	block := fs.Int("block", 0, "rangereader BlockSize (0: its default)")
	fs.Parse(args)
	var run inspectRun
	if *baseline {
		run.MaxRSSKB = maxRSSKB()
		return json.NewEncoder(os.Stdout).Encode(run)
	}
	ctx := context.Background()
	var src io.ReaderAt
	var size int64
	var rr *rangereader.Reader
	start := time.Now()
	switch {
	case *url != "":
		// No proxy, whatever the environment says: loopback only.
		client := &http.Client{Transport: &http.Transport{Proxy: nil}}
		var err error
		start = time.Now() // the first GET (the size) is part of the inspection
		rr, err = rangereader.Open(ctx, rangereader.Options{URL: *url, Client: client, BlockSize: *block})
		if err != nil {
			return err
		}
		src, size = rr, rr.Size()
	case fs.NArg() == 1:
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		if *cold {
			if err := dropCache(f); err != nil {
				return err
			}
		}
		src, size = f, st.Size()
		start = time.Now()
	default:
		return errors.New("usage: inspectone [-cold] FILE | -url URL | -baseline")
	}
	c := &countingReaderAt{r: src}
	cpu0 := cpuMs()
	rep, err := inspect.Inspect(ctx, c, size, inspect.Options{})
	run.Ms = float64(time.Since(start).Microseconds()) / 1000
	run.CPUMs = cpuMs() - cpu0
	if err != nil {
		return err
	}
	run.Reads, run.ReadBytes, run.Report = c.reads.Load(), c.bytes.Load(), rep
	if rr != nil {
		st := rr.Stats()
		run.Requests, run.RequestBytes = st.Requests, st.Bytes
	}
	run.MaxRSSKB = maxRSSKB()
	return json.NewEncoder(os.Stdout).Encode(run)
}

// cpuMs is the user+sys time this process has used: unlike the wall
// time, it hardly moves when other work shares the cores.
func cpuMs() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func maxRSSKB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss // KiB on Linux
}

// dropCache asks the kernel to forget f's cached pages, so the next reads
// come from the disk. Only this file is touched, not the machine's cache.
func dropCache(f *os.File) error {
	const fadvDontNeed = 4
	_, _, e := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0)
	if e != 0 {
		return fmt.Errorf("posix_fadvise: %v", e)
	}
	return nil
}

// inspectCase is one image read one way, over several runs.
type inspectCase struct {
	Image string `json:"image"`
	Mode  string `json:"mode"` // local, local-cold, remote, remote-rtt
	RTTMs int    `json:"rtt_ms,omitempty"`
	Runs  int    `json:"runs"`
	Fails int    `json:"fails"`
	Ms    stat   `json:"ms"`
	CPUMs stat   `json:"cpu_ms"`
	RSSKB stat   `json:"rss_kb"`
	// Counts from the first run; Varies says a later run differed.
	Reads, ReadBytes      int64
	Requests              int
	RequestBytes          int64
	ServerGETs, NoRange   int64
	ServerBytes           int64
	Varies                bool
	GETSizes              string // how many GETs of each size (first run)
	FileBytes, Allocated  int64  // the image file: length, and blocks on disk
	VirtualSize           int64  // the guest disk's size, from the report
	Answer                inspectAnswer
	SameAnswerAsLocalWarm bool
}

// inspectAnswer is what a person reads off a report.
type inspectAnswer struct {
	Format, Table, Root, OS, Arch string
	DefaultKernel, VirtioBlk      string
	VirtioInInitramfs             string
	Suggested                     string
	Findings                      []string
}

func answerOf(r *inspect.Report) inspectAnswer {
	var a inspectAnswer
	if r == nil {
		return a
	}
	a.Format, a.Table = r.Format, r.PartitionTable
	if r.Root != nil {
		a.Root = r.Root.Device + " " + r.Root.FS
	}
	if r.OS != nil {
		a.OS, a.Arch = r.OS.ID+" "+r.OS.VersionID, r.OS.Arch
	}
	for _, k := range r.Kernels {
		if k.Default {
			a.DefaultKernel, a.VirtioBlk = k.Version, k.VirtioBlk
			a.VirtioInInitramfs = "not looked at"
			if k.VirtioInInitramfs != nil {
				a.VirtioInInitramfs = fmt.Sprint(*k.VirtioInInitramfs)
			}
		}
	}
	if r.Suggested != nil {
		a.Suggested = r.Suggested.OsType + " / " + r.Suggested.OsName
	}
	for _, f := range r.Findings {
		a.Findings = append(a.Findings, f.ID+"("+string(f.Severity)+")")
	}
	return a
}

// inspectBench measures each image: in-process inspection of the local
// file (page cache warm, then cold), and through rangereader from a
// loopback server (as is, then with a round trip added per request), each
// run a fresh `harness inspectone` process. Writes the cases as JSON.
//
//	harness inspect [-n 5] [-rtt 20ms] -json FILE IMAGE...
func inspectBench(args []string) error {
	fs := flag.NewFlagSet("inspect", flag.ExitOnError)
	n := fs.Int("n", 5, "runs per case")
	rtt := fs.Duration("rtt", 20*time.Millisecond, "round trip added per request in the remote-rtt case (0: no such case)")
	out := fs.String("json", "", "write the cases here")
	fs.Parse(args)
	if fs.NArg() == 0 {
		return errors.New("usage: inspect [-n N] [-rtt D] -json FILE IMAGE...")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	res := struct {
		BaselineRSSKB int64         `json:"baseline_rss_kb"`
		Cases         []inspectCase `json:"cases"`
	}{}
	if b, err := exec.Command(self, "inspectone", "-baseline").Output(); err == nil {
		var r inspectRun
		if json.Unmarshal(b, &r) == nil {
			res.BaselineRSSKB = r.MaxRSSKB
		}
	}
	for _, img := range fs.Args() {
		abs, err := filepath.Abs(img)
		if err != nil {
			return err
		}
		var fileBytes, allocated int64
		if st, err := os.Stat(abs); err == nil {
			fileBytes = st.Size()
			if sys, ok := st.Sys().(*syscall.Stat_t); ok {
				allocated = sys.Blocks * 512
			}
		}
		srv := &objectServer{dir: filepath.Dir(abs)}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(ln)
		url := "http://" + ln.Addr().String() + "/" + filepath.Base(abs)
		// One untimed run: the file is in the page cache for the warm case.
		exec.Command(self, "inspectone", abs).Run()
		var warm inspectAnswer
		modes := []struct {
			name string
			rtt  time.Duration
			args []string
		}{
			{"local", 0, []string{abs}},
			{"local-cold", 0, []string{"-cold", abs}},
			{"remote", 0, []string{"-url", url}},
			// Diagnostic: the same with 1 MiB blocks (rangereader's option).
			{"remote-1mib", 0, []string{"-block", "1048576", "-url", url}},
		}
		if *rtt > 0 {
			modes = append(modes, struct {
				name string
				rtt  time.Duration
				args []string
			}{"remote-rtt", *rtt, []string{"-url", url}})
		}
		for _, m := range modes {
			srv.rtt = m.rtt
			c := inspectCase{Image: filepath.Base(abs), Mode: m.name, RTTMs: int(m.rtt / time.Millisecond), FileBytes: fileBytes, Allocated: allocated}
			var ms, cpu, rss []float64
			for i := 0; i < *n; i++ {
				srv.requests.Store(0)
				srv.noRange.Store(0)
				srv.sent.Store(0)
				srv.sizes = nil
				b, err := exec.Command(self, append([]string{"inspectone"}, m.args...)...).Output()
				var r inspectRun
				if err != nil || json.Unmarshal(b, &r) != nil {
					c.Fails++
					fmt.Fprintf(os.Stderr, "inspect %s %s run %d: %v\n", c.Image, m.name, i, err)
					continue
				}
				ms, cpu, rss = append(ms, r.Ms), append(cpu, r.CPUMs), append(rss, float64(r.MaxRSSKB))
				got := [6]int64{r.Reads, r.ReadBytes, int64(r.Requests), r.RequestBytes, srv.requests.Load(), srv.sent.Load()}
				if len(ms) == 1 {
					c.Reads, c.ReadBytes, c.Requests, c.RequestBytes = r.Reads, r.ReadBytes, r.Requests, r.RequestBytes
					c.ServerGETs, c.NoRange, c.ServerBytes = srv.requests.Load(), srv.noRange.Load(), srv.sent.Load()
					c.Answer = answerOf(r.Report)
					c.GETSizes = sizeHistogram(srv.sizes)
					if r.Report != nil {
						c.VirtualSize = r.Report.VirtualSize
					}
				} else if got != [6]int64{c.Reads, c.ReadBytes, int64(c.Requests), c.RequestBytes, c.ServerGETs, c.ServerBytes} {
					c.Varies = true
				}
			}
			c.Runs, c.Ms, c.CPUMs, c.RSSKB = len(ms), stats(ms), stats(cpu), stats(rss)
			if m.name == "local" {
				warm = c.Answer
			}
			c.SameAnswerAsLocalWarm = sameAnswer(c.Answer, warm)
			res.Cases = append(res.Cases, c)
			fmt.Fprintf(os.Stderr, "   %-31s %-11s %7.1f ms median, CPU %6.1f ms (n=%d)  %5d reads %7.2f MiB  %3d GETs %7.2f MiB  RSS %.1f MiB\n",
				c.Image, c.Mode, c.Ms.Median, c.CPUMs.Median, c.Runs, c.Reads, float64(c.ReadBytes)/(1<<20), c.Requests, float64(c.RequestBytes)/(1<<20), c.RSSKB.Max/1024)
		}
		hs.Close()
		fmt.Fprintf(os.Stderr, "   %s: %s\n", filepath.Base(abs), describeAnswer(warm))
	}
	return emit(res, *out)
}

func sameAnswer(a, b inspectAnswer) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func describeAnswer(a inspectAnswer) string {
	return fmt.Sprintf("%s, %s, root %s, %s %s, kernel %s virtio_blk %s (in initramfs: %s), suggested %s, findings %s",
		a.Format, a.Table, a.Root, a.OS, a.Arch, a.DefaultKernel, a.VirtioBlk, a.VirtioInInitramfs, a.Suggested, strings.Join(a.Findings, " "))
}

// sizeHistogram says how many GETs asked for each length, biggest first:
// "116×256 KiB, 3×8 MiB".
func sizeHistogram(sizes []int64) string {
	count := map[int64]int{}
	for _, n := range sizes {
		count[n]++
	}
	keys := make([]int64, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b int64) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return int(b - a)
	})
	var parts []string
	other := 0
	for i, k := range keys {
		if i >= 4 {
			other += count[k]
			continue
		}
		parts = append(parts, fmt.Sprintf("%d×%s", count[k], kib(k)))
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	return strings.Join(parts, ", ")
}

func kib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", (n+512)>>10)
}
