package policy_test

import (
	"strings"
	"testing"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"

	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// customRoles is what az role definition list --custom-role-only true
// prints for one role that reads blobs and nothing else.
const customRoles = `[{
  "assignableScopes": ["/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69"],
  "description": "Reads blobs.",
  "id": "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
  "name": "11111111-2222-3333-4444-555555555555",
  "permissions": [{"actions": [], "notActions": [], "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], "notDataActions": []}],
  "roleName": "Blob Reader Only",
  "roleType": "CustomRole",
  "type": "Microsoft.Authorization/roleDefinitions"
}]`

// TestPolicyGrant checks the grant of a blob read denied for want of a
// data role: Storage Blob Data Reader, Microsoft Learn's least-privileged
// built-in role for it
// (https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory);
// and with CustomRoles, the user's own role that reads blobs and nothing
// more.
func TestPolicyGrant(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	for _, tc := range []struct {
		name         string
		custom       string
		role, roleID string
	}{
		{"built-in", "", "Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"},
		{"custom", customRoles, "Blob Reader Only", "11111111-2222-3333-4444-555555555555"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := newTelemetry(t)
			p := authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider, CustomRoles: []byte(tc.custom)})
			pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{p}, transport: srv.Client(), cred: tokenCredential()})
			resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.StorageHost)+"/container/blob.txt")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			spans := tel.SpansNamed("GET " + fakeservice.StorageHost)
			if len(spans) != 1 {
				t.Fatalf("spans %s", tel.SpanNames())
			}
			oteltest.CheckAttrs(t, "span", spans[0].Attributes(), map[attribute.Key]any{
				otelx.GrantActionKey: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
				otelx.GrantRoleKey:   tc.role,
				otelx.GrantRoleIDKey: tc.roleID,
			})
			cmd := oteltest.Attrs(spans[0].Attributes())[otelx.GrantCommandKey].AsString()
			for _, want := range []string{"az role assignment create", "--assignee-object-id '" + objectID + "'", "--role '" + tc.roleID + "'", "az storage account show --name 'fakeaccount'"} {
				if !strings.Contains(cmd, want) {
					t.Errorf("command %q lacks %q", cmd, want)
				}
			}
		})
	}
}
