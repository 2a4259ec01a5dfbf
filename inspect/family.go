package inspect

// OSTypeFamily is the family of an API OsType ("rhel" for CentOS, RedHat,
// Rocky, AlmaLinux; "debian" for Ubuntu and Debian; "suse"; "windows"),
// "" for Other or an unknown value: for a caller that compares an OsType
// chosen after the inspection with its suggestion, as os-mismatch does.
func OSTypeFamily(osType string) string { return declaredFamily(osType) }
