package otelx

import (
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/azauthtrace/azauthtrace"
)

// Namespace is the prefix of every attribute key this module owns.
const Namespace = "azauth."

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
	// ChallengeRetryKey is true on the span or event of a request sent
	// again after a claims challenge, with a token requested for those
	// claims; its http.response.status_code says whether the service
	// accepted the new token.
	ChallengeRetryKey = attribute.Key(Namespace + "challenge.retry")

	// FailedCredentialKey is the credential type the failure came from:
	// for a DefaultAzureCredential or ChainedTokenCredential, the source
	// that decided the outcome.
	FailedCredentialKey = attribute.Key(Namespace + "failed_credential")

	// DeniedActionKey is the action the service denied.
	DeniedActionKey = attribute.Key(Namespace + "denied.action")
	// DeniedScopeKey is the scope on which it denied the action.
	DeniedScopeKey = attribute.Key(Namespace + "denied.scope")
)

// Keys of the principal a service denied.
const (
	// PrincipalObjectIDKey is the principal's object ID (oid).
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
)

// Span events.
const (
	// ChainAttemptEvent is the name of the span event recorded for each
	// source a DefaultAzureCredential or ChainedTokenCredential tried. It
	// carries CredentialTypeKey, ClassKey, DescriptionKey and, when known,
	// AADSTSKey and ErrorCodeKey.
	ChainAttemptEvent = Namespace + "chain.attempt"
	// FailureEvent is the name of the span event recorded for a failed
	// service call on the span that encloses it, when another span (the
	// SDK's own HTTP span) already describes the HTTP request. It carries
	// the failure's attributes and the request's method, URL and status.
	FailureEvent = Namespace + "failure"
	// ChallengeRetryEvent is the name of the span event recorded, on the
	// same span as FailureEvent, for a request sent again after a claims
	// challenge that did not fail again. It carries ChallengeRetryKey and
	// the request's method, URL and status.
	ChallengeRetryEvent = Namespace + "challenge_retry"
)

// ErrorType returns the error.type attribute for err, following the
// semantic conventions: the error's type name, such as
// "*azidentity.AuthenticationFailedError".
func ErrorType(err error) attribute.KeyValue { return semconv.ErrorType(err) }

// HTTPErrorType returns the error.type attribute for a failed HTTP response:
// its status code, as the HTTP semantic conventions recommend.
func HTTPErrorType(status int) attribute.KeyValue {
	return ErrorTypeKey.String(statusText(status))
}

// statusText returns status in decimal, without allocating for the
// statuses of auth failures.
func statusText(status int) string {
	switch status {
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 407:
		return "407"
	case 429:
		return "429"
	case 500:
		return "500"
	case 503:
		return "503"
	}
	return strconv.Itoa(status)
}

// FailureAttributes returns the attributes that describe f: its class,
// codes, identifiers, the denied principal, action and scope, the
// challenge, and what to do. Empty fields are left out. It never returns
// PrincipalNameKey; see [PrincipalName].
func FailureAttributes(f azauthtrace.Failure) []attribute.KeyValue {
	return AppendFailureAttributes(make([]attribute.KeyValue, 0, 24), f)
}

// AppendFailureAttributes appends the attributes of [FailureAttributes] to
// attrs and returns the extended slice.
func AppendFailureAttributes(attrs []attribute.KeyValue, f azauthtrace.Failure) []attribute.KeyValue {
	attrs = append(attrs, ClassKey.String(string(f.Class)), RetryableKey.Bool(f.Retryable))
	if f.AADSTS != 0 {
		attrs = append(attrs, AADSTSKey.Int(f.AADSTS))
	}
	if f.StatusCode != 0 {
		attrs = append(attrs, HTTPStatusCodeKey.Int(f.StatusCode))
	}
	var ch azauthtrace.Challenge // the challenge's attributes only with a challenge
	if f.Challenge.Scheme != "" {
		ch = f.Challenge
		attrs = append(attrs, ChallengeClaimsKey.Bool(ch.ClaimsPresent))
	}
	return appendStrings(attrs, []keyString{
		{ErrorCodeKey, f.ErrorCode},
		{CorrelationIDKey, f.CorrelationID},
		{ServiceRequestIDKey, f.RequestID},
		{SourceKey, string(f.Source)},
		{ServiceKey, f.Service},
		{DescriptionKey, f.Description},
		{MitigationKey, f.Mitigation},
		{TroubleshootingURLKey, f.TroubleshootingURL},
		{TimestampKey, f.Timestamp},
		{ErrorURIKey, f.ErrorURI},
		{ChallengeErrorKey, ch.Error},
		{ChallengeClaimsReasonKey, ch.ClaimsReason},
		{ChallengeAuthorizationURIKey, ch.AuthorizationURI},
		{ChallengeResourceKey, ch.Resource},
		{FailedCredentialKey, f.Credential},
		{PrincipalObjectIDKey, f.PrincipalID},
		{DeniedActionKey, f.Action},
		{DeniedScopeKey, f.Scope},
	})
}

// keyString is a string attribute, unless its value is empty.
type keyString struct {
	key   attribute.Key
	value string
}

// appendStrings appends to attrs the attributes of kvs whose value is not
// empty. One loop over a table, instead of a test per attribute, keeps the
// code that records a failure small.
func appendStrings(attrs []attribute.KeyValue, kvs []keyString) []attribute.KeyValue {
	for _, kv := range kvs {
		if kv.value != "" {
			attrs = append(attrs, kv.key.String(kv.value))
		}
	}
	return attrs
}

// PrincipalName returns the attribute for the principal name the service
// named in f, which may be a user principal name. Callers record it only
// when their user turned that on.
func PrincipalName(f azauthtrace.Failure) (attribute.KeyValue, bool) {
	if f.PrincipalName == "" {
		return attribute.KeyValue{}, false
	}
	return PrincipalNameKey.String(f.PrincipalName), true
}

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
	// HTTPStatusCodeKey and ServerAddressKey.
	FailuresMetric = "azauth.failures"

	// OutcomeKey is "success", the failure class, or "unknown" for a
	// failure the classifier does not recognise.
	OutcomeKey = attribute.Key(Namespace + "outcome")
	// OutcomeSuccess is the OutcomeKey value of a successful request.
	OutcomeSuccess = "success"
	// OutcomeUnknown is the OutcomeKey value of a failure the classifier
	// does not recognise.
	OutcomeUnknown = "unknown"
)
