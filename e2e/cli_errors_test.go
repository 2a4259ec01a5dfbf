package e2e

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// checkBeforeResubmit is what the user must read when an import may have
// reached the server although no ImageId came back.
const checkBeforeResubmit = "before submitting again"

func TestCLIMissingValuesNameEveryFlag(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, "import", "--yes", "--base-url", srv.URL())
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "--region", "--name", "--url", "--os-type", "--os-name", "--format")
	wantNotIn(t, "stderr", r.Stderr, "--project-id", "--tag") // optional

	// Only what is missing is named.
	r = run(t, runOpts{Env: keyEnv()}, "import", "--yes", "--base-url", srv.URL(),
		"--region", "sg", "--url", testURL, "--os-type", "Ubuntu", "--format", "raw")
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "missing --name, --os-name")
	wantNotIn(t, "stderr", r.Stderr, "--region", "--format")

	// Missing keys are missing input too.
	r = run(t, runOpts{}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "UCLOUD_PUBLIC_KEY", "uimport auth login")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent with missing input", n)
	}
}

func TestCLIInvalidValuesNameTheFlag(t *testing.T) {
	srv := startAPI(t)
	for _, tc := range []struct {
		name  string
		extra []string
		want  []string
	}{
		{"bad format", []string{"--format", "vhdx"}, []string{"--format", `"vhdx" is not accepted`, "qcow2, RAW, VMDK, VHD"}},
		{"Other with another OsName", []string{"--os-type", "Other", "--os-name", "CentOS 7"}, []string{"--os-name", "must be Other"}},
		{"http URL", []string{"--url", "http://b.cn-bj.ufileos.com/x.qcow2"}, []string{"--url", "uses http", "--allow-http"}},
		{"URL without key", []string{"--url", "https://b.cn-bj.ufileos.com/"}, []string{"--url", "no object key"}},
		{"control char in name", []string{"--name", "web\x1b[2Jbase"}, []string{"--name", "control character (U+001B)"}},
		{"64-char name", []string{"--name", strings.Repeat("n", 64)}, []string{"--name", "64 characters long; at most 63"}},
		{"region shape", []string{"--region", "CN_BJ2"}, []string{"--region", "not a region id"}},
		{"two at once", []string{"--name", "<x>", "--format", "iso"}, []string{"--name", "--format"}},
		{"bad --output", []string{"--output", "yaml"}, []string{"--output", "Use --output text or --output json"}},
		{"bad --timeout", []string{"--timeout", "0s"}, []string{"--timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), append([]string{"--yes"}, tc.extra...)...)...)
			wantCode(t, r, 2)
			wantIn(t, "stderr", r.Stderr, tc.want...)
			if r.Stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.Stdout)
			}
			noNoise(t, r)
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestCLINoYesWithoutTTY(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL())...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "no terminal", "Add --yes")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent without --yes", n)
	}
}

func TestCLIAPIRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   []string
		fault demoapi.Fault
		want  []string
	}{
		{"171 wrong private key",
			[]string{"UCLOUD_PUBLIC_KEY=" + demoapi.PublicKey, "UCLOUD_PRIVATE_KEY=not-the-right-private-key"}, demoapi.Fault{},
			[]string{"RetCode 171", "Signature VerifyAC Error", "private key does not match", "uimport auth login"}},
		{"172 unknown public key",
			[]string{"UCLOUD_PUBLIC_KEY=nobody-has-this-key", "UCLOUD_PRIVATE_KEY=" + demoapi.PrivateKey}, demoapi.Fault{},
			[]string{"RetCode 172", "No user has this public key", "--base-url"}},
		{"230 bad parameter", keyEnv(), demoapi.Fault{RetCode: 230, Message: "Params [UFileUrl] not available"},
			[]string{"RetCode 230", "Params [UFileUrl] not available", "parameter is missing or invalid", "correct that value"}},
		{"8301 import failed", keyEnv(), demoapi.Fault{RetCode: 8301, Message: "import custom image failed"},
			[]string{"RetCode 8301", "Importing the custom image failed", "UFile URL is reachable"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startAPI(t)
			srv.SetFault("ImportCustomImage", tc.fault)
			r := run(t, runOpts{Env: tc.env}, importArgs(srv.URL(), "--yes")...)
			wantCode(t, r, 3)
			wantIn(t, "stderr", r.Stderr, append([]string{"What it means:", "What to do:"}, tc.want...)...)
			if r.Stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.Stdout)
			}
			noNoise(t, r)
			if n := srv.Count("ImportCustomImage"); n != 1 {
				t.Errorf("%d ImportCustomImage requests, want exactly 1 (never retried)", n)
			}
		})
	}
}

func TestCLITransportFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault demoapi.Fault
		extra []string
		want  []string
	}{
		{"502 HTML", demoapi.Fault{Status: 502, Body: demoapi.BadGatewayPage}, nil,
			[]string{"HTTP 502 Bad Gateway", "gateway"}},
		{"captive portal", demoapi.Fault{Body: demoapi.CaptivePortalPage}, nil,
			[]string{"an HTML page, not an API response", "captive portal"}},
		{"truncated JSON", demoapi.Fault{Truncate: true}, nil,
			[]string{"truncated JSON", "connection was cut"}},
		{"timeout", demoapi.Fault{Delay: 20 * time.Second}, []string{"--timeout", "300ms"},
			[]string{"timed out", "--timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startAPI(t)
			srv.SetFault("ImportCustomImage", tc.fault)
			r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), append([]string{"--yes"}, tc.extra...)...)...)
			wantCode(t, r, 4)
			wantIn(t, "stderr", r.Stderr, append([]string{"Error:", "What to do:", checkBeforeResubmit}, tc.want...)...)
			if r.Stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.Stdout)
			}
			noNoise(t, r)
			if n := srv.Count("ImportCustomImage"); n != 1 {
				t.Errorf("%d ImportCustomImage requests, want exactly 1 (never retried)", n)
			}
			if r.Elapsed > 15*time.Second {
				t.Errorf("took %v", r.Elapsed)
			}
		})
	}
}

func TestCLIRetCodeAsStringSucceeds(t *testing.T) {
	srv := startAPI(t)
	srv.SetFault("ImportCustomImage", demoapi.Fault{RetCodeAsString: true})
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 0)
	imgs := srv.Images()
	if len(imgs) != 1 || strings.TrimSpace(r.Stdout) != imgs[0].ImageID {
		t.Errorf("stdout %q, server images %+v", r.Stdout, imgs)
	}
}

func TestCLIConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	r := run(t, runOpts{Env: keyEnv()}, importArgs(base, "--yes")...)
	wantCode(t, r, 4)
	wantIn(t, "stderr", r.Stderr, "connection refused", "Nothing listens at that address", "--base-url")
	// The request never left, so there is nothing to check before retrying.
	wantNotIn(t, "stderr", r.Stderr, checkBeforeResubmit)
	noNoise(t, r)
}
