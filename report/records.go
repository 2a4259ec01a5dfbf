package report

import (
	"fmt"

	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/iostreams"
)

// ImportRecord is `import --output json`'s record of a submitted import.
type ImportRecord struct {
	ImageID   string `json:"image_id"`
	Region    string `json:"region"`
	ProjectID string `json:"project_id,omitempty"`
	ImageName string `json:"image_name"`
	OsType    string `json:"os_type"`
	OsName    string `json:"os_name"`
	Format    string `json:"format"`
	State     string `json:"state"`
	Demo      bool   `json:"demo,omitempty"`
	UploadFigures
}

// UploadRecord is `upload --output json`.
type UploadRecord struct {
	URL      string `json:"url"`
	Bucket   string `json:"bucket"`
	Key      string `json:"key"`
	Size     int64  `json:"size"`
	ETag     string `json:"etag"`
	Verified bool   `json:"verified"`
	Resumed  bool   `json:"resumed"`
	Demo     bool   `json:"demo,omitempty"`
	UploadFigures
}

// UploadFigures say what an upload of a local file sent (issue 13): the
// guest disk's size, the data in it (when known), and whether the bytes
// sent were unpacked or converted from the file's.
type UploadFigures struct {
	VirtualSize int64 `json:"virtual_size,omitempty"`
	DataBytes   int64 `json:"data_bytes,omitempty"`
	Converted   bool  `json:"converted,omitempty"`
}

// FiguresOf is what the plan p sent; zero for none (nothing uploaded).
func FiguresOf(p *convert.Plan) UploadFigures {
	if p == nil {
		return UploadFigures{}
	}
	return UploadFigures{VirtualSize: p.VirtualSize, DataBytes: p.DataBytes, Converted: p.Converted}
}

// Submitted is a submitted import not waited for: its record as JSON, or
// the ImageId alone on stdout and what happens next on stderr.
func Submitted(io *iostreams.IOStreams, asJSON bool, r ImportRecord) error {
	if asJSON {
		return JSON(io.Out, r)
	}
	fmt.Fprintln(io.Out, r.ImageID)
	OK(io, "Import submitted: %s (%s) in %s. The image is being built (state Making).", r.ImageID, r.ImageName, r.Region)
	return nil
}
