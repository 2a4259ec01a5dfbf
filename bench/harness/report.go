package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

type hyperfineExport struct {
	Results []struct {
		Command string    `json:"command"`
		Mean    float64   `json:"mean"`
		Median  float64   `json:"median"`
		Min     float64   `json:"min"`
		Max     float64   `json:"max"`
		Times   []float64 `json:"times"`
	} `json:"results"`
}

type meta struct {
	BinaryBytes int64  `json:"binary_bytes"`
	Date        string `json:"date"`
}

// report prints the results table (Markdown) from what run.sh left in dir.
func report(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: report DIR")
	}
	dir := args[0]
	var rows [][4]string
	add := func(what, got, goal, verdict string) { rows = append(rows, [4]string{what, got, goal, verdict}) }
	check := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	readJSON := func(name string, v any) bool {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return err == nil && json.Unmarshal(b, v) == nil
	}
	ttffRow := func(file, what string, marker int, goal float64) {
		var r ttffResult
		if !readJSON(file, &r) || len(r.Marker) <= marker || r.Runs == 0 {
			add(what, "not measured", fmtGoal(goal, "ms"), "")
			return
		}
		m := r.Marker[marker]
		got := fmt.Sprintf("%.1f ms (min %.1f, max %.1f, n=%d)", m.Median, m.Min, m.Max, m.N)
		if r.Failures > 0 {
			got += fmt.Sprintf(", %d runs failed", r.Failures)
		}
		v := ""
		if goal > 0 {
			v = check(m.Median <= goal)
		}
		add(what, got, fmtGoal(goal, "ms"), v)
	}
	ttffRow("ttff-echo.json", "Time to first frame: `echo` baseline in the same harness (the floor)", 0, 0)
	ttffRow("ttff-demo.json", "Time to first frame: `uimport --demo`, first prompt (\"Keys from:\") in tmux 80×24, no config, no keyring", 0, 20)
	ttffRow("ttff-demo-slowbus.json", "… the same with a D-Bus session bus that never answers", 0, 20)
	ttffRow("ttff-nodemo-slowbus.json", "… `uimport` (no keys, no --demo) with that D-Bus: first frame (\"Looking for API keys\")", 0, 20)
	ttffRow("ttff-nodemo-slowbus.json", "… and its first prompt (\"No API keys found\", after the keyring gives up)", 1, 0)
	ttffRow("ttff-demo-notmux.json", "Diagnostic: `--demo` with TMUX unset (no `tmux info` colour probes)", 0, 0)
	ttffRow("ttff-whatif.json", "Diagnostic: `--demo` built with the changes in bench/whatif-patch.sh", 0, 20)
	ttffRow("ttff-whatif-notmux.json", "Diagnostic: … those changes, TMUX unset (lipgloss's init-time `tmux info` gone too)", 0, 20)

	var sessions []sessionResult
	for i := 1; ; i++ {
		var s sessionResult
		if !readJSON(fmt.Sprintf("session-%d.json", i), &s) {
			break
		}
		sessions = append(sessions, s)
	}
	if len(sessions) > 0 {
		var perKey, total, rss, idle, full, wide []float64
		reached := 0
		bad := 0
		for _, s := range sessions {
			if !s.TypedOK {
				bad++ // typing went astray: its per-key figure means nothing
			} else {
				perKey = append(perKey, s.PerKeyStat.Median)
			}
			total = append(total, float64(s.TotalBytes))
			idle = append(idle, float64(s.IdleBytes))
			full = append(full, float64(s.FullRepaints))
			wide = append(wide, float64(s.WideRepaints))
			if s.MaxRSSKB > 0 {
				rss = append(rss, float64(s.MaxRSSKB))
			}
			if s.Reached == "Available" {
				reached++
			}
		}
		pk := stats(perKey)
		add("Bytes to the terminal per typed key (image-name field, median over "+strconv.Itoa(sessions[0].Chars)+" keys)",
			fmt.Sprintf("%.0f B (sessions: min %.0f, max %.0f, n=%d%s)", pk.Median, pk.Min, pk.Max, pk.N, map[bool]string{true: fmt.Sprintf("; %d left out: typing went astray", bad)}[bad > 0]),
			"≤ 25 B", check(pk.N > 0 && pk.Median <= 25))
		id := stats(idle)
		add(fmt.Sprintf("… written by that page while nobody types (%.1f s after it appears)", sessions[0].IdleWindowMs/1000), fmt.Sprintf("%.0f B", id.Median), "", "")
		t := stats(total)
		add(fmt.Sprintf("Bytes for a whole demo wizard session (typed, submitted, waited to Available; %d/%d reached it)", reached, len(sessions)),
			fmt.Sprintf("%.0f B (min %.0f, max %.0f); %.0f full-screen repaints, %.0f wide-character line repaints", t.Median, t.Min, t.Max, stats(full).Median, stats(wide).Median), "", "")
		if len(rss) > 0 {
			r := stats(rss)
			add("Peak RSS during a full demo wizard run (/usr/bin/time -v)",
				fmt.Sprintf("%.1f MB = %.1f MiB (max %.1f MB)", r.Median*1024/1e6, r.Median/1024, r.Max*1024/1e6), "≤ 30 MB", check(r.Median*1024/1e6 <= 30))
		}
	} else {
		add("Bytes per typed key / whole session / peak RSS", "not measured", "", "")
	}
	if s, ok := readSession(dir, "session-whatif.json"); ok {
		add("Diagnostic: bytes per typed key with bench/whatif-patch.sh", fmt.Sprintf("%.0f B; whole session %d B, %d full-screen repaints, %d wide-character line repaints",
			s.PerKeyStat.Median, s.TotalBytes, s.FullRepaints, s.WideRepaints), "≤ 25 B", check(s.PerKeyStat.Median <= 25))
	}

	hf := func(file, what string, goal float64) {
		var h hyperfineExport
		if !readJSON(file, &h) || len(h.Results) == 0 {
			add(what, "not measured", fmtGoal(goal, "ms"), "")
			return
		}
		r := h.Results[0]
		got := fmt.Sprintf("%.2f ms median (mean %.2f, min %.2f, n=%d)", r.Median*1000, r.Mean*1000, r.Min*1000, len(r.Times))
		v := ""
		if goal > 0 {
			v = check(r.Median*1000 <= goal)
		}
		add(what, got, fmtGoal(goal, "ms"), v)
	}
	hf("hf-version.json", "`uimport version` wall time (hyperfine; stdout a pipe)", 5)
	hf("hf-version-tty.json", "`uimport version` wall time, run by hyperfine inside tmux (stdout the terminal)", 5)
	var m meta
	if readJSON("meta.json", &m) && m.BinaryBytes > 0 {
		mb := float64(m.BinaryBytes) / 1e6
		add("Stripped binary size (`-trimpath -ldflags '-s -w'`, CGO_ENABLED=0)",
			fmt.Sprintf("%.2f MB = %.2f MiB (%d B)", mb, float64(m.BinaryBytes)/(1<<20), m.BinaryBytes), "≤ 12 MB", check(mb <= 12))
	}
	hf("hf-import.json", "`uimport import --demo --yes … --skip-check` end to end (hyperfine)", 0)
	if b, err := os.ReadFile(filepath.Join(dir, "gobench.txt")); err == nil {
		for _, g := range goBench(string(b)) {
			add("Go benchmark "+g.name+" (median of "+strconv.Itoa(g.n)+")",
				fmt.Sprintf("%.0f ns/op, %.0f B/op, %.0f allocs/op", g.ns, g.bytes, g.allocs), "", "")
		}
	}
	var up uploadResult
	if readJSON("upload.json", &up) && up.CurlN > 0 && up.UimportN > 0 {
		add(fmt.Sprintf("Upload: `curl -T` PutFile of a %.0f MiB random file to the demo simulator (loopback)", up.MiB),
			fmt.Sprintf("%.0f MB/s (median %.2f s, min %.2f, max %.2f, n=%d)", up.CurlMBs, up.CurlS, up.CurlMinS, up.CurlMaxS, up.CurlN), "", "")
		add("Upload: `uimport upload` of the same file to the same server (multipart, 4 MiB parts, --parallel 4, verified)",
			fmt.Sprintf("%.0f MB/s (median %.2f s, min %.2f, max %.2f, n=%d)", up.UimportMBs, up.UimportS, up.UimportMinS, up.UimportMaxS, up.UimportN), "", "")
		add("Upload throughput, uimport ÷ curl", fmt.Sprintf("%.2f", up.Ratio), "≥ 0.9", check(up.Ratio >= 0.9))
	}
	if up.CPUN > 0 {
		add("Upload CPU (user+sys of `uimport upload`, /usr/bin/time -v) per GB",
			fmt.Sprintf("%.2f s/GB (min %.2f, max %.2f, n=%d)", up.CPUPerGB, up.CPUPerGBMin, up.CPUPerGBMax, up.CPUN), "", "")
	}
	if up.SparseRSSKB > 0 {
		got := fmt.Sprintf("%.1f MB = %.1f MiB (%.1f s, %.1f CPU s)", up.SparseRSSKB*1024/1e6, up.SparseRSSKB/1024, up.SparseWallS, up.SparseCPUS)
		if !up.SparseOK {
			got += ", the upload failed"
		}
		add("Upload: peak RSS of `uimport upload` of a 2 GiB sparse file, defaults", got, "≤ 64 MB", check(up.SparseOK && up.SparseRSSKB*1024/1e6 <= 64))
	}

	inspectRows(readJSON, add, check)

	fmt.Println("| measure | result | goal | |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r[0], r[1], r[2], r[3])
	}
	return nil
}

