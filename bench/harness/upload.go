package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

// uploadSim runs the demo simulator (demoapi, uploads with their default
// options: BlkSize 4 MiB, parts and objects in a temporary directory) on
// a free local port until killed, and writes to ADDRFILE three lines: the
// --ufile-endpoint of BUCKET, and the demo public and private keys.
// uimport upload (multipart) and curl -T (PutFile) both go to it.
func uploadSim(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: uploadsim ADDRFILE BUCKET")
	}
	s := demoapi.New(demoapi.Options{})
	url, err := s.Start()
	if err != nil {
		return err
	}
	defer s.Close() // removes the parts and objects
	tmp := args[0] + ".tmp"
	info := demoapi.UFileEndpoint(url, args[1]) + "\n" + demoapi.PublicKey + "\n" + demoapi.PrivateKey + "\n"
	if err := os.WriteFile(tmp, []byte(info), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, args[0]); err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}

// putAuth prints the Authorization header value of a PutFile of
// BUCKET/KEY with Content-Type application/octet-stream, signed with the
// demo keys (no Date, no Content-MD5), for curl -T.
func putAuth(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: putauth BUCKET KEY")
	}
	sig := ufile.Sign(demoapi.PrivateKey, http.MethodPut, "", "application/octet-stream", "", args[0], args[1])
	fmt.Println(ufile.Authorization(demoapi.PublicKey, sig))
	return nil
}

// uploadStats turns run.sh's upload measurements into upload.json: the
// hyperfine medians of curl -T and uimport upload (MB/s, ratio), CPU
// seconds per GB and peak RSS from /usr/bin/time -v files.
//
//	uploadstats DIR MB   reads DIR/hf-upload-*.json, DIR/upload-time-*.txt (the
//	                     MB-sized file) and DIR/upload-sparse-time.txt (2 GiB sparse)
func uploadStats(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: uploadstats DIR MB")
	}
	dir := args[0]
	mb, err := strconv.ParseFloat(args[1], 64)
	if err != nil {
		return err
	}
	var res uploadResult
	res.MiB = mb
	// One hyperfine export per round, curl and uimport alternating.
	rounds, _ := filepath.Glob(filepath.Join(dir, "hf-upload-*.json"))
	var curlT, upT []float64
	for _, f := range rounds {
		b, err := os.ReadFile(f)
		var h hyperfineExport
		if err != nil || json.Unmarshal(b, &h) != nil {
			continue
		}
		for _, r := range h.Results {
			if strings.HasPrefix(r.Command, "curl") {
				curlT = append(curlT, r.Times...)
			} else {
				upT = append(upT, r.Times...)
			}
		}
	}
	if c := stats(curlT); c.N > 0 {
		res.CurlS, res.CurlMinS, res.CurlMaxS, res.CurlMBs, res.CurlN = c.Median, c.Min, c.Max, mb*1.048576/c.Median, c.N
	}
	if u := stats(upT); u.N > 0 {
		res.UimportS, res.UimportMinS, res.UimportMaxS, res.UimportMBs, res.UimportN = u.Median, u.Min, u.Max, mb*1.048576/u.Median, u.N
	}
	if res.CurlMBs > 0 {
		res.Ratio = res.UimportMBs / res.CurlMBs
	}
	files, _ := filepath.Glob(filepath.Join(dir, "upload-time-*.txt"))
	var cpu []float64
	for _, f := range files {
		tv, ok := readTimeV(f)
		if ok && tv.status == 0 {
			cpu = append(cpu, (tv.user+tv.sys)/(mb*1.048576/1000))
		}
	}
	if len(cpu) > 0 {
		st := stats(cpu)
		res.CPUPerGB, res.CPUPerGBMin, res.CPUPerGBMax, res.CPUN = st.Median, st.Min, st.Max, st.N
	}
	if tv, ok := readTimeV(filepath.Join(dir, "upload-sparse-time.txt")); ok {
		res.SparseRSSKB, res.SparseWallS, res.SparseOK = tv.rssKB, tv.wall, tv.status == 0
		res.SparseCPUS = tv.user + tv.sys
	}
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(out))
	return os.WriteFile(filepath.Join(dir, "upload.json"), out, 0o644)
}

type uploadResult struct {
	MiB                                float64
	CurlS, CurlMinS, CurlMaxS, CurlMBs float64
	CurlN                              int
	UimportS, UimportMinS, UimportMaxS float64
	UimportMBs                         float64
	UimportN                           int
	Ratio                              float64
	CPUPerGB, CPUPerGBMin, CPUPerGBMax float64
	CPUN                               int
	SparseRSSKB                        float64
	SparseWallS, SparseCPUS            float64
	SparseOK                           bool
}

type timeV struct {
	user, sys, wall, rssKB float64
	status                 int
}

// readTimeV reads the figures /usr/bin/time -v wrote.
func readTimeV(path string) (timeV, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return timeV{}, false
	}
	var t timeV
	seen := false
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
		switch k {
		case "User time (seconds)":
			t.user, seen = f, true
		case "System time (seconds)":
			t.sys = f
		case "Maximum resident set size (kbytes)":
			t.rssKB = f
		case "Exit status":
			t.status = int(f)
		case "Elapsed (wall clock) time (h:mm:ss or m:ss)":
			var secs float64
			for _, p := range strings.Split(strings.TrimSpace(v), ":") {
				x, _ := strconv.ParseFloat(p, 64)
				secs = secs*60 + x
			}
			t.wall = secs
		}
	}
	if strings.Contains(string(b), "Command exited with non-zero status") && t.status == 0 {
		t.status = 1
	}
	return t, seen
}
