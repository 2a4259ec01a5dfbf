package ui

import (
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
)

func TestWaitEndsUnavailable(t *testing.T) {
	api := newFakeAPI()
	api.states = []string{apiclient.StateMaking, apiclient.StateMaking, apiclient.StateUnavailable}
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(char('w'))
	s := r.p.waitText(t, "Unavailable after")
	requireGolden(t, s.raw)
	r.Send(keyEnterMsg)
	if res := r.result(t); res.State != apiclient.StateUnavailable || res.ImageID == "" {
		t.Errorf("result = %+v", res)
	}
}

func TestWaitDetachKeepsImage(t *testing.T) {
	api := newFakeAPI()
	api.states = []string{apiclient.StateMaking}
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "State: Making")
	r.Send(char('q'))
	res := r.result(t)
	if res.ImageID != "uimage-test0001" || res.State != apiclient.StateMaking || res.Interrupted || res.Cancelled {
		t.Errorf("result = %+v", res)
	}
}

func TestPollerBacksOff(t *testing.T) {
	p := &poller{backoff: follow.NewBackoff(2*time.Second, follow.DefaultMaxWait)}
	var got []time.Duration
	for range 8 {
		got = append(got, p.next())
	}
	want := []float64{2, 3, 4.5, 6.75, 10.125, 15.1875, 22.78125, 30}
	for i := range want {
		if w := time.Duration(want[i] * float64(time.Second)); got[i] != w {
			t.Errorf("wait %d = %v, want %v", i, got[i], w)
		}
	}
}
