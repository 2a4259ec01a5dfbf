package importer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/preflight"
)

// The demo backend: the built-in simulator, started in-process for one
// command. Everything demo mode does differently is decided here.

// demoPoll is the first wait between polls: the simulator is quick, and a
// newcomer should not wait.
const demoPoll = 500 * time.Millisecond

// DemoSampleSize is the wizard's sample: several parts, a few seconds at most.
const DemoSampleSize = 16 << 20

// demoSource names the demo keys wherever a key source is shown.
const demoSource = "demo keys (built-in simulator)"

type demoBackend struct {
	srv *demoapi.Server
}

func (s *Session) openDemo() error {
	srv := demoapi.New(demoapi.Options{})
	base, err := srv.Start()
	if err != nil {
		return err
	}
	s.settings.BaseURL = base
	s.be = backend{
		demo: &demoBackend{srv: srv},
		keys: demoKeys{},
		// The simulator lives and dies with this process, so a saved upload
		// could never be resumed: keep no state for it.
		uploadState: "",
		pollFirst:   demoPoll,
		// The simulator's demo objects are on http://127.0.0.1.
		allowHTTP: true,
		remember:  false,
	}
	return nil
}

// demoKeys hands out the simulator's keys and never saves anything.
type demoKeys struct{}

func (demoKeys) Resolve(context.Context) (keystore.Resolved, error) {
	return keystore.Resolved{Credentials: keystore.Credentials{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}}, nil
}

func (demoKeys) Save(context.Context, keystore.Credentials) error {
	return errors.New("demo keys are not saved")
}

// KeySource says where resolved keys came from, for a person.
func (s *Session) KeySource(r keystore.Resolved) string {
	if s.be.demo != nil {
		return demoSource
	}
	return r.Origin()
}

// DemoObjectURL is, in demo mode, the URL of a simulator object of format
// that the object check really reads; "" for the real cloud.
func (s *Session) DemoObjectURL(format string) string {
	if s.be.demo == nil {
		return ""
	}
	return demoapi.DemoObjectURL(s.settings.BaseURL, format)
}

// DemoBucket is the bucket a demo upload goes to when none is given.
func (s *Session) DemoBucket() string {
	if s.be.demo == nil {
		return ""
	}
	return demoapi.DemoBucket
}

// uncheckable is the object check's answer for a URL the demo must not
// read: it never reaches out to hosts the user did not mean to contact.
func (s *Session) uncheckable(raw string) (preflight.Report, bool) {
	if s.be.demo == nil || sameHost(raw, s.settings.BaseURL) {
		return preflight.Report{}, false
	}
	return preflight.Report{Size: -1, Problems: []preflight.Problem{{
		Severity: preflight.Warning, Code: preflight.CodeNotChecked,
		Message: "not checked in demo mode: only the simulator's own objects can be read",
		Fix:     "use one of the simulator's objects (the wizard fills one in)",
	}}}, true
}

// demoEndpoint is where objects of a bucket the simulator does not
// describe go: the simulator takes any bucket name. "" for the real cloud.
func (s *Session) demoEndpoint(bucket string) string {
	if s.be.demo == nil {
		return ""
	}
	s.cfg.Events.note("The simulator does not describe bucket %s (it knows %s and %s); it takes any bucket name, so the object goes there.",
		bucket, demoapi.DemoBucket, demoapi.DemoPrivateBucket)
	return demoapi.UFileEndpoint(s.settings.BaseURL, bucket)
}

// sameHost reports whether raw points at the simulator itself.
func sameHost(raw, base string) bool {
	u, err1 := url.Parse(raw)
	b, err2 := url.Parse(base)
	return err1 == nil && err2 == nil && u.Host == b.Host
}

