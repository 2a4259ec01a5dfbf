package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type sessionResult struct {
	Chars        int       `json:"chars"`
	PerKey       []int     `json:"per_key_bytes"`
	PerKeyStat   stat      `json:"per_key"`
	TypedOK      bool      `json:"typed_ok"`   // the field showed every character typed
	IdleBytes    int       `json:"idle_bytes"` // written while nobody typed, in the idle window after the page appeared
	IdleWindowMs float64   `json:"idle_window_ms"`
	FullRepaints int       `json:"full_repaints"`      // ESC[2J: the whole screen erased and drawn again
	WideRepaints int       `json:"wide_line_repaints"` // ESC[?7l: a line with a double-width character redrawn whole
	IdleWrites   []string  `json:"idle_writes"`        // "at ms: bytes" during the idle second
	KeySample    string    `json:"key_sample"`         // what one typed key wrote
	IdleSample   string    `json:"idle_sample"`        // what one idle second wrote
	TotalBytes   int       `json:"total_bytes"`
	SessionMs    float64   `json:"session_ms"`
	Reached      string    `json:"reached"`
	ExitStatus   string    `json:"exit_status"`
	MaxRSSKB     int       `json:"max_rss_kb,omitempty"`
	Actions      []string  `json:"actions"`
	Steps        []stepSum `json:"step_bytes"`
}

type stepSum struct {
	Step  string `json:"step"`
	Bytes int    `json:"bytes"`
}

var idleWindow = time.Second

var stepRE = regexp.MustCompile(`step (\d+) of (\d+)`)

