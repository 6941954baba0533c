package azauthtrace

import "testing"

func TestDeniedPrincipal(t *testing.T) {
	tests := []struct {
		name, msg                 string
		id, principal, act, scope string
	}{
		{
			name: "ARM AuthorizationFailed",
			msg:  "The client 'alice@contoso.com' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write' over scope '/subscriptions/s/resourceGroups/rg' or the scope is invalid. If access was recently granted, please refresh your credentials.",
			id:   "00000000-0000-0000-0000-000000000001", principal: "alice@contoso.com",
			act: "Microsoft.Storage/storageAccounts/write", scope: "/subscriptions/s/resourceGroups/rg",
		},
		{
			name: "ARM LinkedAuthorizationFailed names the linked action and scope, not the granted ones",
			msg:  "The client '00000000-0000-0000-0000-000000000002' with object id '00000000-0000-0000-0000-000000000002' has permission to perform action 'Microsoft.Compute/virtualMachines/write' on scope '/vm'; however, it does not have permission to perform action(s) 'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s) '/subnet' (respectively) or the linked scope(s) are invalid.",
			id:   "00000000-0000-0000-0000-000000000002", act: "Microsoft.Network/virtualNetworks/subnets/join/action", scope: "/subnet",
		},
		{
			name: "an apostrophe in the text does not shift the values",
			msg:  "The client's request: The client 'app' with object id '00000000-0000-0000-0000-000000000003' doesn't fit; it does not have authorization to perform action 'A' over scope 'S'.",
			id:   "00000000-0000-0000-0000-000000000003", principal: "app", act: "A", scope: "S",
		},
		{
			name: "without \"does not have\" the first action and scope count",
			msg:  "Client with object id '00000000-0000-0000-0000-000000000004' cannot perform action 'A' on scope 'S'.",
			id:   "00000000-0000-0000-0000-000000000004", act: "A", scope: "S",
		},
		{
			name: "an unclosed quote",
			msg:  "The client 'x' with object id '00000000-0000-0000-0000-000000000005",
		},
		{
			name: "Key Vault RBAC",
			msg:  "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=a1;oid=00000000-0000-0000-0000-000000000006;iss=https://sts.windows.net/t/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/secrets/s'",
			id:   "00000000-0000-0000-0000-000000000006", principal: "a1", act: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			scope: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/secrets/s",
		},
		{
			name: "Cosmos DB",
			msg:  "Request blocked by Auth cosmos : Request is blocked because principal [00000000-0000-0000-0000-000000000007] does not have required RBAC permissions to perform action [Microsoft.DocumentDB/databaseAccounts/readMetadata] on resource [/].",
			id:   "00000000-0000-0000-0000-000000000007", act: "Microsoft.DocumentDB/databaseAccounts/readMetadata", scope: "/",
		},
		{
			name:      "a masked or placeholder object ID is no object ID",
			msg:       "The client 'x' with object id '5XXXXXXXXa' does not have authorization to perform action 'A' over scope 'S'.",
			principal: "x", act: "A", scope: "S",
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
