package grant_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/grant"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
)

const (
	oid   = "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a"
	appID = "00001111-aaaa-2222-bbbb-3333cccc4444"
)

func bearer(claims map[string]any) string {
	return "Bearer " + oteltest.JWT("", claims, "sig")
}

func parse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestFor checks what the grant is made of: the operation and scope the
// service named, the request, the token's principal and kind, the
// claim Service Bus named, Cosmos DB's substatus, and Graph's host. The
// roles and permissions expected are those Microsoft Learn names for the
// operation (the rbac and graphperm tables cite the pages).
func TestFor(t *testing.T) {
	app := bearer(map[string]any{"oid": oid, "idtyp": "app", "appid": appID})
	user := bearer(map[string]any{"oid": oid, "idtyp": "user", "appid": appID, "scp": "User.Read"})
	for _, tc := range []struct {
		name string
		in   grant.Input
		// want are the fields expected, and command the parts the command
		// must hold.
		want    grant.Result
		command []string
	}{
		{
			name: "ARM names the action; a create is granted on the resource group",
			in: grant.Input{
				Action: "Microsoft.Storage/storageAccounts/write", Method: http.MethodPut,
				Scope:         "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
				URL:           parse(t, "https://management.azure.com/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/acct?api-version=2023-01-01"),
				Authorization: app,
			},
			want: grant.Result{Action: "Microsoft.Storage/storageAccounts/write", Role: "Storage Account Contributor",
				RoleID: "17d1049b-9a84-46fb-8f53-869881c3d3ab", Scope: "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/rg"},
			command: []string{"az role assignment create", "--assignee-object-id '" + oid + "'", "--assignee-principal-type ServicePrincipal", "--role '17d1049b-9a84-46fb-8f53-869881c3d3ab'"},
		},
		{
			name:    "a blob read implies the data action; a user's token",
			in:      grant.Input{Method: http.MethodGet, URL: parse(t, "https://acct.blob.core.windows.net/c/b.txt"), Authorization: user},
			want:    grant.Result{Action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", Role: "Storage Blob Data Reader", RoleID: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"},
			command: []string{"--assignee-principal-type User", "az storage account show --name 'acct'"},
		},
		{
			name:    "Service Bus names the claim and the entity; no token",
			in:      grant.Input{Service: "Azure Service Bus", Action: "Send", Scope: "sb://contoso-sb.servicebus.windows.net/orders"},
			want:    grant.Result{Action: "Microsoft.ServiceBus/namespaces/messages/send/action", Role: "Azure Service Bus Data Sender", RoleID: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"},
			command: []string{"'<principal-object-id>'", "'contoso-sb'"},
		},
		{
			name: "Cosmos DB's substatus 5301 is a Cosmos DB data-plane role",
			in: grant.Input{Method: http.MethodGet, URL: parse(t, "https://acct.documents.azure.com/dbs/db/colls/c/docs/d"), Authorization: app,
				Header: http.Header{"X-Ms-Substatus": {"5301"}}},
			want:    grant.Result{Role: "Cosmos DB Built-in Data Reader", RoleID: "00000000-0000-0000-0000-000000000001"},
			command: []string{"az cosmosdb sql role assignment create", "--principal-id '" + oid + "'"},
		},
		{
			name:    "Graph, an app-only token: an application permission",
			in:      grant.Input{Method: http.MethodGet, URL: parse(t, "https://graph.microsoft.com/v1.0/users"), Authorization: app},
			want:    grant.Result{Permission: "User.Read.All", PermissionType: "Application"},
			command: []string{"az ad app permission add --id " + appID, "=Role", "admin-consent"},
		},
		{
			name:    "Graph, a user's token: a delegated permission",
			in:      grant.Input{Method: http.MethodGet, URL: parse(t, "https://graph.microsoft.com/v1.0/users"), Authorization: user},
			want:    grant.Result{Permission: "User.ReadBasic.All", PermissionType: "Delegated"},
			command: []string{"az ad app permission add --id " + appID, "=Scope"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := grant.For(tc.in, rbac.Builtin())
			if !ok {
				t.Fatal("no grant")
			}
			check := func(what, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("action", got.Action, tc.want.Action)
			check("role", got.Role, tc.want.Role)
			check("role ID", got.RoleID, tc.want.RoleID)
			check("scope", got.Scope, tc.want.Scope)
			check("permission", got.Permission, tc.want.Permission)
			check("permission type", got.PermissionType, tc.want.PermissionType)
			for _, part := range tc.command {
				if !strings.Contains(got.Command, part) {
					t.Errorf("command %q lacks %q", got.Command, part)
				}
			}
		})
	}
}

// TestForNothingNamed gives no grant where nothing names or implies what
// was denied.
func TestForNothingNamed(t *testing.T) {
	for _, in := range []grant.Input{
		{},
		{Method: http.MethodGet, URL: parse(t, "https://example.com/x")},
		{Action: "not an action", Scope: "$(rm -rf ~)"},
	} {
		if got, ok := grant.For(in, rbac.Builtin()); ok {
			t.Errorf("For(%+v) = %+v; want no grant", in, got)
		}
	}
}
