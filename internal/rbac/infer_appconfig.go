package rbac

import "strings"

// App Configuration's data actions, from its RBAC page:
// https://learn.microsoft.com/azure/azure-app-configuration/concept-enable-rbac
const configPrefix = "Microsoft.AppConfiguration/configurationStores/"

// inferAppConfig reads an App Configuration request: key-values (/kv,
// /keys, /labels, /revisions, /locks) and snapshots.
func inferAppConfig(r request) (inferred, bool) {
	scope := scopeArg{resolve: showID("Microsoft.AppConfiguration/configurationStores", r.resource)}
	var op string
	switch strings.ToLower(r.seg(0)) {
	case "kv", "keys", "labels", "revisions", "locks":
		switch {
		case r.reads():
			op = "keyValues/read"
		case r.method == "DELETE" && strings.EqualFold(r.seg(0), "kv"):
			op = "keyValues/delete"
		case r.method == "PUT", r.method == "DELETE", r.method == "PATCH":
			op = "keyValues/write"
		}
	case "snapshots":
		switch {
		case r.reads():
			op = "snapshots/read"
		case r.method == "PUT":
			op = "snapshots/write"
		case r.method == "PATCH":
			op = "snapshots/archive/action"
		}
	}
	if op == "" {
		return inferred{}, false
	}
	return inferred{action: configPrefix + op, scope: scope}, true
}
