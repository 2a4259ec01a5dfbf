package cli

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/keystore"
)

// session is one command's connection to an API: the real one, or the demo
// simulator started in-process. Credentials are resolved once, on first use.
type session struct {
	app      *App
	settings settings
	demo     *demoapi.Server
	keys     *apiclient.Keys
	source   string
}

// openSession starts the simulator for --demo and says so on every run.
func (a *App) openSession(_ context.Context, s settings) (*session, error) {
	sess := &session{app: a, settings: s}
	if s.Demo {
		srv := demoapi.New(demoapi.Options{})
		url, err := srv.Start()
		if err != nil {
			return nil, err
		}
		sess.demo = srv
		sess.settings.BaseURL = url
		demoBanner(a.IO.Err)
	}
	return sess, nil
}

// Close stops the simulator, if any.
func (sess *session) Close() {
	if sess.demo != nil {
		sess.demo.Close()
	}
}

// credentials resolves the keys without prompting and tells the user where
// they came from (never the private key).
func (sess *session) credentials(ctx context.Context) (apiclient.Keys, error) {
	if sess.keys != nil {
		return *sess.keys, nil
	}
	w := sess.app.IO.Err
	if sess.demo != nil {
		k := apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}
		sess.keys, sess.source = &k, "demo keys (built-in simulator)"
		notef(w, "Credentials: %s", sess.source)
		return k, nil
	}
	r, err := sess.app.Keystore(sess.settings.Profile).Resolve(ctx)
	for _, n := range r.Notes {
		notef(w, "%s", n)
	}
	if err != nil {
		if errors.Is(err, keystore.ErrNoCredentials) {
			return apiclient.Keys{}, &usageError{msg: err.Error(), hint: "Run `uimport auth login`, or set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY."}
		}
		return apiclient.Keys{}, err
	}
	k := apiclient.Keys{PublicKey: r.Credentials.PublicKey, PrivateKey: r.Credentials.PrivateKey}
	sess.keys, sess.source = &k, r.Source.String()
	notef(w, "Credentials: %s, public key %s", sess.source, keystore.MaskPublicKey(k.PublicKey))
	return k, nil
}

// client returns an API client with resolved credentials.
func (sess *session) client(ctx context.Context) (*apiclient.Client, error) {
	keys, err := sess.credentials(ctx)
	if err != nil {
		return nil, err
	}
	return sess.app.newClient(sess.settings, keys), nil
}
