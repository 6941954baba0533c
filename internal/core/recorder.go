package core

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Config configures a Recorder: the options the policy and the transport
// share.
type Config struct {
	TracerProvider       trace.TracerProvider
	MeterProvider        metric.MeterProvider
	RecordPrincipalNames bool
	// Attributes are added to every span and event the Recorder records.
	Attributes []attribute.KeyValue
	// Filter, when set, leaves a response unrecorded when it returns
	// false.
	Filter func(*http.Request, *http.Response) bool
	// SpanName, when set, names the Recorder's own spans.
	SpanName func(*http.Request) string
	// Answered are the kinds of challenge the client answers by itself
	// (ChallengeClaims, ChallengeDiscovery): recorded as challenges, not
	// as failures.
	Answered []string
}

// The kinds of challenge a client may answer by itself: the values of
// otelx.ChallengeKindKey.
const (
	// ChallengeClaims is a Continuous Access Evaluation challenge
	// (error="insufficient_claims" with claims), which azcore's bearer
	// token policy and Kiota's request adapter answer with a token for
	// the claims.
	ChallengeClaims = "claims"
	// ChallengeDiscovery is a challenge that names the authority to get a
	// token from and no error, to a request sent without a token (Key
	// Vault's), which the client's challenge policy answers.
	ChallengeDiscovery = "discovery"
)

// Recorder records the tries of HTTP requests that fail on auth: the
// recording core of the policy and the transport. It is safe for
// concurrent use.
type Recorder struct {
	tracer     trace.Tracer
	failures   metric.Int64Counter
	challenges metric.Int64Counter
	withNames  bool
	attrs      []attribute.KeyValue
	filter     func(*http.Request, *http.Response) bool
	spanName   func(*http.Request) string
	answered   []string
}

// New returns a Recorder.
func New(c Config) *Recorder {
	r := &Recorder{
		tracer:    Tracer(c.TracerProvider),
		withNames: c.RecordPrincipalNames,
		attrs:     slices.Clone(c.Attributes),
		filter:    c.Filter,
		spanName:  c.SpanName,
		answered:  slices.Clone(c.Answered),
	}
	meter := Meter(c.MeterProvider)
	var err error
	if r.failures, err = meter.Int64Counter(otelx.FailuresMetric,
		metric.WithDescription("Authentication and authorization failures of Azure service calls."),
		metric.WithUnit("{failure}")); err != nil {
		otel.Handle(err)
	}
	if r.challenges, err = meter.Int64Counter(otelx.ChallengesMetric,
		metric.WithDescription("Authentication challenges of Azure services that the client answers by itself."),
		metric.WithUnit("{challenge}")); err != nil {
		otel.Handle(err)
	}
	if r.failures == nil {
		r.failures = metricnoop.Int64Counter{}
	}
	if r.challenges == nil {
		r.challenges = metricnoop.Int64Counter{}
	}
	return r
}

// Try is one try of an HTTP request whose response the classifier
// recognises, or the try that answers a challenge.
type Try struct {
	// Request is the request as it was sent: its context, its
	// Authorization header.
	Request *http.Request
	// Response is the try's response, whose Request is the one the
	// transport saw.
	Response *http.Response
	// Start is when the try started.
	Start time.Time
	// AfterChallenge is the kind of the challenge the client answered
	// with this try (the previous try's response), or "". Such a try is
	// recorded whatever its status. A client answers a challenge of each
	// kind once per request, and a claims challenge last: azcore's bearer
	// token policy answers a discovery challenge and then a claims
	// challenge on its retry, no more.
	AfterChallenge string
}

