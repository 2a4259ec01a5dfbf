package report

import (
	"fmt"
	"io"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// Image is `uimport status`'s view of an image, one field a line.
func Image(w io.Writer, img apiclient.Image) {
	created := ""
	if img.CreateTime > 0 {
		created = time.Unix(img.CreateTime, 0).Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "ImageId:  %s\nName:     %s\nState:    %s\nOS:       %s (%s)\nSize:     %d GB\nCreated:  %s\n",
		img.ImageId, img.ImageName, img.State, img.OsName, img.OsType, img.ImageSize, OrUnknown(created))
}
