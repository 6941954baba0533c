package rbac

import (
	"net/url"
	"testing"
)

const (
	oid    = "11111111-2222-3333-4444-555555555555"
	sub    = "/subscriptions/00000000-1111-2222-3333-444444444444"
	assign = "az role assignment create --assignee-object-id '" + oid + "' --assignee-principal-type ServicePrincipal --role "
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Each row's operation is the one Microsoft documents for the request:
// Storage: https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory#permissions-for-calling-data-operations
// Key Vault: https://learn.microsoft.com/azure/key-vault/general/rbac-guide
// App Configuration: https://learn.microsoft.com/azure/azure-app-configuration/concept-enable-rbac
// Container Registry: https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview
// Service Bus: https://learn.microsoft.com/azure/service-bus-messaging/service-bus-managed-service-identity
// Event Hubs: https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory
// ARM: https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---authorization-failed
func TestGrant(t *testing.T) {
	tests := []struct {
		name    string
		d       Denial
		action  string
		data    bool
		role    string
		scope   string
		command string
	}{
		{
			name:    "ARM names the action and the resource",
			d:       Denial{Action: "Microsoft.Compute/virtualMachines/write", Scope: sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1", Method: "PATCH", Assignee: oid, AssigneeType: "ServicePrincipal"},
			action:  "Microsoft.Compute/virtualMachines/write",
			role:    "Virtual Machine Contributor",
			scope:   sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
			command: assign + "'9980e02c-c2be-4d73-94e8-173b1dc7cf3c' --scope '" + sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1'",
		},
		{
			name:    "a create is granted at the resource group",
			d:       Denial{Action: "Microsoft.Storage/storageAccounts/write", Scope: sub + "/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1", Method: "PUT", Assignee: oid, AssigneeType: "ServicePrincipal"},
			action:  "Microsoft.Storage/storageAccounts/write",
			role:    "Storage Account Contributor",
			scope:   sub + "/resourceGroups/rg1",
			command: assign + "'17d1049b-9a84-46fb-8f53-869881c3d3ab' --scope '" + sub + "/resourceGroups/rg1'",
		},
		{
			name:   "a resource group's create is granted at its subscription",
			d:      Denial{Action: "Microsoft.Resources/subscriptions/resourceGroups/write", Scope: sub + "/resourceGroups/rg2", Method: "PUT", Assignee: oid, AssigneeType: "User"},
			action: "Microsoft.Resources/subscriptions/resourceGroups/write",
			// The narrowest built-in role with Microsoft.Resources/subscriptions/resourceGroups/*.
			role:  "Managed Application Contributor Role",
			scope: sub,
		},
		{
			name:   "an ARM POST is granted at the resource it names",
			d:      Denial{Method: "POST", URL: mustURL(t, "https://management.azure.com"+sub+"/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1/listKeys?api-version=2023-05-01"), Action: "Microsoft.Storage/storageAccounts/listKeys/action", Assignee: oid, AssigneeType: "ServicePrincipal"},
			action: "Microsoft.Storage/storageAccounts/listKeys/action",
			// Learn's role for reading keys; Storage Account Key Operator
			// Service Role also regenerates them.
			// https://learn.microsoft.com/azure/storage/files/authorize-data-operations-portal#use-the-storage-account-access-key
			role:    "Reader and Data Access",
			scope:   sub + "/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1",
			command: assign + "'c12c1c16-33a1-487b-954d-41c89c60f349' --scope '" + sub + "/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1'",
		},
		{
			name:    "Key Vault names the action; the vault is resolved",
			d:       Denial{Action: "Microsoft.KeyVault/vaults/secrets/getSecret/action", Method: "GET", URL: mustURL(t, "https://myvault.vault.azure.net/secrets/db-password?api-version=7.5"), Assignee: oid, AssigneeType: "User"},
			action:  "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			data:    true,
			role:    "Key Vault Secrets User",
			scope:   "$(az keyvault show --name 'myvault' --query id -o tsv)",
			command: "az role assignment create --assignee-object-id '" + oid + "' --assignee-principal-type User --role '4633458b-17de-408a-b874-0445c86b69e6' --scope \"$(az keyvault show --name 'myvault' --query id -o tsv)\"",
		},
		{
			name:    "Key Vault without an action line: a key is decrypted",
			d:       Denial{Method: "POST", URL: mustURL(t, "https://myvault.vault.azure.net/keys/k1/0123456789abcdef/decrypt?api-version=7.5"), Assignee: oid, AssigneeType: "ServicePrincipal"},
			action:  "Microsoft.KeyVault/vaults/keys/decrypt/action",
			data:    true,
			role:    "Key Vault Crypto User",
			scope:   "$(az keyvault show --name 'myvault' --query id -o tsv)",
			command: assign + "'12338af0-0e69-4776-bea7-57ae8d297424' --scope \"$(az keyvault show --name 'myvault' --query id -o tsv)\"",
		},
		{
			name:    "Key Vault without an action line: a secret is set",
			d:       Denial{Method: "PUT", URL: mustURL(t, "https://myvault.vault.azure.net/secrets/s1?api-version=7.5")},
			action:  "Microsoft.KeyVault/vaults/secrets/setSecret/action",
			data:    true,
			role:    "Key Vault Secrets Officer",
			scope:   "$(az keyvault show --name 'myvault' --query id -o tsv)",
			command: "az role assignment create --assignee-object-id '<principal-object-id>' --role 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' --scope \"$(az keyvault show --name 'myvault' --query id -o tsv)\"",
		},
		{
			name:    "a blob is read",
			d:       Denial{Method: "GET", URL: mustURL(t, "https://acct1.blob.core.windows.net/images/a/b.png"), Assignee: oid, AssigneeType: "ServicePrincipal"},
			action:  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
			data:    true,
			role:    "Storage Blob Data Reader",
			scope:   "$(az storage account show --name 'acct1' --query id -o tsv)/blobServices/default/containers/images",
			command: assign + "'2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' --scope \"$(az storage account show --name 'acct1' --query id -o tsv)/blobServices/default/containers/images\"",
		},
		{
			name:   "a blob is written",
			d:      Denial{Method: "PUT", URL: mustURL(t, "https://acct1.blob.core.windows.net/images/b.png")},
			action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
			data:   true,
			role:   "Storage Blob Data Contributor",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/blobServices/default/containers/images",
		},
		{
			name:   "a container's blobs are listed",
			d:      Denial{Method: "GET", URL: mustURL(t, "https://acct1.blob.core.windows.net/images?restype=container&comp=list")},
			action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
			data:   true,
			role:   "Storage Blob Data Reader",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/blobServices/default/containers/images",
		},
		{
			name:   "a Data Lake ACL is set",
			d:      Denial{Method: "PATCH", URL: mustURL(t, "https://acct1.dfs.core.windows.net/fs1/dir/file?action=setAccessControl")},
			action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/modifyPermissions/action",
			data:   true,
			role:   "Storage Blob Data Owner",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/blobServices/default/containers/fs1",
		},
		{
			name:   "a queue message is put",
			d:      Denial{Method: "POST", URL: mustURL(t, "https://acct1.queue.core.windows.net/orders/messages")},
			action: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action",
			data:   true,
			role:   "Storage Queue Data Message Sender",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/queueServices/default/queues/orders",
		},
		{
			name:   "queue messages are got",
			d:      Denial{Method: "GET", URL: mustURL(t, "https://acct1.queue.core.windows.net/orders/messages?numofmessages=5")},
			action: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action",
			data:   true,
			role:   "Storage Queue Data Message Processor",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/queueServices/default/queues/orders",
		},
		{
			name:   "a table entity is inserted",
			d:      Denial{Method: "POST", URL: mustURL(t, "https://acct1.table.core.windows.net/Customers")},
			action: "Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action",
			data:   true,
			role:   "Storage Table Data Contributor",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/tableServices/default/tables/Customers",
		},
		{
			// Over REST with OAuth the request needs readFileBackupSemantics
			// too: https://learn.microsoft.com/azure/storage/files/authorize-oauth-rest
			name:   "a file is read over REST",
			d:      Denial{Method: "GET", URL: mustURL(t, "https://acct1.file.core.windows.net/share1/dir/f.txt")},
			action: "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read",
			data:   true,
			role:   "Storage File Data Privileged Reader",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/fileServices/default/fileshares/share1",
		},
		{
			name:   "a file is written over REST",
			d:      Denial{Method: "PUT", URL: mustURL(t, "https://acct1.file.core.windows.net/share1/dir/f.txt")},
			action: "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write",
			data:   true,
			role:   "Storage File Data Privileged Contributor",
			scope:  "$(az storage account show --name 'acct1' --query id -o tsv)/fileServices/default/fileshares/share1",
		},
		{
			name:   "App Configuration key-values are read",
			d:      Denial{Method: "GET", URL: mustURL(t, "https://mystore.azconfig.io/kv?key=app1*&api-version=2023-11-01")},
			action: "Microsoft.AppConfiguration/configurationStores/keyValues/read",
			data:   true,
			role:   "App Configuration Data Reader",
			scope:  "$(az appconfig show --name 'mystore' --query id -o tsv)",
		},
		{
			name:   "an App Configuration key-value is written",
			d:      Denial{Method: "PUT", URL: mustURL(t, "https://mystore.azconfig.io/kv/app1:color")},
			action: "Microsoft.AppConfiguration/configurationStores/keyValues/write",
			data:   true,
			role:   "App Configuration Data Owner",
			scope:  "$(az appconfig show --name 'mystore' --query id -o tsv)",
		},
		{
			name:   "a registry token for pull",
			d:      Denial{Method: "POST", URL: mustURL(t, "https://myregistry.azurecr.io/oauth2/token?scope=repository:app/web:pull&service=myregistry.azurecr.io")},
			action: "Microsoft.ContainerRegistry/registries/pull/read",
			role:   "AcrPull",
			scope:  "$(az acr show --name 'myregistry' --query id -o tsv)",
		},
		{
			name:   "a manifest is pushed",
			d:      Denial{Method: "PUT", URL: mustURL(t, "https://myregistry.azurecr.io/v2/app/web/manifests/v1")},
			action: "Microsoft.ContainerRegistry/registries/push/write",
			role:   "AcrPush",
			scope:  "$(az acr show --name 'myregistry' --query id -o tsv)",
		},
		{
			name:   "Service Bus lacks Send on a queue",
			d:      Denial{URL: mustURL(t, "sb://myns01.servicebus.windows.net/orders"), Service: "Azure Service Bus", Claims: []string{"Send"}},
			action: "Microsoft.ServiceBus/namespaces/messages/send/action",
			data:   true,
			role:   "Azure Service Bus Data Sender",
			scope:  "$(az resource list --name 'myns01' --resource-type 'Microsoft.ServiceBus/namespaces' --query '[0].id' -o tsv)",
		},
		{
			name:   "Service Bus lacks Listen on a subscription",
			d:      Denial{Method: "DELETE", URL: mustURL(t, "https://myns01.servicebus.windows.net/events/subscriptions/s1/messages/head"), Service: "Azure Service Bus", Claims: []string{"Listen"}},
			action: "Microsoft.ServiceBus/namespaces/messages/receive/action",
			data:   true,
			role:   "Azure Service Bus Data Receiver",
			scope:  "$(az resource list --name 'myns01' --resource-type 'Microsoft.ServiceBus/namespaces' --query '[0].id' -o tsv)/topics/events",
		},
		{
			name:  "Service Bus lacks Manage",
			d:     Denial{URL: mustURL(t, "sb://myns01.servicebus.windows.net/"), Service: "Azure Service Bus", Claims: []string{"Manage"}},
			data:  true,
			role:  "Azure Service Bus Data Owner",
			scope: "$(az resource list --name 'myns01' --resource-type 'Microsoft.ServiceBus/namespaces' --query '[0].id' -o tsv)",
		},
		{
			name:    "Event Hubs lacks Send, over AMQP, principal unknown",
			d:       Denial{URL: mustURL(t, "amqps://myns01.servicebus.windows.net"), Entity: "telemetry", Service: "Azure Event Hubs", Claims: []string{"Send"}},
			action:  "Microsoft.EventHub/namespaces/messages/send/action",
			data:    true,
			role:    "Azure Event Hubs Data Sender",
			scope:   "$(az resource list --name 'myns01' --resource-type 'Microsoft.EventHub/namespaces' --query '[0].id' -o tsv)/eventhubs/telemetry",
			command: "az role assignment create --assignee-object-id '<principal-object-id>' --role '2b629674-e913-4c01-ae53-ef4638d8f975' --scope \"$(az resource list --name 'myns01' --resource-type 'Microsoft.EventHub/namespaces' --query '[0].id' -o tsv)/eventhubs/telemetry\"",
		},
		{
			name:   "Azure OpenAI names the data action",
			d:      Denial{Action: "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action", Method: "POST", URL: mustURL(t, "https://myai.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21")},
			action: "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action",
			data:   true,
			role:   "Cognitive Services OpenAI User",
			scope:  "$(az resource list --name 'myai' --resource-type 'Microsoft.CognitiveServices/accounts' --query '[0].id' -o tsv)",
		},
		{
			name:    "Cosmos DB 5301 on a read: the Reader data-plane role",
			d:       Denial{Method: "GET", URL: mustURL(t, "https://mycosmos.documents.azure.com/dbs/shop/colls/orders/docs/o1"), CosmosSubstatus: 5301, Assignee: oid},
			action:  "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/read",
			data:    true,
			role:    "Cosmos DB Built-in Data Reader",
			scope:   "$(az resource list --name 'mycosmos' --resource-type 'Microsoft.DocumentDB/databaseAccounts' --query '[0].id' -o tsv)/dbs/shop/colls/orders",
			command: "az cosmosdb sql role assignment create --account-name 'mycosmos' --resource-group \"$(az resource list --name 'mycosmos' --resource-type 'Microsoft.DocumentDB/databaseAccounts' --query '[0].resourceGroup' -o tsv)\" --role-definition-id 00000000-0000-0000-0000-000000000001 --principal-id '" + oid + "' --scope '/dbs/shop/colls/orders'",
		},
		{
			name:   "Cosmos DB 5301 names a write",
			d:      Denial{Action: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/upsert", Method: "POST", URL: mustURL(t, "https://mycosmos.documents.azure.com/dbs/shop/colls/orders/docs"), CosmosSubstatus: 5301},
			action: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/upsert",
			data:   true,
			role:   "Cosmos DB Built-in Data Contributor",
			scope:  "$(az resource list --name 'mycosmos' --resource-type 'Microsoft.DocumentDB/databaseAccounts' --query '[0].id' -o tsv)/dbs/shop/colls/orders",
		},
		// The next three are the permission failures of internal/corpus/cases.
		{
			name:   "corpus: foundry_401_permission_denied_lacks_data_action",
			d:      Denial{Action: "Microsoft.CognitiveServices/accounts/AIServices/agents/read", Method: "GET", URL: mustURL(t, "https://myfoundry.services.ai.azure.com/api/projects/p1/assistants/a1")},
			action: "Microsoft.CognitiveServices/accounts/AIServices/agents/read",
			data:   true,
			role:   "Cognitive Services Data Reader",
			scope:  "$(az resource list --name 'myfoundry' --resource-type 'Microsoft.CognitiveServices/accounts' --query '[0].id' -o tsv)",
		},
		{
			name:   "corpus: arm_403_authorization_failed_azcore_error_text",
			d:      Denial{Action: "Microsoft.Compute/virtualMachines/assessPatches/action", Method: "POST", URL: mustURL(t, "https://management.azure.com"+sub+"/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/assessPatches?api-version=2024-07-01")},
			action: "Microsoft.Compute/virtualMachines/assessPatches/action",
			role:   "Virtual Machine Contributor",
			scope:  sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
		},
		{
			name:   "corpus: servicebus_401_send_claim_required",
			d:      Denial{URL: mustURL(t, "sb://xxx-d-xx-ns.servicebus.windows.net/xxx-d-xx-queue"), Service: "Azure Service Bus", Claims: []string{"Send"}},
			action: "Microsoft.ServiceBus/namespaces/messages/send/action",
			data:   true,
			role:   "Azure Service Bus Data Sender",
			scope:  "$(az resource list --name 'xxx-d-xx-ns' --resource-type 'Microsoft.ServiceBus/namespaces' --query '[0].id' -o tsv)",
		},
		{
			name:   "a role assignment: a privileged role, named",
			d:      Denial{Action: "Microsoft.Authorization/roleAssignments/write", Scope: sub + "/resourceGroups/rg1"},
			action: "Microsoft.Authorization/roleAssignments/write",
			role:   "Role Based Access Control Administrator",
			scope:  sub + "/resourceGroups/rg1",
		},
	}
	c := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := c.Grant(tt.d)
			if !ok {
				t.Fatal("no grant")
			}
			if g.Action != tt.action || g.DataAction != tt.data || g.Role.Name != tt.role || g.Scope != tt.scope {
				t.Errorf("Grant = %q data=%v %q at %q\nwant  %q data=%v %q at %q", g.Action, g.DataAction, g.Role.Name, g.Scope, tt.action, tt.data, tt.role, tt.scope)
			}
			if tt.command != "" && g.Command != tt.command {
				t.Errorf("Command =\n%s\nwant\n%s", g.Command, tt.command)
			}
			if g.Command == "" {
				t.Error("no command")
			}
		})
	}
}