// Record records one try and returns the kind of the challenge its
// response was, when the client answers it by itself, or "": the caller
// then marks the next try of the operation AfterChallenge with that kind.
// Telemetry never fails or crashes the call: a panic here is reported to
// otel.Handle.
func (r *Recorder) Record(t Try) (challenge string) {
	defer func() {
		if p := recover(); p != nil {
			otel.Handle(fmt.Errorf("azauthtrace: recording a %d response: %v", t.Response.StatusCode, p))
		}
	}()
	if r.filter != nil && !r.filter(t.Request, t.Response) {
		return ""
	}
	ctx := t.Request.Context()
	enclosing := trace.SpanFromContext(ctx)
	downstream, hasDownstream := downstreamSpan(ctx, t.Response)
	if hasDownstream && enclosing.IsRecording() {
		// The SDK (azcore's HTTP tracing, or an instrumented transport)
		// already recorded a span for this try, and it has ended. Add the
		// diagnosis to the span that encloses it: the SDK operation's.
		f, failed, kind := r.classify(ctx, t)
		r.annotate(enclosing, t, f, failed, kind)
		return kind
	}
	spanKind := trace.SpanKindClient
	if hasDownstream {
		// No recording span encloses the HTTP span: nest the diagnosis
		// under it rather than start a second client span beside it.
		ctx = trace.ContextWithSpanContext(ctx, downstream)
		spanKind = trace.SpanKindInternal
	}
	_, span := r.tracer.Start(ctx, r.name(t.Request), trace.WithSpanKind(spanKind), trace.WithTimestamp(t.Start))
	defer span.End()
	if !span.IsRecording() && !r.failures.Enabled(ctx) && !r.challenges.Enabled(ctx) {
		return r.answers(t) // nothing would record the diagnosis: don't make it
	}
	f, failed, kind := r.classify(ctx, t)
	if !span.IsRecording() {
		return kind
	}
	span.SetAttributes(r.attrs...)
	span.SetAttributes(requestAttributes(t)...)
	span.SetAttributes(otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode))
	switch {
	case kind != "":
		span.SetAttributes(r.challengeAttributes(f, kind)...)
	case failed:
		span.SetAttributes(r.failureAttributes(t.Request, f)...)
		span.SetStatus(codes.Error, statusDescription(t.Response.StatusCode, f))
	}
	return kind
}

// answers returns the kind of the challenge the try's response is, when
// the client answers it, without recording it.
func (r *Recorder) answers(t Try) string {
	if t.Response.StatusCode != http.StatusUnauthorized {
		return ""
	}
	return r.challengeKind(t, azauthtrace.ParseChallenge(t.Response.Header))
}

// classify diagnoses the try's response and counts it: a failure, or a
// challenge of the kind named.
func (r *Recorder) classify(ctx context.Context, t Try) (f azauthtrace.Failure, failed bool, challenge string) {
	f, failed = azauthtrace.FromResponse(t.Response)
	if !failed {
		return f, false, ""
	}
	host := String(safe.Scrubber{}, otelx.ServerAddressKey, t.Request.URL.Hostname())
	if f.StatusCode == http.StatusUnauthorized {
		challenge = r.challengeKind(t, f.Challenge)
	}
	switch {
	case challenge != "" && r.challenges.Enabled(ctx):
		r.challenges.Add(ctx, 1, metric.WithAttributes(host, otelx.ChallengeKindKey.String(challenge)))
	case challenge == "" && r.failures.Enabled(ctx):
		r.failures.Add(ctx, 1, metric.WithAttributes(
			otelx.ClassKey.String(string(f.Class)),
			otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode),
			host,
		))
	}
	return f, true, challenge
}

// challengeKind returns the kind of the challenge ch in the try's
// response, when the client answers it, or "". A claims challenge is
// answered unless the try already answered one. A challenge that names the
// authority and no error is answered when the request carried no token
// (Key Vault's client sends its first request without one to get it) and
// the try answers no challenge; to a request with a token it refuses the
// token.
func (r *Recorder) challengeKind(t Try, ch azauthtrace.Challenge) string {
	if !strings.EqualFold(ch.Scheme, "Bearer") {
		return ""
	}
	kind := ""
	switch {
	case ch.Error == "insufficient_claims" && ch.ClaimsPresent && t.AfterChallenge != ChallengeClaims:
		kind = ChallengeClaims
	case ch.Error == "" && ch.AuthorizationURI != "" && t.AfterChallenge == "" && t.Request.Header.Get("Authorization") == "":
		kind = ChallengeDiscovery
	}
	if !slices.Contains(r.answered, kind) {
		return ""
	}
	return kind
}

