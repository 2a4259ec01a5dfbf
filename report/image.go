package report

import (
	"fmt"
	"io"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/internal/safetext"
)

// Image is `uimport status`'s view of an image, one field a line. Every
// field is the server's text, so each is escaped.
func Image(w io.Writer, img apiclient.Image) {
	e := safetext.Escape
	created := ""
	if img.CreateTime > 0 {
		created = time.Unix(img.CreateTime, 0).Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "ImageId:  %s\nName:     %s\nState:    %s\nOS:       %s (%s)\nSize:     %d GB\nCreated:  %s\n",
		e(img.ImageId), e(img.ImageName), e(img.State), e(img.OsName), e(img.OsType), img.ImageSize, OrUnknown(created))
}
