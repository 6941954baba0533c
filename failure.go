package azauthtrace

// Class is the kind of an Azure authentication or authorization failure. It
// says what the caller can do about it; see the package documentation for the
// definitions and the order in which they are decided.
type Class string

// The failure classes. Their string values are stable: they are the values of
// the class attribute on spans and metrics, so alerts and queries can rely on
// them.
const (
	// ClassAuthentication: Entra ID (or the service, for key and SAS
	// authentication) refused the presented credential, or the account
	// cannot sign in: a wrong or expired secret, a bad assertion, a wrong
	// password, a disabled user, MFA or interactive sign-in required.
	ClassAuthentication Class = "authentication"
	// ClassPermission: authentication succeeded but authorization was
	// denied: a missing role assignment, access policy, ACL, network rule,
	// Conditional Access block or consent.
	ClassPermission Class = "permission"
	// ClassConfiguration: the request is mis-addressed or the identity
	// wiring is structurally wrong: unknown tenant, application not in the
	// tenant, federated credential mismatch, managed identity not
	// assigned, a missing parameter.
	ClassConfiguration Class = "configuration"
	// ClassCredentialUnavailable: the credential could not even attempt
	// authentication in this environment: missing environment variables,
	// a CLI not installed or not logged in, no managed identity endpoint.
	// A credential chain tries its next source.
	ClassCredentialUnavailable Class = "credential_unavailable"
	// ClassTransient: the failure is expected to clear on retry:
	// throttling, a managed identity endpoint that is updating, an
	// identity provider outage.
	ClassTransient Class = "transient"
	// ClassTokenRejected: a resource service rejected or did not receive
	// the bearer token itself: expired, wrong tenant or issuer, wrong
	// audience, malformed or missing. The identity may well have
	// permission.
	ClassTokenRejected Class = "token_rejected"
	// ClassClaimsChallenge: a resource rejected an otherwise valid token
	// and sent a claims challenge (Continuous Access Evaluation, a
	// Conditional Access authentication context).
	ClassClaimsChallenge Class = "claims_challenge"
)

// Classes returns every class, in the order in which the classifier
// decides between them: for example, to create one metric series or alert
// per class ahead of time. The slice is new on every call.
func Classes() []Class {
	return []Class{
		ClassCredentialUnavailable,
		ClassClaimsChallenge,
		ClassTransient,
		ClassTokenRejected,
		ClassPermission,
		ClassConfiguration,
		ClassAuthentication,
	}
}

// Source says which party produced a failure.
type Source string

// The sources of a failure.
const (
	// SourceIdentityProvider is Microsoft Entra ID's token or discovery
	// endpoint.
	SourceIdentityProvider Source = "identity_provider"
	// SourceManagedIdentity is a managed identity endpoint: IMDS, App
	// Service, Azure Arc, Service Fabric, Azure ML, Cloud Shell, or
	// whatever answers at their addresses.
	SourceManagedIdentity Source = "managed_identity"
	// SourceService is the Azure resource service the request was for.
	SourceService Source = "service"
	// SourceCredential is the credential itself, which failed before any
	// response was received (missing configuration, a CLI that is not
	// installed, a timeout).
	SourceCredential Source = "credential"
)

// Failure is the diagnosis of one Azure authentication or authorization
// failure. The zero value means nothing is known. Every field is safe to
// record: no field ever holds an access token, a secret, a client
// assertion, a password, a claims value or a SAS signature.
type Failure struct {
	// Class is what kind of failure this is.
	Class Class
	// StatusCode is the HTTP status of the failed response, 0 if none.
	StatusCode int
	// AADSTS is the most specific Entra ID AADSTS code, 0 if none.
	AADSTS int
	// ErrorCode is the service's error code (AuthorizationFailed, a Key
	// Vault innererror code, x-ms-error-code, ...) or, at the token
	// endpoint, the OAuth "error" value.
	ErrorCode string
	// CorrelationID identifies the request in the service's logs; give it
	// to support. Its source depends on the service (body correlation_id
	// for Entra ID, x-ms-correlation-request-id for ARM,
	// x-ms-client-request-id for Storage and Key Vault, ...).
	CorrelationID string
	// RequestID is the service's own request identifier (Entra ID
	// trace_id, x-ms-request-id, request-id, apim-request-id,
	// x-ms-activity-id, Service Bus TrackingId).
	RequestID string

	// Source is the party that produced the failure.
	Source Source
	// Service names the service that answered: "Microsoft Entra ID",
	// "IMDS", "Azure Resource Manager", "Azure Storage", ... Empty when
	// unknown.
	Service string
	// Credential is the azidentity credential type that failed, such as
	// "ClientSecretCredential", when the failure came from an error that
	// names it.
	Credential string
	// Description is a short, sanitized, human-readable description of the
	// failure: the first sentence or so of the service's message.
	Description string
	// Timestamp is Entra ID's timestamp of the failure, as it sent it.
	Timestamp string
	// ErrorURI is Entra ID's error_uri, a page that explains the code.
	ErrorURI string
	// Mitigation is a short text on what to do about the failure.
	Mitigation string
	// TroubleshootingURL links to the troubleshooting guide for the
	// credential type or the service.
	TroubleshootingURL string
	// Retryable reports whether retrying the same request may succeed.
	Retryable bool

	// Challenge summarises the WWW-Authenticate challenge of the
	// response; the zero value when there was none.
	Challenge Challenge

	// PrincipalID is the object ID of the principal the service denied,
	// when the service names it by a GUID (ARM's AuthorizationFailed, Key
	// Vault's Caller line, Cosmos DB's and Foundry's principal).
	PrincipalID string
	// PrincipalName is the "client" the service named beside the object
	// ID: an application ID for a service principal, and for a user
	// possibly a user principal name, which is personal data.
	PrincipalName string
	// Action is the action that was denied, when the service names it
	// (Microsoft.Storage/storageAccounts/write).
	Action string
	// Scope is the scope or resource on which the action was denied, when
	// the service names it.
	Scope string
	// Grant is, for a permission failure, the access the principal lacks
	// and the command that gives it; the zero value when nothing names or
	// implies what was denied.
	Grant Grant

	// Chain holds, for a DefaultAzureCredential or ChainedTokenCredential
	// error, one Failure per attempted source, in order. The enclosing
	// Failure describes the source that decided the outcome: the first
	// that did not report itself unavailable, or the last one.
	Chain []Failure
}

// Challenge is the summary of a WWW-Authenticate challenge. It never holds
// the claims value itself.
type Challenge struct {
	// Scheme is the challenge's scheme, such as "Bearer"; empty when the
	// response had no challenge.
	Scheme string
	// Error is the challenge's error parameter (invalid_token,
	// insufficient_claims).
	Error string
	// Description is the challenge's error_description.
	Description string
	// ClaimsPresent reports whether the challenge carried a claims
	// parameter.
	ClaimsPresent bool
	// ClaimsReason names what the claims ask for, read from their names
	// only: "token_revoked" (nbf: the session was revoked, CAE),
	// "network_location" (xms_rp_ipaddr: an IP or location policy), or
	// "authentication_context" (acrs: a Conditional Access step-up).
	// Empty when unknown.
	ClaimsReason string
	// AuthorizationURI is the authorization_uri (or authorization)
	// parameter: the Entra ID authority to get a token from.
	AuthorizationURI string
	// Resource is the resource (or resource_id) parameter: the audience a
	// token must have.
	Resource string
}

// IsZero reports whether c holds no challenge.
func (c Challenge) IsZero() bool { return c == Challenge{} }
