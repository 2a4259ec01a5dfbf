package upload

import (
	"sync"
	"sync/atomic"
	"time"
)

// Phases of an upload, for Progress.Phase.
const (
	PhaseUploading = "uploading"
	PhaseFinishing = "finishing" // FinishMultipartUpload: UFile assembles the parts
	PhaseVerifying = "verifying" // HEAD and ETag comparison
	PhaseDone      = "done"
)

// Progress is a snapshot for the caller to render (bar, or plain lines).
type Progress struct {
	Phase string
	// Done is the bytes UFile confirmed, resumed parts included; it only
	// grows. InFlight is the bytes of parts being sent and not yet
	// confirmed (it drops when an attempt fails).
	Done, InFlight, Total int64
	PartsDone             int
	PartsTotal            int
	Skipped               int64   // of Done, bytes already on the server at start
	Rate                  float64 // bytes per second put on the wire, recent
	ETA                   time.Duration
	Elapsed               time.Duration
	// Retry, when set, makes this call an event: a request failed and is
	// about to be sent again (render it once, as a line or a status).
	Retry *RetryEvent
	// With a Source: DiskSize and DataBytes are the guest disk's size and
	// its data (0 when unknown), for "1.9 GiB sent of 20 GiB disk (2.1
	// GiB of data)"; Produced is the bytes made so far (a stream runs
	// ahead of what is confirmed by at most the parts in flight).
	DiskSize, DataBytes, Produced int64
}

// rateWindow is how far back Rate looks: long enough to smooth parts
// finishing in bursts, short enough to show a link slowing down.
const rateWindow = 5 * time.Second

// meter counts what the workers do; emit turns it into Progress calls.
type meter struct {
	total      int64
	partsTotal int
	now        func() time.Time
	start      time.Time
	fn         func(Progress)

	done, inFlight, sent, skipped atomic.Int64
	partsDone                     atomic.Int64
	produced                      atomic.Int64 // bytes a stream made
	diskSize, dataBytes           int64

	mu      sync.Mutex // serialises fn and guards samples and phase
	samples []sample
	phase   string
	stopped chan struct{}
	joined  chan struct{}
}

type sample struct {
	at   time.Time
	sent int64
}

func newMeter(total int64, parts int, o *Options) *meter {
	m := &meter{total: total, partsTotal: parts, now: o.Now, start: o.Now(), fn: o.Progress, phase: PhaseUploading}
	m.samples = []sample{{m.start, 0}}
	if s := o.Source; s != nil {
		m.diskSize, m.dataBytes = s.DiskSize, s.DataBytes
	}
	return m
}

// partDone counts a confirmed part. (In-flight bytes were already taken
// back by the attempt that sent it.)
func (m *meter) partDone(n int64) {
	m.done.Add(n)
	m.partsDone.Add(1)
}

// run calls emit every interval until stop.
func (m *meter) run(every time.Duration) {
	m.stopped, m.joined = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.joined)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.stopped:
				return
			case <-t.C:
				m.emit(PhaseUploading)
			}
		}
	}()
}

// stop ends the ticker and waits for it, so nothing reports after Upload
// returns.
func (m *meter) stop() {
	if m.stopped == nil {
		return
	}
	close(m.stopped)
	<-m.joined
	m.stopped = nil
}

func (m *meter) emit(phase string) {
	if m.fn == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.phase = phase
	m.fn(m.snapshot(phase))
}

// emitEvent reports a retry, in the current phase, with the counters as
// they are.
func (m *meter) emitEvent(ev *RetryEvent) {
	if m.fn == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.snapshot(m.phase)
	p.Retry = ev
	m.fn(p)
}

// snapshot builds a Progress; m.mu is held.
func (m *meter) snapshot(phase string) Progress {
	now := m.now()
	sent := m.sent.Load()
	m.samples = append(m.samples, sample{now, sent})
	for len(m.samples) > 2 && now.Sub(m.samples[1].at) >= rateWindow {
		m.samples = m.samples[1:]
	}
	p := Progress{
		Phase: phase, Done: m.done.Load(), InFlight: max(m.inFlight.Load(), 0), Total: m.total,
		PartsDone: int(m.partsDone.Load()), PartsTotal: m.partsTotal, Skipped: m.skipped.Load(),
		Elapsed: now.Sub(m.start), DiskSize: m.diskSize, DataBytes: m.dataBytes, Produced: m.produced.Load(),
	}
	if first := m.samples[0]; now.Sub(first.at) > 0 {
		p.Rate = float64(sent-first.sent) / now.Sub(first.at).Seconds()
	}
	if left := m.total - p.Done - p.InFlight; p.Rate > 0 && left > 0 {
		p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Second))
	}
	return p
}
