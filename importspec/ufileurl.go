package importspec

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// MaxURLLen bounds the UFile URL; a signed URL of a long key stays far below.
const MaxURLLen = 2048

// ValidateURL requires an https URL (http only when allowHTTP) with a host
// and an object key.
func ValidateURL(v string, allowHTTP bool) error {
	if err := required(v); err != nil {
		return err
	}
	if err := checkText(v, MaxURLLen); err != nil {
		return err
	}
	if strings.ContainsAny(v, " \t") {
		return fmt.Errorf("contains a space; percent-encode it as %%20")
	}
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("is not a URL: %v", err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP {
			return fmt.Errorf("uses http; use https (or pass --allow-http if this object is only reachable over http)")
		}
	case "":
		return fmt.Errorf("needs https:// in front, like https://mybucket.cn-bj.ufileos.com/disk.qcow2")
	default:
		return fmt.Errorf("scheme %q is not supported; use https", u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("has no host, like mybucket.cn-bj.ufileos.com")
	}
	if u.User != nil {
		return fmt.Errorf("must not contain a user name or password")
	}
	if u.Fragment != "" || strings.Contains(v, "#") {
		return fmt.Errorf("has a #fragment, which is never sent to the server; remove it (or percent-encode # as %%23)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %s is out of range (1-65535)", p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("has an empty port after the host")
	}
	if strings.Trim(u.Path, "/") == "" {
		return fmt.Errorf("has no object key: add the file's path, like https://%s/disk.qcow2", u.Host)
	}
	return nil
}

// UFileLocation is what a UFile URL says about where the object lives.
type UFileLocation struct {
	Bucket string
	Label  string // UFile's region label, e.g. cn-bj; empty if unknown
	Key    string
	Known  bool // the host is a recognised UFile host
}

// ufileLabels maps UHost region ids to UFile labels where they differ.
var ufileLabels = map[string]string{"cn-bj2": "cn-bj"}

// UFileLabel returns the UFile endpoint label for a UHost region.
func UFileLabel(region string) string {
	if l, ok := ufileLabels[region]; ok {
		return l
	}
	return region
}

// ParseUFileURL reads bucket, label and key from an object URL of the forms
// <bucket>.<label>.ufileos.com, <bucket>.internal-<label>[-NN].ufileos.com
// and the legacy <bucket>.ufile.ucloud.cn.
func ParseUFileURL(raw string) (UFileLocation, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return UFileLocation{}, err
	}
	host := strings.ToLower(u.Hostname())
	loc := UFileLocation{Key: strings.TrimPrefix(u.Path, "/")}
	bucket, rest, ok := strings.Cut(host, ".")
	if !ok {
		return loc, nil
	}
	switch {
	case strings.HasSuffix(rest, ".ufileos.com"):
		label := strings.TrimSuffix(rest, ".ufileos.com")
		if strings.Contains(label, ".") {
			return loc, nil
		}
		label = strings.TrimPrefix(label, "internal-")
		// internal hosts carry a zone number: internal-cn-sh2-01
		if i := strings.LastIndex(label, "-"); i > 0 && isDigits(label[i+1:]) && strings.Count(label, "-") > 1 {
			label = label[:i]
		}
		loc.Bucket, loc.Label, loc.Known = bucket, label, true
	case rest == "ufile.ucloud.cn" || rest == "ufile.ucloud.com.cn":
		loc.Bucket, loc.Known = bucket, true
	}
	return loc, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// URLWarnings returns what looks wrong with a valid URL without making it
// unusable: an unknown host, a region mismatch, an extension that contradicts
// the declared format, or a pre-signed URL that may expire.
func URLWarnings(raw, region, format string) []string {
	var out []string
	loc, err := ParseUFileURL(raw)
	if err != nil {
		return nil
	}
	u, _ := url.Parse(raw)
	switch {
	case !loc.Known:
		out = append(out, fmt.Sprintf("%s is not a UFile host (*.ufileos.com); the import service must be able to download from it", u.Hostname()))
	case loc.Label != "" && loc.Label == region && loc.Label != UFileLabel(region):
		// The region's name where UFile's host label belongs: that host
		// does not exist.
		out = append(out, fmt.Sprintf("UFile's hosts for region %s are *.%s.ufileos.com, not *.%s.ufileos.com; check the URL", region, UFileLabel(region), loc.Label))
	case loc.Label != "" && region != "" && loc.Label != UFileLabel(region):
		out = append(out, fmt.Sprintf("the object is in UFile region %s but the image goes to %s (whose UFile label is %s); cross-region imports may fail or be slow", loc.Label, region, UFileLabel(region)))
	}
	if strings.Contains(u.Hostname(), "internal") && u.Scheme == "https" {
		out = append(out, "UFile internal hosts do not serve HTTPS; use the public host or http with --allow-http")
	}
	if w := extensionWarning(loc.Key, format); w != "" {
		out = append(out, w)
	}
	return out
}

// extensionWarning flags e.g. disk.vmdk declared as qcow2.
func extensionWarning(key, format string) string {
	ext := strings.ToLower(path.Ext(key))
	if ext == "" || format == "" {
		return ""
	}
	for _, f := range Formats {
		for _, e := range f.Extensions {
			if e == ext && strings.EqualFold(f.Name, format) {
				return ""
			}
		}
	}
	for _, f := range Formats {
		for _, e := range f.Extensions {
			if e == ext {
				return fmt.Sprintf("the file name ends in %s but the format is %s; check --format", ext, format)
			}
		}
	}
	switch ext {
	case ".gz", ".xz", ".zst", ".bz2", ".zip", ".tar", ".tgz", ".ova", ".7z":
		return fmt.Sprintf("the file name ends in %s: compressed or archived images are not accepted; unpack it first", ext)
	case ".vhdx":
		return "VHDX is not accepted; convert it with `qemu-img convert -O vpc` (VHD) or `-O qcow2`"
	case ".iso":
		return "an ISO installer is not a disk image; install to a disk and import that"
	}
	return ""
}
