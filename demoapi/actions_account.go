package demoapi

import (
	"slices"
	"strings"
)

// zoneInfo is one GetRegion row: the real action lists one row per zone, so
// a region with several zones appears several times and clients must
// de-duplicate.
type zoneInfo struct {
	regionID  int
	region    string
	zone      string
	name      string
	isDefault bool
}

// zones is the realistic subset GetRegion returns. Zone ids are the real
// ones. sg is the default because the default host is SCloud Singapore.
var zones = []zoneInfo{
	{1000001, "cn-bj2", "cn-bj2-02", "North China (Beijing 2)", false},
	{1000001, "cn-bj2", "cn-bj2-03", "North China (Beijing 2)", false},
	{1000001, "cn-bj2", "cn-bj2-05", "North China (Beijing 2)", false},
	{1000009, "cn-sh2", "cn-sh2-01", "East China (Shanghai 2)", false},
	{1000009, "cn-sh2", "cn-sh2-02", "East China (Shanghai 2)", false},
	{1000003, "hk", "hk-02", "Hong Kong", false},
	{1000015, "sg", "sg-01", "Singapore", true},
	{1000015, "sg", "sg-02", "Singapore", false},
	{1000006, "us-ca", "us-ca-01", "US (Los Angeles)", false},
	{1000020, "ge-fra", "ge-fra-01", "Germany (Frankfurt)", false},
	{1000024, "jpn-tky", "jpn-tky-01", "Japan (Tokyo)", false},
	{1000018, "tw-tp", "tw-tp-01", "Taiwan (Taipei)", false},
	{1000027, "th-bkk", "th-bkk-02", "Thailand (Bangkok)", false},
	{1000030, "idn-jakarta", "idn-jakarta-01", "Indonesia (Jakarta)", false},
}

// regionIDs is every region id docs/API.md lists. Actions accept any of them
// (GetRegion shows only the subset an account would see).
var regionIDs = strings.Fields(`cn-bj1 cn-bj2 cn-wlcb cn-wlcb2 cn-sh2 cn-jx cn-sh cn-gd2
	cn-gd cn-guiyang1 hk tw-tp sg jpn-tky kr-seoul th-bkk idn-jakarta vn-sng ph-mnl
	ind-mumbai pk-khi us-den us-ca us-ws bra-saopaulo rus-mosc ge-fra uk-london
	uae-dubai afr-nigeria uz-tas kz-ala mx-mex`)

func knownRegion(region string) bool { return slices.Contains(regionIDs, region) }

// firstZone names the zone reported for images in region.
func firstZone(region string) string {
	for _, z := range zones {
		if z.region == region {
			return z.zone
		}
	}
	return region + "-01"
}

// project is one GetProjectList row. Projects are shared by all accounts.
type project struct {
	id, name   string
	isDefault  bool
	createTime int64
}

// DefaultProjectID is the project used when a request names none.
const DefaultProjectID = "org-demo01"

var projects = []project{
	{DefaultProjectID, "Default", true, 1700000000},
	{"org-demo02", "staging", false, 1710000000},
}

func knownProject(id string) bool {
	for _, p := range projects {
		if p.id == id {
			return true
		}
	}
	return false
}

// getRegion answers GetRegion, which takes no parameters.
func (s *Server) getRegion(params map[string]string) reply {
	rows := make([]map[string]any, 0, len(zones))
	for _, z := range zones {
		rows = append(rows, map[string]any{
			"RegionId":   z.regionID,
			"Region":     z.region,
			"Zone":       z.zone,
			"RegionName": z.name,
			"IsDefault":  z.isDefault,
			"BitMaps":    "1",
		})
	}
	out := success("GetRegion")
	out["Regions"] = rows
	return out
}

// getProjectList answers GetProjectList. IsFinance is accepted and ignored.
func (s *Server) getProjectList(params map[string]string) reply {
	s.mu.Lock()
	counts := make(map[string]int)
	for _, im := range s.images {
		counts[im.ProjectID]++
	}
	s.mu.Unlock()

	rows := make([]map[string]any, 0, len(projects))
	for _, p := range projects {
		rows = append(rows, map[string]any{
			"ProjectId":     p.id,
			"ProjectName":   p.name,
			"IsDefault":     p.isDefault,
			"ParentId":      "",
			"ParentName":    "",
			"ResourceCount": counts[p.id],
			"MemberCount":   1,
			"CreateTime":    p.createTime,
		})
	}
	out := success("GetProjectList")
	out["ProjectCount"] = len(rows)
	out["ProjectSet"] = rows
	return out
}
