package graphperm

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// graphAppID is Microsoft Graph's application ID, the --api of the commands.
const graphAppID = "00000003-0000-0000-c000-000000000000"

// appIDPlaceholder stands for an application ID that is not a GUID.
const appIDPlaceholder = "<application-id>"

// command returns the Azure CLI commands that add the permission to the
// application and consent it, as Microsoft Learn documents them
// (https://learn.microsoft.com/cli/azure/ad/app/permission):
//
//   - az ad app permission add --id <appId> --api <Graph> --api-permissions
//     <GUID>=Role for an application permission (an app role), =Scope for
//     a delegated one;
//   - then az ad app permission admin-consent --id <appId> when it needs
//     an administrator's consent (always for an app role), else
//     az ad app permission grant --id <appId> --api <Graph> --scope <name>.
//
// appID is hostile: only a GUID is written, in lower case; anything else
// gives the placeholder <application-id>.
func command(appID string, p perm, kind int) string {
	id := appIDPlaceholder
	if safe.IsBareGUID(appID) {
		id = strings.ToLower(appID)
	}
	add := "az ad app permission add --id " + id + " --api " + graphAppID + " --api-permissions "
	consent := " && az ad app permission admin-consent --id " + id
	if kind == 0 {
		return add + p.appID + "=Role" + consent
	}
	if p.delAdmin {
		return add + p.delID + "=Scope" + consent
	}
	return add + p.delID + "=Scope && az ad app permission grant --id " + id + " --api " + graphAppID + " --scope " + p.name
}
