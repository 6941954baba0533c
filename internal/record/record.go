// Package record turns diagnoses into OpenTelemetry attributes, and
// creates the module's tracers and meters, for the packages that record
// them (credential and policy).
package record

import (
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Tracer returns the module's tracer from tp, or from the global provider
// when tp is nil.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(otelx.ScopeName,
		trace.WithInstrumentationVersion(azauthtrace.Version),
		trace.WithSchemaURL(otelx.SchemaURL))
}

// Meter returns the module's meter from mp, or from the global provider
// when mp is nil.
func Meter(mp metric.MeterProvider) metric.Meter {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	return mp.Meter(otelx.ScopeName,
		metric.WithInstrumentationVersion(azauthtrace.Version),
		metric.WithSchemaURL(otelx.SchemaURL))
}

// ErrorType returns the error.type attribute of a failed call: the error's
// type name, such as "*azidentity.AuthenticationFailedError".
func ErrorType(err error) attribute.KeyValue { return semconv.ErrorType(err) }

// HTTPErrorType returns the error.type attribute of a failed HTTP
// response: its status code, as the HTTP semantic conventions say.
func HTTPErrorType(status int) attribute.KeyValue {
	return otelx.ErrorTypeKey.String(strconv.Itoa(status))
}

// FailureAttributes appends the attributes that describe f to attrs: its
// class, codes, identifiers, the denied principal, action and scope, the
// challenge, and what to do. Empty fields are left out, and so is the
// principal's name, which callers add only when their user asked for names
// (see PrincipalName).
func FailureAttributes(attrs []attribute.KeyValue, f azauthtrace.Failure) []attribute.KeyValue {
	attrs = append(attrs, otelx.ClassKey.String(string(f.Class)), otelx.RetryableKey.Bool(f.Retryable))
	if f.AADSTS != 0 {
		attrs = append(attrs, otelx.AADSTSKey.Int(f.AADSTS))
	}
	if f.StatusCode != 0 {
		attrs = append(attrs, otelx.HTTPStatusCodeKey.Int(f.StatusCode))
	}
	var ch azauthtrace.Challenge // the challenge's attributes only with a challenge
	if f.Challenge.Scheme != "" {
		ch = f.Challenge
		attrs = append(attrs, otelx.ChallengeClaimsKey.Bool(ch.ClaimsPresent))
	}
	for _, kv := range []struct {
		key   attribute.Key
		value string
	}{
		{otelx.ErrorCodeKey, f.ErrorCode},
		{otelx.CorrelationIDKey, f.CorrelationID},
		{otelx.ServiceRequestIDKey, f.RequestID},
		{otelx.SourceKey, string(f.Source)},
		{otelx.ServiceKey, f.Service},
		{otelx.DescriptionKey, f.Description},
		{otelx.MitigationKey, f.Mitigation},
		{otelx.TroubleshootingURLKey, f.TroubleshootingURL},
		{otelx.TimestampKey, f.Timestamp},
		{otelx.ErrorURIKey, f.ErrorURI},
		{otelx.ChallengeErrorKey, ch.Error},
		{otelx.ChallengeClaimsReasonKey, ch.ClaimsReason},
		{otelx.ChallengeAuthorizationURIKey, ch.AuthorizationURI},
		{otelx.ChallengeResourceKey, ch.Resource},
		{otelx.FailedCredentialKey, f.Credential},
		{otelx.PrincipalObjectIDKey, f.PrincipalID},
		{otelx.DeniedActionKey, f.Action},
		{otelx.DeniedScopeKey, f.Scope},
	} {
		if kv.value != "" {
			attrs = append(attrs, kv.key.String(kv.value))
		}
	}
	return attrs
}

// PrincipalName returns the attribute of the principal name the service
// named in f, which may be a user principal name: personal data, recorded
// only when the user turned names on.
func PrincipalName(f azauthtrace.Failure) (attribute.KeyValue, bool) {
	if f.PrincipalName == "" {
		return attribute.KeyValue{}, false
	}
	return otelx.PrincipalNameKey.String(f.PrincipalName), true
}
