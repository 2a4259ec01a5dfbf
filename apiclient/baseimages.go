package apiclient

import (
	"context"
	"strings"
)

// baseImagePage and baseImagePages bound the listing: a region has a few
// hundred base images at most, and the names only refine a suggestion.
const (
	baseImagePage  = 100
	baseImagePages = 10
)

// BaseImageNames lists the OsName of every base (platform) image in the
// region, each once, in the API's order: the console's own spelling of OS
// names ("CentOS 7.9 64位"), for suggesting what to send as OsName.
func (c *Client) BaseImageNames(ctx context.Context, region, projectID string) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	for page := 0; page < baseImagePages; page++ {
		res, err := c.DescribeImage(ctx, DescribeImageRequest{
			Region: region, ProjectId: projectID, ImageType: "Base",
			Offset: page * baseImagePage, Limit: baseImagePage,
		})
		if err != nil {
			return names, err
		}
		for _, im := range res.ImageSet {
			if n := strings.TrimSpace(im.OsName); n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		if len(res.ImageSet) < baseImagePage || (page+1)*baseImagePage >= res.TotalCount {
			break
		}
	}
	return names, nil
}
