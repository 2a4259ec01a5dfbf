package ui

import "context"

// Inspect is the importer's inspection, with the declared values and the
// region's base-image names.
func (b *sessionBackend) Inspect(ctx context.Context, req InspectRequest, progress func(string)) (Inspection, error) {
	req.Progress = progress
	return b.sess.Inspect(ctx, req)
}

// DemoImages are the simulator's guest disks, by title; nil for the real
// cloud.
func (b *sessionBackend) DemoImages() []DemoImage {
	var out []DemoImage
	for _, g := range b.sess.DemoGuests() {
		out = append(out, DemoImage{Title: g.Title, Description: g.Description, URL: g.URL})
	}
	return out
}
