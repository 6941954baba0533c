package rbac

import (
	"strings"
	"testing"
)

// learnLeast lists operations with the least privileged built-in role
// Microsoft Learn names for them; also lists the other operations the
// request needs. Where Learn names a role that grants strictly more than
// another, ours names the other and why says why; both must grant the
// operation.
var learnLeast = []struct {
	url  string
	op   string
	also []string
	data bool
	want string
	ours string
	why  string
}{
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/secrets/getSecret/action", data: true, want: "Key Vault Secrets User"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/secrets/setSecret/action", data: true, want: "Key Vault Secrets Officer"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/keys/decrypt/action", data: true, want: "Key Vault Crypto User"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/keys/create/action", data: true, want: "Key Vault Crypto Officer"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/certificates/read", data: true, want: "Key Vault Certificate User"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/certificates/create/action", data: true, want: "Key Vault Certificates Officer"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/write", want: "Key Vault Contributor"},
	{url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide", op: "Microsoft.KeyVault/vaults/read", want: "Key Vault Reader"},
	{url: "https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", data: true, want: "Storage Blob Data Reader"},
	{url: "https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", data: true, want: "Storage Blob Data Contributor"},
	{url: "https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", data: true, want: "Storage Blob Data Contributor"},
	{url: "https://learn.microsoft.com/azure/storage/blobs/data-lake-storage-access-control-model", op: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/modifyPermissions/action", data: true, want: "Storage Blob Data Owner"},
	{url: "https://learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action", data: true, want: "Storage Queue Data Message Sender"},
	{url: "https://learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action", data: true, want: "Storage Queue Data Message Processor"},
	{url: "https://learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read", data: true, want: "Storage Queue Data Reader"},
	{url: "https://learn.microsoft.com/azure/storage/tables/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read", data: true, want: "Storage Table Data Reader"},
	{url: "https://learn.microsoft.com/azure/storage/tables/assign-azure-role-data-access", op: "Microsoft.Storage/storageAccounts/tableServices/tables/entities/write", data: true, want: "Storage Table Data Contributor"},
	{url: "https://learn.microsoft.com/azure/storage/files/authorize-oauth-rest", op: "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read", also: []string{"Microsoft.Storage/storageAccounts/fileServices/readFileBackupSemantics/action"}, data: true, want: "Storage File Data Privileged Reader"},
	{url: "https://learn.microsoft.com/azure/storage/files/authorize-oauth-rest", op: "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write", also: []string{"Microsoft.Storage/storageAccounts/fileServices/writeFileBackupSemantics/action"}, data: true, want: "Storage File Data Privileged Contributor"},
	{url: "https://learn.microsoft.com/azure/azure-app-configuration/concept-enable-rbac", op: "Microsoft.AppConfiguration/configurationStores/keyValues/read", data: true, want: "App Configuration Data Reader"},
	{url: "https://learn.microsoft.com/azure/azure-app-configuration/concept-enable-rbac", op: "Microsoft.AppConfiguration/configurationStores/keyValues/write", data: true, want: "App Configuration Data Owner"},
	{url: "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview", op: "Microsoft.ContainerRegistry/registries/pull/read", want: "AcrPull"},
	{url: "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview", op: "Microsoft.ContainerRegistry/registries/push/write", want: "AcrPush"},
	{url: "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-managed-service-identity", op: "Microsoft.ServiceBus/namespaces/messages/send/action", data: true, want: "Azure Service Bus Data Sender"},
	{url: "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-managed-service-identity", op: "Microsoft.ServiceBus/namespaces/messages/receive/action", data: true, want: "Azure Service Bus Data Receiver"},
	{url: "https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory", op: "Microsoft.EventHub/namespaces/messages/send/action", data: true, want: "Azure Event Hubs Data Sender"},
	{url: "https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory", op: "Microsoft.EventHub/namespaces/messages/receive/action", data: true, want: "Azure Event Hubs Data Receiver"},
	{url: "https://learn.microsoft.com/azure/ai-services/openai/how-to/role-based-access-control", op: "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action", data: true, want: "Cognitive Services OpenAI User"},
	{url: "https://learn.microsoft.com/azure/search/search-security-rbac", op: "Microsoft.Search/searchServices/indexes/documents/read", data: true, want: "Search Index Data Reader"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader", op: "Microsoft.Resources/subscriptions/resourceGroups/read", want: "Reader"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader", op: "Microsoft.Compute/virtualMachines/read", want: "Reader"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader", op: "Microsoft.Storage/storageAccounts/read", want: "Reader"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/compute#virtual-machine-contributor", op: "Microsoft.Compute/virtualMachines/write", want: "Virtual Machine Contributor"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-account-contributor", op: "Microsoft.Storage/storageAccounts/write", want: "Storage Account Contributor"},
	{url: "https://learn.microsoft.com/azure/storage/files/authorize-data-operations-portal#use-the-storage-account-access-key", op: "Microsoft.Storage/storageAccounts/listKeys/action", want: "Reader and Data Access"},
	{url: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-manage-user-assigned-managed-identities", op: "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action", want: "Managed Identity Operator"},
	{url: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-manage-user-assigned-managed-identities", op: "Microsoft.ManagedIdentity/userAssignedIdentities/write", want: "Managed Identity Contributor"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/web-and-mobile#website-contributor", op: "Microsoft.Web/sites/write", want: "Website Contributor"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#network-contributor", op: "Microsoft.Network/virtualNetworks/write", want: "Network Contributor"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#network-contributor", op: "Microsoft.Network/networkSecurityGroups/write", want: "Network Contributor"},
	{url: "https://learn.microsoft.com/azure/azure-monitor/roles-permissions-security", op: "Microsoft.Insights/metrics/read", want: "Monitoring Reader", ours: "Reader", why: "Learn names Azure Monitor's own role, but Monitoring Reader is Reader's */read plus Log Analytics search and support tickets: Reader grants strictly less"},
	{url: "https://learn.microsoft.com/azure/azure-monitor/roles-permissions-security", op: "Microsoft.Insights/alertrules/read", want: "Monitoring Reader", ours: "Reader", why: "Learn names Azure Monitor's own role for reading alert rules, but Reader grants strictly less; Application Insights Snapshot Debugger is a feature's role"},
	{url: "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#permissions", op: "Microsoft.Network/virtualNetworks/subnets/join/action", want: "Network Contributor"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#network-contributor", op: "Microsoft.Network/applicationGateways/privateEndpointConnections/write", want: "Network Contributor"},
	{url: "https://learn.microsoft.com/azure/azure-arc/kubernetes/cluster-connect", op: "Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action", want: "Azure Arc Enabled Kubernetes Cluster User Role"},
	{url: "https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-store-custom-rest-api", op: "Microsoft.Insights/Metrics/Write", data: true, want: "Monitoring Metrics Publisher"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-steps", op: "Microsoft.Authorization/roleAssignments/write", want: "Role Based Access Control Administrator"},
	{url: "https://learn.microsoft.com/azure/aks/control-kubeconfig-access", op: "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", want: "Azure Kubernetes Service Cluster User Role"},
	{url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/databases#sql-db-contributor", op: "Microsoft.Sql/servers/databases/write", want: "SQL DB Contributor"},
	{url: "https://learn.microsoft.com/azure/cosmos-db/role-based-access-control", op: "Microsoft.DocumentDB/databaseAccounts/listKeys/action", want: "DocumentDB Account Contributor"},
}

func TestLeastAgainstLearn(t *testing.T) {
	c := Builtin()
	byName := map[string]*role{}
	for _, r := range c.roles {
		byName[r.Name] = r
	}
	for _, tt := range learnLeast {
		t.Run(tt.op, func(t *testing.T) {
			got, ok := c.Least(tt.op, tt.data)
			if len(tt.also) > 0 {
				ops := []operation{{tt.op, tt.data}}
				for _, a := range tt.also {
					ops = append(ops, operation{a, tt.data})
				}
				got, ok = c.leastAll(ops)
			}
			if !ok {
				t.Fatalf("Least(%q) found no role; %s names %s", tt.op, tt.url, tt.want)
			}
			if !c.Grants(got.ID, tt.op, tt.data) {
				t.Errorf("Least(%q) = %s, which does not grant it", tt.op, got.Name)
			}
			want := tt.want
			if tt.ours != "" {
				want = tt.ours
				learn := byName[tt.want]
				if learn == nil || !c.Grants(learn.ID, tt.op, tt.data) {
					t.Errorf("%s, named by %s, does not grant %q", tt.want, tt.url, tt.op)
				}
			}
			if got.Name != want {
				t.Errorf("Least(%q) = %s, want %s (%s)", tt.op, got.Name, want, tt.url)
			}
		})
	}
}

// Every operation some built-in role names gets a role that grants it,
// and a privileged one only where no other role does.
func TestLeastGrantsEveryKnownOperation(t *testing.T) {
	c := Builtin()
	for k := range 2 {
		for _, ops := range vocabularyOf(c.raws).ops[k] {
			for _, op := range ops {
				got, ok := c.Least(op, k == 1)
				if !ok {
					t.Errorf("no role for %q, which a built-in role names", op)
					continue
				}
				if !c.Grants(got.ID, op, k == 1) {
					t.Errorf("Least(%q) = %s, which does not grant it", op, got.Name)
				}
				if got.Privileged && !strings.HasPrefix(op, "microsoft.authorization/") {
					for _, r := range c.roles {
						if ok, cond := r.grants(op, k); ok && !cond && !r.Privileged && !r.restricted {
							t.Errorf("Least(%q) = privileged %s, but %s grants it", op, got.Name, r.Name)
							break
						}
					}
				}
			}
		}
	}
}

func TestLeastPrefersUnconditionedGrants(t *testing.T) {
	// Key Vault Data Access Administrator may assign roles only under its
	// condition; Role Based Access Control Administrator needs none.
	got, ok := Builtin().Least("Microsoft.Authorization/roleAssignments/write", false)
	if !ok || got.Conditioned || got.Name != "Role Based Access Control Administrator" {
		t.Errorf("Least(roleAssignments/write) = %+v", got)
	}
}

func TestLeastUnknown(t *testing.T) {
	for _, op := range []string{"", "   ", "Contoso.Nothing/widgets/frob/action", "*"} {
		if got, ok := Builtin().Least(op, true); ok && !Builtin().Grants(got.ID, op, true) {
			t.Errorf("Least(%q) = %s, which does not grant it", op, got.Name)
		}
	}
	if _, ok := Builtin().Least("Contoso.Nothing/widgets/frob/action", true); ok {
		t.Error("a data action no role names was granted")
	}
}
