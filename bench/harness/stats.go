package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type stat struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func stats(v []float64) stat {
	if len(v) == 0 {
		return stat{}
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{N: len(s), Median: med, Min: s[0], Max: s[len(s)-1]}
}

func statsCmd(args []string) error {
	var v []float64
	for _, a := range args {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return err
		}
		v = append(v, f)
	}
	s := stats(v)
	fmt.Printf("%g %g %g\n", s.Median, s.Min, s.Max)
	return nil
}

func emit(v any, path string) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if path != "" {
		return os.WriteFile(path, append(b, '\n'), 0o644)
	}
	fmt.Println(string(b))
	return nil
}

// marksCmd summarises the marks an instrumented build (bench/timeline-patch.sh)
// wrote: one run per "exec" line, each label's first time after it, median
// over runs, in the order they happen.
func marksCmd(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: marks FILE")
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var runs []map[string]float64
	var t0 int64
	for _, line := range strings.Split(string(b), "\n") {
		ts, label, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		ns, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			continue
		}
		if label == "exec" {
			t0 = ns
			runs = append(runs, map[string]float64{})
			continue
		}
		if len(runs) == 0 {
			continue
		}
		r := runs[len(runs)-1]
		if strings.HasPrefix(label, "colorprofile: `tmux info`") {
			// Several probes per run: number them.
			for i := 1; ; i++ {
				l := fmt.Sprintf("%s #%d", label, i)
				if _, seen := r[l]; !seen {
					label = l
					break
				}
			}
		}
		if _, seen := r[label]; !seen {
			r[label] = float64(ns-t0) / 1e6
		}
	}
	all := map[string][]float64{}
	for _, r := range runs {
		for l, v := range r {
			all[l] = append(all[l], v)
		}
	}
	type row struct {
		label string
		s     stat
	}
	var rows []row
	for l, v := range all {
		rows = append(rows, row{l, stats(v)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].s.Median < rows[j].s.Median })
	fmt.Printf("%d runs; ms after exec (median, min-max):\n", len(runs))
	prev := 0.0
	for _, r := range rows {
		fmt.Printf("  %7.2f  (+%5.2f)  %-48s [%.2f-%.2f]\n", r.s.Median, r.s.Median-prev, r.label, r.s.Min, r.s.Max)
		prev = r.s.Median
	}
	return nil
}
