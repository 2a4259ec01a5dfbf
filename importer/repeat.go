package importer

import (
	"regexp"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
)

// CommandLine is the same import as flags, for scripts and repeats: the
// wizard says it when it ends.
func (s *Session) CommandLine(spec importspec.Spec) string {
	demo := s.Demo()
	args := []string{"uimport", "import", "--yes"}
	add := func(flag, v string) {
		if v != "" {
			args = append(args, flag, shellArg(v))
		}
	}
	if demo {
		args = append(args, "--demo")
	} else if s.settings.BaseURL != apiclient.DefaultBaseURL {
		add("--base-url", s.settings.BaseURL)
	}
	if s.settings.Profile != "default" {
		add("--profile", s.settings.Profile)
	}
	add("--region", spec.Region)
	add("--project-id", spec.ProjectID)
	add("--name", spec.Name)
	add("--url", spec.URL)
	add("--os-type", spec.OsType)
	add("--os-name", spec.OsName)
	add("--format", spec.Format)
	add("--tag", spec.Tag)
	add("--description", spec.Description)
	if spec.AllowHTTP && !demo { // --demo allows http itself, for the simulator's objects
		args = append(args, "--allow-http")
	}
	return strings.Join(args, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// shellArg quotes v for POSIX shells when it needs it.
func shellArg(v string) string {
	if shellSafe.MatchString(v) {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
