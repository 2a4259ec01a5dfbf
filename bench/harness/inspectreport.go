package main

import (
	"fmt"
	"strings"
)

// inspectRows adds the image-inspection rows (issue 12) from inspect.json
// and virt-inspector.json, when run.sh measured them.
func inspectRows(readJSON func(string, any) bool, add func(what, got, goal, verdict string), check func(bool) string) {
	var res struct {
		BaselineRSSKB int64         `json:"baseline_rss_kb"`
		Cases         []inspectCase `json:"cases"`
	}
	if !readJSON("inspect.json", &res) || len(res.Cases) == 0 {
		return
	}
	const mib = 1 << 20
	localMs := map[string]float64{}
	for _, c := range res.Cases {
		if c.Runs == 0 {
			add(fmt.Sprintf("Inspect %s (%s)", c.Image, c.Mode), fmt.Sprintf("failed (%d runs)", c.Fails), "", "**missed**")
			continue
		}
		img := fmt.Sprintf("`%s` (a %.1f GiB disk; the file %.0f MiB, %.0f MiB allocated)", c.Image, float64(c.VirtualSize)/(1<<30), float64(c.FileBytes)/mib, float64(c.Allocated)/mib)
		timing := fmt.Sprintf("%.0f ms median (min %.0f, max %.0f, n=%d; CPU %.0f ms)", c.Ms.Median, c.Ms.Min, c.Ms.Max, c.Runs, c.CPUMs.Median)
		reads := fmt.Sprintf("%d reads, %.2f MiB", c.Reads, float64(c.ReadBytes)/mib)
		if c.Varies {
			reads += " (first run; later runs differed)"
		}
		rss := fmt.Sprintf("peak RSS %.1f MiB", c.RSSKB.Max/1024)
		same := ""
		if !c.SameAnswerAsLocalWarm {
			same = "; **report differs from the local one**"
		}
		switch c.Mode {
		case "local":
			localMs[c.Image] = c.Ms.Median
			add("Inspect, local file, page cache warm: "+img, timing+"; "+reads+"; "+rss, "< 1000 ms", check(c.Ms.Median < 1000))
			add("… its peak RSS (getrusage in the child; the bare harness process: "+fmt.Sprintf("%.1f MiB)", float64(res.BaselineRSSKB)/1024),
				fmt.Sprintf("%.1f MB (max of %d runs)", c.RSSKB.Max*1024/1e6, c.Runs), "≤ 200 MB", check(c.RSSKB.Max*1024/1e6 <= 200))
			add("… what it found", "`"+describeAnswer(c.Answer)+"`", "", "")
		case "local-cold":
			add("… the same file, its pages dropped first (posix_fadvise DONTNEED)", timing+"; "+reads+same, "< 1000 ms", check(c.Ms.Median < 1000))
		case "remote":
			got := fmt.Sprintf("%d GETs, %.2f MiB fetched (server: %d requests, %d without Range, %.2f MiB sent); %s; %s%s",
				c.Requests, float64(c.RequestBytes)/mib, c.ServerGETs, c.NoRange, float64(c.ServerBytes)/mib, timing, rss, same)
			ok := c.Requests <= 100 && c.RequestBytes <= 64*mib && c.NoRange == 0
			add("… read from a loopback HTTP server through rangereader (default options: 256 KiB blocks, sequential read-ahead up to 8 MiB)", got, "≤ 100 GETs, ≤ 64 MiB", check(ok))
			add("… … its GETs by size", c.GETSizes, "", "")
		case "remote-1mib":
			add("… diagnostic: the same with rangereader's BlockSize 1 MiB", fmt.Sprintf("%d GETs, %.2f MiB fetched; %s; %s; GETs: %s%s",
				c.Requests, float64(c.RequestBytes)/mib, timing, rss, c.GETSizes, same), "", "")
		case "remote-rtt":
			add(fmt.Sprintf("… the same with %d ms added to every request (a link to a far region)", c.RTTMs), timing+same, "", "")
		}
	}
	var vi struct{ Cases []viCase }
	if !readJSON("virt-inspector.json", &vi) {
		return
	}
	for _, c := range vi.Cases {
		label := "virt-inspector (LIBGUESTFS_BACKEND=direct"
		if c.Settings != "" {
			label += ", " + c.Settings
		}
		label += ") on `" + c.Image + "`"
		if c.Error != "" && c.Runs == 0 {
			add(label, "could not run: "+strings.ReplaceAll(c.Error, "|", "\\|"), "", "")
			continue
		}
		got := fmt.Sprintf("%.1f s median (min %.1f, max %.1f, n=%d), %.1f CPU s, peak RSS %.0f MB",
			c.Wall.Median, c.Wall.Min, c.Wall.Max, c.Runs, c.CPU.Median, c.RSSKB.Max*1024/1e6)
		if ms := localMs[c.Image]; ms > 0 && c.Wall.Median > 0 {
			got += fmt.Sprintf("; uimport's inspection %.0f× faster", c.Wall.Median*1000/ms)
		}
		add(label, got, "", "")
		answer := "same: " + c.Theirs
		if !c.Same {
			answer = "**differs**: " + strings.Join(c.Differs, "; ")
		}
		add("… its OS answer beside ours", answer, "same OS", check(c.Same))
	}
}
