package azauthtrace

import "testing"

func TestDeniedPrincipal(t *testing.T) {
	tests := []struct {
		name, msg                 string
		id, principal, act, scope string
	}{
		{
			name: "ARM AuthorizationFailed",
			msg:  "The client 'alice@contoso.com' with object id 'o1' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write' over scope '/subscriptions/s/resourceGroups/rg' or the scope is invalid. If access was recently granted, please refresh your credentials.",
			id:   "o1", principal: "alice@contoso.com",
			act: "Microsoft.Storage/storageAccounts/write", scope: "/subscriptions/s/resourceGroups/rg",
		},
		{
			name: "ARM LinkedAuthorizationFailed names the linked action and scope, not the granted ones",
			msg:  "The client 'o2' with object id 'o2' has permission to perform action 'Microsoft.Compute/virtualMachines/write' on scope '/vm'; however, it does not have permission to perform action(s) 'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s) '/subnet' (respectively) or the linked scope(s) are invalid.",
			id:   "o2", act: "Microsoft.Network/virtualNetworks/subnets/join/action", scope: "/subnet",
		},
		{
			name: "an apostrophe in the text does not shift the values",
			msg:  "The client's request: The client 'app' with object id 'o3' doesn't fit; it does not have authorization to perform action 'A' over scope 'S'.",
			id:   "o3", principal: "app", act: "A", scope: "S",
		},
		{
			name: "without \"does not have\" the first action and scope count",
			msg:  "Client with object id 'o4' cannot perform action 'A' on scope 'S'.",
			id:   "o4", act: "A", scope: "S",
		},
		{
			name: "an unclosed quote",
			msg:  "The client 'x' with object id 'o5",
		},
		{
			name: "Key Vault RBAC",
			msg:  "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=a1;oid=o6;iss=https://sts.windows.net/t/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/secrets/s'",
			id:   "o6", principal: "a1", act: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			scope: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/secrets/s",
		},
		{
			name: "Cosmos DB",
			msg:  "Request blocked by Auth cosmos : Request is blocked because principal [o7] does not have required RBAC permissions to perform action [Microsoft.DocumentDB/databaseAccounts/readMetadata] on resource [/].",
			id:   "o7", act: "Microsoft.DocumentDB/databaseAccounts/readMetadata", scope: "/",
		},
		{name: "nothing to read", msg: "Forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f Failure
			deniedPrincipal(&f, tt.msg)
			if f.PrincipalID != tt.id || f.PrincipalName != tt.principal || f.Action != tt.act || f.Scope != tt.scope {
				t.Errorf("got id %q, name %q, action %q, scope %q; want %q, %q, %q, %q",
					f.PrincipalID, f.PrincipalName, f.Action, f.Scope, tt.id, tt.principal, tt.act, tt.scope)
			}
		})
	}
}
