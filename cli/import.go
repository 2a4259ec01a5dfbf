package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ui"
)

// importOptions are `uimport import`'s own flags.
type importOptions struct {
	Spec   importspec.Spec
	Yes    bool
	DryRun bool
	Wait   waitFlags
	Wizard wizardFlags
	// SkipCheck skips reading the object before submitting.
	SkipCheck bool
	// File uploads a local image first (--file, upload_import.go).
	File fileFlags
}

func newImportCmd(app *App, g *globalFlags) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import an image from a UFile URL (the wizard on a terminal, flags with --yes)",
		Long: "Import a disk image stored in UFile as a UHost custom image.\n\n" +
			"On a terminal without --yes this opens the wizard, with the given flags filled in.\n" +
			"With --yes (or without a terminal) it never asks: every required value must be\n" +
			"given as a flag, and --yes authorises the import (the API's Auth=true).\n" +
			"On success the ImageId alone is printed on stdout.",
		Example: "  uimport import --yes --region cn-bj2 --name centos7-web \\\n" +
			"    --url https://mybucket.cn-bj.ufileos.com/img/centos7.qcow2 \\\n" +
			"    --os-type CentOS --os-name 'CentOS 7.9 64位' --format qcow2\n" +
			"  uimport import --dry-run -o json ...   # sign and show, send nothing\n" +
			"  uimport import --yes --file disk.qcow2 --bucket mybucket ...   # upload, verify, then import",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runImport(cmd.Context(), app, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Spec.Region, "region", "", "region id, like sg, hk or cn-bj2 (env UCLOUD_REGION)")
	f.StringVar(&o.Spec.ProjectID, "project-id", "", "project id; empty for the default project (env UCLOUD_PROJECT_ID)")
	f.StringVar(&o.Spec.Name, "name", "", "image name, 1-63 characters")
	f.StringVar(&o.Spec.URL, "url", "", "where the image is in UFile: https://<bucket>.<region>.ufileos.com/<key>")
	f.StringVar(&o.Spec.OsType, "os-type", "", "family of the OS: "+strings.Join(importspec.OsTypeNames(), ", "))
	f.StringVar(&o.Spec.OsName, "os-name", "", "version of the OS as the console names it, like 'Ubuntu 22.04 64位' (Other when --os-type is Other)")
	f.StringVar(&o.Spec.Format, "format", "", "image format: "+strings.Join(importspec.FormatNames(), ", "))
	f.StringVar(&o.Spec.Tag, "tag", "", "business group (optional)")
	f.StringVar(&o.Spec.Description, "description", "", "image description (optional)")
	f.BoolVar(&o.Spec.AllowHTTP, "allow-http", false, "accept an http:// UFile URL")
	f.BoolVarP(&o.Yes, "yes", "y", false, "submit without asking; this authorises the import")
	f.BoolVar(&o.DryRun, "dry-run", false, "build and sign the request, print it, send nothing")
	f.BoolVar(&o.SkipCheck, "skip-check", false, "do not read the object's first bytes to check it exists and matches --format")
	f.StringVar(&o.File.Path, "file", "", "upload this local image to UFile first, then import it (with --bucket; instead of --url)")
	o.File.register(f)
	o.Wait.register(cmd)
	o.Wizard.register(f)
	return cmd
}