// Where nothing names or implies the operation, there is no grant.
func TestGrantNone(t *testing.T) {
	tests := []struct {
		name string
		d    Denial
	}{
		{"nothing known", Denial{}},
		{"an unknown host", Denial{Method: "GET", URL: mustURL(t, "https://example.com/x")}},
		{"a storage account operation", Denial{Method: "GET", URL: mustURL(t, "https://acct1.blob.core.windows.net/?comp=list")}},
		{"an ARM request without an action", Denial{Method: "GET", URL: mustURL(t, "https://management.azure.com"+sub+"/resourceGroups/rg1")}},
		{"an action of bad shape", Denial{Action: "Microsoft.Compute/virtualMachines/read; rm -rf ~"}},
		{"a data action no role grants", Denial{Action: "Contoso.Widgets/widgets/frob/action", Method: "GET", URL: mustURL(t, "https://myvault.vault.azure.net/secrets/s1")}},
		{"an unknown claim", Denial{URL: mustURL(t, "sb://myns01.servicebus.windows.net/q"), Claims: []string{"Admin"}}},
		{"an unknown Key Vault path", Denial{Method: "GET", URL: mustURL(t, "https://myvault.vault.azure.net/deletedsecrets")}},
		{"Cosmos without an account", Denial{CosmosSubstatus: 5301}},
	}
	for _, tt := range tests {
		if g, ok := Builtin().Grant(tt.d); ok {
			t.Errorf("%s: Grant = %+v, want none", tt.name, g)
		}
	}
}

// An operation only the roles that allow every action grant gets one of
// them, flagged and said so.
func TestGrantOnlyPrivileged(t *testing.T) {
	g, ok := Builtin().Grant(Denial{Action: "Contoso.Widgets/widgets/frob/action", Scope: sub})
	if !ok || !g.Role.Privileged || g.Role.Name != "Contributor" || g.Note == "" {
		t.Errorf("Grant = %+v, want Contributor, flagged privileged, with a note", g)
	}
}
