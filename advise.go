package azauthtrace

import (
	"net/http"
	"strconv"
	"strings"
)

// troubleshootingGuide is the azidentity troubleshooting guide.
const troubleshootingGuide = "https://aka.ms/azsdk/go/identity/troubleshoot"

// tsgAnchors maps credential types to their section of the guide.
var tsgAnchors = map[string]string{
	"DefaultAzureCredential":      "dac",
	"ClientSecretCredential":      "client-secret",
	"ClientCertificateCredential": "client-cert",
	"ManagedIdentityCredential":   "managed-id",
	"AzureCLICredential":          "azure-cli",
	"AzureDeveloperCLICredential": "azd",
	"AzurePowerShellCredential":   "azure-pwsh",
	"WorkloadIdentityCredential":  "workload",
	"AzurePipelinesCredential":    "apc",
}

const caeDocs = "https://learn.microsoft.com/entra/identity-platform/claims-challenge"

// codeMitigations are the mitigations of service error codes (lower case).
var codeMitigations = map[string]string{
	"authorizationfailed":                "Assign the principal a role that contains the action at the scope (or above); role assignments take minutes to propagate and need a new token.",
	"linkedauthorizationfailed":          "Assign the principal a role that contains the linked action on the linked scope, then acquire a new token.",
	"rbacaccessdenied":                   "Assign the principal a role that allows this operation, then acquire a new token.",
	"authorizationpermissionmismatch":    "Assign a data-plane role (such as Storage Blob Data Reader or Contributor) to the principal; management roles such as Owner do not grant data access.",
	"authorizationfailure":               "Check the principal's data-plane role, the account's network rules and the SAS permissions.",
	"authorizationsourceipmismatch":      "Allow the caller's network in the storage account's firewall, or use a private endpoint.",
	"forbiddenbyrbac":                    "Assign a Key Vault data-plane role (such as Key Vault Secrets User) to the principal at the vault or object scope.",
	"forbiddenbypolicy":                  "Add an access policy for the principal, or move the vault to Azure RBAC and assign a role.",
	"accessdenied":                       "Grant the principal access (access policy or role assignment).",
	"forbiddenbyfirewall":                "Allow the caller's network in the vault's firewall, use a private endpoint, or allow trusted services.",
	"authorization_requestdenied":        "Grant the application the Microsoft Graph permission this call needs, and have an administrator consent to it.",
	"permissiondenied":                   "Assign the principal a role with the required data action (such as Cognitive Services OpenAI User).",
	"expiredauthenticationtoken":         "The token had expired: acquire a new one (check the clock; don't cache tokens past their expiry).",
	"invalidauthenticationtokenaudience": "Request a token for this service's audience (scope <resource>/.default).",
	"invalidauthenticationtokentenant":   "Request the token from the tenant that owns the resource.",
	"invalidauthenticationtoken":         "The token is invalid for this service: acquire a new token for the right tenant and audience; if it persists, check the service principal exists in the tenant.",
	"invalidauthenticationinfo":          "The token is invalid for this service: request it from the tenant and for the resource the WWW-Authenticate header names.",
	"keybasedauthenticationnotpermitted": "The account does not allow shared key or SAS: authenticate with Microsoft Entra ID.",
	"managedidentitynotfound":            "Assign a managed identity to the Service Fabric application.",
}

// classMitigations are the default mitigations of each class.
var classMitigations = map[Class]string{
	ClassAuthentication:        "Fix or rotate the credential, or sign in again (interactively for users).",
	ClassPermission:            "Grant the principal the role, access policy, consent or network access this operation needs, then acquire a new token; a blind retry will not help.",
	ClassConfiguration:         "Fix the tenant, client, resource or identity configuration; retrying will not help.",
	ClassCredentialUnavailable: "Configure this credential's source (environment variables, CLI login, managed identity) or let the chain try its next source.",
	ClassTransient:             "Retry with backoff.",
	ClassTokenRejected:         "Acquire a new token for the tenant and audience the service expects; if it persists, it is a configuration problem.",
	ClassClaimsChallenge:       "Acquire a new token with the challenge's claims (TokenRequestOptions.Claims) and retry once; a user may need to sign in interactively.",
}

// advise fills f's mitigation, troubleshooting link and retryability from
// its class, codes and source.
func advise(f *Failure) {
	f.Retryable = f.Class == ClassTransient || f.Class == ClassClaimsChallenge || f.Class == ClassTokenRejected
	if f.Mitigation == "" {
		f.Mitigation = mitigation(f)
	}
	if f.TroubleshootingURL == "" {
		f.TroubleshootingURL = troubleshootingURL(f)
	}
}

