package azauthtrace

// aadstsInfo is what the library knows of one AADSTS code.
type aadstsInfo struct {
	class      Class
	mitigation string
}

// aadstsWrapper is the generic "Error validating credentials" code that
// precedes the real code in older responses.
const aadstsWrapper = 70002

// aadsts maps Entra ID AADSTS codes to their class and mitigation, from
// Microsoft Entra's error code reference and the azidentity troubleshooting
// guide. Codes not listed here are classified by the OAuth error value.
var aadsts = map[int]aadstsInfo{
	// The credential was refused.
	7000215: {ClassAuthentication, "Invalid client secret: use the secret's value, not its ID. If unsure, create a new client secret in the Azure portal and update the configuration."},
	7000222: {ClassAuthentication, "The client secret has expired: create a new client secret in the Azure portal (or use certificate or federated credentials) and update the configuration."},
	700027:  {ClassAuthentication, "The client assertion's signature is invalid: upload the certificate to the application registration (send x5c for subject name/issuer authentication)."},
	700024:  {ClassAuthentication, "The client assertion is outside its valid time range: use a fresh assertion, fix clock skew, and don't reuse cached federated tokens."},
	50012:   {ClassAuthentication, "The client assertion or certificate is invalid: check the certificate uploaded to the application registration."},
	50013:   {ClassAuthentication, "The assertion is invalid (signature, expiry or audience): acquire a fresh assertion or token."},
	500133:  {ClassAuthentication, "The on-behalf-of assertion has expired: refresh the incoming token."},
	50126:   {ClassAuthentication, "Invalid username or password: correct the credentials; for federated users enable cloud password validation."},
	50034:   {ClassAuthentication, "The user account does not exist in the tenant: correct the user name or tenant, or invite the user as a guest."},
	50053:   {ClassAuthentication, "The account is locked (smart lockout) or the sign-in came from a suspicious IP: wait or have an administrator unblock it, and stop retry loops."},
	50055:   {ClassAuthentication, "The password has expired: reset or change the password."},
	50056:   {ClassAuthentication, "Invalid or missing password: provide the user's password."},
	50057:   {ClassAuthentication, "The user account is disabled: an administrator must re-enable it."},
	50058:   {ClassAuthentication, "Silent sign-in without a signed-in user: sign in interactively."},
	50064:   {ClassAuthentication, "Credential validation failed: check the user name and password."},
	50072:   {ClassAuthentication, "The user must enroll in multi-factor authentication: sign in interactively to register."},
	50074:   {ClassAuthentication, "Strong authentication is required: sign in interactively."},
	50076:   {ClassAuthentication, "Multi-factor authentication is required: use an interactive flow for the resource and pass the claims challenge; service principals should not hit this."},
	50079:   {ClassAuthentication, "The user must enroll in multi-factor authentication: register for MFA, then sign in interactively."},
	50089:   {ClassAuthentication, "The authentication flow expired: sign in again."},
	50132:   {ClassAuthentication, "The session is no longer valid (password changed or expired): sign in again."},
	50133:   {ClassAuthentication, "The session is no longer valid after a password change: sign in again."},
	50144:   {ClassAuthentication, "The user's Active Directory password has expired: reset it."},
	50173:   {ClassAuthentication, "The grant was revoked (password change or administrator revocation): sign in again."},
	700082:  {ClassAuthentication, "The refresh token expired after 90 days of inactivity: sign in again."},
	70008:   {ClassAuthentication, "The authorization code or refresh token has expired or been revoked: sign in again."},
	70043:   {ClassAuthentication, "The refresh token expired under a Conditional Access sign-in frequency policy: sign in again."},
	70044:   {ClassAuthentication, "The session has expired or is invalid: sign in again."},
	700084:  {ClassAuthentication, "The single-page application's refresh token expired: sign in again."},
	54005:   {ClassAuthentication, "The authorization code was already redeemed: acquire a new one."},
	81010:   {ClassAuthentication, "Seamless SSO failed because the user's Kerberos ticket expired or is invalid: sign in again."},

	// Authorization was denied.
	53000:  {ClassPermission, "Conditional Access requires a compliant device: use a compliant device or ask an administrator."},
	53001:  {ClassPermission, "Conditional Access requires a domain-joined device: use a joined device or ask an administrator."},
	53002:  {ClassPermission, "Conditional Access requires an approved client application."},
	53003:  {ClassPermission, "Blocked by Conditional Access: look up the policy in the sign-in logs (by correlation ID) or contact an administrator."},
	53011:  {ClassPermission, "Blocked because of the user's risk: the user must remediate the risk or an administrator must dismiss it."},
	530032: {ClassPermission, "Blocked by security defaults or a security policy: contact an administrator."},
	65001:  {ClassPermission, "Consent is missing: have the user or an administrator consent to the application's permissions."},
	65004:  {ClassPermission, "The user declined consent: consent to the application's permissions."},
	90094:  {ClassPermission, "Administrator consent is required: have an administrator grant consent."},
	50105:  {ClassPermission, "The user is not assigned to a role for the application: assign the user or group to the application."},
	500021: {ClassPermission, "Access was blocked by tenant restrictions: ask the network administrator."},
	50131:  {ClassPermission, "Conditional Access failed: look up the policy in the sign-in logs."},

	// The request or the identity's wiring is wrong.
	7000218: {ClassConfiguration, "The request carries neither client_assertion nor client_secret: configure a credential, or allow public client flows."},
	700016:  {ClassConfiguration, "The application was not found in the tenant: check the client and tenant IDs; for a multi-tenant app an administrator must add it to the tenant."},
	70021:   {ClassConfiguration, "No federated identity credential matches the assertion's issuer, subject and audience: create or fix the federated credential."},
	700211:  {ClassConfiguration, "No federated identity credential matches the assertion's issuer: fix the issuer (the cluster's OIDC issuer URL)."},
	700212:  {ClassConfiguration, "No federated identity credential matches the assertion's audience: fix the audience."},
	700213:  {ClassConfiguration, "No federated identity credential matches the assertion's subject: fix the subject (exact and case-sensitive)."},
	7002138: {ClassConfiguration, "The subject matches the federated credential only when case is ignored: fix the subject's case."},
	7000112: {ClassConfiguration, "The application is disabled: re-enable its service principal (check disabledByMicrosoftStatus)."},
	70001:   {ClassConfiguration, "The application is disabled or not found in the tenant: check the client ID and the service principal."},
	500011:  {ClassConfiguration, "The resource principal was not found in the tenant: fix the resource or scope, provision or consent the API, or use the right tenant."},
	500014:  {ClassConfiguration, "The resource's service principal is disabled: re-enable it."},
	50001:   {ClassConfiguration, "The resource is disabled or does not exist: fix the resource or scope."},
	90002:   {ClassConfiguration, "The tenant was not found: check the tenant ID and that the authority host is the right cloud."},
	900023:  {ClassConfiguration, "The tenant identifier is invalid: fix the tenant ID."},
	90014:   {ClassConfiguration, "A required field is missing from the request: send it."},
	900144:  {ClassConfiguration, "A required parameter is missing from the request: send it."},
	90019:   {ClassConfiguration, "No tenant could be identified: use a tenant-specific authority."},
	70011:   {ClassConfiguration, "The scope is invalid: request a scope of the form <resource>/.default."},
	50011:   {ClassConfiguration, "The redirect URI does not match the application registration."},
	50128:   {ClassConfiguration, "The domain name is invalid: check the tenant."},
	50059:   {ClassConfiguration, "No tenant information was found: use a tenant-specific authority."},
	50194:   {ClassConfiguration, "The application is not configured as multi-tenant: use the tenant-specific endpoint or make it multi-tenant."},
	50196:   {ClassConfiguration, "A client loop was detected: cache tokens instead of requesting them repeatedly."},
	700025:  {ClassConfiguration, "The client is public, so no client credential is expected: remove the secret or assertion."},
	90038:   {ClassConfiguration, "The tenant is in another national cloud: use that cloud's authority host."},
	90051:   {ClassConfiguration, "Invalid national cloud: use the right authority host."},
	9002332: {ClassConfiguration, "The application accepts only Microsoft Entra users: use a work or school account."},
	90010:   {ClassConfiguration, "The grant type is not supported on this endpoint."},

	// Expected to clear on retry.
	90033: {ClassTransient, "A transient error occurred in Entra ID: retry with backoff."},
	90055: {ClassTransient, "The tenant is being throttled: back off and retry later."},
	90006: {ClassTransient, "A retryable server error occurred: retry with backoff."},
	50000: {ClassTransient, "There is an issue with the sign-in service: retry with backoff."},
	80001: {ClassTransient, "The on-premises authentication agent is unavailable: retry, and check the agents."},
	80002: {ClassTransient, "The on-premises password validation timed out: retry."},
	80005: {ClassTransient, "The on-premises authentication agent timed out: retry."},
}
