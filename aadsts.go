package azauthtrace

import "github.com/azauthtrace/azauthtrace/internal/aadsts"

// aadstsClass returns the class of an AADSTS code: the class Microsoft's
// reference gives its meaning (the table in internal/aadsts, generated
// from the reference and the mapping rules), else the class of a code the
// reference does not list but responses carry.
func aadstsClass(code int) (Class, bool) {
	if e, ok := aadsts.Lookup(code); ok {
		return Class(e.Class), true
	}
	c, ok := unlisted[code]
	return c, ok
}

// isWrapper reports whether an AADSTS code wraps a more specific one.
func isWrapper(code int) bool {
	e, ok := aadsts.Lookup(code)
	return ok && e.Wrapper
}

// unlisted are codes that Entra ID sends and Microsoft's reference page
// does not list, with their class: the workload identity federation
// codes (documented in the workload identity troubleshooting pages and
// the azidentity troubleshooting guide), an assertion outside its time
// range, a session expired, an invalid tenant identifier, and a
// deprecated TLS version.
var unlisted = map[int]Class{
	70021:   ClassConfiguration,
	700211:  ClassConfiguration,
	700212:  ClassConfiguration,
	700213:  ClassConfiguration,
	7002138: ClassConfiguration,
	700024:  ClassAuthentication,
	70044:   ClassAuthentication,
	900023:  ClassConfiguration,
	// TLS 1.0/1.1 or 3DES used: the client's TLS configuration.
	1002016: ClassConfiguration,
}

