// Package rbac finds the Azure role assignment that would have allowed a
// request denied for want of a role: the operation denied, the least
// privileged role that grants it, the narrowest sensible scope and an
// az command that creates the assignment.
//
// [Catalog.Grant] is the entry point. It takes a [Denial], what is known
// of the failure, and finds the operation the service named (ARM's
// AuthorizationFailed, Key Vault's Action line, Azure AI's data action)
// or, where the service names none, the one the request implies (Azure
// Storage, Key Vault, App Configuration and Container Registry requests
// by method, path and query; Service Bus and Event Hubs by the claim they
// said was missing). Cosmos DB's own data-plane roles are assigned with
// az cosmosdb sql role assignment create. Where nothing names or implies
// the operation there is no grant, rather than a guess.
//
// [Catalog.Least] chooses the role. It matches operations as Azure does
// (without regard to case; * stands for any run of characters, / included;
// a /*/ inside a pattern also matches a single /; NotActions and
// NotDataActions subtract; actions and data actions never cross) and
// ranks the roles that grant one, best first:
//
//  1. a grant that needs no ABAC condition;
//  2. for an operation that changes nothing (a read, or a list or get
//     action such as listKeys), a role that changes nothing, the
//     scaffolding patterns many roles share aside, and reveals nothing
//     (no list or get action) of another provider namespace: Key Vault
//     Reader rather than Reader for a vault's read, Reader and Data
//     Access rather than the key operator that also regenerates keys;
//  3. a role assignable at any scope, then a job-function role rather
//     than a privileged administrator role (Owner, Contributor, User
//     Access Administrator, Role Based Access Control Administrator and
//     the others Microsoft files as privileged, or any role that allows
//     every action) unless the operation is Microsoft.Authorization's,
//     then a role Microsoft lists in its built-in roles index, then a role
//     whose name does not name another product (another provider
//     namespace; a short namespace word such as sql as a whole word);
//  4. a role whose name names the deepest resource type the operation acts
//     on (Storage Blob Data Contributor for a blob; a short type name
//     such as key as a whole word, a two-letter abbreviation such as DB
//     when the role's patterns name the type too, unless it follows the
//     brand word Azure and names a product, as in Azure AI);
//  5. a role named for the operation's first resource type or, by the
//     name's first words (brand words such as Azure aside), provider: a
//     name that names the provider after another product or feature
//     (Windows 365 Network User) is that product's; then one with a
//     pattern for that type, one most of whose telling patterns name that
//     provider;
//  6. the role that allows the fewest operations: writes, then reads,
//     counted against every operation the built-in roles name, a wildcard
//     counting what it matches and more for what no role names yet;
//  7. the fewest patterns, then the name.
//
// The built-in roles are Azure's own listing, copied to
// data/builtin-roles.json and embedded, compiled and measured, as a
// compressed table and the roles' GUIDs (roles.bin and ids.bin, written by
// ./gen); [Builtin] decodes them on first use. [ParseDefinitions] reads a
// user's custom roles from az role definition list, and [Catalog.With]
// adds them, measured against the built-ins.
//
// Every string a Denial holds is hostile. Only values of shapes named in
// this package (GUIDs, resource names of their documented character sets,
// ARM resource IDs built of such segments, operations of identifier
// segments) reach a Grant, and every value in a command is single-quoted.
package rbac
