package rbac

import "strings"

// Container Registry's pull and push, from its roles page:
// https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview
const (
	registryPull   = "Microsoft.ContainerRegistry/registries/pull/read"
	registryPush   = "Microsoft.ContainerRegistry/registries/push/write"
	registryDelete = "Microsoft.ContainerRegistry/registries/artifacts/delete"
	registryNote   = "A registry in the RBAC Registry + ABAC Repository Permissions mode honours Container Registry Repository Reader, Writer or Contributor instead."
)

// inferRegistry reads a registry request: the Docker Registry API
// (/v2/...) by method, or the token endpoint (/oauth2/token) by the
// actions its scope asks (repository:<name>:pull,push).
func inferRegistry(r request) (inferred, bool) {
	scope := scopeArg{resolve: showID("Microsoft.ContainerRegistry/registries", r.resource)}
	var op string
	switch strings.ToLower(r.seg(0)) {
	case "oauth2":
		asks := ""
		for _, s := range r.query["scope"] {
			if parts := strings.Split(s, ":"); len(parts) == 3 && parts[0] == "repository" {
				asks += "," + parts[2]
			}
		}
		switch {
		case strings.Contains(asks, "delete"), strings.Contains(asks, "*"):
			return inferred{}, false // more than one action asked
		case strings.Contains(asks, "push"):
			op = registryPush
		case strings.Contains(asks, "pull"):
			op = registryPull
		}
	case "v2":
		switch {
		case len(r.segs) < 3:
			// /v2/ and /v2/_catalog are not a repository's.
		case r.reads():
			op = registryPull
		case r.method == "DELETE":
			op = registryDelete
		case r.method == "PUT", r.method == "POST", r.method == "PATCH":
			op = registryPush
		}
	}
	if op == "" {
		return inferred{}, false
	}
	return inferred{action: op, scope: scope, note: registryNote}, true
}