// session drives a whole demo wizard as a person would: Enter on the
// first screen and the pickers, N characters typed one at a time into the
// image name (each echo awaited, its bytes counted), Enter through the rest,
// y to authorise, Submit, wait until Available, finish.
func session(args []string) error {
	fs := flag.NewFlagSet("session", flag.ExitOnError)
	chars := fs.Int("chars", 20, "characters typed into the image-name field")
	rssFile := fs.String("rss", "", "/usr/bin/time -v output to read the peak RSS from")
	jsonOut := fs.String("json", "", "write the result as JSON here")
	dump := fs.String("dump", "", "write every byte the program sent to the terminal here")
	timeout := fs.Duration("timeout", 90*time.Second, "whole session")
	fs.DurationVar(&idleWindow, "idle", 1500*time.Millisecond, "how long to watch the image-name page for output before typing")
	var ef envFlags
	ef.register(fs)
	_ = fs.Parse(args)
	cmd := fs.Args()
	p, err := startPane(&ef, nil, cmd)
	if err != nil {
		return err
	}
	defer p.close()
	start := time.Now()
	if err := p.release(); err != nil {
		return err
	}
	res := sessionResult{Chars: *chars}
	act := func(what string) { res.Actions = append(res.Actions, what) }
	// press sends keys and waits for the redraw they cause.
	press := func(k ...string) {
		n, _ := p.count()
		_ = p.keys(k...)
		act(strings.Join(k, " "))
		p.waitMore(n, time.Second)
		p.waitQuiet(40*time.Millisecond, 2*time.Second)
	}
	deadline := start.Add(*timeout)
	typed := false
	lastStep, stepStart := "", 0
	var screen, lastScreen string
	sameSince := time.Now()
	for time.Now().Before(deadline) {
		if dead, st := p.dead(); dead {
			res.ExitStatus = st
			break
		}
		p.waitQuiet(30*time.Millisecond, time.Second)
		screen = p.screen()
		if screen != lastScreen {
			lastScreen, sameSince = screen, time.Now()
		}
		step := ""
		if m := stepRE.FindStringSubmatch(screen); m != nil {
			step = m[1]
		}
		if step != lastStep {
			c, _ := p.count()
			if lastStep != "" {
				res.Steps = append(res.Steps, stepSum{Step: lastStep, Bytes: c - stepStart})
			}
			lastStep, stepStart = step, c
		}
		// Act only on a screen that says what it wants; anything else is
		// waited for (a screen still being drawn, a list loading), with
		// Enter as the fallback after 5 s without change, so a reworded
		// screen slows the drive down rather than stopping it.
		switch {
		case strings.Contains(screen, "Available after"):
			res.Reached = "Available"
			press("Enter")
		case strings.Contains(screen, "Unavailable after"):
			res.Reached = "Unavailable"
			press("Enter")
		case step == "1" && strings.Contains(screen, "Keys from:"):
			press("Enter")
		case step == "2" && strings.Contains(screen, "Region") && !strings.Contains(screen, "Loading"):
			press("Enter")
		case step == "3" && !typed && strings.Contains(screen, "Image name") && strings.Contains(screen, "demo-image"):
			typed = true
			perKey(p, &res, *chars)
		case step == "3" && typed, step == "4":
			press("Enter")
		case step == "5" && strings.Contains(screen, "authorise"):
			press("y")
		case step == "6" && strings.Contains(screen, "Signature"):
			press("Enter")
		case step == "7" && strings.Contains(screen, "Import submitted"):
			press("Enter")
		case time.Since(sameSince) > 5*time.Second && step != "8" && step != "":
			press("Enter") // fallback: a screen this driver does not know
			sameSince = time.Now()
		default:
			time.Sleep(20 * time.Millisecond) // drawing, loading, sending, building
		}
	}
	res.SessionMs = ms(time.Since(start))
	if dead, st := p.dead(); dead {
		res.ExitStatus = st
	} else {
		fmt.Fprintf(os.Stderr, "session: still running after %s; last screen:\n%s\n", *timeout, screen)
	}
	// Wait for the pane's last bytes (the summary printed after the wizard).
	p.waitQuiet(100*time.Millisecond, 2*time.Second)
	if c, _ := p.count(); lastStep != "" {
		res.Steps = append(res.Steps, stepSum{Step: lastStep, Bytes: c - stepStart})
	}
	res.TotalBytes, _ = p.count()
	all := p.bytes()
	res.FullRepaints = bytes.Count(all, []byte("\x1b[2J"))
	res.WideRepaints = bytes.Count(all, []byte("\x1b[?7l"))
	if *dump != "" {
		_ = os.WriteFile(*dump, p.bytes(), 0o644)
	}
	if *rssFile != "" {
		for i := 0; i < 100 && res.MaxRSSKB == 0; i++ {
			if b, err := os.ReadFile(*rssFile); err == nil {
				if m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindSubmatch(b); m != nil {
					res.MaxRSSKB, _ = strconv.Atoi(string(m[1]))
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if res.Reached == "" {
		fmt.Fprintf(os.Stderr, "session: the wizard did not reach Available; last screen:\n%s\n", screen)
	}
	return emit(res, *jsonOut)
}

// perKey types n characters one at a time, each after the screen is quiet,
// and counts the bytes each one made the program write.
func perKey(p *pane, res *sessionResult, n int) {
	// What the page writes by itself once it is up (a blinking cursor, a
	// spinner, a late repaint): counted from when the page is first seen,
	// and waited out before typing, so it is not counted per key.
	c0, _ := p.count()
	t0 := time.Now()
	time.Sleep(idleWindow)
	c1, _ := p.count()
	p.mu.Lock()
	for i, c := range p.chunks {
		if c.off >= c0 && c.off < c1 {
			end := c1
			if i+1 < len(p.chunks) && p.chunks[i+1].off < c1 {
				end = p.chunks[i+1].off
			}
			res.IdleWrites = append(res.IdleWrites, fmt.Sprintf("%.0f ms: %d B", ms(c.at.Sub(t0)), end-c.off))
		}
	}
	p.mu.Unlock()
	res.IdleBytes, res.IdleWindowMs = c1-c0, ms(idleWindow)
	res.IdleSample = fmt.Sprintf("%q", p.bytes()[c0:c1])
	letters := "abcdefghijklmnopqrstuvwxyz"
	for i := 0; i < n; i++ {
		p.waitQuiet(60*time.Millisecond, 2*time.Second)
		before, _ := p.count()
		_ = p.literal(string(letters[i%len(letters)]))
		if !p.waitMore(before, 2*time.Second) {
			res.PerKey = append(res.PerKey, 0)
			continue
		}
		p.waitQuiet(60*time.Millisecond, 2*time.Second)
		after, _ := p.count()
		res.PerKey = append(res.PerKey, after-before)
		if i == n/2 {
			res.KeySample = fmt.Sprintf("%q", p.bytes()[before:after])
		}
	}
	want := "demo-image" + strings.Repeat(letters, n/len(letters)+1)[:n]
	if s, ok := p.waitScreen(2*time.Second, func(s string) bool { return strings.Contains(s, want) }); ok {
		res.TypedOK = true
	} else {
		fmt.Fprintf(os.Stderr, "session: the image-name field does not show %q; screen:\n%s\n", want, s)
	}
	f := make([]float64, len(res.PerKey))
	for i, b := range res.PerKey {
		f[i] = float64(b)
	}
	res.PerKeyStat = stats(f)
	res.Actions = append(res.Actions, fmt.Sprintf("typed %d characters", n))
}
