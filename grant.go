package azauthtrace

import (
	"net/http"

	"github.com/azauthtrace/azauthtrace/internal/grant"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// Grant is the access a permission failure lacks, and how to give it: an
// Azure role assignment, or for Microsoft Graph an API permission. The
// zero value means nothing named or implied what was denied. Every field
// is built by the library from names, GUIDs and resource IDs it
// validated, and cleaned as the other fields are.
type Grant struct {
	// Action is the Azure RBAC action or data action denied, as Azure
	// spells it, such as Microsoft.KeyVault/vaults/secrets/getSecret/action.
	Action string
	// Role and RoleID are the least-privileged built-in role that grants
	// Action, by name and definition GUID.
	Role, RoleID string
	// Scope is the narrowest sensible scope to assign Role at: the ARM ID
	// of the resource (of its resource group, for a resource not yet
	// created), or a shell expression that resolves it, such as
	// $(az keyvault show --name myvault --query id -o tsv).
	Scope string
	// Permission is, for Microsoft Graph, the least-privileged permission
	// the request needs for the kind of token sent, such as
	// User.Read.All, and PermissionType its kind: "Application" or
	// "Delegated".
	Permission, PermissionType string
	// Command is the Azure CLI command that grants it, to paste into a
	// POSIX shell and run as it is.
	Command string
	// Note says what else to know: that the resource does not exist yet,
	// that the token already holds the permission (the cause is then
	// elsewhere), that only a privileged role grants the action.
	Note string
}

// IsZero reports whether g holds no grant.
func (g Grant) IsZero() bool { return g == Grant{} }

// grantFor returns the grant of a permission failure f, from what the
// service named, the request req and the response header h (either may
// be nil), with the built-in roles.
func grantFor(f *Failure, req *http.Request, h http.Header) Grant {
	if f.Class != ClassPermission || f.Source != SourceService {
		return Grant{} // Entra ID's and managed identity's denials are no role's or API permission's
	}
	in := grant.Input{
		Service: f.Service, Action: f.Action, Scope: f.Scope, PrincipalID: f.PrincipalID, Header: h,
	}
	if req != nil {
		in.Method, in.URL, in.Authorization = req.Method, req.URL, req.Header.Get("Authorization")
	}
	r, ok := grant.For(in, rbac.Builtin())
	if !ok {
		return Grant{}
	}
	return Grant(r)
}

// clean makes every field of g fit for telemetry: the IDs as IDs, the
// command whole or not at all.
func (g *Grant) clean(sc safe.Scrubber) {
	g.Action = sc.Clean(safe.Path, g.Action).String()
	g.Role = sc.Clean(safe.Text, g.Role).String()
	g.RoleID = sc.Clean(safe.ID, g.RoleID).String()
	g.Scope = sc.Clean(safe.Command, g.Scope).String()
	g.Permission = sc.Clean(safe.Code, g.Permission).String()
	g.PermissionType = sc.Clean(safe.Code, g.PermissionType).String()
	g.Command = sc.Clean(safe.Command, g.Command).String()
	g.Note = sc.Clean(safe.Command, g.Note).String()
}
