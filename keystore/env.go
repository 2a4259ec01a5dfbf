package keystore

import (
	"fmt"
	"os"
	"strings"
)

// Environment variable names shared with the UCloud SDK, its Terraform
// provider and Packer, so one set of exports serves every tool.
const (
	EnvPublicKey  = "UCLOUD_PUBLIC_KEY"
	EnvPrivateKey = "UCLOUD_PRIVATE_KEY"
	EnvProfile    = "UCLOUD_PROFILE"
)

// DefaultProfile is the profile used when none is named; the ucloud CLI uses
// the same name.
const DefaultProfile = "default"

// ProfileFromEnv returns UCLOUD_PROFILE, or DefaultProfile when it is unset or
// blank. A nil getenv means os.Getenv.
func ProfileFromEnv(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	return profileOrDefault(getenv(EnvProfile))
}

func profileOrDefault(p string) string {
	if p = strings.TrimSpace(p); p != "" {
		return p
	}
	return DefaultProfile
}

// credentialsFromEnv reads UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY. When the
// variables are present but unusable, note says why, so that a half-finished
// export is reported instead of silently falling through to another source.
func credentialsFromEnv(getenv func(string) string) (c Credentials, ok bool, note string) {
	if getenv == nil {
		return Credentials{}, false, ""
	}
	c = Credentials{PublicKey: getenv(EnvPublicKey), PrivateKey: getenv(EnvPrivateKey)}
	hasPublic := strings.TrimSpace(c.PublicKey) != ""
	hasPrivate := strings.TrimSpace(c.PrivateKey) != ""
	switch {
	case !hasPublic && !hasPrivate:
		return Credentials{}, false, ""
	case !hasPrivate:
		return Credentials{}, false, fmt.Sprintf("%s is set but %s is not: environment skipped", EnvPublicKey, EnvPrivateKey)
	case !hasPublic:
		return Credentials{}, false, fmt.Sprintf("%s is set but %s is not: environment skipped", EnvPrivateKey, EnvPublicKey)
	}
	c, err := c.Normalize()
	if err != nil {
		return Credentials{}, false, fmt.Sprintf("%s/%s skipped: %v", EnvPublicKey, EnvPrivateKey, err)
	}
	return c, true, ""
}