// aadstsMitigations are written mitigations of the codes met most, from
// Microsoft Entra's error code reference and the azidentity
// troubleshooting guide. Other codes get their class's mitigation.
var aadstsMitigations = map[int]string{
	50000:   "There is an issue with the sign-in service: retry with backoff.",
	50001:   "The resource is disabled or does not exist: fix the resource or scope.",
	50011:   "The redirect URI does not match the application registration.",
	50012:   "The client assertion or certificate is invalid: check the certificate uploaded to the application registration.",
	50013:   "The assertion is invalid (signature, expiry or audience): acquire a fresh assertion or token.",
	50034:   "The user account does not exist in the tenant: correct the user name or tenant, or invite the user as a guest.",
	50053:   "The account is locked (smart lockout) or the sign-in came from a suspicious IP: wait or have an administrator unblock it, and stop retry loops.",
	50055:   "The password has expired; reset or change the password.",
	50056:   "Invalid or missing password; provide the user's password.",
	50057:   "The user account is disabled: an administrator must re-enable it.",
	50058:   "Silent sign-in without a signed-in user: sign in interactively.",
	50059:   "No tenant information was found: use a tenant-specific authority.",
	50064:   "Credential validation failed: check the user name and password.",
	50072:   "The user must enroll in multi-factor authentication: sign in interactively to register.",
	50074:   "Strong authentication is required: sign in interactively.",
	50076:   "Multi-factor authentication is required: use an interactive flow for the resource and pass the claims challenge; service principals should not hit this.",
	50079:   "The user must enroll in multi-factor authentication: register for MFA, then sign in interactively.",
	50089:   "The authentication flow expired: sign in again.",
	50105:   "The user is not assigned to a role for the application: assign the user or group to the application.",
	50126:   "Invalid username or password; correct the credentials; for federated users enable cloud password validation.",
	50128:   "The domain name is invalid: check the tenant.",
	50131:   "Conditional Access failed: look up the policy in the sign-in logs.",
	50132:   "The session is no longer valid (password changed or expired): sign in again.",
	50133:   "The session is no longer valid after a password change: sign in again.",
	50144:   "The user's Active Directory password has expired; reset it.",
	50173:   "The grant was revoked (password change or administrator revocation): sign in again.",
	50194:   "The application is not configured as multi-tenant: use the tenant-specific endpoint or make it multi-tenant.",
	50196:   "A client loop was detected: cache tokens instead of requesting them repeatedly.",
	53000:   "Conditional Access requires a compliant device: use a compliant device or ask an administrator.",
	53001:   "Conditional Access requires a domain-joined device: use a joined device or ask an administrator.",
	53002:   "Conditional Access requires an approved client application.",
	53003:   "Blocked by Conditional Access: look up the policy in the sign-in logs (by correlation ID) or contact an administrator.",
	53011:   "Blocked because of the user's risk: the user must remediate the risk or an administrator must dismiss it.",
	54005:   "The authorization code was already redeemed: acquire a new one.",
	65001:   "Consent is missing: have the user or an administrator consent to the application's permissions.",
	65004:   "The user declined consent: consent to the application's permissions.",
	70001:   "The application is disabled or not found in the tenant: check the client ID and the service principal.",
	70008:   "The authorization code or refresh token has expired or been revoked: sign in again.",
	70011:   "The scope is invalid: request a scope of the form <resource>/.default.",
	70021:   "No federated identity credential matches the assertion's issuer, subject and audience: create or fix the federated credential.",
	70043:   "The refresh token expired under a Conditional Access sign-in frequency policy: sign in again.",
	70044:   "The session has expired or is invalid: sign in again.",
	80001:   "The on-premises authentication agent cannot connect to Active Directory: check that the agent's server is joined to the domain and can reach a domain controller.",
	80002:   "The on-premises password validation timed out: retry.",
	80005:   "An unknown error occurred while processing the on-premises authentication agent's response: check the Pass-through Authentication agents, then retry.",
	81010:   "Seamless SSO failed because the user's Kerberos ticket expired or is invalid: sign in again.",
	90002:   "The tenant was not found: check the tenant ID and that the authority host is the right cloud.",
	90006:   "A retryable server error occurred: retry with backoff.",
	90010:   "Entra ID could not process the request (NotSupported: unable to create the algorithm): check the request's parameters and the credential's certificate or key type.",
	90014:   "A required field is missing from the request: send it.",
	90019:   "No tenant could be identified: use a tenant-specific authority.",
	90033:   "A transient error occurred in Entra ID: retry with backoff.",
	90038:   "The tenant is in another national cloud: use that cloud's authority host.",
	90051:   "Invalid national cloud: use the right authority host.",
	90055:   "The tenant is being throttled: back off and retry later.",
	90094:   "Administrator consent is required: have an administrator grant consent.",
	500011:  "The resource principal was not found in the tenant: fix the resource or scope, provision or consent the API, or use the right tenant.",
	500014:  "The resource's service principal is disabled: re-enable it.",
	500021:  "Access was blocked by tenant restrictions: ask the network administrator.",
	500133:  "The on-behalf-of assertion has expired: refresh the incoming token.",
	530032:  "Blocked by a tenant security policy (BlockedByConditionalAccessOnSecurityPolicy): look up the policy in the sign-in logs (by correlation ID) or contact an administrator.",
	700016:  "The application was not found in the tenant: check the client and tenant IDs; for a multi-tenant app an administrator must add it to the tenant.",
	700024:  "The client assertion is outside its valid time range: use a fresh assertion, fix clock skew, and don't reuse cached federated tokens.",
	700025:  "The client is public, so no client credential is expected: remove the secret or assertion.",
	700027:  "The client assertion's signature is invalid: upload the certificate to the application registration (send x5c for subject name/issuer authentication).",
	700082:  "The refresh token expired after 90 days of inactivity: sign in again.",
	700084:  "The single-page application's refresh token expired: sign in again.",
	700211:  "No federated identity credential matches the assertion's issuer: fix the issuer (the cluster's OIDC issuer URL).",
	700212:  "No federated identity credential matches the assertion's audience: fix the audience.",
	700213:  "No federated identity credential matches the assertion's subject: fix the subject (exact and case-sensitive).",
	900023:  "The tenant identifier is invalid: fix the tenant ID.",
	900144:  "A required parameter is missing from the request: send it.",
	7000112: "The application is disabled: re-enable its service principal (check disabledByMicrosoftStatus).",
	7000215: "Invalid client secret: use the secret's value, not its ID. If unsure, create a new client secret in the Azure portal and update the configuration.",
	7000218: "The request carries neither client_assertion nor client_secret: configure a credential, or allow public client flows.",
	7000222: "The client secret has expired: create a new client secret in the Azure portal (or use certificate or federated credentials) and update the configuration.",
	7002138: "The subject matches the federated credential only when case is ignored: fix the subject's case.",
	9002332: "The application accepts only Microsoft Entra users: use a work or school account.",
}
