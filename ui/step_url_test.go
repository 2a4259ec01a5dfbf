package ui

import (
	"strings"
	"testing"
)

func TestURLValidatesAndWarnsAsYouType(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	gotoStep(t, r, stepURL)
	r.p.waitFocus(t, "url")
	r.Type("ftp://b")
	r.p.waitText(t, `scheme "ftp" is not supported`)
	r.Send(keyEnterMsg)
	if s := r.p.get(); s.step != stepURL {
		t.Fatal("an invalid URL was accepted")
	}
	r.Send(keyCtrlUMsg)
	r.Type("https://b.cn-bj.ufileos.com/disk.vmdk")
	s := r.p.waitText(t, "ends in .vmdk")
	if !strings.Contains(s.view, "UFile region cn-bj but the image goes to sg") {
		t.Errorf("no region warning:\n%s", s.view)
	}
	requireGolden(t, s.raw)
	r.Send(keyEnterMsg) // warnings do not block
	r.p.waitStep(t, stepAuth)
}

func TestURLDemoIsFilledIn(t *testing.T) {
	opts := testOptions(newFakeAPI(), envStore())
	opts.Demo = true
	r := startWizard(t, opts)
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	for _, f := range []string{"region", "project", "name", "ostype", "osname", "format", "tag", "description"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	s := r.p.waitFocus(t, "url")
	if s.spec.URL != "https://uimport-demo.sg.ufileos.com/images/disk.qcow2" || strings.Contains(s.view, "warning") {
		t.Errorf("demo URL %q:\n%s", s.spec.URL, s.view)
	}
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
}