func runImport(ctx context.Context, app *App, g *globalFlags, o *importOptions) error {
	s, err := app.resolve(g)
	if err != nil {
		return err
	}
	spec := o.Spec
	spec.Region = first(spec.Region, s.Region)
	spec.ProjectID = first(spec.ProjectID, s.ProjectID)
	spec = spec.Normalize()
	if s.Demo {
		spec.AllowHTTP = true // the simulator's demo objects are on http://127.0.0.1
	}
	if o.File.Path != "" && spec.URL != "" {
		return usageErrorf("Use --url for an image already in UFile, or --file (with --bucket) to upload one; not both.",
			"--file and --url are mutually exclusive")
	}
	if !o.Yes && !o.DryRun && app.IO.CanPrompt() && !s.JSON {
		file := ui.FileSpec{Path: o.File.Path, Bucket: o.File.Bucket, Key: o.File.Key}
		return runWizard(ctx, app, s, spec, file, o.Wizard.Accessible, o.SkipCheck)
	}
	if o.File.Path != "" {
		return runImportFile(ctx, app, s, spec, o)
	}

	sess, err := app.openSession(ctx, s)
	if err != nil {
		return err
	}
	defer sess.Close()

	if missing := spec.Missing(); len(missing) > 0 {
		return usageErrorf("Pass them as flags, or run `uimport` on a terminal for the guided wizard.",
			"missing "+strings.Join(missing, ", "))
	}
	warnings, err := spec.Validate()
	for _, w := range warnings {
		warnf(app.IO.Err, "%s", w)
	}
	if err != nil {
		return usageErrorf("Correct the values above and run again.", "invalid input:\n"+err.Error())
	}
	if !o.Yes && !o.DryRun {
		return usageErrorf("Add --yes to authorise and submit the import, or --dry-run to see the signed request.",
			"no terminal to ask for confirmation")
	}

	client, err := sess.client(ctx)
	if err != nil {
		return err
	}
	if !o.SkipCheck {
		if err := sess.checkObject(ctx, spec, client.Keys); err != nil {
			return err
		}
	}
	req := client.PrepareImport(spec.Request())
	if o.DryRun {
		return printDryRun(app.IO, s.JSON, req)
	}
	return submitImport(ctx, app, s, sess, client, spec, req, o.Wait)
}

// submitImport sends the import once, remembers the choices and reports
// (or waits): the end of every non-interactive import, --url or --file.
func submitImport(ctx context.Context, app *App, s settings, sess *session, client *apiclient.Client,
	spec importspec.Spec, req apiclient.PreparedRequest, wait waitFlags) error {
	id, err := sess.submit(ctx, client, req)
	if err != nil {
		if ctxErr(ctx) {
			return fmt.Errorf("%w while submitting: %w", errInterrupted, err)
		}
		return err
	}
	if !s.Demo {
		remember(app, s, spec)
	}
	if !wait.Wait {
		return printImported(app.IO, s, spec, id)
	}
	if !s.JSON {
		fmt.Fprintln(app.IO.Out, id)
		okf(app.IO.Err, "Import submitted: %s (%s) in %s. Waiting for it to finish (Ctrl+C stops waiting, not the import).", id, spec.Name, spec.Region)
	}
	_, err = app.waitForImage(ctx, client, follow.Options{Region: spec.Region, ProjectID: spec.ProjectID, ImageID: id, Limit: wait.Timeout}, s)
	return err
}

// remember keeps the choices a person would otherwise retype next time.
func remember(app *App, s settings, spec importspec.Spec) {
	c := s.Config
	c.Region, c.ProjectID, c.LastOsType, c.LastFormat = spec.Region, spec.ProjectID, spec.OsType, spec.Format
	if c != s.Config {
		app.saveConfig(c)
	}
}

// importResult is `--output json`'s record of a submitted import.
type importResult struct {
	ImageID   string `json:"image_id"`
	Region    string `json:"region"`
	ProjectID string `json:"project_id,omitempty"`
	ImageName string `json:"image_name"`
	OsType    string `json:"os_type"`
	OsName    string `json:"os_name"`
	Format    string `json:"format"`
	State     string `json:"state"`
	Demo      bool   `json:"demo,omitempty"`
}

func printImported(io IO, s settings, spec importspec.Spec, id string) error {
	if s.JSON {
		return writeJSON(io.Out, importResult{
			ImageID: id, Region: spec.Region, ProjectID: spec.ProjectID, ImageName: spec.Name,
			OsType: spec.OsType, OsName: spec.OsName, Format: spec.Format, State: apiclient.StateMaking, Demo: s.Demo,
		})
	}
	fmt.Fprintln(io.Out, id)
	okf(io.Err, "Import submitted: %s (%s) in %s. The image is being built (state Making).", id, spec.Name, spec.Region)
	return nil
}
