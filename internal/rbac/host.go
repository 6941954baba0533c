package rbac

import (
	"net/url"
	"strings"
)

// The data-plane services a request's host names, by the DNS suffix Azure
// gives each (public, China and US Government clouds).
const (
	svcKeyVault  = "keyvault"
	svcBlob      = "blob"
	svcDFS       = "dfs"
	svcQueue     = "queue"
	svcTable     = "table"
	svcFile      = "file"
	svcRegistry  = "registry"
	svcMessaging = "messaging"
	svcAppConfig = "appconfig"
	svcCognitive = "cognitive"
	svcCosmos    = "cosmos"
	svcARM       = "arm"
)

// dataHost is a service whose hosts' first label is a resource's name,
// with the DNS suffixes of those hosts.
type dataHost struct {
	service  string
	rule     nameRule
	suffixes []string
}

var dataHosts = []dataHost{
	// https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers
	{svcKeyVault, vaultName, []string{".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net"}},
	// https://learn.microsoft.com/azure/storage/common/storage-account-overview#standard-endpoints
	{svcBlob, storageAccountName, []string{".blob.core.windows.net", ".blob.core.chinacloudapi.cn", ".blob.core.usgovcloudapi.net"}},
	{svcDFS, storageAccountName, []string{".dfs.core.windows.net", ".dfs.core.chinacloudapi.cn", ".dfs.core.usgovcloudapi.net"}},
	{svcQueue, storageAccountName, []string{".queue.core.windows.net", ".queue.core.chinacloudapi.cn", ".queue.core.usgovcloudapi.net"}},
	{svcTable, storageAccountName, []string{".table.core.windows.net", ".table.core.chinacloudapi.cn", ".table.core.usgovcloudapi.net"}},
	{svcFile, storageAccountName, []string{".file.core.windows.net", ".file.core.chinacloudapi.cn", ".file.core.usgovcloudapi.net"}},
	{svcRegistry, registryName, []string{".azurecr.io", ".azurecr.cn", ".azurecr.us"}},
	{svcMessaging, namespaceName, []string{".servicebus.windows.net", ".servicebus.chinacloudapi.cn", ".servicebus.usgovcloudapi.net"}},
	{svcAppConfig, configStoreName, []string{".azconfig.io", ".azconfig.azure.cn", ".azconfig.azure.us"}},
	{svcCognitive, cognitiveName, []string{".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com",
		".openai.azure.cn", ".cognitiveservices.azure.cn", ".openai.azure.us", ".cognitiveservices.azure.us"}},
	{svcCosmos, cosmosAccountName, []string{".documents.azure.com", ".documents.azure.cn", ".documents.azure.us"}},
}

// armHosts are Azure Resource Manager's hosts.
var armHosts = []string{"management.azure.com", "management.chinacloudapi.cn", "management.usgovcloudapi.net"}

// request is what a denied request's URL says, checked by shape.
type request struct {
	service string
	// resource is the name the host gives (vault, account, registry,
	// namespace, store); "" for ARM or when it is not of its shape.
	resource string
	method   string
	segs     []string
	query    url.Values
}

// readRequest reads the service, resource name, path and query of a
// denied request. It reports false for a host of no known service.
func readRequest(method string, u *url.URL) (request, bool) {
	r := request{method: strings.ToUpper(strings.TrimSpace(method))}
	if u == nil {
		return r, false
	}
	host := strings.ToLower(u.Hostname())
	r.query = u.Query()
	for _, s := range strings.Split(u.Path, "/") {
		if s != "" {
			r.segs = append(r.segs, s)
		}
	}
	for _, h := range armHosts {
		if host == h {
			r.service = svcARM
			return r, true
		}
	}
	for _, h := range dataHosts {
		for _, suffix := range h.suffixes {
			if name, ok := strings.CutSuffix(host, suffix); ok && !strings.Contains(name, ".") {
				r.service = h.service
				if h.rule.ok(name) {
					r.resource = name
				}
				return r, true
			}
		}
	}
	return request{method: r.method}, false
}

// seg is the i-th path segment, or "".
func (r request) seg(i int) string {
	if i < len(r.segs) {
		return r.segs[i]
	}
	return ""
}

// reads reports a method that only reads.
func (r request) reads() bool { return r.method == "GET" || r.method == "HEAD" }