// annotate adds a try's diagnosis to the span that encloses the try. For a
// failure, the span gets the status code, the diagnosis and status Error,
// so that a row for the operation (an Application Insights dependency)
// says class, code and status and shows the call failed; an event gets
// those and the request's method, URL and server address too, which stay
// off the span: the HTTP span has them, and the method would make
// exporters rename the operation after it. A challenge and the try after
// it are events only: the operation's outcome is that of its last try.
func (r *Recorder) annotate(span trace.Span, t Try, f azauthtrace.Failure, failed bool, challenge string) {
	event := append(slices.Clone(r.attrs), requestAttributes(t)...)
	event = append(event, otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode))
	switch {
	case challenge != "":
		span.AddEvent(otelx.ChallengeEvent, trace.WithAttributes(append(event, r.challengeAttributes(f, challenge)...)...))
	case failed:
		outcome := append([]attribute.KeyValue{otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode)}, r.failureAttributes(t.Request, f)...)
		span.SetAttributes(outcome...)
		span.SetAttributes(leftovers(span, outcome)...)
		span.AddEvent(otelx.FailureEvent, trace.WithAttributes(append(event, outcome[1:]...)...))
		span.SetStatus(codes.Error, statusDescription(t.Response.StatusCode, f))
	case t.AfterChallenge != "":
		span.AddEvent(otelx.ChallengeRetryEvent, trace.WithAttributes(event...))
	}
}

// leftovers returns, for each attribute an earlier failure set on span
// that the outcome of this one lacks, that attribute with an empty value:
// a span's attributes cannot be removed, and they must describe the last
// failure only. It reads the span's attributes when the span offers them
// (the SDK's spans do).
func leftovers(span trace.Span, outcome []attribute.KeyValue) []attribute.KeyValue {
	ro, ok := span.(interface{ Attributes() []attribute.KeyValue })
	if !ok {
		return nil
	}
	var out []attribute.KeyValue
	for _, kv := range ro.Attributes() {
		if !failureKeys[kv.Key] || slices.ContainsFunc(outcome, func(o attribute.KeyValue) bool { return o.Key == kv.Key }) {
			continue
		}
		out = append(out, kv.Key.String(""))
	}
	return out
}

// failureKeys are the attributes a failure may set on an enclosing span.
var failureKeys = map[attribute.Key]bool{
	otelx.AADSTSKey: true, otelx.ErrorCodeKey: true, otelx.CorrelationIDKey: true, otelx.ServiceRequestIDKey: true,
	otelx.DescriptionKey: true, otelx.TroubleshootingURLKey: true, otelx.TimestampKey: true, otelx.ErrorURIKey: true,
	otelx.ChallengeErrorKey: true, otelx.ChallengeAuthorizationURIKey: true, otelx.ChallengeResourceKey: true,
	otelx.ChallengeClaimsKey: true, otelx.ChallengeClaimsReasonKey: true, otelx.FailedCredentialKey: true,
	otelx.ServiceKey: true, otelx.SourceKey: true, otelx.MitigationKey: true,
	otelx.PrincipalObjectIDKey: true, otelx.PrincipalTenantIDKey: true, otelx.PrincipalAppIDKey: true,
	otelx.PrincipalTypeKey: true, otelx.PrincipalManagedIdentityKey: true, otelx.PrincipalNameKey: true,
	otelx.DeniedActionKey: true, otelx.DeniedScopeKey: true, otelx.DeniedObjectIDKey: true,
}

