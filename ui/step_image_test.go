package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/uimport/uimport/inspect"
)

const imageURL = "https://bucket.sg.ufileos.com/images/web.qcow2"

// The image first: its URL, the inspection with its stage, the findings;
// then OS type, OS name and format come filled in, and the URL step has
// the URL already.
func TestImageStepFillsDetails(t *testing.T) {
	opts, be := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	be.gate = make(chan struct{})
	opts.Spec.Region = "sg" // from the config: the base images are listed there
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "step 2 of 9")
	r.p.waitFocus(t, "imagesource")
	r.Send(keyEnterMsg) // a URL
	r.p.waitFocus(t, "imageurl")
	r.Type(imageURL)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Looking inside the image: reading the partition table")
	close(be.gate)
	s := r.p.waitText(t, "Image inspected: Ubuntu 22.04.3 LTS (x86_64)")
	for _, want := range []string{"Default kernel 5.15.0-91-generic: virtio_blk built in", "cloud-init is not installed", "Fix: Install it", "Continue"} {
		if !strings.Contains(strings.Join(strings.Fields(s.view), " "), want) {
			t.Errorf("report lacks %q:\n%s", want, s.view)
		}
	}
	r.Send(keyEnterMsg) // Continue
	s = r.p.waitStep(t, stepRegion)
	if s.spec.OsType != "Ubuntu" || s.spec.OsName != "Ubuntu 22.04 64位" || s.spec.Format != "qcow2" {
		t.Errorf("not filled in from the image: %+v", s.spec)
	}
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "project")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "name")
	r.Type("web")
	for _, f := range []string{"name", "ostype", "osname", "format", "tag", "description"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	s = r.p.waitFocus(t, "url")
	if s.spec.URL != imageURL {
		t.Errorf("URL step has %q, want the image's", s.spec.URL)
	}
	r.Send(keyEnterMsg)
	s = r.p.waitStep(t, stepAuth)
	if !strings.Contains(s.view, "Image inspected: Ubuntu") {
		t.Errorf("authorisation does not say what the inspection found:\n%s", s.view)
	}
	if reqs := be.requests(); len(reqs) != 1 || reqs[0].OsType != "" || reqs[0].Region != "sg" {
		t.Errorf("inspect requests %+v", reqs)
	}
}

// A blocking finding: choosing another image goes back to the URL; going
// on needs "Continue anyway", and authorisation says so.
func TestImageStepBlockingNeedsContinueAnyway(t *testing.T) {
	opts, _ := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: gptReport()})
	opts.Spec.URL = imageURL // --url answers where the image is
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	s := r.p.waitText(t, "would not import or boot as it is")
	if !strings.Contains(s.view, "GPT partition table") || !strings.Contains(s.view, "sgdisk --gpttombr") {
		t.Errorf("finding or fix missing:\n%s", s.view)
	}
	r.Send(keyEnterMsg) // choose another image
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "would not import or boot as it is")
	r.Send(keyDownMsg, keyEnterMsg) // continue anyway
	s = r.p.waitStep(t, stepRegion)
	if s.spec.Format != "VMDK" {
		t.Errorf("format %q, want the image's VMDK", s.spec.Format)
	}
}

// A declared OS type of another family: the detected OS is one choice away.
func TestImageStepOffersDetectedOS(t *testing.T) {
	opts, be := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	opts.Spec.URL, opts.Spec.OsType, opts.Spec.OsName = imageURL, "CentOS", "CentOS 7.9 64位"
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Use the detected OS: Ubuntu Ubuntu 22.04 64位")
	r.Send(keyEnterMsg)
	s := r.p.waitStep(t, stepRegion)
	if s.spec.OsType != "Ubuntu" || s.spec.OsName != "Ubuntu 22.04 64位" {
		t.Errorf("spec %+v", s.spec)
	}
	if reqs := be.requests(); len(reqs) != 1 || reqs[0].OsType != "CentOS" {
		t.Errorf("the declared OS type was not inspected against: %+v", reqs)
	}
}

// Esc while inspecting stops it and goes back to the URL; a backend that
// does not inspect (--skip-check) keeps the flow without the step.
func TestImageStepStopAndSkip(t *testing.T) {
	opts, be := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	be.gate = make(chan struct{})
	opts.Spec.URL = imageURL
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Looking inside the image")
	r.Send(keyEscMsg)
	r.p.waitFocus(t, "imageurl")

	plain := startWizard(t, testOptions(newFakeAPI(), envStore()))
	plain.p.waitText(t, "step 1 of 8")
	plain.p.waitText(t, "Keys from:")
	plain.Send(keyEnterMsg)
	plain.p.waitStep(t, stepRegion)
	plain.p.waitText(t, "step 2 of 8")
}

