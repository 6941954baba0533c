package recorder_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"go.opentelemetry.io/otel/attribute"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

func TestFailureAttributes(t *testing.T) {
	f := azauthtrace.Failure{
		Class:         azauthtrace.ClassPermission,
		StatusCode:    403,
		ErrorCode:     "AuthorizationFailed",
		CorrelationID: "corr",
		RequestID:     "req",
		Source:        azauthtrace.SourceService,
		Service:       "Azure Resource Manager",
		Credential:    "WorkloadIdentityCredential",
		Description:   "denied",
		Mitigation:    "grant a role",
		PrincipalID:   "oid",
		PrincipalName: "alice@contoso.com",
		Action:        "Microsoft.Storage/storageAccounts/write",
		Scope:         "/subscriptions/s",
		Challenge:     azauthtrace.Challenge{Scheme: "Bearer", Error: "insufficient_claims", ClaimsPresent: true, ClaimsReason: "token_revoked"},
	}
	got := map[attribute.Key]attribute.Value{}
	for _, kv := range recorder.FailureAttributes(nil, f, safe.Scrubber{}) {
		if _, dup := got[kv.Key]; dup {
			t.Errorf("%s set twice", kv.Key)
		}
		got[kv.Key] = kv.Value
	}
	want := map[attribute.Key]any{
		otelx.ClassKey:                 "permission",
		otelx.HTTPStatusCodeKey:        int64(403),
		otelx.ErrorCodeKey:             "AuthorizationFailed",
		otelx.CorrelationIDKey:         "corr",
		otelx.ServiceRequestIDKey:      "req",
		otelx.SourceKey:                "service",
		otelx.ServiceKey:               "Azure Resource Manager",
		otelx.FailedCredentialKey:      "WorkloadIdentityCredential",
		otelx.DescriptionKey:           "denied",
		otelx.MitigationKey:            "grant a role",
		otelx.RetryableKey:             false,
		otelx.PrincipalObjectIDKey:     "oid",
		otelx.DeniedActionKey:          "Microsoft.Storage/storageAccounts/write",
		otelx.DeniedScopeKey:           "/subscriptions/s",
		otelx.ChallengeErrorKey:        "insufficient_claims",
		otelx.ChallengeClaimsKey:       true,
		otelx.ChallengeClaimsReasonKey: "token_revoked",
	}
	for k, w := range want {
		if v, ok := got[k]; !ok || v.AsInterface() != w {
			t.Errorf("%s = %v (set: %v), want %v", k, v.AsInterface(), ok, w)
		}
	}
	for _, k := range []attribute.Key{otelx.AADSTSKey, otelx.TimestampKey, otelx.ErrorURIKey, otelx.ChallengeResourceKey, otelx.PrincipalNameKey, otelx.ErrorTypeKey} {
		if _, ok := got[k]; ok {
			t.Errorf("%s set for a failure without it", k)
		}
	}
	if kv, ok := recorder.PrincipalName(f, safe.Scrubber{}); !ok || kv.Value.AsString() != "alice@contoso.com" {
		t.Errorf("PrincipalName = %v, %v", kv, ok)
	}
	if _, ok := recorder.PrincipalName(azauthtrace.Failure{}, safe.Scrubber{}); ok {
		t.Error("PrincipalName of a failure naming nobody")
	}
}

func TestFailureAttributesWithoutChallenge(t *testing.T) {
	// Challenge fields without a scheme are no challenge: a Failure built
	// by hand may hold them.
	f := azauthtrace.Failure{Class: azauthtrace.ClassTransient, AADSTS: 90033,
		Challenge: azauthtrace.Challenge{Error: "invalid_token", Resource: "https://vault.azure.net"}}
	for _, kv := range recorder.FailureAttributes(nil, f, safe.Scrubber{}) {
		switch kv.Key {
		case otelx.ChallengeClaimsKey, otelx.ChallengeErrorKey, otelx.ChallengeResourceKey:
			t.Errorf("%s set without a challenge", kv.Key)
		}
		if kv.Key == otelx.AADSTSKey && kv.Value.AsInt64() != 90033 {
			t.Errorf("aadsts = %v", kv.Value)
		}
	}
}

// typedError has an ErrorType method, whose value the semantic conventions
// put in error.type.
type typedError string

func (e typedError) Error() string     { return "failed" }
func (e typedError) ErrorType() string { return string(e) }

// TestErrorTypes checks error.type: the type name of an error, the value
// of an ErrorType method when it is a code, and "_OTHER" for one that is
// not (it is the error's to choose, and may hold what a response sent);
// and the status code of a failed response.
func TestErrorTypes(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJDQU5BUlkiOjF9.c2lnbmF0dXJlQ0FOQVJZ"
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errors.New("x"), "*errors.errorString"},
		{&azidentity.AuthenticationFailedError{}, "*azidentity.AuthenticationFailedError"},
		{fmt.Errorf("wrapped: %w", &azidentity.AuthenticationFailedError{}), "*azidentity.AuthenticationFailedError"},
		{typedError("Throttled"), "Throttled"},
		{fmt.Errorf("wrapped: %w", typedError("Throttled")), "Throttled"},
		{typedError("token " + jwt + " rejected"), "_OTHER"},
		{typedError(jwt), "_OTHER"},
	} {
		if got := recorder.ErrorType(tt.err); got.Key != otelx.ErrorTypeKey || got.Value.AsString() != tt.want {
			t.Errorf("ErrorType(%#v) = %v, want %q", tt.err, got, tt.want)
		}
	}
	if got := recorder.HTTPErrorType(403); got.Value.AsString() != "403" || got.Key != "error.type" {
		t.Errorf("HTTPErrorType(403) = %v", got)
	}
}
