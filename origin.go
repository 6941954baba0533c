package azauthtrace

import (
	"net/http"
	"strings"
)

// origin is what the classifier knows of who answered a response, before
// reading its body.
type origin struct {
	source  Source
	service string
	mi      miKind
}

// miKind is the family of a managed identity endpoint.
type miKind int

const (
	miNone       miKind = iota
	miIMDS              // 169.254.169.254, and whatever answers there
	miAppService        // App Service, Functions, Container Apps
	miArc
	miServiceFabric
	miAzureML
	miCloudShell
)

// Service names, the values of Failure.Service.
const (
	serviceEntraID      = "Microsoft Entra ID"
	serviceARM          = "Azure Resource Manager"
	serviceStorage      = "Azure Storage"
	serviceKeyVault     = "Azure Key Vault"
	serviceGraph        = "Microsoft Graph"
	serviceCosmos       = "Azure Cosmos DB"
	serviceServiceBus   = "Azure Service Bus"
	serviceEventHubs    = "Azure Event Hubs"
	serviceOpenAI       = "Azure OpenAI"
	serviceCognitive    = "Azure AI Services"
	serviceIMDS         = "IMDS"
	serviceAppServiceMI = "App Service managed identity"
	serviceArcMI        = "Azure Arc managed identity"
	serviceFabricMI     = "Service Fabric managed identity"
	serviceMLMI         = "Azure ML managed identity"
	serviceCloudShellMI = "Cloud Shell managed identity"
)

var miServiceNames = [...]string{
	miNone:          "",
	miIMDS:          serviceIMDS,
	miAppService:    serviceAppServiceMI,
	miArc:           serviceArcMI,
	miServiceFabric: serviceFabricMI,
	miAzureML:       serviceMLMI,
	miCloudShell:    serviceCloudShellMI,
}

// identityHosts are the Entra ID authority hosts of the public and
// national clouds.
var identityHosts = []string{
	"login.microsoftonline.com", "login.microsoftonline.us", "login.microsoftonline.de",
	"login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.windows.net",
	"login.microsoft.com", "sts.windows.net", "login.live.com",
	".ciamlogin.com", ".b2clogin.com",
}

// detectOrigin decides who answered from the request and the response
// headers. It allocates nothing.
func detectOrigin(req *http.Request, h http.Header) origin {
	if req != nil && req.URL != nil {
		host := strings.ToLower(req.URL.Hostname())
		path := req.URL.Path
		if k := miFromRequest(req, host, path); k != miNone {
			return origin{source: SourceManagedIdentity, service: miServiceNames[k], mi: k}
		}
		if isIdentityHost(host) {
			return origin{source: SourceIdentityProvider, service: serviceEntraID}
		}
		if row := serviceByHost(host); row != nil {
			return origin{source: SourceService, service: row.name}
		}
		if isIdentityPath(path) {
			return origin{source: SourceIdentityProvider, service: serviceEntraID}
		}
	} else if header(h, "X-Ms-Ests-Server") != "" {
		return origin{source: SourceIdentityProvider, service: serviceEntraID}
	}
	return origin{source: SourceService, service: serviceFromHeaders(h, req)}
}

func miFromRequest(req *http.Request, host, path string) miKind {
	h := req.Header
	switch {
	case host == "169.254.169.254" || host == "fd00:ec2::254":
		return miIMDS
	case hasPrefixFold(path, "/metadata/identity/"):
		switch {
		case req.URL.Port() == "40342":
			return miArc
		case header(h, "Secret") != "" && strings.Contains(req.URL.RawQuery, "2019-07-01-preview"):
			return miServiceFabric
		case req.URL.Port() == "2377":
			return miServiceFabric
		}
		return miIMDS
	case hasPrefixFold(path, "/msi/token") || header(h, "X-Identity-Header") != "":
		return miAppService
	case hasPrefixFold(path, "/msi/auth") || (header(h, "Secret") != "" && strings.Contains(req.URL.RawQuery, "2017-09-01")):
		return miAzureML
	case hasSuffixFold(path, "/oauth2/token") && req.URL.Port() == "50342":
		return miCloudShell
	case hasSuffixFold(path, "/token") && header(h, "Metadata") == "true":
		return miIMDS
	}
	return miNone
}

// hasPrefixFold is strings.HasPrefix, ignoring ASCII case, without
// allocating.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasSuffixFold is strings.HasSuffix, ignoring ASCII case, without
// allocating.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// isIdentityHost reports whether host is an Entra ID authority host.
func isIdentityHost(host string) bool {
	for _, s := range identityHosts {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// isIdentityPath reports whether path is an Entra ID endpoint's, on a host
// that is no known service's (a private cloud's authority, a proxy).
func isIdentityPath(path string) bool {
	return strings.Contains(path, "/oauth2/") ||
		strings.HasSuffix(path, "/.well-known/openid-configuration") ||
		strings.HasSuffix(path, "/discovery/instance")
}

// serviceFromHeaders names the service from the response headers its
// front ends set, for hosts that are not known (private endpoints, proxies,
// custom domains), then from the request path.
func serviceFromHeaders(h http.Header, req *http.Request) string {
	switch {
	case header(h, "X-Ms-Keyvault-Service-Version") != "" || header(h, "X-Ms-Keyvault-Region") != "" || header(h, "X-Ms-Keyvault-Network-Info") != "":
		return serviceKeyVault
	case header(h, "X-Ms-Correlation-Request-Id") != "" || header(h, "X-Ms-Routing-Request-Id") != "" || header(h, "X-Ms-Failure-Cause") != "":
		return serviceARM
	case header(h, "X-Ms-Ags-Diagnostic") != "":
		return serviceGraph
	case header(h, "X-Ms-Substatus") != "" || header(h, "X-Ms-Activity-Id") != "":
		return serviceCosmos
	case header(h, "Apim-Request-Id") != "":
		return serviceCognitive
	case header(h, "X-Ms-Version") != "" || header(h, "X-Ms-Error-Code") != "" && header(h, "X-Ms-Request-Id") != "":
		return serviceStorage
	}
	if req != nil && req.URL != nil {
		p := req.URL.Path
		switch {
		case strings.HasPrefix(p, "/subscriptions/") || strings.HasPrefix(p, "/providers/"):
			return serviceARM
		case strings.HasPrefix(p, "/secrets") || strings.HasPrefix(p, "/keys") || strings.HasPrefix(p, "/certificates"):
			return serviceKeyVault
		case strings.HasPrefix(p, "/v1.0/") || strings.HasPrefix(p, "/beta/"):
			return serviceGraph
		}
	}
	return ""
}
