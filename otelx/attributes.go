package otelx

import (
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Namespace is the prefix of every attribute key this module owns.
const Namespace = "azauth."

// SchemaURL is the schema URL of the semantic conventions whose keys this
// module sets, reported by its tracers and meters.
const SchemaURL = semconv.SchemaURL

// Semantic-convention keys this module sets.
const (
	// ErrorTypeKey is error.type: the error's type name for a failed token
	// request, the status code for a failed HTTP response.
	ErrorTypeKey = semconv.ErrorTypeKey
	// HTTPStatusCodeKey is http.response.status_code.
	HTTPStatusCodeKey = semconv.HTTPResponseStatusCodeKey
	// HTTPMethodKey is http.request.method.
	HTTPMethodKey = semconv.HTTPRequestMethodKey
	// ServerAddressKey is server.address: the host that answered.
	ServerAddressKey = semconv.ServerAddressKey
	// URLFullKey is url.full, sanitized: no query string but api-version.
	URLFullKey = semconv.URLFullKey
	// ServiceRequestIDKey is azure.service.request.id: the service's
	// request ID (x-ms-request-id and its equivalents, Entra ID's
	// trace_id).
	ServiceRequestIDKey = semconv.AzureServiceRequestIDKey
)

// Keys of the failure diagnosis, set on spans of failed token requests and
// of failed service calls.
const (
	// ClassKey is the failure class: authentication, permission,
	// configuration, credential_unavailable, transient, token_rejected or
	// claims_challenge.
	ClassKey = attribute.Key(Namespace + "class")
	// AADSTSKey is the Entra ID AADSTS code, as an int.
	AADSTSKey = attribute.Key(Namespace + "aadsts")
	// ErrorCodeKey is the service error code or the OAuth error value.
	ErrorCodeKey = attribute.Key(Namespace + "error_code")
	// CorrelationIDKey is the correlation ID to give to support.
	CorrelationIDKey = attribute.Key(Namespace + "correlation_id")
	// SourceKey is who produced the failure: identity_provider,
	// managed_identity, service or credential.
	SourceKey = attribute.Key(Namespace + "source")
	// ServiceKey names the service that answered ("Azure Resource
	// Manager", "Microsoft Entra ID", "IMDS", ...).
	ServiceKey = attribute.Key(Namespace + "service")
	// DescriptionKey is a short sanitized description of the failure.
	DescriptionKey = attribute.Key(Namespace + "description")
	// MitigationKey is what to do about the failure.
	MitigationKey = attribute.Key(Namespace + "mitigation")
	// TroubleshootingURLKey links to the troubleshooting guide.
	TroubleshootingURLKey = attribute.Key(Namespace + "troubleshooting_url")
	// RetryableKey reports whether a retry may succeed.
	RetryableKey = attribute.Key(Namespace + "retryable")
	// TimestampKey is Entra ID's timestamp of the failure.
	TimestampKey = attribute.Key(Namespace + "timestamp")
	// ErrorURIKey is Entra ID's error_uri.
	ErrorURIKey = attribute.Key(Namespace + "error_uri")

	// ChallengeErrorKey is the WWW-Authenticate challenge's error.
	ChallengeErrorKey = attribute.Key(Namespace + "challenge.error")
	// ChallengeClaimsKey reports whether the challenge carried claims (the
	// claims themselves are never recorded).
	ChallengeClaimsKey = attribute.Key(Namespace + "challenge.claims_present")
	// ChallengeClaimsReasonKey names what the challenge's claims ask for:
	// token_revoked, network_location or authentication_context.
	ChallengeClaimsReasonKey = attribute.Key(Namespace + "challenge.claims_reason")
	// ChallengeAuthorizationURIKey is the challenge's authorization URI.
	ChallengeAuthorizationURIKey = attribute.Key(Namespace + "challenge.authorization_uri")
	// ChallengeResourceKey is the resource the challenge names.
	ChallengeResourceKey = attribute.Key(Namespace + "challenge.resource")
	// ChallengeKindKey is the kind of a challenge the client answers by
	// itself, recorded as a challenge and not as a failure: "claims" (a
	// Continuous Access Evaluation challenge) or "discovery" (a challenge
	// that names the authority to get a token from, to a request sent
	// without one: Key Vault's).
	ChallengeKindKey = attribute.Key(Namespace + "challenge.kind")
	// ChallengeRetryKey is true on the span or event of the try that
	// answered a challenge (with a token for a claims challenge's claims,
	// or the first token after a discovery challenge); its
	// http.response.status_code says whether the service accepted it.
	ChallengeRetryKey = attribute.Key(Namespace + "challenge.retry")

	// FailedCredentialKey is the credential type the failure came from:
	// for a DefaultAzureCredential or ChainedTokenCredential, the source
	// that decided the outcome.
	FailedCredentialKey = attribute.Key(Namespace + "failed_credential")

	// DeniedObjectIDKey is the object ID the service named as the
	// principal it denied, when that differs from the object ID of the
	// token the request carried (PrincipalObjectIDKey): the service did
	// not see the caller the caller thinks it is.
	DeniedObjectIDKey = attribute.Key(Namespace + "denied.object_id")
	// DeniedActionKey is the action the service denied.
	DeniedActionKey = attribute.Key(Namespace + "denied.action")
	// DeniedScopeKey is the scope on which it denied the action.
	DeniedScopeKey = attribute.Key(Namespace + "denied.scope")
)

// Keys of the principal a service denied.
const (
	// PrincipalObjectIDKey is the principal's object ID: the oid of the
	// access token the request carried, or, without one, the object ID
	// the service named.
	PrincipalObjectIDKey = attribute.Key(Namespace + "principal.object_id")
	// PrincipalTenantIDKey is the principal's tenant (tid).
	PrincipalTenantIDKey = attribute.Key(Namespace + "principal.tenant_id")
	// PrincipalAppIDKey is the application the token was issued to (appid
	// or azp).
	PrincipalAppIDKey = attribute.Key(Namespace + "principal.app_id")
	// PrincipalTypeKey is the identity type (idtyp: app, user).
	PrincipalTypeKey = attribute.Key(Namespace + "principal.type")
	// PrincipalManagedIdentityKey is a managed identity's resource ID
	// (xms_mirid).
	PrincipalManagedIdentityKey = attribute.Key(Namespace + "principal.managed_identity_id")
	// PrincipalNameKey is the principal's name or user principal name:
	// personal data, recorded only when an option turns it on.
	PrincipalNameKey = attribute.Key(Namespace + "principal.name")
)

// Keys of a token request.
const (
	// CredentialTypeKey is the credential type, such as
	// ClientSecretCredential.
	CredentialTypeKey = attribute.Key(Namespace + "credential.type")
	// TokenScopesKey lists the requested scopes, space-separated.
	TokenScopesKey = attribute.Key(Namespace + "token.scopes")
	// TokenTenantIDKey is the tenant the request names.
	TokenTenantIDKey = attribute.Key(Namespace + "token.tenant_id")
	// TokenCAEKey reports whether Continuous Access Evaluation was enabled.
	TokenCAEKey = attribute.Key(Namespace + "token.cae")
	// TokenClaimsKey reports whether claims were passed (the claims
	// themselves are never recorded).
	TokenClaimsKey = attribute.Key(Namespace + "token.claims_present")
	// TokenExpiresOnKey is the token's expiry, RFC 3339.
	TokenExpiresOnKey = attribute.Key(Namespace + "token.expires_on")
	// TokenRefreshOnKey is when the token should be refreshed, RFC 3339.
	TokenRefreshOnKey = attribute.Key(Namespace + "token.refresh_on")
	// CredentialClientIDKey is the client (application) ID the failing
	// credential presented to Entra ID or a managed identity endpoint,
	// when its token request shows it.
	CredentialClientIDKey = attribute.Key(Namespace + "credential.client_id")
	// CredentialTenantIDKey is the tenant whose token endpoint the failing
	// credential called, when its token request shows it.
	CredentialTenantIDKey = attribute.Key(Namespace + "credential.tenant_id")
)

// Keys of the grant that fixes a permission failure: the access the
// denied principal lacks, and how to give it.
const (
	// GrantActionKey is the Azure RBAC action or data action that was
	// denied, as Azure spells it, such as
	// Microsoft.KeyVault/vaults/secrets/getSecret/action.
	GrantActionKey = attribute.Key(Namespace + "grant.action")
	// GrantRoleKey is the name of the least-privileged built-in role that
	// grants the action, such as "Key Vault Secrets User".
	GrantRoleKey = attribute.Key(Namespace + "grant.role")
	// GrantRoleIDKey is that role's definition ID, a GUID.
	GrantRoleIDKey = attribute.Key(Namespace + "grant.role_id")
	// GrantScopeKey is the narrowest sensible scope to assign the role at:
	// an ARM resource ID, or a shell expression that resolves one.
	GrantScopeKey = attribute.Key(Namespace + "grant.scope")
	// GrantPermissionKey is the least-privileged Microsoft Graph
	// permission the request needs, such as User.Read.All.
	GrantPermissionKey = attribute.Key(Namespace + "grant.permission")
	// GrantPermissionTypeKey is the kind of that permission: Application
	// (an app-only token) or Delegated (a user's token).
	GrantPermissionTypeKey = attribute.Key(Namespace + "grant.permission_type")
	// GrantCommandKey is the Azure CLI command that grants the access, to
	// paste and run as it is.
	GrantCommandKey = attribute.Key(Namespace + "grant.command")
	// GrantNoteKey says what else to know about the grant: that only a
	// privileged role grants the action, that the token already holds the
	// permission, and so the cause is elsewhere.
	GrantNoteKey = attribute.Key(Namespace + "grant.note")
)

// Span events.
const (
	// ChainAttemptEvent is the name of the span event recorded for each
	// source a DefaultAzureCredential or ChainedTokenCredential tried. It
	// carries CredentialTypeKey, ClassKey, DescriptionKey and, when known,
	// AADSTSKey and ErrorCodeKey.
	ChainAttemptEvent = Namespace + "chain.attempt"
	// FailureEvent is the name of the span event recorded for each failed
	// try on the SDK operation span that azcore's tracing started for the
	// method, and by record.Error on the span in its context. It carries
	// the failure's attributes and, for a try, the request's method, URL
	// and status.
	FailureEvent = Namespace + "failure"
	// ChallengeEvent is the name of the span event recorded, on the SDK
	// operation span, for a challenge the client answered by itself:
	// it carries ChallengeKindKey, the challenge's attributes, the
	// response's IDs and the request's method, URL and status, and no
	// class, as it is no failure.
	ChallengeEvent = Namespace + "challenge"
	// ChallengeRetryEvent is the name of the span event recorded, on the
	// same span as FailureEvent, for the try that answered a challenge,
	// when it did not fail. It carries ChallengeRetryKey and the
	// request's method, URL and status.
	ChallengeRetryEvent = Namespace + "challenge_retry"
)

// Metric instruments and their attribute keys. Metric attributes are low
// cardinality: no IDs, scopes or tenants.
const (
	// TokenRequestsMetric counts token requests, by CredentialTypeKey and
	// OutcomeKey.
	TokenRequestsMetric = "azauth.token.requests"
	// TokenDurationMetric is the histogram of GetToken durations, in
	// seconds, by CredentialTypeKey and OutcomeKey.
	TokenDurationMetric = "azauth.token.duration"
	// FailuresMetric counts auth failures of service calls, by ClassKey,
	// HTTPStatusCodeKey and ServerAddressKey. Challenges the client
	// answers by itself are not failures: see ChallengesMetric.
	FailuresMetric = "azauth.failures"
	// ChallengesMetric counts the challenges of services that the client
	// answers by itself (a new Key Vault client's first request, a
	// Continuous Access Evaluation challenge), by ServerAddressKey and
	// ChallengeKindKey.
	ChallengesMetric = "azauth.challenges"

	// OutcomeKey is "success", the failure class, or "unknown" for a
	// failure the classifier does not recognise.
	OutcomeKey = attribute.Key(Namespace + "outcome")
	// OutcomeSuccess is the OutcomeKey value of a successful request.
	OutcomeSuccess = "success"
	// OutcomeUnknown is the OutcomeKey value of a failure the classifier
	// does not recognise.
	OutcomeUnknown = "unknown"
)
