package importer

import "github.com/uimport/uimport/importspec"

// ResolveSpec is an import's spec as the flags give it, before anything is
// read or sent: the region and project default to s's, --file and --url
// are refused together, and the copies (c) are resolved, which may point
// the import at a hub region.
func ResolveSpec(given importspec.Spec, file FileSpec, s Settings, c *CopyIntent) (importspec.Spec, error) {
	spec := given
	spec.Region = First(spec.Region, s.Region)
	spec.ProjectID = First(spec.ProjectID, s.ProjectID)
	spec = spec.Normalize()
	if file.Path != "" && spec.URL != "" {
		return spec, inputErrorf("Use --url for an image already in UFile, or --file (with --bucket) to upload one; not both.",
			"--file and --url are mutually exclusive")
	}
	return spec, c.Resolve(&spec)
}
