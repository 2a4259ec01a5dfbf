package demoapi

import (
	"crypto/subtle"

	"github.com/uimport/uimport/apiclient"
)

// Demo credentials, accepted by every Server. They open nothing real.
// The private key deliberately shares no prefix with the public key so a
// test that greps output for a leaked private key cannot match the public one.
const (
	PublicKey  = "demo-public-key-uimport"
	PrivateKey = "UIMPORT.DEMO.secret.9c4e1f7a2b6d8035"
)

// AddAccount lets the server accept another key pair, for tests that need
// credentials other than the demo pair.
func (s *Server) AddAccount(publicKey, privateKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[publicKey] = privateKey
}

func (s *Server) privateKeyFor(publicKey string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	priv, ok := s.accounts[publicKey]
	return priv, ok
}

// authenticate applies the gateway's checks in order: a Signature must be
// present (170), the PublicKey must name an account (172), and the
// Signature must match one recomputed over every received parameter except
// Signature itself (171). It returns RetCode 0 when all pass.
func (s *Server) authenticate(params map[string]string) (code int, msg string) {
	if params["Signature"] == "" {
		return 170, "Missing signature"
	}
	priv, ok := s.privateKeyFor(params["PublicKey"])
	if params["PublicKey"] == "" || !ok {
		return 172, "User not exist"
	}
	if !signatureMatches(params, priv) {
		return 171, "Signature VerifyAC Error"
	}
	return 0, ""
}

// signatureValid reports, for the request record, whether the request is
// correctly signed by a known account, regardless of faults.
func (s *Server) signatureValid(params map[string]string) bool {
	priv, ok := s.privateKeyFor(params["PublicKey"])
	return ok && params["Signature"] != "" && signatureMatches(params, priv)
}

// signatureMatches recomputes the signature with the project's one signer,
// so the simulator and the client cannot drift apart silently: the signer's
// own tests pin it to the published vectors.
func signatureMatches(params map[string]string, privateKey string) bool {
	want := apiclient.Sign(apiclient.Params(params), privateKey)
	return subtle.ConstantTimeCompare([]byte(want), []byte(params["Signature"])) == 1
}