// Accessible mode asks the same, says each stage, and lists the findings
// with their fixes before anything else is asked.
func TestAccessibleImageFirst(t *testing.T) {
	out := &lockedBuffer{}
	opts, _ := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: gptReport()})
	opts.Accessible, opts.Out = true, out
	opts.In = &answers{lines: []string{
		"1",      // a URL
		imageURL, // the URL
		"1",      // choose another image
		"1",      // a URL
		"",       // keep it
		"2",      // continue anyway
	}}
	_, err := Run(context.Background(), opts)
	text := out.String()
	if err == nil || !strings.Contains(err.Error(), "input ended") {
		t.Fatalf("Run: %v\n%s", err, text)
	}
	for _, want := range []string{"Where is the image?", "  reading the partition table", "Image inspected: Ubuntu 22.04.3 LTS",
		"Blocks the import: The disk has a GPT partition table", "Fix: Convert it to MBR", "Continue anyway"} {
		if !strings.Contains(text, want) {
			t.Errorf("accessible output lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "Image inspected:") != 2 {
		t.Errorf("want two inspections (the image was chosen again):\n%s", text)
	}
}

// Last time's OS type gives way to what the image holds: only values given
// on the command line are compared with it.
func TestImageStepRememberedGivesWay(t *testing.T) {
	opts, be := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	opts.Spec.URL = imageURL
	opts.Remembered.OsType, opts.Remembered.Format = "CentOS", "RAW"
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Go on with this image?")
	r.Send(keyEnterMsg)
	s := r.p.waitStep(t, stepRegion)
	if s.spec.OsType != "Ubuntu" || s.spec.Format != "qcow2" {
		t.Errorf("spec %+v", s.spec)
	}
	if reqs := be.requests(); len(reqs) != 1 || reqs[0].OsType != "" {
		t.Errorf("a remembered OS type was compared with the image: %+v", reqs)
	}
}

// The OS name the image suggests is the details step's suggestion, even
// when it is one of the type's examples.
func TestImageStepSuggestsDetectedOsName(t *testing.T) {
	opts, _ := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	opts.Spec.URL = imageURL
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "imageurl")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Go on with this image?")
	r.Send(keyEnterMsg)
	advance(t, r, stepRegion)
	r.p.waitFocus(t, "name")
	r.Type("web")
	for _, f := range []string{"name", "ostype"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	s := r.p.waitFocus(t, "osname")
	if s.spec.OsName != "Ubuntu 22.04 64位" || !strings.Contains(s.view, "Ubuntu 22.04 64位") {
		t.Errorf("OS name %q, screen:\n%s", s.spec.OsName, s.view)
	}
}

// An OS type changed after the inspection to another family is said
// before authorisation; the same family, or Other, is not.
func TestLateMismatchNoted(t *testing.T) {
	opts, _ := withInspection(testOptions(newFakeAPI(), envStore()), nil)
	st := newState(context.Background(), opts)
	st.image.source, st.image.url = sourceURL, imageURL
	st.image.last = &imageInspection{source: imageURL, in: Inspection{Report: ubuntuReport()}}
	for osType, want := range map[string]bool{"Ubuntu": false, "Debian": false, "Other": false, "CentOS": true, "Windows": true} {
		st.spec.OsType = osType
		got := lateMismatch(st)
		if (got != "") != want || (want && !strings.Contains(got, "the image holds Ubuntu")) {
			t.Errorf("%s: %q", osType, got)
		}
	}
	st.spec.OsType = "CentOS"
	if n := imageNote(st); len(n) != 2 || !strings.HasPrefix(n[0], "Image inspected: Ubuntu 22.04.3 LTS, MBR, root ext4") {
		t.Errorf("note %q", n)
	}
}

// Accessible mode offers the detected OS for a mismatch, and says what it
// set.
func TestAccessibleImageTakesDetectedOS(t *testing.T) {
	out := &lockedBuffer{}
	opts, _ := withInspection(testOptions(newFakeAPI(), envStore()), map[string]*inspect.Report{imageURL: ubuntuReport()})
	opts.Accessible, opts.Out = true, out
	opts.Spec.URL, opts.Spec.OsType = imageURL, "CentOS"
	opts.In = &answers{lines: []string{"1", "", "1"}} // a URL, keep it, use the detected OS
	_, err := Run(context.Background(), opts)
	text := out.String()
	if err == nil || !strings.Contains(text, "OS type Ubuntu, OS name Ubuntu 22.04 64位.") || !strings.Contains(text, "Blocks the import: Declared OS type CentOS") {
		t.Errorf("Run: %v\n%s", err, text)
	}
}
