package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/keystore"
)

// PromptKeys asks for a profile's API keys on the terminal, outside the
// wizard (`uimport auth login`); the private key is masked. Ctrl+C is
// importer.ErrInterrupted.
func PromptKeys(ctx context.Context, s *iostreams.IOStreams, profile string) (keystore.Credentials, error) {
	var c keystore.Credentials
	notEmpty := func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("required")
		}
		return nil
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Public key").
			Description(fmt.Sprintf("For profile %q. From the console: Account → API keys.", profile)).
			Value(&c.PublicKey).Validate(notEmpty),
		huh.NewInput().Title("Private key").Description("Hidden as you type; stored only in the OS keyring.").
			EchoMode(huh.EchoModePassword).Value(&c.PrivateKey).Validate(notEmpty),
	)).WithInput(s.In).WithOutput(s.ErrOut).WithAccessible(s.Accessible())
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) || ctx.Err() != nil {
			return c, importer.ErrInterrupted
		}
		return c, err
	}
	return c.Normalize()
}
