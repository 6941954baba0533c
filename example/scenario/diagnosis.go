package scenario

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Result is the outcome of one scenario.
type Result struct {
	// Scenario is the scenario played.
	Scenario Scenario
	// Diagnosis is what the recorded telemetry says.
	Diagnosis Diagnosis
	// Err is the error the SDK call returned, nil when it succeeded. Its
	// text may hold whole response bodies: show the Diagnosis instead.
	Err error
	// Mismatches lists how the Diagnosis differs from the scenario's
	// Expectation; empty when it matches.
	Mismatches []string
}

// OK reports whether the diagnosis matched the expectation.
func (r Result) OK() bool { return len(r.Mismatches) == 0 }

// ChainAttempt is one source a DefaultAzureCredential tried.
type ChainAttempt struct {
	Credential  string
	Class       azauthtrace.Class
	Description string
}

// Diagnosis is what the telemetry of one scenario's trace says: read from
// the GetToken span of the credential decorator, and from the failure the
// policy recorded (on the SDK operation span and its azauth.failure
// event) or the credential recorded.
type Diagnosis struct {
	// TraceID is the scenario's trace.
	TraceID string
	// Class is the failure's class, "" when nothing failed.
	Class azauthtrace.Class
	// StatusCode is the failed response's status or, on success, the
	// status of the last HTTP request.
	StatusCode       int
	AADSTS           int
	ErrorCode        string
	Credential       string // azauth.credential.type of the first GetToken span
	FailedCredential string // the source of a chain that decided its failure
	CorrelationID    string
	RequestID        string
	Service          string
	Description      string
	Mitigation       string
	Troubleshooting  string
	// PrincipalID, PrincipalAppID, Action and Scope say who was denied
	// what, for permission failures.
	PrincipalID, PrincipalAppID string
	// DeniedObjectID is the object ID the service named, when it is not
	// the token's.
	DeniedObjectID string
	Action, Scope  string
	// Challenge is the kind of the challenge the client answered
	// (azauth.challenge.kind), "" when there was none.
	Challenge string
	// ClaimsReason is what a claims challenge asked for.
	ClaimsReason string
	// Grant is the access the failure lacks and how to give it: the
	// azauth.grant.* attributes.
	Grant Grant
	// RetryStatus is the status of the retry with a token for a claims
	// challenge's claims; 0 when there was none.
	RetryStatus int
	// Chain lists the sources a credential chain tried.
	Chain []ChainAttempt
	// Spans is the number of spans in the trace.
	Spans int
}

// diagnose reads the diagnosis from the spans of one trace.
func diagnose(spans []sdktrace.ReadOnlySpan) Diagnosis {
	var d Diagnosis
	d.Spans = len(spans)
	if len(spans) > 0 {
		d.TraceID = spans[0].SpanContext().TraceID().String()
	}
	slices.SortStableFunc(spans, func(a, b sdktrace.ReadOnlySpan) int { return a.EndTime().Compare(b.EndTime()) })
	// The failure: the last azauth.failure event if the policy recorded
	// one on an operation span, else the last span with a class.
	var failure []attribute.KeyValue
	for _, s := range spans {
		attrs := s.Attributes()
		if d.Credential == "" {
			if v, ok := lookup(attrs, otelx.CredentialTypeKey); ok {
				d.Credential = v.AsString()
			}
		}
		for _, e := range s.Events() {
			switch e.Name {
			case otelx.FailureEvent:
				failure = e.Attributes
			case otelx.ChallengeEvent:
				d.readChallenge(e.Attributes)
			case otelx.ChallengeRetryEvent:
				if v, ok := lookup(e.Attributes, otelx.HTTPStatusCodeKey); ok {
					d.RetryStatus = int(v.AsInt64())
				}
			case otelx.ChainAttemptEvent:
				a := ChainAttempt{}
				if v, ok := lookup(e.Attributes, otelx.CredentialTypeKey); ok {
					a.Credential = v.AsString()
				}
				if v, ok := lookup(e.Attributes, otelx.ClassKey); ok {
					a.Class = azauthtrace.Class(v.AsString())
				}
				if v, ok := lookup(e.Attributes, otelx.DescriptionKey); ok {
					a.Description = v.AsString()
				}
				d.Chain = append(d.Chain, a)
			}
		}
		if _, ok := lookup(attrs, otelx.ClassKey); ok && !hasEvent(s, otelx.FailureEvent) {
			failure = attrs
		}
		if _, ok := lookup(attrs, otelx.ChallengeKindKey); ok {
			d.readChallenge(attrs)
		}
		if v, ok := lookup(attrs, otelx.ChallengeRetryKey); ok && v.AsBool() {
			if v, ok := lookup(attrs, otelx.HTTPStatusCodeKey); ok {
				d.RetryStatus = int(v.AsInt64())
			}
		}
	}
	if failure == nil {
		// Success: the status of the last HTTP request, from azcore's
		// HTTP span (which uses the older http.status_code).
		for _, s := range spans {
			if s.SpanKind() != trace.SpanKindClient {
				continue
			}
			for _, k := range []attribute.Key{otelx.HTTPStatusCodeKey, azcoreStatusCodeKey} {
				if v, ok := lookup(s.Attributes(), k); ok {
					d.StatusCode = int(v.AsInt64())
				}
			}
		}
		return d
	}
	str := func(k attribute.Key) string {
		if v, ok := lookup(failure, k); ok {
			return v.Emit()
		}
		return ""
	}
	num := func(k attribute.Key) int {
		if v, ok := lookup(failure, k); ok {
			return int(v.AsInt64())
		}
		return 0
	}
	d.Class = azauthtrace.Class(str(otelx.ClassKey))
	d.StatusCode = num(otelx.HTTPStatusCodeKey)
	d.AADSTS = num(otelx.AADSTSKey)
	d.ErrorCode = str(otelx.ErrorCodeKey)
	d.FailedCredential = str(otelx.FailedCredentialKey)
	d.CorrelationID = str(otelx.CorrelationIDKey)
	d.RequestID = str(otelx.ServiceRequestIDKey)
	d.Service = str(otelx.ServiceKey)
	d.Description = str(otelx.DescriptionKey)
	d.Mitigation = str(otelx.MitigationKey)
	d.Troubleshooting = str(otelx.TroubleshootingURLKey)
	d.PrincipalID = str(otelx.PrincipalObjectIDKey)
	d.DeniedObjectID = str(otelx.DeniedObjectIDKey)
	d.PrincipalAppID = str(otelx.PrincipalAppIDKey)
	d.Action = str(otelx.DeniedActionKey)
	d.Scope = str(otelx.DeniedScopeKey)
	if r := str(otelx.ChallengeClaimsReasonKey); r != "" {
		d.ClaimsReason = r
	}
	d.Grant = Grant{
		Action: str(otelx.GrantActionKey), Role: str(otelx.GrantRoleKey), RoleID: str(otelx.GrantRoleIDKey),
		Scope: str(otelx.GrantScopeKey), Permission: str(otelx.GrantPermissionKey),
		PermissionType: str(otelx.GrantPermissionTypeKey), Command: str(otelx.GrantCommandKey), Note: str(otelx.GrantNoteKey),
	}
	return d
}

