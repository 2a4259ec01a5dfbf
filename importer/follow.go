package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importspec"
)

// Follow follows an image to Available or Unavailable, calling onUpdate at
// every poll, and records the last state in the journal. It starts at the
// backend's poll interval. The image ending Unavailable is not an error
// here (Unavailable says so); stopping (ctx) and giving up (o.Limit) are.
func (s *Session) Follow(ctx context.Context, api follow.Describer, o follow.Options, onUpdate func(follow.Update)) (apiclient.Image, error) {
	if o.FirstWait == 0 {
		o.FirstWait = s.be.pollFirst
	}
	img, err := follow.Wait(ctx, api, o, onUpdate)
	if img.State != "" {
		if jerr := s.Journal().State(o.ImageID, img.State); jerr != nil {
			s.cfg.Events.warn("could not record the state: %v", jerr)
		}
	}
	switch {
	case err == nil:
		return img, nil
	case errors.Is(err, context.Canceled):
		return img, fmt.Errorf("%w: stopped waiting; the import goes on. Check later: uimport status %s --region %s", ErrInterrupted, o.ImageID, o.Region)
	case errors.Is(err, follow.ErrTimedOut):
		return img, &TimedOutError{Err: fmt.Errorf("%v; check later with `uimport status %s --region %s --wait`", err, o.ImageID, o.Region)}
	case Classify(err) == ClassInput:
		return img, err
	}
	// Whatever ended the wait, the import goes on: say how to look again.
	return img, fmt.Errorf("%w\nThe import goes on; check later with `uimport status %s --region %s --wait`", err, o.ImageID, o.Region)
}

// Unavailable is the error for an image whose state is Unavailable, with
// the usual causes; nil for any other state.
func Unavailable(imageID, state string) error {
	if state != apiclient.StateUnavailable {
		return nil
	}
	return unavailable(imageID, follow.UnavailableChecklist)
}

// Recorded is where the journal says an image was imported or copied to
// (region and project), or "" for either: `status` needs no --region for
// its own imports and copies (RecordedImage).
func Recorded(stateHome, imageID string) (region, projectID string) {
	r := RecordedImage(stateHome, imageID)
	return r.Region, r.ProjectID
}

// Status is an image's state as DescribeImage has it now; an image the
// API does not list is an error that says why that may be.
func (s *Session) Status(ctx context.Context, api *apiclient.Client, region, projectID, imageID string) (apiclient.Image, error) {
	// Without an ImageId, DescribeImage lists every image: never ask so.
	if err := importspec.ValidateImageID(imageID); err != nil {
		return apiclient.Image{}, inputErrorf("Pass the ImageId the import or copy printed, like uimage-abc12345.", err.Error())
	}
	res, err := api.DescribeImage(ctx, apiclient.DescribeImageRequest{Region: region, ProjectId: projectID, ImageId: imageID, ImageType: "Custom", Limit: 1})
	if err != nil {
		return apiclient.Image{}, err
	}
	if len(res.ImageSet) == 0 {
		return apiclient.Image{}, &NotFoundError{InputError{
			Msg:      fmt.Sprintf("no image %s in region %s", imageID, region),
			HintText: "A new import can take a minute to appear; check the ImageId and --region.",
		}}
	}
	return res.ImageSet[0], nil // apiclient refuses an answer about another image
}

// NotFoundError is an image the API does not list (exit 1, not 2: the
// input may be right and the image not visible yet).
type NotFoundError struct{ InputError }
