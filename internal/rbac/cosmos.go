package rbac

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// Azure Cosmos DB for NoSQL checks its own data-plane roles, not Azure
// RBAC's; a token without one is refused with substatus 5301. Its two
// built-in roles have the same GUIDs in every account.
// https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles
// https://learn.microsoft.com/cli/azure/cosmosdb/sql/role/assignment#az-cosmosdb-sql-role-assignment-create

// CosmosSubstatusNoRole is the substatus of a Cosmos DB 403 for a
// principal without a data-plane role.
const CosmosSubstatusNoRole = 5301

var cosmosRoles = []struct {
	role        Role
	dataActions []string
}{
	{Role{Name: "Cosmos DB Built-in Data Reader", ID: "00000000-0000-0000-0000-000000000001"}, []string{
		"microsoft.documentdb/databaseaccounts/readmetadata",
		"microsoft.documentdb/databaseaccounts/sqldatabases/containers/items/read",
		"microsoft.documentdb/databaseaccounts/sqldatabases/containers/executequery",
		"microsoft.documentdb/databaseaccounts/sqldatabases/containers/readchangefeed",
	}},
	{Role{Name: "Cosmos DB Built-in Data Contributor", ID: "00000000-0000-0000-0000-000000000002"}, []string{
		"microsoft.documentdb/databaseaccounts/readmetadata",
		"microsoft.documentdb/databaseaccounts/sqldatabases/containers/*",
		"microsoft.documentdb/databaseaccounts/sqldatabases/containers/items/*",
	}},
}

const cosmosItems = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/"

// cosmosAction is the data action a Cosmos DB request needs when the
// service does not name it: reading items for GET, writing them for the
// rest. A POST to /docs may also be a query, which the Reader role
// allows; the note says so.
func cosmosAction(r request) (action, note string) {
	switch {
	case r.reads():
		return cosmosItems + "read", ""
	case r.method == "POST" && strings.EqualFold(r.seg(len(r.segs)-1), "docs"):
		return cosmosItems + "create", "A query needs only Cosmos DB Built-in Data Reader (00000000-0000-0000-0000-000000000001)."
	case r.method == "PUT":
		return cosmosItems + "replace", ""
	case r.method == "DELETE":
		return cosmosItems + "delete", ""
	case r.method == "PATCH", r.method == "POST":
		return cosmosItems + "upsert", ""
	}
	return "", ""
}

// cosmosGrant is the Cosmos DB data-plane role assignment for a denial.
func cosmosGrant(d Denial, r request, action string) (Grant, bool) {
	var note string
	if action == "" {
		action, note = cosmosAction(r)
	}
	if action == "" || r.resource == "" {
		return Grant{}, false
	}
	op := strings.ToLower(action)
	var role Role
	for _, cr := range cosmosRoles {
		if matchAny(cr.dataActions, op) {
			role = cr.role
			break
		}
	}
	if role.ID == "" {
		return Grant{}, false
	}
	scope := "/"
	if strings.EqualFold(r.seg(0), "dbs") && cosmosItemName.ok(r.seg(1)) {
		scope = "/dbs/" + r.seg(1)
		if strings.EqualFold(r.seg(2), "colls") && cosmosItemName.ok(r.seg(3)) {
			scope += "/colls/" + r.seg(3)
		}
	}
	account := r.resource
	group := `"$(az resource list --name ` + quote(account) + ` --resource-type 'Microsoft.DocumentDB/databaseAccounts' --query '[0].resourceGroup' -o tsv)"`
	principal := quote(placeholderAssignee)
	if safe.IsBareGUID(d.Assignee) {
		principal = quote(strings.ToLower(d.Assignee))
	}
	cmd := "az cosmosdb sql role assignment create --account-name " + quote(account) +
		" --resource-group " + group +
		" --role-definition-id " + role.ID +
		" --principal-id " + principal +
		" --scope " + quote(scope)
	return Grant{
		Action:     action,
		DataAction: true,
		Role:       role,
		Scope:      "$(" + showID("Microsoft.DocumentDB/databaseAccounts", account) + ")" + strings.TrimSuffix(scope, "/"),
		Command:    cmd,
		Note:       strings.TrimSpace("A Cosmos DB data-plane role, not an Azure RBAC role. " + note),
	}, true
}