// Grant is what the azauth.grant.* attributes say.
type Grant struct {
	Action, Role, RoleID, Scope, Permission, PermissionType, Command, Note string
}

// readChallenge reads an answered challenge's kind and claims reason.
func (d *Diagnosis) readChallenge(attrs []attribute.KeyValue) {
	if v, ok := lookup(attrs, otelx.ChallengeKindKey); ok {
		d.Challenge = v.AsString()
	}
	if v, ok := lookup(attrs, otelx.ChallengeClaimsReasonKey); ok {
		d.ClaimsReason = v.AsString()
	}
}

// azcoreStatusCodeKey is the status code attribute of azcore's HTTP spans.
const azcoreStatusCodeKey = attribute.Key("http.status_code")

func lookup(attrs []attribute.KeyValue, k attribute.Key) (attribute.Value, bool) {
	for _, kv := range attrs {
		if kv.Key == k {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func hasEvent(s sdktrace.ReadOnlySpan, name string) bool {
	for _, e := range s.Events() {
		if e.Name == name {
			return true
		}
	}
	return false
}

// compare lists how the diagnosis differs from the expectation.
func (r Result) compare() []string {
	e, d := r.Scenario.Expect, r.Diagnosis
	var out []string
	check := func(what string, want, got any) {
		if want != got {
			out = append(out, fmt.Sprintf("%s: expected %v, got %v", what, show(want), show(got)))
		}
	}
	check("class", e.Class, d.Class)
	check("AADSTS", e.AADSTS, d.AADSTS)
	check("error code", e.ErrorCode, d.ErrorCode)
	check("credential", e.Credential, d.Credential)
	check("correlation ID", e.CorrelationID, d.CorrelationID)
	check("principal", e.PrincipalID, d.PrincipalID)
	check("denied object ID", e.DeniedObjectID, d.DeniedObjectID)
	check("HTTP status", e.StatusCode, d.StatusCode)
	check("challenge", e.Challenge, d.Challenge)
	check("grant", e.Grant, cmp.Or(d.Grant.Role, d.Grant.Permission))
	if e.Class == "" && r.Err != nil {
		out = append(out, "the call failed: "+firstLine(r.Err.Error()))
	}
	if e.Class != "" && e.Class != azauthtrace.ClassClaimsChallenge && r.Err == nil {
		out = append(out, "the call succeeded")
	}
	return out
}

func show(v any) string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return "none"
		}
		return v
	case azauthtrace.Class:
		if v == "" {
			return "none (success)"
		}
		return string(v)
	case int:
		if v == 0 {
			return "none"
		}
	}
	return fmt.Sprint(v)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// recorder is a span processor that keeps the ended spans of each trace
// until they are taken.
type recorder struct {
	mu     sync.Mutex
	traces map[trace.TraceID][]sdktrace.ReadOnlySpan
}

var _ sdktrace.SpanProcessor = (*recorder)(nil)

func newRecorder() *recorder {
	return &recorder{traces: map[trace.TraceID][]sdktrace.ReadOnlySpan{}}
}

// OnStart does nothing.
func (r *recorder) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd keeps the span.
func (r *recorder) OnEnd(s sdktrace.ReadOnlySpan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := s.SpanContext().TraceID()
	r.traces[id] = append(r.traces[id], s)
}

func (r *recorder) take(id trace.TraceID) []sdktrace.ReadOnlySpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	spans := r.traces[id]
	delete(r.traces, id)
	return spans
}

// Shutdown does nothing.
func (r *recorder) Shutdown(context.Context) error { return nil }

// ForceFlush does nothing.
func (r *recorder) ForceFlush(context.Context) error { return nil }
