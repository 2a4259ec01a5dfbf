package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// straceSummary reads `strace -f -ttt` output of one start and prints the
// start path: execs (terminal probes such as `tmux info`), config and
// keyring files, sockets, terminal queries and the first frame.
func straceSummary(args []string) error {
	fs := flag.NewFlagSet("stracesum", flag.ExitOnError)
	after := fs.Int("after", 0, "events to show after the first frame")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: stracesum [-after N] FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	lineRE := regexp.MustCompile(`^(\d+)\s+(\d+\.\d+)\s+(.*)$`)
	type ev struct {
		t    float64
		pid  string
		text string
	}
	var evs []ev
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var t0 float64
	mainPid := ""
	execStart := map[string]float64{}
	execName := map[string]string{}
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		t, _ := strconv.ParseFloat(m[2], 64)
		pid, s := m[1], m[3]
		switch {
		case strings.HasPrefix(s, "execve(") && t0 == 0 && strings.Contains(s, "uimport"):
			t0, mainPid = t, pid
			evs = append(evs, ev{t, pid, "exec uimport"})
		case t0 == 0:
		case strings.HasPrefix(s, "execve("):
			if q := regexp.MustCompile(`\[(.*?)\]`).FindStringSubmatch(s); q != nil {
				execName[pid] = strings.ReplaceAll(q[1], `"`, "")
			}
			execStart[pid] = t
			evs = append(evs, ev{t, pid, "exec " + execName[pid]})
		case strings.HasPrefix(s, "+++ exited") && execStart[pid] != 0:
			evs = append(evs, ev{t, pid, fmt.Sprintf("  %s exited after %.1f ms", execName[pid], (t-execStart[pid])*1000)})
		case pid != mainPid && execStart[pid] != 0:
			// inside a child (tmux info): not the start path itself
		case strings.HasPrefix(s, "connect("):
			if strings.Contains(s, "sun_path") || strings.Contains(s, "sin_port") {
				evs = append(evs, ev{t, pid, "connect " + cut(s, 110)})
			}
		case strings.HasPrefix(s, "openat(") && !strings.Contains(s, "ENOENT"):
			if strings.Contains(s, "config") || strings.Contains(s, ".ucloud") || strings.Contains(s, "terminfo") || strings.Contains(s, "/state") {
				evs = append(evs, ev{t, pid, "open " + cut(s, 110)})
			}
		case strings.HasPrefix(s, "write(1,") || strings.HasPrefix(s, "write(2,"):
			what := "write " + cut(s, 100)
			if strings.Contains(s, `\33[?1049h`) || strings.Contains(s, "Keys from") {
				what = "FIRST FRAME (alt screen + content) " + cut(s, 60)
			}
			evs = append(evs, ev{t, pid, what})
		case strings.HasPrefix(s, "read(0,") && !strings.Contains(s, "EAGAIN"):
			evs = append(evs, ev{t, pid, "read terminal " + cut(s, 90)})
		}
	}
	if t0 == 0 {
		return errors.New("no execve of uimport in the trace")
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].t < evs[j].t })
	frame, left := false, -1
	for _, e := range evs {
		if left == 0 {
			break
		}
		fmt.Printf("%8.2f ms  %s\n", (e.t-t0)*1000, e.text)
		switch {
		case left > 0:
			left--
		case strings.HasPrefix(e.text, "FIRST FRAME"):
			frame, left = true, *after
		}
	}
	if !frame {
		fmt.Println("(no first frame in the trace)")
	}
	return sc.Err()
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
