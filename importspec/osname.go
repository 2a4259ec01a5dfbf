package importspec

import (
	"fmt"
	"regexp"
	"slices"
)

// consoleOsName is how the console writes a version: a name, a version
// number, then 64位 or 32位 ("Rocky Linux 9 64位"). The name holds no 位,
// so two names run together ("Ubuntu 24.04 64位Ubuntu 22.04 64位") fail.
var consoleOsName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ._/()+-]*? [0-9]+(\.[0-9]+)*[A-Za-z0-9.-]* (64|32)位$`)

// OsNameWarning says why an OsName looks wrong although the API would take
// it: neither a name the console offers, nor "<name> <version> 64位|32位",
// nor Other. It is a warning, not a refusal; "" when the name looks right
// (or is empty, which ValidateOsName refuses).
func OsNameWarning(v string) string {
	if v == "" || v == OsTypeOther || consoleOsName.MatchString(v) {
		return ""
	}
	for _, t := range OsTypes {
		if slices.Contains(t.Examples, v) {
			return ""
		}
	}
	return fmt.Sprintf("OS name %q is not written as the console writes one: <name> <version> 64位 or 32位, "+
		"like %q; check it", v, "Ubuntu 22.04 64位")
}
