package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
)

func TestUploadExitCodes(t *testing.T) {
	transient := &ufile.Error{Op: "UploadPart 3", Kind: ufile.KindTransient, Err: errors.New("connection reset")}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"integrity", &upload.IntegrityError{What: "the ETag"}, ExitIntegrity},
		// Integrity wins over anything else the chain holds.
		{"integrity wrapped with interruption", fmt.Errorf("%w: %w", errInterrupted, &upload.IntegrityError{}), ExitIntegrity},
		{"auth", &ufile.Error{Kind: ufile.KindAuth, Status: 403}, ExitAPIRefused},
		{"no bucket", &ufile.Error{Kind: ufile.KindNoBucket, Status: 404}, ExitAPIRefused},
		{"network past the budget", &upload.ResumableError{Err: transient, PartsDone: 2, PartsTotal: 8}, ExitNetwork},
		{"network, no state", transient, ExitNetwork},
		{"TLS", &ufile.Error{Kind: ufile.KindTLS}, ExitNetwork},
		{"busy", upload.ErrBusy, ExitFailure},
		{"canceled", &upload.ResumableError{Err: context.Canceled}, ExitInterrupted},
		{"canceled request", &ufile.Error{Kind: ufile.KindCanceled, Err: context.Canceled}, ExitInterrupted},
		{"upload gone", &ufile.Error{Kind: ufile.KindUploadGone}, ExitFailure},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
}
