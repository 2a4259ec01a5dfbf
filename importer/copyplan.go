package importer

import (
	"fmt"
	"slices"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
)

// CopyPlan is an import followed by copies: where the import goes and the
// regions it is then copied to.
type CopyPlan struct {
	// ImportRegion is where the import is sent: the hub with --via, else
	// the import's own region.
	ImportRegion string
	// Targets are the regions the imported image is copied to, in order.
	Targets []string
	// Hub: the import region only passes the image on (--via); its image
	// is kept, and deleting it is the user's call.
	Hub bool
}

// PlanCopies is `import --region R [--copy-to T,...] [--via HUB]`. With
// via, R is a region that does not accept imports: the import goes to
// the hub and R comes first among the targets. Nothing is planned (zero
// CopyPlan, nil) when neither copyTo nor via is given.
func PlanCopies(region string, copyTo []string, via string) (CopyPlan, error) {
	if len(copyTo) == 0 && via == "" {
		return CopyPlan{ImportRegion: region}, nil
	}
	plan := CopyPlan{ImportRegion: region, Targets: slices.Clone(copyTo)}
	if via != "" {
		if err := importspec.ValidateRegion(via); err != nil {
			return CopyPlan{}, inputErrorf("Name the hub region that accepts imports, like --via cn-bj2.", "--via: "+err.Error())
		}
		if via == region {
			return CopyPlan{}, inputErrorf("Leave --via out to import into "+region+" directly, or pass the region you want the image in with --region.",
				fmt.Sprintf("--via %s is the import's own region", via))
		}
		plan.ImportRegion, plan.Hub = via, true
		plan.Targets = append([]string{region}, slices.DeleteFunc(plan.Targets, func(t string) bool { return t == region })...)
	}
	if !apiclient.CopySupported(plan.ImportRegion) {
		flag := "--region"
		if plan.Hub {
			flag = "--via"
		}
		return CopyPlan{}, inputErrorf("Import into a region that supports copies, e.g. --via cn-bj2 (North China 2), and copy from there.",
			fmt.Sprintf("%s %s: that region does not support image copies (UHost guide), so nothing could be copied from it", flag, plan.ImportRegion))
	}
	if slices.Contains(plan.Targets, plan.ImportRegion) {
		return CopyPlan{}, inputErrorf("Leave "+plan.ImportRegion+" out of --copy-to: the import puts the image there.",
			fmt.Sprintf("--copy-to names %s, where the image is imported", plan.ImportRegion))
	}
	if err := CheckTargets(plan.Targets); err != nil {
		return CopyPlan{}, err
	}
	return plan, nil
}

// Copies reports whether the plan copies anything.
func (p CopyPlan) Copies() bool { return len(p.Targets) > 0 }

// HubNote says that the hub's image stays, for the end of a --via run.
func (p CopyPlan) HubNote(imageID string) string {
	if !p.Hub {
		return ""
	}
	return fmt.Sprintf("The image imported in %s (%s) is kept: it was only the way into the other regions. Delete it in the console if you do not need it there.",
		p.ImportRegion, imageID)
}

// ImportCopies is the copy request for an imported image under plan: the
// copies take the import's name, description and tag, in its project.
func (p CopyPlan) ImportCopies(spec importspec.Spec, imageID string, wait bool) CopyRequest {
	return CopyRequest{
		Region: p.ImportRegion, ProjectID: spec.ProjectID, ImageID: imageID, To: p.Targets,
		Name: spec.Name, Description: spec.Description, Tag: spec.Tag, Wait: wait,
	}
}
