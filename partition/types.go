package partition

// mbrTypeName names an MBR partition type byte.
func mbrTypeName(t byte) string {
	switch t {
	case 0x83:
		return "linux"
	case 0x8E:
		return "linux-lvm"
	case 0x82:
		return "swap"
	case 0xFD:
		return "linux-raid"
	case 0xEA:
		return "xbootldr"
	case 0xEF:
		return "efi"
	case 0x05, 0x0F, 0x85:
		return "extended"
	case 0x07:
		return "ntfs/exfat"
	case 0x27:
		return "windows-recovery"
	case 0x42:
		return "windows-dynamic"
	case 0x0B, 0x0C:
		return "fat32"
	case 0x01, 0x04, 0x06, 0x0E:
		return "fat"
	case 0xEE:
		return "gpt-protective"
	case 0xA5:
		return "freebsd"
	case 0xA6:
		return "openbsd"
	case 0xA9:
		return "netbsd"
	case 0xBF:
		return "solaris"
	}
	return "unknown"
}

// gptTypes names the GPT partition type GUIDs an imported disk is likely
// to hold (upper-case canonical form).
var gptTypes = map[string]string{
	"C12A7328-F81F-11D2-BA4B-00A0C93EC93B": "efi",
	"21686148-6449-6E6F-744E-656564454649": "bios-boot",
	"0FC63DAF-8483-4772-8E79-3D69D8477DE4": "linux",
	"E6D6D379-F507-44C2-A23C-238F2A3DF928": "linux-lvm",
	"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F": "swap",
	"A19D880F-05FC-4D3B-A006-743F0F84911E": "linux-raid",
	"BC13C2FF-59E6-4262-A352-B275FD6F7172": "xbootldr",
	"4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709": "linux-root-x86_64",
	"44479540-F297-41B2-9AF7-D131D5F0458A": "linux-root-x86",
	"B921B045-1DF0-41C3-AF44-4C6F280D3FAE": "linux-root-arm64",
	"8484680C-9521-48C6-9C11-B0720656F69E": "linux-usr-x86_64",
	"B0E01050-EE5F-4390-949A-9101B17104E9": "linux-usr-arm64",
	"933AC7E1-2EB4-4F13-B844-0E14E2AEF915": "linux-home",
	"3B8F8425-20E0-4F3B-907F-1A25A76F98E8": "linux-srv",
	"4D21B016-B534-45C2-A9FB-5C16E091FD2D": "linux-var",
	"7EC6F557-3BC5-4ACA-B293-16EF5DF639D1": "linux-var-tmp",
	"CA7D7CCB-63ED-4C53-861C-1742536059CC": "linux-luks",
	"7FFEC5C9-2D00-49B7-8941-3EA10A5586B7": "linux-dm-crypt",
	"8DA63339-0007-60C0-C436-083AC8230908": "linux-reserved",
	"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7": "microsoft-basic-data",
	"E3C9E316-0B5C-4DB8-817D-F92DF00215AE": "windows-reserved",
	"DE94BBA4-06D1-4D40-A16A-BFD50179D6AC": "windows-recovery",
	"5808C8AA-7E8F-42E0-85D2-E1E90434CFB3": "windows-ldm-metadata",
	"AF9B60A0-1431-4F62-BC68-3311714A69AD": "windows-ldm-data",
	"516E7CB4-6ECF-11D6-8FF8-00022D09712B": "freebsd",
	"516E7CBA-6ECF-11D6-8FF8-00022D09712B": "freebsd-zfs",
	"6A898CC3-1DD2-11B2-99A6-080020736631": "zfs",
	"48465300-0000-11AA-AA11-00306543ECAC": "apple-hfs",
	"7C3457EF-0000-11AA-AA11-00306543ECAC": "apple-apfs",
}

func gptTypeName(guid string) string {
	if n, ok := gptTypes[guid]; ok {
		return n
	}
	return "unknown"
}
