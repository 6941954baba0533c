package rbac

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// Every value that reaches a command comes from a response, a request or
// a token, so it is accepted only in a shape named here, each built of
// characters that mean nothing to a POSIX shell inside single quotes and
// nothing to az.

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// nameRule is the documented character set and length of a kind of Azure
// resource name.
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
type nameRule struct {
	min, max int
	// extra lists the characters allowed besides letters and digits.
	extra string
	// lower requires lowercase letters.
	lower bool
	// edgeAlnum requires a letter or digit first and last.
	edgeAlnum bool
}

// The name rules of the resources a data-plane host or path names.
var (
	// Key Vault: 3-24 alphanumerics and hyphens.
	vaultName = nameRule{min: 3, max: 24, extra: "-", edgeAlnum: true}
	// Storage account: 3-24 lowercase letters and digits.
	storageAccountName = nameRule{min: 3, max: 24, lower: true}
	// Blob container, file share: 3-63 lowercase letters, digits, hyphens.
	containerName = nameRule{min: 3, max: 63, extra: "-", lower: true, edgeAlnum: true}
	// Queue: 3-63 lowercase letters, digits, hyphens.
	queueName = containerName
	// Table: 3-63 alphanumerics, starting with a letter.
	tableName = nameRule{min: 3, max: 63, edgeAlnum: true}
	// Container registry: 5-50 alphanumerics.
	registryName = nameRule{min: 5, max: 50}
	// Service Bus and Event Hubs namespace: 6-50 alphanumerics and
	// hyphens.
	namespaceName = nameRule{min: 6, max: 50, extra: "-", edgeAlnum: true}
	// Queue, topic, event hub: 1-260 (event hub 256) alphanumerics,
	// periods, hyphens, underscores (and, for Service Bus, slashes, which
	// are refused here: a path would name another entity).
	entityName = nameRule{min: 1, max: 256, extra: ".-_", edgeAlnum: true}
	// App Configuration store: 5-50 alphanumerics, hyphens.
	configStoreName = nameRule{min: 5, max: 50, extra: "-", edgeAlnum: true}
	// Cognitive Services account (custom subdomain): 2-64 alphanumerics,
	// hyphens.
	cognitiveName = nameRule{min: 2, max: 64, extra: "-", edgeAlnum: true}
	// Cosmos DB account: 3-44 lowercase letters, digits, hyphens.
	cosmosAccountName = nameRule{min: 3, max: 44, extra: "-", lower: true, edgeAlnum: true}
	// Cosmos DB database and container IDs are 1-255 characters of a
	// wide set; only names of letters, digits, - and _ are used here.
	cosmosItemName = nameRule{min: 1, max: 255, extra: "-_"}
	// ARM resource ID segment: a name of most resource types; the
	// characters below are those names may hold that are harmless.
	armSegment = nameRule{min: 1, max: 90, extra: "-_.()"}
)

// ok reports whether s has the rule's shape. A value that begins as a
// JSON Web Token does (eyJ, the base64 of {") is never a name.
func (r nameRule) ok(s string) bool {
	if len(s) < r.min || len(s) > r.max || strings.HasPrefix(s, "eyJ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c):
			if r.lower && 'A' <= c && c <= 'Z' {
				return false
			}
		case strings.IndexByte(r.extra, c) >= 0:
			if r.edgeAlnum && (i == 0 || i == len(s)-1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// armID returns the ARM resource ID s, cleaned of a trailing /, when it
// is one: /subscriptions/<GUID>, then pairs of a type and a name, each
// segment of armSegment's shape; "" otherwise. A management group or the
// tenant root scope ("/") is not accepted: a failure names neither.
func armID(s string) string {
	s = strings.TrimSuffix(s, "/")
	segs := strings.Split(s, "/")
	if len(segs) < 3 || segs[0] != "" || !strings.EqualFold(segs[1], "subscriptions") || !safe.IsBareGUID(segs[2]) {
		return ""
	}
	// An ARM ID alternates types and names: /subscriptions/<id>
	// [/resourceGroups/<name>[/providers/<namespace>/<type>/<name>...]].
	if len(segs) > 41 || len(segs)%2 == 0 {
		return ""
	}
	for _, seg := range segs[3:] {
		if !armSegment.ok(seg) || strings.Trim(seg, ".") == "" {
			return ""
		}
	}
	return s
}

// resourceGroupOf returns the /subscriptions/<id>/resourceGroups/<name>
// prefix of an ARM ID, or "" when it names none.
func resourceGroupOf(id string) string {
	segs := strings.Split(id, "/")
	if len(segs) >= 5 && strings.EqualFold(segs[3], "resourceGroups") {
		return strings.Join(segs[:5], "/")
	}
	return ""
}
