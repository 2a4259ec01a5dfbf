package e2e

import (
	"strings"
	"testing"
)

// Keys that arrive in one read with an Enter (a paste, a laggy SSH link)
// go, in order, to the field focused at that moment: every page is typed
// in one send-keys, ASCII and CJK, and the preview shows what was meant.
func TestWizardKeysTypedAheadReachTheirFields(t *testing.T) {
	for _, tc := range []struct{ labels, tag, description string }{
		{"prod\r中文说明\r", "prod", "中文说明"},
		{"prod\rabc def\r", "prod", "abc def"},
	} {
		t.Run(tc.description, func(t *testing.T) {
			srv := startAPI(t)
			s := startWizardTmux(t, srv, 100, 40)
			toRegion(s)
			s.keys("Down", "Down", "Enter", "Down", "Enter") // cn-sh2, then the second project
			s.waitFor("About the system (1/3)", "┃ Image name")
			s.keys("web 中文", "Enter", "Down", "Enter") // name, OS type Ubuntu
			s.waitFor("Version and format (2/3)", "┃ OS name")
			s.keys("Ubuntu 22.04 64位", "Enter", "Down", "Enter") // OS name, the second format
			s.waitFor("Labels, optional (3/3)", "┃ Business group")
			s.typeText(tc.labels)
			chooseURLTypedAhead(s, "https://mybucket.cn-sh2.ufileos.com/img/web.raw")
			s.waitFor("Do you authorise this import?")
			s.keys("y")
			scr := s.waitFor("Signature", "Review the signed request")
			wantIn(t, "preview", scr, "Region            cn-sh2", "ProjectId         org-demo02",
				"ImageName         web 中文", "OsName            Ubuntu 22.04 64位", "OsType            Ubuntu",
				"Tag               "+tc.tag, "ImageDescription  "+tc.description)
			if strings.Contains(scr, "Format            qcow2") {
				t.Errorf("the second format was not chosen:\n%s", scr)
			}
			s.keys("C-c")
			if n := len(importsSent(srv)); n != 0 {
				t.Errorf("%d imports sent", n)
			}
		})
	}
}

// chooseURLTypedAhead answers "already in UFile" and types the URL, all
// in one send-keys.
func chooseURLTypedAhead(s *tmuxSession, url string) {
	s.t.Helper()
	s.waitFor("Where is the image?", "> Already in UFile (a URL)")
	s.keys("Enter", url, "Enter")
}
