package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/journal"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/upload"
)

// testSession opens a session for the real cloud (no network is used by
// these tests unless they say so), collecting its notes and warnings.
func testSession(t *testing.T, env map[string]string, demo bool) (*Session, *[]string) {
	t.Helper()
	dir := t.TempDir()
	if env == nil {
		env = map[string]string{}
	}
	env["UIMPORT_CONFIG"] = filepath.Join(dir, "config.json")
	getenv := func(k string) string { return env[k] }
	var said []string
	s, err := Open(Config{
		Settings: Settings{Profile: "default", BaseURL: "http://127.0.0.1:9", Timeout: time.Second, Demo: demo},
		Version:  "test", StateHome: func() string { return dir },
		Keystore: func(p string) *keystore.Store { return &keystore.Store{Profile: p, Getenv: getenv} },
		Getenv:   getenv,
		Events: Events{
			Note: func(m string) { said = append(said, "note: "+m) },
			Warn: func(m string) { said = append(said, "warn: "+m) },
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, &said
}

func TestResolveSettingsOrder(t *testing.T) {
	env := map[string]string{"UCLOUD_REGION": "hk", "UCLOUD_API_BASE_URL": "https://env.example", "UIMPORT_CONFIG": filepath.Join(t.TempDir(), "none.json")}
	s, warnings := ResolveSettings(func(k string) string { return env[k] }, Overrides{BaseURL: "https://flag.example", Timeout: time.Second})
	if s.BaseURL != "https://flag.example" || s.Region != "hk" || s.Profile != "default" || len(warnings) != 0 {
		t.Errorf("settings %+v, warnings %v", s, warnings)
	}
}

// No keys: the hint says where keys come from, and the error is bad input.
func TestCredentialsMissing(t *testing.T) {
	s, _ := testSession(t, nil, false)
	_, err := s.Connect(context.Background())
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Hint(), "uimport auth login") || Classify(err) != ClassInput {
		t.Errorf("no keys: %v", err)
	}
}

// Keys are resolved once and said once: which source, the public key masked.
func TestConnectSaysWhichKeys(t *testing.T) {
	s, said := testSession(t, map[string]string{"UCLOUD_PUBLIC_KEY": "pub-key-1234567890", "UCLOUD_PRIVATE_KEY": "secret"}, false)
	for range 2 {
		if _, err := s.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(*said) != 1 || !strings.HasPrefix((*said)[0], "note: Credentials: environment") || strings.Contains((*said)[0], "secret") {
		t.Errorf("said %q", *said)
	}
}

// The demo backend is chosen once: its keys, its poll, http objects, no
// upload state and nothing remembered.
func TestDemoBackend(t *testing.T) {
	s, _ := testSession(t, nil, true)
	c, err := s.Credentials(context.Background())
	if err != nil || c.Keys.PublicKey != demoapi.PublicKey || !s.AllowHTTP() || s.PollInterval() != demoPoll || s.SavesKeys() || s.be.uploadState != "" {
		t.Errorf("demo backend: %+v %v", s.be, err)
	}
	s.Remember("sg", "", "Ubuntu", "qcow2")
	if _, err := os.Stat(s.cfg.Getenv("UIMPORT_CONFIG")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the demo remembered choices: %v", err)
	}
	if rep := s.CheckObject(context.Background(), importspec.Spec{URL: "https://elsewhere.example/x", Format: "qcow2"}, c.Keys); len(rep.Problems) != 1 {
		t.Errorf("demo read a host it was not meant to: %+v", rep)
	}
}

// The journal entry is written before the send, and the outcome after.
type fakeSender struct {
	journal string
	sawSent bool
	err     error
}

func (f *fakeSender) SendImport(context.Context, apiclient.PreparedRequest) (string, error) {
	entries, _, _ := journal.Read(f.journal)
	f.sawSent = len(entries) == 1
	if f.err != nil {
		return "", f.err
	}
	return "uimage-1", nil
}

func TestSubmitJournalsFirst(t *testing.T) {
	s, _ := testSession(t, nil, false)
	api := &fakeSender{journal: s.Journal().Path()}
	id, err := s.Submit(context.Background(), api, apiclient.PreparedRequest{Params: map[string]string{"ImageName": "web"}})
	if err != nil || id != "uimage-1" || !api.sawSent {
		t.Fatalf("id %q, err %v, journalled first %v", id, err, api.sawSent)
	}
	entries, _, _ := journal.Read(s.Journal().Path())
	if len(entries) != 1 || entries[0].ImageID != "uimage-1" {
		t.Errorf("journal %+v", entries)
	}
	region, _ := Recorded(s.cfg.StateHome(), "uimage-1")
	if region != "" {
		t.Errorf("region from an entry without one: %q", region)
	}
}

// A journal that cannot be written stops the send: exit 2, nothing sent.
func TestSubmitNeedsJournal(t *testing.T) {
	s, _ := testSession(t, nil, false)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "uimport"), nil, 0o600); err != nil { // a file where the directory goes
		t.Fatal(err)
	}
	s.cfg.StateHome = func() string { return dir }
	api := &fakeSender{journal: s.Journal().Path()}
	_, err := s.Submit(context.Background(), api, apiclient.PreparedRequest{})
	if Classify(err) != ClassInput || api.sawSent {
		t.Errorf("err %v, sent %v", err, api.sawSent)
	}
}

type fakeDescriber struct{ states []string }

func (f *fakeDescriber) DescribeImage(_ context.Context, r apiclient.DescribeImageRequest) (apiclient.DescribeImageResult, error) {
	st := f.states[0]
	if len(f.states) > 1 {
		f.states = f.states[1:]
	}
	return apiclient.DescribeImageResult{TotalCount: 1, ImageSet: []apiclient.Image{{ImageId: r.ImageId, State: st}}}, nil
}

// Follow records the final state; Unavailable is the caller's to judge.
func TestFollowRecordsState(t *testing.T) {
	s, _ := testSession(t, nil, false)
	if _, err := s.Journal().Sent(journal.Submit{Params: map[string]string{"Region": "sg"}}); err != nil {
		t.Fatal(err)
	}
	api := &fakeDescriber{states: []string{apiclient.StateMaking, apiclient.StateUnavailable}}
	img, err := s.Follow(context.Background(), api, follow.Options{Region: "sg", ImageID: "uimage-9", FirstWait: time.Millisecond}, nil)
	if err != nil || img.State != apiclient.StateUnavailable {
		t.Fatalf("%+v %v", img, err)
	}
	err = Unavailable("uimage-9", img.State)
	if Classify(err) != ClassUnavailable || !strings.Contains(err.Error(), "Usual causes") {
		t.Errorf("unavailable: %v", err)
	}
	if Unavailable("uimage-9", apiclient.StateAvailable) != nil {
		t.Error("Available is an error")
	}
}

// Ctrl+C while waiting says the import goes on and how to check later.
func TestFollowStopped(t *testing.T) {
	s, _ := testSession(t, nil, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Follow(ctx, &fakeDescriber{states: []string{apiclient.StateMaking}}, follow.Options{Region: "sg", ImageID: "uimage-9"}, nil)
	if Classify(err) != ClassInterrupted || !strings.Contains(err.Error(), "uimport status uimage-9 --region sg") {
		t.Errorf("stopped: %v", err)
	}
}

// The file check: a mismatch and an unacceptable file block an import; a
// plain upload with no format only warns.
func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	qcow := filepath.Join(dir, "disk.qcow2")
	if err := demoapi.WriteSampleImage(qcow, 1<<20); err != nil {
		t.Fatal(err)
	}
	v, err := CheckFile(qcow, "VMDK", true)
	if err != nil || v.Mismatch() == nil || v.Mismatch().File != "qcow2" || !strings.Contains(v.FileError().Error(), "set --format qcow2") {
		t.Errorf("mismatch: %+v %v", v, err)
	}
	if v, err := CheckFile(qcow, "", true); err != nil || len(v.Blocking) != 0 || !strings.HasPrefix(v.Summary(), "qcow2") {
		t.Errorf("qcow2: %+v %v", v, err)
	}
	iso := filepath.Join(dir, "x.iso")
	data := make([]byte, 40<<10)
	copy(data[0x8001:], "CD001")
	if err := os.WriteFile(iso, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if v, _ := CheckFile(iso, "", false); v.Result.Accepted || len(v.Blocking) != 0 || len(v.Warnings) == 0 {
		t.Errorf("iso, plain upload: %+v", v)
	}
	if v, _ := CheckFile(iso, "", true); len(v.Blocking) != 1 {
		t.Errorf("iso, import: %+v", v)
	}
	if _, err := CheckFile(dir, "", true); Classify(err) != ClassInput {
		t.Errorf("a directory: %v", err)
	}
}

// Where an object goes: the endpoint given wins; with no DescribeBucket
// answer, the region's public host; with neither, bad input.
func TestTarget(t *testing.T) {
	s, said := testSession(t, nil, false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	keys := apiclient.Keys{PublicKey: "p", PrivateKey: "k"}
	f := FileSpec{Path: "/x/disk.qcow2", Bucket: "bkt", Endpoint: "https://bkt.example.test", Parallel: 1}
	tg, err := s.Target(ctx, keys, f, "", "", false)
	if err != nil || tg.Client.ObjectURL(f.ObjectKey()) != "https://bkt.example.test/disk.qcow2" || tg.Known {
		t.Fatalf("endpoint: %v", err)
	}
	// A bucket that would move the host is bad input, before any request.
	bad := f
	bad.Bucket = "evil.example.com/x"
	if _, err := s.Target(ctx, keys, bad, "cn-bj2", "", false); Classify(err) != ClassInput {
		t.Errorf("bucket evil.example.com/x: %v", err)
	}
	f.Endpoint = ""
	tg, err = s.Target(ctx, keys, f, "cn-bj2", "", false)
	if err != nil || tg.Client.ObjectURL("k") != "https://bkt.cn-bj.ufileos.com/k" || !tg.Private || tg.PresignReason() == "" {
		t.Errorf("region: %v %v", tg.Client.ObjectURL("k"), err)
	}
	if _, err := s.Target(ctx, keys, f, "", "", false); Classify(err) != ClassInput {
		t.Errorf("nowhere: %v", err)
	}
	if !strings.Contains(strings.Join(*said, "\n"), "using region cn-bj2's host") {
		t.Errorf("said %q", *said)
	}
}

func TestFileSpecCheck(t *testing.T) {
	for _, f := range []FileSpec{{Parallel: 1}, {Bucket: "b", Key: "/k", Parallel: 1}, {Bucket: "b", Parallel: 65}} {
		if Classify(f.Check()) != ClassInput {
			t.Errorf("%+v accepted", f)
		}
	}
	if err := (FileSpec{Bucket: "b", Parallel: 4}).Check(); err != nil {
		t.Error(err)
	}
}

// Explain gives every face the same three parts.
func TestExplain(t *testing.T) {
	err := fmt.Errorf("sending: %w", &apiclient.APIError{Action: "ImportCustomImage", RetCode: 171, Message: "Signature VerifyAC Error"})
	r := Explain(err)
	if r.Means == "" || r.ToDo == "" || !strings.Contains(r.Message, "171") {
		t.Errorf("%+v", r)
	}
	if r := Explain(&HintedError{Err: errors.New("x"), HintText: "do y"}); r.ToDo != "do y" || r.Means != "" {
		t.Errorf("%+v", r)
	}
}

// An interrupted upload says how to go on; integrity is never hidden.
func TestUploadError(t *testing.T) {
	s, _ := testSession(t, nil, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.uploadError(ctx, &upload.ResumableError{Err: context.Canceled, PartsDone: 2, PartsTotal: 8})
	if Classify(err) != ClassInterrupted || !strings.Contains(err.Error(), "2 of 8 parts") || Explain(err).ToDo == "" {
		t.Errorf("resumable: %v", err)
	}
	if err := s.uploadError(ctx, &upload.IntegrityError{What: "the ETag"}); Classify(err) != ClassIntegrity {
		t.Errorf("integrity: %v", err)
	}
}