// messageMitigations are mitigations for failures recognised by their
// message (lower case), checked in order.
var messageMitigations = []struct{ signal, mitigation string }{
	{"az login", "Run `az login` (the login may have expired), then check `az account get-access-token` works."},
	{"azd auth login", "Run `azd auth login`, then check `azd auth token` works."},
	{"connect-azaccount", "Run Connect-AzAccount in Azure PowerShell."},
	{"az.accounts module not found", "Install the Az.Accounts PowerShell module."},
	{"executable not found", "Install the CLI this credential uses and put it on the application's PATH."},
	{"not found on path", "Install the CLI this credential uses and put it on the application's PATH."},
	{"fork/exec", "The credential could not start its CLI: install it and put it on the application's PATH."},
	{"failed to authenticate a system assigned identity", "No system-assigned identity answered here: enable it on the resource, configure a user-assigned identity's ID, or use another credential."},
	{"environment variable", "Set the environment variables of the intended authentication method (AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret, certificate or federated token file)."},
	{"no client id specified", "Provide the client ID (AZURE_CLIENT_ID, set by the workload identity webhook): check the pod's labels and service account."},
	{"no tenant id specified", "Provide the tenant ID (AZURE_TENANT_ID, set by the workload identity webhook): check the pod's labels and service account."},
	{"no token file specified", "Provide the federated token file (AZURE_FEDERATED_TOKEN_FILE, set by the workload identity webhook): check the pod's labels and service account."},
	{"no such file or directory", "A file the credential needs is missing: check the path (for workload identity, that the projected service account token is mounted)."},
	{"without user interaction", "Call the credential's Authenticate method to sign the user in interactively."},
	{"timed out", "No managed identity endpoint answered in time: run on an Azure host with a managed identity, or use another credential."},
	{"unreachable network", "There is no managed identity endpoint here (not running on Azure): use another credential."},
	{"doesn't support user-assigned", "Don't configure a user-assigned identity ID in Cloud Shell: it serves only the signed-in user's identity."},
	{"cannot be authorized by aad token in data plane", "This operation cannot be authorized with an Entra token on the data plane: perform it through the control plane (Azure Resource Manager)."},
	{"claim(s) are required", "Grant the principal the right it lacks (for Service Bus, a Data Sender or Data Receiver role, or a SAS policy with Send or Listen)."},
	{"invalid secret token header", "The Azure ML managed identity endpoint rejected the secret header: make sure MSI_SECRET reaches the job's environment."},
	{"metadata header", "Send the `Metadata: true` header to IMDS (azidentity does)."},
	{"multiple user assigned identities", "Several user-assigned identities are attached: configure which one to use (client ID, object ID or resource ID)."},
	{"unable to load the proper managed identity", "Assign the managed identity to the app (and configure its client ID when it is user-assigned)."},
	{"identity not found", "The requested identity isn't assigned to this resource: for a user-assigned identity check the configured ID; for a system-assigned identity enable it."},
}

func mitigation(f *Failure) string {
	if m, ok := aadstsMitigations[f.AADSTS]; ok {
		return m
	}
	if m, ok := codeMitigations[strings.ToLower(f.ErrorCode)]; ok && f.Class != ClassClaimsChallenge {
		return m
	}
	if f.Description != "" {
		d := strings.ToLower(f.Description)
		for _, m := range messageMitigations {
			if strings.Contains(d, m.signal) {
				return m.mitigation
			}
		}
	}
	if f.Source == SourceService && f.Class == ClassAuthentication {
		return "The service refused the key, shared key or SAS: issue a new SAS (check its expiry and permissions) or use a valid, rotated key."
	}
	if f.Source == SourceManagedIdentity {
		switch {
		case f.StatusCode == http.StatusBadGateway || f.StatusCode == http.StatusGatewayTimeout:
			return "A proxy or gateway answered for the managed identity endpoint: IMDS doesn't support proxies, so exclude 169.254.169.254 from the proxy (NO_PROXY)."
		case f.Class == ClassCredentialUnavailable:
			return "Something other than IMDS answered at 169.254.169.254 (Docker Desktop, an egress proxy): there is no managed identity here; use another credential or bypass the proxy."
		case f.ErrorCode == "invalid_resource":
			return "The requested resource is unknown in the tenant: fix the scope or resource URI."
		case f.Class == ClassConfiguration:
			return "Assign a managed identity to this resource and check the managed identity configuration."
		case f.Class == ClassTransient:
			return "The managed identity endpoint is updating or throttled: retry with backoff (IMDS may need up to 70 s)."
		}
	}
	if f.Class == ClassClaimsChallenge {
		switch f.Challenge.ClaimsReason {
		case "network_location":
			return "A Conditional Access location or IP policy rejected the token: acquire a new token with the challenge's claims from an allowed network."
		case "authentication_context":
			return "Conditional Access requires a step-up (authentication context): acquire a new token with the challenge's claims; the user must sign in interactively."
		}
	}
	return classMitigations[f.Class]
}

func troubleshootingURL(f *Failure) string {
	if a, ok := tsgAnchors[f.Credential]; ok {
		return troubleshootingGuide + "#" + a
	}
	switch {
	case f.ErrorURI != "":
		return f.ErrorURI
	case f.AADSTS != 0:
		return "https://login.microsoftonline.com/error?code=" + strconv.Itoa(f.AADSTS)
	case f.Source == SourceManagedIdentity:
		return troubleshootingGuide + "#managed-id"
	case f.Class == ClassClaimsChallenge:
		return caeDocs
	}
	if row := serviceByName(f.Service); row != nil && row.docs != "" {
		return row.docs
	}
	if f.Credential != "" || f.Source == SourceCredential {
		return troubleshootingGuide
	}
	return troubleshootingGuide + "#permission-issues"
}
