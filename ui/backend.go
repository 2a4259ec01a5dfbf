package ui

import (
	"context"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/preflight"
	"github.com/uimport/uimport/upload"
)

// sessionBackend is the Backend over an importer session: the same use
// cases as the command line, with notes kept off the wizard's screen.
type sessionBackend struct {
	sess         *importer.Session
	checkObjects bool
}

// SessionBackend is the wizard's Backend for sess. checkObjects: read the
// object when its URL is confirmed (false for --skip-check).
func SessionBackend(sess *importer.Session, checkObjects bool) Backend {
	return &sessionBackend{sess: sess.Quiet(), checkObjects: checkObjects}
}

func (b *sessionBackend) Keys() CredentialStore                { return b.sess.KeyStore() }
func (b *sessionBackend) SavesKeys() bool                      { return b.sess.SavesKeys() }
func (b *sessionBackend) KeySource(r keystore.Resolved) string { return b.sess.KeySource(r) }
func (b *sessionBackend) Connect(keys apiclient.Keys) API      { return b.sess.Client(keys) }
func (b *sessionBackend) PollInterval() time.Duration          { return b.sess.PollInterval() }
func (b *sessionBackend) DemoObjectURL(format string) string   { return b.sess.DemoObjectURL(format) }
func (b *sessionBackend) DemoFile() (string, error)            { return b.sess.DemoFile() }

func (b *sessionBackend) Features() Features {
	return Features{CheckObjects: b.checkObjects, CheckFiles: true, Uploads: true, ListsBuckets: true, Copies: true, Inspects: b.checkObjects}
}

func (b *sessionBackend) Copy(ctx context.Context, keys apiclient.Keys, req importer.CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error) {
	return b.sess.Copy(ctx, b.sess.Client(keys), req, onEvent)
}

func (b *sessionBackend) Submit(ctx context.Context, api API, req apiclient.PreparedRequest) (string, error) {
	return b.sess.Submit(ctx, api, req)
}

func (b *sessionBackend) CheckObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report {
	return b.sess.CheckObject(ctx, spec, keys)
}

func (b *sessionBackend) Buckets(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error) {
	return b.sess.Buckets(ctx, keys, projectID)
}

// CheckFile is importer.CheckFile's verdict as the wizard shows it: every
// note is a warning, and the first blocker is the one to answer.
func (b *sessionBackend) CheckFile(path, declared string) FileVerdict {
	v, err := b.sess.CheckUpload(context.Background(), path, declared)
	if err != nil {
		return FileVerdict{Blocking: err}
	}
	out := FileVerdict{Summary: v.Summary(), Warnings: append(v.Warnings, v.Notes...)}
	if len(v.Blocking) > 0 {
		out.Blocking = v.Blocking[0]
	}
	return out
}

func (b *sessionBackend) Upload(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error) {
	return b.sess.UploadForImport(ctx, req, importer.Progress{Every: progressEvery, Func: func(p upload.Progress) {
		if p.Retry != nil {
			progress(UploadStatus{Retry: p.Retry.String()})
			return
		}
		progress(UploadStatus{Done: min(p.Done+p.InFlight, p.Total), Total: p.Total,
			PartsDone: p.PartsDone, PartsTotal: p.PartsTotal, Rate: p.Rate, ETA: p.ETA})
	}})
}
