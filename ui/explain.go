package ui

// explanations say in one line what each field is for, for someone importing
// an image for the first time. The full screen shows them under the field
// titles; accessible mode prints them before each prompt.
var explanations = map[string]string{
	"public":      "Identifies you; shown masked afterwards.",
	"private":     "Signs requests; hidden as you type, never shown or sent.",
	"save":        "Kept by your OS (Keychain, Credential Manager or Secret Service).",
	"region":      "Where the image will live; the UFile bucket should be there too.",
	"project":     "Sub-accounts must pick one; otherwise the default is fine.",
	"name":        "Shown in the console: 1-63 letters, digits, spaces and -_.()[]:+@#,/",
	"ostype":      "The system on the disk. Other gets no password or network set-up.",
	"osname":      "The version as the console names it.",
	"format":      "How the disk file is stored; it must match the file.",
	"tag":         "Optional business group to sort images by; empty means Default.",
	"description": "Optional note for your team, up to 255 characters.",
	"url":         "https://<bucket>.<region>.ufileos.com/<key>; private buckets need a signed URL.",
	"auth":        "The API imports only with your explicit authorisation (Auth=true).",
	"file":        "Path to the disk image on this machine; ~ is your home.",
	"bucket":      "The UFile bucket it goes to, best in the image's region.",
	"key":         "Where in the bucket; empty means the file's name.",
}

// keyHints follow an explanation on the full screen only: accessible mode
// has no such keys.
var keyHints = map[string]string{
	"region": " / filters.",
	"osname": " ctrl+e takes the grey suggestion.",
	"file":   " ctrl+e completes names in this directory.",
}

// describe is a field's description on the full screen.
func describe(key string) string { return explanations[key] + keyHints[key] }
