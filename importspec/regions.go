package importspec

import (
	"fmt"
	"slices"
	"strings"
)

// KnownRegions are the region ids the API documentation lists. The wizard
// offers them when GetRegion cannot be asked; elsewhere an unknown id is only
// a warning, since new regions open before the docs say so.
var KnownRegions = []string{
	"cn-bj1", "cn-bj2", "cn-wlcb", "cn-wlcb2", "cn-sh2", "cn-jx", "cn-sh", "cn-gd2", "cn-gd",
	"cn-guiyang1", "hk", "tw-tp", "sg", "jpn-tky", "kr-seoul", "th-bkk", "idn-jakarta", "vn-sng",
	"ph-mnl", "ind-mumbai", "pk-khi", "us-den", "us-ca", "us-ws", "bra-saopaulo", "rus-mosc",
	"ge-fra", "uk-london", "uae-dubai", "afr-nigeria", "uz-tas", "kz-ala", "mx-mex",
}

// IsKnownRegion reports whether the docs list region.
func IsKnownRegion(region string) bool { return slices.Contains(KnownRegions, region) }

// ValidateRegionIn checks region's shape and, when apiRegions (what
// GetRegion answered) is not empty, that it is one of them: a typo such
// as "sgp" or "cn-bj3" is then refused before anything is sent.
func ValidateRegionIn(region string, apiRegions []string) error {
	if err := ValidateRegion(region); err != nil || len(apiRegions) == 0 || slices.Contains(apiRegions, region) {
		return err
	}
	list := slices.Clone(apiRegions)
	slices.Sort(list)
	list = slices.Compact(list)
	if len(list) > 12 {
		list = append(list[:12], "…")
	}
	return fmt.Errorf("%q is not a region these keys can use; use one of %s", region, strings.Join(list, ", "))
}
