package azauthtrace

import (
	"net/http"
	"strings"
)

// serviceRow is what the classifier knows of one service beyond the
// evidence every response carries: the hosts it answers on, the guide to
// authorizing access to it, and a discriminator of its own that the
// generic rules cannot read (a header whose values only it defines).
type serviceRow struct {
	name  string
	hosts []string // host suffixes, lower case
	docs  string   // the service's guide to authorizing access
	// discriminate returns the class the service's own discriminator
	// gives a response, when it gives one.
	discriminate func(ev evidence) (Class, bool)
}

// services is the services table: one row per service. Rows without
// hosts are services named from their headers or body (see
// serviceFromHeaders and serviceFromBody).
var services = []serviceRow{
	{name: serviceARM, docs: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting",
		hosts: []string{"management.azure.com", "management.core.windows.net", "management.usgovcloudapi.net", "management.chinacloudapi.cn", "management.microsoftazure.de"}},
	{name: serviceStorage, discriminate: storagePublicAccess, docs: "https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory",
		hosts: []string{".blob.core.windows.net", ".dfs.core.windows.net", ".file.core.windows.net", ".queue.core.windows.net", ".table.core.windows.net",
			".blob.core.usgovcloudapi.net", ".blob.core.chinacloudapi.cn", ".blob.storage.azure.net"}},
	{name: serviceKeyVault, docs: "https://learn.microsoft.com/azure/key-vault/general/troubleshooting-access-issues",
		hosts: []string{".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".managedhsm.azure.net"}},
	{name: serviceGraph, docs: "https://learn.microsoft.com/graph/resolve-auth-errors",
		hosts: []string{"graph.microsoft.com", "graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"}},
	{name: serviceCosmos, docs: "https://aka.ms/cosmos-native-rbac", discriminate: cosmosSubstatus,
		hosts: []string{".documents.azure.com", ".documents.azure.us"}},
	{name: serviceServiceBus, docs: "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-role-based-access-control",
		hosts: []string{".servicebus.windows.net", ".servicebus.usgovcloudapi.net"}},
	{name: serviceOpenAI, docs: "https://learn.microsoft.com/azure/ai-services/openai/how-to/role-based-access-control",
		hosts: []string{".openai.azure.com"}},
	{name: serviceCognitive, docs: "https://learn.microsoft.com/azure/ai-services/authentication",
		hosts: []string{".cognitiveservices.azure.com", ".services.ai.azure.com", ".api.cognitive.microsoft.com"}},
	{name: "Azure Container Registry", hosts: []string{".azurecr.io"}},
	{name: "Azure App Configuration", hosts: []string{".azconfig.io"}},
	{name: "Azure AI Search", hosts: []string{".search.windows.net"}},
	{name: "Azure IoT Hub", hosts: []string{".azure-devices.net"}},
	{name: "Azure Monitor", hosts: []string{".monitor.azure.com", "api.loganalytics.io"}},
	{name: "Azure App Service", hosts: []string{".azurewebsites.net"}},
}

// serviceByHost returns the row of the service that answers on host
// (lower case), or nil.
func serviceByHost(host string) *serviceRow {
	for i := range services {
		for _, s := range services[i].hosts {
			if strings.HasSuffix(host, s) {
				return &services[i]
			}
		}
	}
	return nil
}

// serviceByName returns the row of the service named name, or nil.
func serviceByName(name string) *serviceRow {
	for i := range services {
		if services[i].name == name && name != "" {
			return &services[i]
		}
	}
	return nil
}

// cosmosSubstatus reads Cosmos DB's x-ms-substatus on a 403: 5300, an
// operation no data-plane role can grant to an Entra token
// (configuration: use the control plane); 5301 and 5302, a missing
// data-plane role assignment (permission).
// https://learn.microsoft.com/azure/cosmos-db/nosql/troubleshoot-forbidden
func cosmosSubstatus(ev evidence) (Class, bool) {
	switch header(ev.header, "X-Ms-Substatus") {
	case "5300":
		return ClassConfiguration, true
	case "5301", "5302":
		return ClassPermission, true
	}
	return "", false
}

// storagePublicAccess reads Storage's PublicAccessNotPermitted, which
// answers two requests: an anonymous read of an account that allows no
// public access (the caller sent no credential: token_rejected), and a
// request to make a container public on such an account (its setting:
// configuration, the code's class in the known codes).
// https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent
func storagePublicAccess(ev evidence) (Class, bool) {
	if strings.EqualFold(ev.code, "PublicAccessNotPermitted") && (ev.method == http.MethodGet || ev.method == http.MethodHead) {
		return ClassTokenRejected, true
	}
	return "", false
}
