package rbac

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// The commands are for a POSIX shell (bash, zsh, Azure Cloud Shell). Every
// value in them has passed a shape check of shape.go; each is still
// single-quoted, so that even a value that slipped through stays one
// word of literal text.

// placeholderAssignee stands for a principal the failure does not name.
const placeholderAssignee = "<principal-object-id>"

// quote single-quotes s for a POSIX shell.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// scopeArg is a --scope value: a literal ARM ID, or one that az resolves
// (a command substitution naming the resource, and a path appended to
// the ID it prints).
type scopeArg struct {
	// id is the literal ARM resource ID.
	id string
	// resolve is an az command that prints the resource's ID.
	resolve string
	// suffix is appended to what resolve prints; of name characters and
	// / only, safe inside double quotes.
	suffix string
}

func (s scopeArg) empty() bool { return s.id == "" && s.resolve == "" }

// shell is the scope as one shell word.
func (s scopeArg) shell() string {
	if s.id != "" {
		return quote(s.id)
	}
	return `"$(` + s.resolve + `)` + s.suffix + `"`
}

// display is the scope as recorded: the ARM ID, or the resolving command's
// form.
func (s scopeArg) display() string {
	if s.id != "" {
		return s.id
	}
	return "$(" + s.resolve + ")" + s.suffix
}

// showID is an az command that prints the ID of the resource of the given
// type and name: az <group> show where it needs no resource group, az
// resource list otherwise.
func showID(resourceType, name string) string {
	switch resourceType {
	case "Microsoft.KeyVault/vaults":
		return "az keyvault show --name " + quote(name) + " --query id -o tsv"
	case "Microsoft.Storage/storageAccounts":
		return "az storage account show --name " + quote(name) + " --query id -o tsv"
	case "Microsoft.ContainerRegistry/registries":
		return "az acr show --name " + quote(name) + " --query id -o tsv"
	case "Microsoft.AppConfiguration/configurationStores":
		return "az appconfig show --name " + quote(name) + " --query id -o tsv"
	}
	return "az resource list --name " + quote(name) + " --resource-type " + quote(resourceType) + " --query " + quote("[0].id") + " -o tsv"
}

// principalType maps what is known of the identity to az's
// --assignee-principal-type, "" when unknown.
func principalType(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "user":
		return "User"
	case "serviceprincipal", "service principal", "app", "application", "managedidentity", "managed identity":
		return "ServicePrincipal"
	case "group":
		return "Group"
	}
	return ""
}

// assignmentCommand is the az role assignment create command.
func assignmentCommand(assignee, assigneeType, roleID string, scope scopeArg) string {
	var b strings.Builder
	b.WriteString("az role assignment create --assignee-object-id ")
	if safe.IsBareGUID(assignee) {
		b.WriteString(quote(strings.ToLower(assignee)))
		if t := principalType(assigneeType); t != "" {
			b.WriteString(" --assignee-principal-type " + t)
		}
	} else {
		b.WriteString(quote(placeholderAssignee))
	}
	b.WriteString(" --role " + quote(roleID))
	b.WriteString(" --scope " + scope.shell())
	return b.String()
}