// requestAttributes returns the attributes of the HTTP request that
// describe one try.
func requestAttributes(t Try) []attribute.KeyValue {
	raw := t.Request
	attrs := []attribute.KeyValue{otelx.HTTPMethodKey.String(method(raw))}
	attrs = Strings(attrs, safe.Scrubber{}, []KeyString{
		{Key: otelx.ServerAddressKey, Value: raw.URL.Hostname()},
	})
	// The URL without user information, query or fragment, but its
	// api-version: only its scheme, host, path and api-version are kept,
	// with what the request carried (a key in a header, a query's secret
	// value) redacted from the path.
	u := url.URL{Scheme: raw.URL.Scheme, Host: raw.URL.Host, Path: raw.URL.Path, RawPath: raw.URL.RawPath}
	if v := apiVersion(raw.URL.RawQuery); v != "" {
		u.RawQuery = "api-version=" + url.QueryEscape(v)
	}
	if v := safe.FromRequest(raw).URL(&u); v.String() != "" {
		attrs = append(attrs, otelx.URLFullKey.String(v.String()))
	}
	if t.Response.StatusCode >= http.StatusBadRequest {
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
func (r *Recorder) challengeAttributes(f azauthtrace.Failure, kind string) []attribute.KeyValue {
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
	pr, ok := PrincipalFromAuthorization(raw.Header.Get("Authorization"), r.withNames)
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

// downstreamSpan returns the span that policies or a transport after this
// one recorded for the try: the span in the context of the request that
// was sent, when it differs from the span this one was called in.
func downstreamSpan(ctx context.Context, resp *http.Response) (trace.SpanContext, bool) {
	if resp.Request == nil {
		return trace.SpanContext{}, false
	}
	sc := trace.SpanContextFromContext(resp.Request.Context())
	if !sc.IsValid() || sc.Equal(trace.SpanContextFromContext(ctx)) {
		return trace.SpanContext{}, false
	}
	return sc, true
}

// name names the Recorder's own span: Config.SpanName's name, or the
// method and the host, such as "GET management.azure.com".
func (r *Recorder) name(raw *http.Request) string {
	if r.spanName != nil {
		return r.spanName(raw)
	}
	m := method(raw)
	if m == methodOther {
		m = "HTTP"
	}
	if host := safe.Clean(safe.Host, raw.URL.Hostname()).String(); host != "" {
		return m + " " + host
	}
	return m
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

// RecordFailure records a failure no HTTP try of the Recorder's showed
// (an error of an AMQP client, of Kiota, of anything): on the span in ctx,
// its attributes and an azauth.failure event, and status Error; and, for
// a service's failure, a count in azauth.failures, with the host of the
// entity the service named, if any. Token requests' failures are counted
// by the credential decorator, not here.
func (r *Recorder) RecordFailure(ctx context.Context, f azauthtrace.Failure) {
	defer func() {
		if p := recover(); p != nil {
			otel.Handle(fmt.Errorf("azauthtrace: recording a failure: %v", p))
		}
	}()
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		attrs := FailureAttributes(slices.Clone(r.attrs), f, safe.Scrubber{})
		span.SetAttributes(attrs...)
		span.AddEvent(otelx.FailureEvent, trace.WithAttributes(attrs...))
		span.SetStatus(codes.Error, statusDescription(f.StatusCode, f))
	}
	if f.Source != azauthtrace.SourceService || !r.failures.Enabled(ctx) {
		return
	}
	attrs := []attribute.KeyValue{otelx.ClassKey.String(string(f.Class))}
	if f.StatusCode != 0 {
		attrs = append(attrs, otelx.HTTPStatusCodeKey.Int(f.StatusCode))
	}
	if u, err := url.Parse(f.Scope); err == nil && u.Host != "" {
		attrs = append(attrs, String(safe.Scrubber{}, otelx.ServerAddressKey, u.Hostname()))
	}
	r.failures.Add(ctx, 1, metric.WithAttributes(attrs...))
}

// statusDescription is the short span status description of a failure,
// such as "403 permission: AuthorizationFailed". It never holds the
// service's message, which may name the caller.
func statusDescription(status int, f azauthtrace.Failure) string {
	s := string(f.Class)
	if status != 0 {
		s = strconv.Itoa(status) + " " + s
	}
	if f.ErrorCode != "" {
		s += ": " + f.ErrorCode
	}
	return s
}
