// Package core turns diagnoses into OpenTelemetry attributes, and
// creates the module's tracers and meters, for the packages that record
// them (credential and policy).
package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/safe"
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
// type name, such as "*azidentity.AuthenticationFailedError", or the value
// of an ErrorType method in its chain, as the semantic conventions say.
// That value is the error's to choose, and may come from a response: it is
// kept only as a Code, or is "_OTHER".
func ErrorType(err error) attribute.KeyValue {
	var et interface{ ErrorType() string }
	if errors.As(err, &et) && et.ErrorType() != "" {
		if v := safe.Clean(safe.Code, et.ErrorType()).String(); v != "" {
			return otelx.ErrorTypeKey.String(v)
		}
		return semconv.ErrorTypeOther
	}
	return semconv.ErrorType(err)
}

// HTTPErrorType returns the error.type attribute of a failed HTTP
// response: its status code, as the HTTP semantic conventions say.
func HTTPErrorType(status int) attribute.KeyValue {
	return otelx.ErrorTypeKey.String(strconv.Itoa(status))
}

// String returns the attribute key with the value s, taken from a
// response, an error text or a request, made fit for telemetry by sc as a
// value of key's kind: the one way to make such an attribute.
func String(sc safe.Scrubber, key attribute.Key, s string) attribute.KeyValue {
	k, ok := kinds[key]
	if !ok {
		k = safe.Text
	}
	return key.String(sc.Clean(k, s).String())
}

// cleaned returns the attribute key with the value s, which the classifier
// already made fit for telemetry: cleaned again only when sc knows more.
func cleaned(sc safe.Scrubber, key attribute.Key, s string) attribute.KeyValue {
	if sc.IsZero() {
		return key.String(s)
	}
	return String(sc, key, s)
}

// appendCleaned appends to attrs the attributes of kvs that are not empty,
// whose values the classifier already made fit for telemetry (see
// cleaned).
func appendCleaned(attrs []attribute.KeyValue, sc safe.Scrubber, kvs []KeyString) []attribute.KeyValue {
	for _, kv := range kvs {
		if a := cleaned(sc, kv.Key, kv.Value); a.Value.AsString() != "" {
			attrs = append(attrs, a)
		}
	}
	return attrs
}

// kinds are the kinds of the string attributes whose values are taken from
// a response, an error text or a request.
var kinds = map[attribute.Key]safe.Kind{
	otelx.ErrorCodeKey:                 safe.Code,
	otelx.CorrelationIDKey:             safe.ID,
	otelx.ServiceRequestIDKey:          safe.ID,
	otelx.DescriptionKey:               safe.Text,
	otelx.TimestampKey:                 safe.Timestamp,
	otelx.ErrorURIKey:                  safe.URI,
	otelx.TroubleshootingURLKey:        safe.URI,
	otelx.ChallengeErrorKey:            safe.Code,
	otelx.ChallengeAuthorizationURIKey: safe.URI,
	otelx.ChallengeResourceKey:         safe.URI,
	otelx.FailedCredentialKey:          safe.Code,
	otelx.PrincipalObjectIDKey:         safe.ID,
	otelx.PrincipalTenantIDKey:         safe.ID,
	otelx.PrincipalAppIDKey:            safe.ID,
	otelx.PrincipalTypeKey:             safe.Code,
	otelx.PrincipalManagedIdentityKey:  safe.Path,
	otelx.PrincipalNameKey:             safe.Name,
	otelx.DeniedActionKey:              safe.Path,
	otelx.DeniedObjectIDKey:            safe.ID,
	otelx.DeniedScopeKey:               safe.Path,
	otelx.HTTPMethodKey:                safe.Method,
	otelx.ServerAddressKey:             safe.Host,
	otelx.URLFullKey:                   safe.URI,
	otelx.CredentialTypeKey:            safe.Code,
	otelx.TokenScopesKey:               safe.Path,
	otelx.TokenTenantIDKey:             safe.ID,
}

// invented are the string attributes whose values the library writes
// itself, from its own tables or from Go type names.
var invented = map[attribute.Key]bool{
	otelx.ClassKey:                 true,
	otelx.SourceKey:                true,
	otelx.ServiceKey:               true,
	otelx.MitigationKey:            true,
	otelx.ChallengeClaimsReasonKey: true,
	otelx.ChallengeKindKey:         true,
	otelx.ErrorTypeKey:             true,
	otelx.TokenExpiresOnKey:        true,
	otelx.TokenRefreshOnKey:        true,
	otelx.OutcomeKey:               true,
}

