package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importer"
)

// The upload of a local file, shared by the full screen and accessible
// mode. It runs when the user confirms the file, before the authorisation:
// the import needs the object's URL, and a failed upload is better met
// while the file field is still there to fix.

// uploadTarget is a local file and where in UFile it goes.
type uploadTarget struct{ path, bucket, key string }

func (t uploadTarget) String() string {
	return filepath.Base(t.path) + " → " + t.bucket + "/" + t.key
}

// uploadRecord is a finished, verified upload.
type uploadRecord struct {
	target uploadTarget
	url    string // what the import reads
	note   string // e.g. pre-signed for 24 h
}

// uploadState is the upload's part of the wizardState.
type uploadState struct {
	gen      int                // counts uploads started; older answers are stale
	stop     context.CancelFunc // ends the upload in flight; nil when none is
	finished chan struct{}      // closed when the Upload hook has returned
	last     *uploadRecord      // the last upload that succeeded
}

// progressEvery thins out progress: a redraw is bytes on the wire over
// SSH, and more than 4 a second reads as flicker anyway.
const progressEvery = 250 * time.Millisecond

// uploadProgressMsg is the latest progress; next listens for more.
type uploadProgressMsg struct {
	UploadStatus
	gen  int
	next job[tea.Msg]
}

// uploadDoneMsg is the Upload hook's answer.
type uploadDoneMsg struct {
	gen    int
	target uploadTarget
	url    string
	note   string
	err    error
}

// offersFile reports whether the URL step may take a local file.
func (st *wizardState) offersFile() bool { return st.be.Features().Uploads }

// uploading reports whether an upload is in flight.
func (st *wizardState) uploading() bool { return st.upload.stop != nil }

// startUpload runs the Upload hook in a goroutine and returns the command
// that delivers its progress, thinned to one message per progressEvery
// (the latest one wins), and then its answer.
func (st *wizardState) startUpload(t uploadTarget) job[tea.Msg] {
	ctx, stop := context.WithCancel(st.ctx)
	st.upload.gen++
	gen, finished, run := st.upload.gen, make(chan struct{}), st.be.Upload
	req := UploadRequest{Path: t.path, Bucket: t.bucket, Key: t.key, Region: st.spec.Region, ProjectID: st.spec.ProjectID,
		Keys: st.keys, AllowHTTP: st.spec.AllowHTTP, Format: st.spec.Format}
	st.upload.stop, st.upload.finished = stop, finished
	progress, result := make(chan uploadProgressMsg, 1), make(chan uploadDoneMsg, 1)
	go func() {
		defer close(finished)
		defer stop()
		var last time.Time
		var figures UploadStatus // the last counts, which a retry keeps
		url, note, err := run(ctx, req, func(us UploadStatus) {
			if us.Retry != "" {
				retry := us.Retry
				us, last = figures, time.Time{} // a retry is never throttled away
				us.Retry = retry
			} else {
				figures = us
			}
			if now := time.Now(); now.Sub(last) >= progressEvery {
				last = now
				select { // the engine reports from one goroutine: only this one sends
				case unread := <-progress:
					if us.Retry == "" {
						us.Retry = unread.Retry // a retry not yet shown is not lost
					}
				default:
				}
				progress <- uploadProgressMsg{UploadStatus: us, gen: gen}
			}
		})
		result <- uploadDoneMsg{gen: gen, target: t, url: url, note: note, err: err}
	}()
	return listenUpload(progress, result)
}

// listenUpload is the job that answers the upload's next progress
// (uploadProgressMsg) or its end (uploadDoneMsg).
func listenUpload(progress chan uploadProgressMsg, result chan uploadDoneMsg) job[tea.Msg] {
	return func() tea.Msg {
		// Progress sent before the end is shown first: it may say a retry.
		select {
		case m := <-progress:
			m.next = listenUpload(progress, result)
			return m
		default:
		}
		select {
		case m := <-result:
			return m
		case m := <-progress:
			m.next = listenUpload(progress, result)
			return m
		}
	}
}

// acceptUpload records the answer of the latest upload and reports
// whether msg was it. On success the draft's URL is the uploaded object's.
func (st *wizardState) acceptUpload(msg uploadDoneMsg) bool {
	if msg.gen != st.upload.gen {
		return false
	}
	st.upload.stop = nil
	if msg.err == nil {
		st.upload.last = &uploadRecord{target: msg.target, url: msg.url, note: msg.note}
		st.spec.URL = msg.url
	}
	return true
}

// stopUpload cancels the upload in flight and, when wait, waits a little
// for it to return, so its resume state is written before the process
// ends.
func (st *wizardState) stopUpload(wait time.Duration) {
	if st.upload.stop == nil {
		return
	}
	st.upload.stop()
	select {
	case <-st.upload.finished:
	case <-time.After(wait):
	}
}

// uploadedTo is the finished upload of t, if any: confirming the same
// file again sends nothing.
func (st *wizardState) uploadedTo(t uploadTarget) *uploadRecord {
	if r := st.upload.last; r != nil && r.target == t {
		return r
	}
	return nil
}

// uploadedURL reports whether the draft's URL is an object just uploaded
// and verified: checking it again would read what was just compared.
func (st *wizardState) uploadedURL() *uploadRecord {
	if r := st.upload.last; r != nil && r.url == st.spec.URL {
		return r
	}
	return nil
}

// progressFigures are the bytes, rate, ETA and parts of p; the ETA is the
// engine's.
func progressFigures(p uploadProgressMsg) string {
	figures := fmt.Sprintf("%s of %s", imageformat.HumanSize(p.Done), imageformat.HumanSize(p.Total))
	if p.Rate > 0 {
		figures += fmt.Sprintf(" · %s/s", imageformat.HumanSize(int64(p.Rate)))
	}
	if p.ETA > 0 && p.Done < p.Total {
		figures += " · ETA " + p.ETA.Round(time.Second).String()
	}
	if p.PartsTotal > 1 {
		figures += fmt.Sprintf(" · parts %d of %d", p.PartsDone, p.PartsTotal)
	}
	return figures
}

// uploadedNote is what the later steps say about the upload.
func uploadedNote(r *uploadRecord) []string {
	if r == nil {
		return nil
	}
	out := []string{"Uploaded and verified: " + r.target.String()}
	if r.note != "" {
		out = append(out, "The import reads it through a URL "+r.note+".")
	}
	return out
}

// expandHome turns a leading ~ into the home directory, as a shell would.
func expandHome(p string) string {
	p = strings.TrimSpace(p)
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// checkLocalPath accepts a regular file this process can read.
func checkLocalPath(p string) error {
	p = expandHome(p)
	if p == "" {
		return errors.New("give the path of the image file")
	}
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("there is no file at %s", p)
	case err != nil:
		return fmt.Errorf("cannot use %s: %v", p, unwrapPath(err))
	case fi.IsDir():
		return fmt.Errorf("%s is a directory: give the image file in it", p)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", p, unwrapPath(err))
	}
	return f.Close()
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// localSuggestions are the files in the working directory, for the path
// field's completion: an image is most often next to where uimport runs.
func localSuggestions(extra string) []string {
	var out []string
	if extra != "" {
		out = append(out, extra)
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && len(out) < 200 {
			out = append(out, e.Name())
		}
	}
	return out
}

// errorHint is the hint an error carries, if any.
func errorHint(err error) string { return importer.Explain(err).ToDo }
