package demoapi

import (
	"net/http"
	"strings"
)

// DescribeBucket: the demo knows two buckets, DemoBucket (public) and
// DemoPrivateBucket (private); any other name gets RetCode 230, as a
// bucket the keys cannot see. With no BucketName it lists both.
//
// Domain.Src[0] is where a real answer names the bucket's host
// ("mybucket.cn-bj.ufileos.com"). The simulator's objects are path-style on
// its own address, which no host name can express, so it answers the full
// URL of its object endpoint instead (e.g.
// http://127.0.0.1:PORT/ufile/demo-bucket); clients take a Src with a
// scheme as an endpoint (apiclient.Bucket.Endpoint). That address is the
// one the request came in on, so it is right behind httptest's TLS servers
// too: see withObjectBase.

// demoBuckets are the buckets DescribeBucket knows, by name: their Type.
var demoBuckets = []struct{ name, typ string }{
	{DemoBucket, "public"},
	{DemoPrivateBucket, "private"},
}

// demoBucketRegion is where the demo says its buckets are.
const demoBucketRegion = "cn-bj2"

func (s *Server) describeBucket(params map[string]string) reply {
	name := params["BucketName"]
	var rows []map[string]any
	for _, b := range demoBuckets {
		if name != "" && name != b.name {
			continue
		}
		rows = append(rows, map[string]any{
			"BucketName": b.name,
			"BucketId":   "ufile-demo-" + b.name,
			"Type":       b.typ,
			"Region":     demoBucketRegion,
			"CreateTime": objectModTime.Unix(),
			"Domain": map[string]any{
				// A path for now: withObjectBase puts this server's
				// address in front once the request is known.
				"Src":       []string{objectPrefix + b.name},
				"Cdn":       []string{},
				"CustomSrc": []string{},
				"CustomCdn": []string{},
			},
		})
	}
	if name != "" && rows == nil {
		return failure("DescribeBucket", 230, "bucket not found: "+name)
	}
	out := success("DescribeBucket")
	out["DataSet"] = rows
	return out
}

// withObjectBase completes DescribeBucket's Src paths with the scheme and
// host the request came in on. It leaves every other answer alone.
func withObjectBase(out reply, r *http.Request) {
	rows, ok := out["DataSet"].([]map[string]any)
	if !ok || out["Action"] != "DescribeBucketResponse" {
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	for _, row := range rows {
		d, _ := row["Domain"].(map[string]any)
		src, _ := d["Src"].([]string)
		for i, p := range src {
			if strings.HasPrefix(p, "/") {
				src[i] = scheme + "://" + r.Host + p
			}
		}
	}
}