// Check reports what is wrong with an attribute the library set: a string
// value taken from a response that Clean would change (it did not go
// through String), a value that is not valid UTF-8, or a key in the
// library's namespace that is neither taken from a response nor written by
// the library. Attributes of other keys (a user's, the SDK's) are not the
// library's and pass.
func Check(kv attribute.KeyValue) error {
	k, fromResponse := kinds[kv.Key]
	switch {
	case kv.Value.Type() != attribute.STRING:
		return nil
	case !utf8.ValidString(kv.Value.AsString()):
		return fmt.Errorf("%s is not valid UTF-8: %q", kv.Key, kv.Value.AsString())
	case fromResponse:
		if v := kv.Value.AsString(); safe.Clean(k, v).String() != v {
			return fmt.Errorf("%s = %q was not made fit for telemetry: Clean gives %q", kv.Key, v, safe.Clean(k, v).String())
		}
	case invented[kv.Key]:
	case strings.HasPrefix(string(kv.Key), otelx.Namespace):
		return fmt.Errorf("%s is not a registered key of the library", kv.Key)
	}
	return nil
}

// FailureAttributes appends the attributes that describe f to attrs: its
// class, codes, identifiers, the denied principal, action and scope, the
// challenge, and what to do. Empty values are left out, and so is the
// principal's name, which callers add only when their user asked for
// names (see PrincipalName).
//
// f comes from the classifier, which made each of its strings fit for
// telemetry with what the request carried; sc redacts more (the claims
// of a token request, the secrets a user named), and the zero Scrubber
// nothing more, as Clean of a clean value is the value.
func FailureAttributes(attrs []attribute.KeyValue, f azauthtrace.Failure, sc safe.Scrubber) []attribute.KeyValue {
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
		{otelx.SourceKey, string(f.Source)},
		{otelx.ServiceKey, f.Service},
		{otelx.MitigationKey, f.Mitigation},
		{otelx.ChallengeClaimsReasonKey, ch.ClaimsReason},
	} {
		if kv.value != "" {
			attrs = append(attrs, kv.key.String(kv.value))
		}
	}
	return appendCleaned(attrs, sc, []KeyString{
		{otelx.ErrorCodeKey, f.ErrorCode},
		{otelx.CorrelationIDKey, f.CorrelationID},
		{otelx.ServiceRequestIDKey, f.RequestID},
		{otelx.DescriptionKey, f.Description},
		{otelx.TroubleshootingURLKey, f.TroubleshootingURL},
		{otelx.TimestampKey, f.Timestamp},
		{otelx.ErrorURIKey, f.ErrorURI},
		{otelx.ChallengeErrorKey, ch.Error},
		{otelx.ChallengeAuthorizationURIKey, ch.AuthorizationURI},
		{otelx.ChallengeResourceKey, ch.Resource},
		{otelx.FailedCredentialKey, f.Credential},
		{otelx.PrincipalObjectIDKey, f.PrincipalID},
		{otelx.DeniedActionKey, f.Action},
		{otelx.DeniedScopeKey, f.Scope},
	})
}

// KeyString is a string attribute taken from a response, an error text or
// a request, before String makes it fit for telemetry.
type KeyString struct {
	Key   attribute.Key
	Value string
}

// Strings appends to attrs the attributes of kvs made by String, leaving
// out those whose value is empty after cleaning.
func Strings(attrs []attribute.KeyValue, sc safe.Scrubber, kvs []KeyString) []attribute.KeyValue {
	for _, kv := range kvs {
		if a := String(sc, kv.Key, kv.Value); a.Value.AsString() != "" {
			attrs = append(attrs, a)
		}
	}
	return attrs
}

// PrincipalName returns the attribute of the principal name the service
// named in f, which may be a user principal name: personal data, recorded
// only when the user turned names on.
func PrincipalName(f azauthtrace.Failure, sc safe.Scrubber) (attribute.KeyValue, bool) {
	a := String(sc, otelx.PrincipalNameKey, f.PrincipalName)
	return a, a.Value.AsString() != ""
}
