package importer

import (
	"strings"

	"github.com/uimport/uimport/importspec"
)

// CopyIntent is `import --copy-to` and `--via` as given, and the copies
// they resolve to: made once the import is Available (ImportThenCopy).
type CopyIntent struct {
	To  []string
	Via string
	// Plan is what the flags resolved to (Resolve, Settle).
	Plan CopyPlan
}

// Given reports whether any copy was asked for.
func (c *CopyIntent) Given() bool { return len(c.To) > 0 || c.Via != "" }

// Resolve checks the copies before anything is sent and points the
// import at the hub region when Via is given.
func (c *CopyIntent) Resolve(spec *importspec.Spec) error {
	if !c.Given() {
		return nil
	}
	if spec.Region == "" && c.Via == "" {
		// `import --demo --file` fills the region in later (Settle); the
		// targets can be checked now.
		return CheckTargets(SplitRegions(c.To))
	}
	if spec.Region == "" {
		return inputErrorf("Pass the region the image should end up in, like --region hk.", "--via needs --region")
	}
	plan, err := PlanCopies(spec.Region, SplitRegions(c.To), c.Via)
	if err != nil {
		return err
	}
	c.Plan, spec.Region = plan, plan.ImportRegion
	return nil
}

// Settle plans the copies from the import's final region when Resolve
// could not (no region yet); call it before anything is uploaded or sent.
func (c *CopyIntent) Settle(region string) error {
	if !c.Given() || c.Plan.ImportRegion != "" {
		return nil
	}
	plan, err := PlanCopies(region, SplitRegions(c.To), c.Via)
	c.Plan = plan
	return err
}

// DryRunNote says what would follow the import shown by --dry-run.
func (c *CopyIntent) DryRunNote() string {
	if !c.Plan.Copies() {
		return ""
	}
	return "Once the image is Available, it would be copied to " + strings.Join(c.Plan.Targets, ", ") + " (one CopyCustomImage each)."
}
