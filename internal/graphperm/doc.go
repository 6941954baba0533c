// Package graphperm names the Microsoft Graph permission that a request
// needs, for the 403 Authorization_RequestDenied ("Insufficient privileges
// to complete the operation.") that says nothing of it.
//
// [Lookup] takes the request's method and path and what the access token
// says of the caller (app-only or a user's, its roles or scopes, its appid)
// and returns the least-privileged permission for that kind of token, its
// GUID, whether it needs admin consent, and the Azure CLI commands that add
// and consent it. When the token already holds a permission that grants the
// request, the result says so, because the cause is then elsewhere.
//
// The table is Microsoft's Graph permissions map
// (microsoftgraph/microsoft-graph-devx-content), trimmed to
// data/permissions.json and embedded in the compact form graphperm.dat that
// the generator in ./gen writes, with the permission its rules
// (gen/choose.go) choose for each request; it is decoded on the first
// lookup. Change data/permissions.json or the rules and run go generate,
// never edit graphperm.dat. docs/grant-graph.md describes the rules.
//
// Everything from the request and the token is treated as hostile: a
// [Result] holds only names and GUIDs from the table, fixed text, and an
// application ID that has the shape of a GUID.
package graphperm

//go:generate go run ./gen
