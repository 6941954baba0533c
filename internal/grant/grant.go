// Package grant finds the access a permission failure lacks, and how to
// give it: an Azure role assignment (package rbac) or, for Microsoft
// Graph, an API permission (package graphperm). It takes plain values
// from the classifier and, for custom roles, from the recorder; every
// value is hostile, and the packages it calls keep only shapes they name.
package grant

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/graphperm"
	"github.com/azauthtrace/azauthtrace/internal/principal"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
)

// Input is what is known of a permission failure.
type Input struct {
	// Service is the classifier's name of the service that answered.
	Service string
	// Action and Scope are what the service named as denied, if it did.
	Action, Scope string
	// PrincipalID is the object ID the service named as denied, used
	// when no access token names the caller.
	PrincipalID string
	// Method, URL and Authorization are the request's, when it is known.
	Method        string
	URL           *url.URL
	Authorization string
	// Header is the response's, when there was one.
	Header http.Header
}

// Result is the grant: for Azure RBAC, the action, role, scope and
// command; for Microsoft Graph, the permission, its type and the
// commands.
type Result struct {
	Action, Role, RoleID, Scope string
	Permission, PermissionType  string
	Command, Note               string
}

// graphHosts are Microsoft Graph's hosts, in the public and national
// clouds.
var graphHosts = map[string]bool{
	"graph.microsoft.com":             true,
	"graph.microsoft.us":              true,
	"dod-graph.microsoft.us":          true,
	"microsoftgraph.chinacloudapi.cn": true,
}

// messagingClaims are the claims Service Bus and Event Hubs say a token
// lacks.
var messagingClaims = map[string]bool{"send": true, "listen": true, "manage": true}

// For returns the grant for a permission failure, with the roles of
// catalog (rbac.Builtin() and any custom roles), and false when nothing
// names or implies what was denied.
func For(in Input, catalog *rbac.Catalog) (Result, bool) {
	pr, _ := principal.FromAuthorization(in.Authorization, false)
	if in.URL != nil && graphHosts[strings.ToLower(in.URL.Hostname())] {
		return graph(in, pr)
	}
	d := rbac.Denial{
		Action:       in.Action,
		Scope:        in.Scope,
		Method:       in.Method,
		URL:          in.URL,
		Service:      in.Service,
		Assignee:     pr.ObjectID,
		AssigneeType: pr.Type,
	}
	if d.Assignee == "" {
		d.Assignee = in.PrincipalID
	}
	if in.Header != nil {
		d.CosmosSubstatus, _ = strconv.Atoi(in.Header.Get("x-ms-substatus"))
	}
	if messagingClaims[strings.ToLower(in.Action)] {
		// Service Bus and Event Hubs name the claim the token lacked and
		// the entity, not an operation.
		d.Action, d.Claims = "", []string{in.Action}
		if u, err := url.Parse(in.Scope); err == nil && u.Host != "" && d.URL == nil {
			d.URL = u
		}
		d.Scope = ""
	}
	g, ok := catalog.Grant(d)
	if !ok {
		return Result{}, false
	}
	return Result{
		Action: g.Action, Role: g.Role.Name, RoleID: g.Role.ID, Scope: g.Scope,
		Command: g.Command, Note: g.Note,
	}, true
}

// graph returns the Microsoft Graph permission a denied request needs.
func graph(in Input, pr principal.Principal) (Result, bool) {
	tok := graphperm.Token{
		AppOnly: pr.Roles != "" && pr.Scopes == "" || pr.Type == "app" && pr.Scopes == "",
		AppID:   pr.AppID,
		Roles:   strings.Fields(pr.Roles),
		Scopes:  strings.Fields(pr.Scopes),
	}
	r, ok := graphperm.Lookup(in.Method, in.URL.EscapedPath(), tok)
	if !ok {
		return Result{}, false
	}
	note := r.Note
	if r.Held != "" && note == "" {
		note = "the token already holds " + r.Held + ": the cause is elsewhere"
	}
	return Result{Permission: r.Permission, PermissionType: r.Type, Command: r.Command, Note: note}, true
}
