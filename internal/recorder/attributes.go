package recorder

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/principal"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

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
	otelx.CredentialClientIDKey:        safe.ID,
	otelx.CredentialTenantIDKey:        safe.Host,
	otelx.GrantActionKey:               safe.Path,
	otelx.GrantRoleKey:                 safe.Text,
	otelx.GrantRoleIDKey:               safe.ID,
	otelx.GrantScopeKey:                safe.Command,
	otelx.GrantPermissionKey:           safe.Code,
	otelx.GrantPermissionTypeKey:       safe.Code,
	otelx.GrantCommandKey:              safe.Command,
	otelx.GrantNoteKey:                 safe.Command,
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
		{otelx.GrantActionKey, f.Grant.Action},
		{otelx.GrantRoleKey, f.Grant.Role},
		{otelx.GrantRoleIDKey, f.Grant.RoleID},
		{otelx.GrantScopeKey, f.Grant.Scope},
		{otelx.GrantPermissionKey, f.Grant.Permission},
		{otelx.GrantPermissionTypeKey, f.Grant.PermissionType},
		{otelx.GrantCommandKey, f.Grant.Command},
		{otelx.GrantNoteKey, f.Grant.Note},
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

// requestAttributes returns the attributes of the HTTP request that
// describe one try. error.type is set only for a failure: a challenge the
// client answered is no error.
func requestAttributes(t Try, failure bool) []attribute.KeyValue {
	raw := t.Request
	attrs := []attribute.KeyValue{otelx.HTTPMethodKey.String(method(raw))}
	if t.host != "" {
		attrs = append(attrs, otelx.ServerAddressKey.String(t.host))
	}
	// The URL without user information, query or fragment, but its
	// api-version, with what the request carried (a key in a header, a
	// query's secret value) redacted from the path.
	u := keptURL(raw)
	if v := safe.FromRequest(raw).URL(&u); v.String() != "" {
		attrs = append(attrs, otelx.URLFullKey.String(v.String()))
	}
	if failure && t.Response.StatusCode >= 400 {
		attrs = append(attrs, HTTPErrorType(t.Response.StatusCode))
	}
	if t.AfterChallenge != "" {
		attrs = append(attrs, otelx.ChallengeRetryKey.Bool(true))
	}
	return attrs
}

// challengeAttributes returns the attributes of an answered challenge:
// its kind, what it says, and the IDs of its response. It is no failure:
// no class.
func challengeAttributes(f azauthtrace.Failure, kind string) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		otelx.ChallengeKindKey.String(kind),
		otelx.ChallengeClaimsKey.Bool(f.Challenge.ClaimsPresent),
	}
	if f.Challenge.ClaimsReason != "" {
		attrs = append(attrs, otelx.ChallengeClaimsReasonKey.String(f.Challenge.ClaimsReason))
	}
	// FromResponse cleaned these with what the request carried.
	return appendCleaned(attrs, safe.Scrubber{}, []KeyString{
		{otelx.ChallengeErrorKey, f.Challenge.Error},
		{otelx.ChallengeAuthorizationURIKey, f.Challenge.AuthorizationURI},
		{otelx.ChallengeResourceKey, f.Challenge.Resource},
		{otelx.CorrelationIDKey, f.CorrelationID},
		{otelx.ServiceRequestIDKey, f.RequestID},
	})
}

// failureAttributes returns the attributes of f and of the Principal the
// request's access token names, without the status code. The token's
// object ID is who sent the request; another one the service named is
// recorded beside it.
func (r *Recorder) failureAttributes(raw *http.Request, f azauthtrace.Failure) []attribute.KeyValue {
	f.StatusCode = 0     // the caller sets it
	var sc safe.Scrubber // FromResponse cleaned f with what the request carried
	named := f.PrincipalID
	pr, ok := principal.FromAuthorization(raw.Header.Get("Authorization"), r.withNames)
	if ok && pr.ObjectID != "" {
		f.PrincipalID = ""
		if strings.EqualFold(named, pr.ObjectID) {
			named = ""
		}
	} else {
		named = ""
	}
	attrs := FailureAttributes(nil, f, sc)
	if r.withNames {
		if kv, ok := PrincipalName(f, sc); ok {
			attrs = append(attrs, kv)
		}
	}
	if !ok {
		return attrs
	}
	if f.PrincipalName != "" {
		pr.Name = ""
	}
	return Strings(attrs, sc, []KeyString{
		{Key: otelx.PrincipalTenantIDKey, Value: pr.TenantID},
		{Key: otelx.PrincipalObjectIDKey, Value: pr.ObjectID},
		{Key: otelx.DeniedObjectIDKey, Value: named},
		{Key: otelx.PrincipalAppIDKey, Value: pr.AppID},
		{Key: otelx.PrincipalTypeKey, Value: pr.Type},
		{Key: otelx.PrincipalManagedIdentityKey, Value: pr.ManagedIdentityID},
		{Key: otelx.PrincipalNameKey, Value: pr.Name},
	})
}

// apiVersion returns the value of the api-version parameter of the raw
// query q, whose parameters are separated by & or ; (url.ParseQuery drops
// a pair with a ;).
func apiVersion(q string) string {
	for _, kv := range strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' }) {
		if k, v, _ := strings.Cut(kv, "="); k == "api-version" {
			if uv, err := url.QueryUnescape(v); err == nil {
				return uv
			}
			return ""
		}
	}
	return ""
}

// methodOther is the http.request.method of a method that is not one
// (semantic conventions: "_OTHER").
const methodOther = "_OTHER"

// method returns the request's method, GET for none (as net/http sends
// it), or methodOther for a value that is no method name.
func method(raw *http.Request) string {
	return cmp.Or(safe.Clean(safe.Method, cmp.Or(raw.Method, http.MethodGet)).String(), methodOther)
}
