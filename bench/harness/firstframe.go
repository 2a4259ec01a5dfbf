package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"
)

type ttffResult struct {
	Label     string      `json:"label"`
	Runs      int         `json:"runs"`
	Markers   []string    `json:"markers"`
	FirstByte stat        `json:"first_byte_ms"`
	Marker    []stat      `json:"marker_ms"`
	Samples   [][]float64 `json:"samples_ms"` // per marker
	Failures  int         `json:"failures"`
}

func ttff(args []string) error {
	fs := flag.NewFlagSet("ttff", flag.ExitOnError)
	n := fs.Int("n", 15, "measured runs")
	warm := fs.Int("warmup", 2, "unmeasured runs first")
	label := fs.String("label", "", "name for the result")
	timeout := fs.Duration("timeout", 10*time.Second, "per run")
	jsonOut := fs.String("json", "", "write the result as JSON here")
	hold := fs.Duration("hold", 0, "keep the program running this long after the markers (e.g. for strace to finish writing)")
	var markers multi
	fs.Var(&markers, "marker", "text whose arrival ends the measure (repeatable; each timed)")
	var ef envFlags
	ef.register(fs)
	_ = fs.Parse(args)
	cmd := fs.Args()
	if len(cmd) == 0 || len(markers) == 0 {
		return errors.New("need -marker and a command")
	}
	res := ttffResult{Label: *label, Markers: markers, Samples: make([][]float64, len(markers))}
	var first []float64
	for i := 0; i < *warm+*n; i++ {
		p, err := startPane(&ef, markers, cmd)
		if err != nil {
			return err
		}
		if err := p.release(); err != nil {
			p.close()
			return err
		}
		select { // the reader closes found: no polling to compete for the CPU
		case <-p.found:
		case <-time.After(*timeout):
		}
		time.Sleep(*hold)
		t0, err := p.execTime()
		p.mu.Lock()
		fb, at := p.firstByteAt, append([]time.Time(nil), p.markerAt...)
		p.mu.Unlock()
		ok := err == nil
		for _, t := range at {
			ok = ok && !t.IsZero()
		}
		if !ok {
			fmt.Fprintf(os.Stderr, "ttff %s: run %d: marker not seen; screen:\n%s\n", *label, i, p.screen())
			res.Failures++
			p.close()
			continue
		}
		p.close()
		if i < *warm {
			continue
		}
		first = append(first, ms(fb.Sub(t0)))
		for j, t := range at {
			res.Samples[j] = append(res.Samples[j], ms(t.Sub(t0)))
		}
		res.Runs++
	}
	res.FirstByte = stats(first)
	for _, s := range res.Samples {
		res.Marker = append(res.Marker, stats(s))
	}
	return emit(res, *jsonOut)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