// DemoDefaults fills what `import --demo --file disk.qcow2 --bucket b
// --yes` leaves out, so the demo runs with no more typing, and says what it
// filled; a real import asks for them, since only the user knows the OS.
func (s *Session) DemoDefaults(spec importspec.Spec, path string) importspec.Spec {
	if s.be.demo == nil {
		return spec
	}
	var filled []string
	set := func(field *string, flag, v string) {
		if *field == "" {
			*field = v
			filled = append(filled, flag+" "+v)
		}
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if importspec.ValidateName(name) != nil {
		name = "demo-image"
	}
	set(&spec.Region, "--region", "cn-bj2")
	set(&spec.Name, "--name", name)
	set(&spec.OsType, "--os-type", "Other")
	set(&spec.OsName, "--os-name", "Other")
	if len(filled) > 0 {
		s.cfg.Events.note("Demo defaults: %s.", strings.Join(filled, ", "))
	}
	return spec
}

// WriteSample makes the demo's sample image (demoapi.WriteSampleImage) of
// sizeText (like 64MiB) at path, or in the temp directory when path is "".
func (s *Session) WriteSample(path, sizeText string) (string, error) {
	if s.be.demo == nil {
		return "", inputErrorf("Add --demo: sample images are for the simulator.", "--sample needs --demo")
	}
	size, err := ParseSize(sizeText)
	if err != nil || size < 256<<10 {
		return "", inputErrorf("Give a size of at least 256KiB, like 64MiB or 1GiB.", fmt.Sprintf("--sample %q is not a usable size", sizeText))
	}
	return s.writeSample(path, size)
}

// writeSample writes the sample; an existing file of the right size is
// kept, so its upload state (keyed by mtime) still holds.
func (s *Session) writeSample(path string, size int64) (string, error) {
	if path == "" {
		path = filepath.Join(os.TempDir(), "uimport-sample-"+strconv.FormatInt(size, 10)+".qcow2")
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() == size {
		s.cfg.Events.note("Sample image: %s (kept from an earlier run)", path)
		return path, nil
	}
	if err := demoapi.WriteSampleImage(path, size); err != nil {
		return path, fmt.Errorf("writing the sample image: %w", err)
	}
	s.cfg.Events.note("Sample image written: %s", path)
	return path, nil
}

// DemoFile is, in demo mode, the wizard's sample image, made quietly;
// "" for the real cloud.
func (s *Session) DemoFile() (string, error) {
	if s.be.demo == nil {
		return "", nil
	}
	return s.WithEvents(Events{}).writeSample("", DemoSampleSize)
}

// stoppedUpload is the error for an upload that ended early on purpose.
func (s *Session) stoppedUpload(resumable bool, done, total int, beforeFinish bool) error {
	if s.be.demo != nil {
		return wrapInterrupted("the upload stopped; the demo simulator keeps nothing, so it starts over next time")
	}
	switch {
	case beforeFinish:
		return &HintedError{Err: wrapInterrupted("the upload stopped before it finished; nothing was imported"),
			HintText: "Run uimport again and choose the same file, bucket and key: the upload resumes from the parts already stored."}
	case resumable:
		return &HintedError{Err: wrapInterrupted("the upload stopped with " + strconv.Itoa(done) + " of " + strconv.Itoa(total) + " parts stored in UFile"),
			HintText: "Run the same command again to resume: finished parts are not sent again."}
	}
	return &HintedError{Err: wrapInterrupted("the upload stopped before it could be resumed"),
		HintText: "Run the same command again: a file this small is sent again in one piece."}
}

// journalDemo marks journal entries made against the simulator.
func (s *Session) journalDemo() bool { return s.be.demo != nil }

// demoKeysCredentials is Credentials for the simulator.
func demoKeysCredentials() Credentials {
	return Credentials{Keys: apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}, Source: demoSource, demo: true}
}

// ParseSize reads 64MiB, 64M, 1.5GB or 1048576. Decimal units (KB, MB,
// GB) are powers of 1000, binary ones (KiB, Ki, K, MiB, M, ...) of 1024.
func ParseSize(v string) (int64, error) {
	v = strings.TrimSpace(v)
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := v, ""
	if i >= 0 {
		num, unit = v[:i], strings.ToUpper(strings.TrimSpace(v[i:]))
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size: %q", v)
	}
	mult := map[string]float64{"": 1, "B": 1,
		"K": 1 << 10, "KI": 1 << 10, "KIB": 1 << 10, "KB": 1e3,
		"M": 1 << 20, "MI": 1 << 20, "MIB": 1 << 20, "MB": 1e6,
		"G": 1 << 30, "GI": 1 << 30, "GIB": 1 << 30, "GB": 1e9}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("unknown unit in %q", v)
	}
	return int64(n * mult), nil
}

// demoObjectLocation is, in demo mode, the bucket and key of a simulator
// object URL (<base>/ufile/<bucket>/<key>), so its private bucket can be
// read signed as UFile would be; false for the real cloud and other URLs.
func (s *Session) demoObjectLocation(u *url.URL) (bucket, key string, ok bool) {
	if s.be.demo == nil || !sameHost(u.String(), s.settings.BaseURL) {
		return "", "", false
	}
	rest, found := strings.CutPrefix(u.Path, strings.TrimSuffix(demoapi.UFileEndpoint("", ""), "/")+"/")
	if !found {
		return "", "", false
	}
	bucket, key, ok = strings.Cut(rest, "/")
	return bucket, key, ok && bucket != "" && key != ""
}

// demoImageSource is, in demo mode, the simulator's URL for a demo guest
// disk named by its key (`uimport inspect --demo guests/rocky-9-gpt.qcow2`)
// when no local file has that name; otherwise source as it is.
func (s *Session) demoImageSource(source string) string {
	if s.be.demo == nil || IsURL(source) {
		return source
	}
	if _, err := os.Stat(source); err == nil {
		return source
	}
	return First(demoapi.DemoImageURL(s.settings.BaseURL, source), source)
}

// DemoImageKeys are, in demo mode, the demo guest disks by key, for a hint
// or a menu; nil for the real cloud.
func (s *Session) DemoImageKeys() []string {
	if s.be.demo == nil {
		return nil
	}
	var keys []string
	for _, d := range demoapi.DemoImages() {
		keys = append(keys, d.Key)
	}
	return keys
}

// DemoGuest is one of the simulator's guest disks, to choose from.
type DemoGuest struct {
	Title, Description string
	URL                string // where the simulator serves it
}

// DemoGuests are, in demo mode, the simulator's guest disks, a clean one
// first; nil for the real cloud.
func (s *Session) DemoGuests() []DemoGuest {
	if s.be.demo == nil {
		return nil
	}
	var out []DemoGuest
	for _, d := range demoapi.DemoImages() {
		out = append(out, DemoGuest{Title: d.Title, Description: d.Description, URL: demoapi.DemoImageURL(s.settings.BaseURL, d.Key)})
	}
	return out
}