func readSession(dir, name string) (sessionResult, bool) {
	var s sessionResult
	b, err := os.ReadFile(filepath.Join(dir, name))
	return s, err == nil && json.Unmarshal(b, &s) == nil
}

func fmtGoal(goal float64, unit string) string {
	if goal <= 0 {
		return ""
	}
	return fmt.Sprintf("≤ %g %s", goal, unit)
}

type goBenchRow struct {
	name              string
	n                 int
	ns, bytes, allocs float64
}

// goBench takes the median of each benchmark's -count runs.
func goBench(out string) []goBenchRow {
	re := regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) B/op\s+([\d.]+) allocs/op`)
	type acc struct{ ns, b, a []float64 }
	byName := map[string]*acc{}
	var order []string
	for _, line := range strings.Split(out, "\n") {
		m := re.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		a := byName[m[1]]
		if a == nil {
			a = &acc{}
			byName[m[1]] = a
			order = append(order, m[1])
		}
		f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		a.ns, a.b, a.a = append(a.ns, f(m[2])), append(a.b, f(m[3])), append(a.a, f(m[4]))
	}
	var rows []goBenchRow
	for _, n := range order {
		a := byName[n]
		rows = append(rows, goBenchRow{name: n, n: len(a.ns), ns: stats(a.ns).Median, bytes: stats(a.b).Median, allocs: stats(a.a).Median})
	}
	return rows
}
