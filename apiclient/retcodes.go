package apiclient

import "fmt"

// RetCodeInfo explains a RetCode to a person.
type RetCodeInfo struct {
	Meaning string
	Fix     string
}

// retCodes holds every RetCode docs/API.md lists, in plain words.
var retCodes = map[int]RetCodeInfo{
	110:  {"The API gateway timed out.", "Try again in a minute."},
	130:  {"The gateway or its authentication service failed.", "Try again in a minute; if it persists, contact support."},
	150:  {"The service is temporarily unavailable.", "Try again later."},
	153:  {"Too many requests: rate limited.", "Wait a minute, then try again."},
	160:  {"The request had no Action.", "This is a bug in uimport: please report it."},
	161:  {"The API does not know this Action.", "Check --base-url: this host may not serve UHost (e.g. https://api.scloudsg.com)."},
	170:  {"The request had no signature.", "This is a bug in uimport: please report it."},
	171:  {"The signature did not verify: the private key does not match the public key, or a parameter was changed on the way.", "Check the private key (`uimport auth login` to store it again) and that no proxy rewrites requests."},
	172:  {"No user has this public key on this host.", "Check the public key, and that --base-url is the host these keys belong to (SCloud, UCloud and SurferCloud keys differ)."},
	174:  {"The token does not exist.", "Log in again to get fresh credentials (`uimport auth login`)."},
	230:  {"A parameter is missing or invalid.", "The message names the parameter: correct that value and submit again."},
	292:  {"The project does not exist.", "Check --project-id (list projects in the console, or leave it empty for the default project)."},
	293:  {"These keys may not use that zone or region.", "Pick another region, or ask the account owner for access."},
	294:  {"Your IP address is not in the account's API whitelist.", "Add this machine's public IP to the API whitelist in the console, or run from an allowed host."},
	295:  {"The account's security-lock check failed.", "Unlock API access in the console's security settings, then try again."},
	299:  {"These keys lack the IAM permission for this action.", "Ask the account owner to grant UHost image permissions to this user."},
	8095: {"A quota was exceeded (e.g. the number of custom images).", "Delete unused custom images or request a higher quota."},
	8104: {"The account has an unpaid order.", "Settle the outstanding order in the console, then try again."},
	8226: {"The account needs real-name verification.", "Complete real-name verification in the console."},
	8300: {"The import was not authorised (Auth was not true).", "Confirm the authorisation; uimport always sends Auth=true, so report this if you see it."},
	8301: {"Importing the custom image failed.", "Check the UFile URL is reachable from the cloud and the image format is right, then try again."},
	8305: {"Pre-warming the image failed.", "Try the import again; if it persists, contact support with the ImageId."},
	8956: {"Not a custom image, or the image does not exist.", "Check the ImageId and the region."},
}

// Explain returns what a RetCode means and what to do about it.
func Explain(code int) RetCodeInfo {
	if info, ok := retCodes[code]; ok {
		return info
	}
	return RetCodeInfo{
		Meaning: fmt.Sprintf("The API refused the request with RetCode %d.", code),
		Fix:     "Read the message above; the cloud's API documentation lists this code.",
	}
}

// KnownRetCodes lists the codes Explain knows, for tests and docs.
func KnownRetCodes() []int {
	out := make([]int, 0, len(retCodes))
	for c := range retCodes {
		out = append(out, c)
	}
	return out
}
