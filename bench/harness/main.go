// Command harness measures uimport inside a real terminal emulator (tmux):
// time to first frame, bytes written per typed key, a whole wizard session,
// and a strace timeline of the start path. bench/run.sh drives it. Besides
// the standard library it uses only Bubble Tea and colorprofile (for the
// widecell demonstration), both already in the module's go.mod.
//
// Timing method for the first frame: the pane runs `harness gate`, which
// blocks on a fifo until `tmux pipe-pane` is attached, then records the wall
// clock (CLOCK_REALTIME, ns) and exec()s the command under test. tmux copies
// everything the program writes to the pane into `cat > fifo`, which this
// process reads; the clock is read again when the marker bytes arrive. Both
// clocks are the same machine's, so the difference is exec → marker on the
// terminal, including tmux's own pty read.
//
//	harness gate -fifo F -stamp S [-env K=V]... [-unset K]... -- cmd args...
//	harness ttff -n 15 -marker TEXT [-marker TEXT]... [-env ...] -- cmd args...
//	harness session -chars 20 [-rss FILE] [-env ...] -- cmd args...
//	harness stracesum FILE
//	harness slowbus SOCKET          (a D-Bus socket that accepts and never answers)
//	harness stats N...              (median/min/max of numbers)
//	harness marks FILE              (median start-path timeline from BENCH_MARKS files)
//	harness report DIR              (the results table, from the JSON run.sh left in DIR)
//	harness uploadsim FILE BUCKET   (the demo simulator: writes BUCKET's endpoint and the demo keys)
//	harness putauth BUCKET KEY      (the Authorization header for a PutFile with the demo keys)
//	harness uploadstats DIR MB      (upload figures from hf-upload.json and time -v files)
//	harness widecell                (bytes per frame for an unchanged line, ASCII vs double-width)
//	harness inspectimages DIR       (2 GiB Rocky 9 and Ubuntu disks, raw and qcow2, for inspect)
//	harness inspect -json F IMG...  (in-process inspection: local and ranged-GET runs, each in a child)
//	harness inspectone ...          (one inspection in this process; prints time, reads, RSS)
//	harness virtinspect -json F IMG... (virt-inspector on the same images, and its answers beside ours)
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// tmuxSocket is a private tmux server, so the user's sessions are untouched.
var tmuxSocket = envOr("BENCH_TMUX_SOCKET", "uimport-bench")

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	if len(os.Args) < 2 {
		fatalf("usage: harness gate|ttff|session|stracesum|slowbus|stats ...")
	}
	args := os.Args[2:]
	var err error
	switch os.Args[1] {
	case "gate":
		err = gate(args)
	case "ttff":
		err = ttff(args)
	case "session":
		err = session(args)
	case "stracesum":
		err = straceSummary(args)
	case "slowbus":
		err = slowBus(args)
	case "stats":
		err = statsCmd(args)
	case "marks":
		err = marksCmd(args)
	case "report":
		err = report(args)
	case "uploadsim":
		err = uploadSim(args)
	case "putauth":
		err = putAuth(args)
	case "uploadstats":
		err = uploadStats(args)
	case "widecell":
		err = wideCell()
	case "inspectimages":
		err = inspectImages(args)
	case "inspect":
		err = inspectBench(args)
	case "inspectone":
		err = inspectOne(args)
	case "virtinspect":
		err = virtInspect(args)
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fatalf("harness %s: %v", os.Args[1], err)
	}
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
	os.Exit(1)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// envFlags are the environment changes applied by the gate just before exec.
type envFlags struct{ set, unset multi }

func (e *envFlags) register(fs *flag.FlagSet) {
	fs.Var(&e.set, "env", "K=V to set in the program's environment (repeatable)")
	fs.Var(&e.unset, "unset", "K to remove from the program's environment (repeatable)")
}

func (e *envFlags) gateArgs() []string {
	var out []string
	for _, s := range e.set {
		out = append(out, "-env", s)
	}
	for _, u := range e.unset {
		out = append(out, "-unset", u)
	}
	return out
}
