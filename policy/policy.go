package policy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/record"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Policy is an azcore pipeline policy that records the authentication and
// authorization failures of a client's requests. Create one with [New]; it
// is safe for concurrent use by any number of clients.
type Policy struct {
	tracer    trace.Tracer
	failures  metric.Int64Counter
	withNames bool
}

var _ azpolicy.Policy = (*Policy)(nil)

// New returns a Policy. Pass nil to accept the default values.
func New(opts *Options) *Policy {
	var o Options
	if opts != nil {
		o = *opts
	}
	p := &Policy{
		tracer:    record.Tracer(o.TracerProvider),
		withNames: o.RecordPrincipalNames,
	}
	var err error
	p.failures, err = record.Meter(o.MeterProvider).Int64Counter(otelx.FailuresMetric,
		metric.WithDescription("Authentication and authorization failures of Azure service calls."),
		metric.WithUnit("{failure}"))
	if err != nil {
		otel.Handle(err)
	}
	if p.failures == nil {
		p.failures = metricnoop.Int64Counter{}
	}
	return p
}

// challenged marks an operation in which the policy saw a claims
// challenge. It has no size, so looking it up on the success path does not
// allocate; the state lives in *challengeState.
type challenged struct{}

// challengeState says whether the next try of an operation is the one sent
// again after a claims challenge.
type challengeState struct {
	pending bool
}

// Do implements [azpolicy.Policy]. It sends the request on and returns the
// response and error it receives, unchanged. On success it records
// nothing. See the package documentation for what it records on failure.
func (p *Policy) Do(req *azpolicy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	afterChallenge := req.OperationValue(&challenged{}) && takeChallenge(req)
	if !afterChallenge && !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	p.record(req, resp, start, afterChallenge)
	return resp, err
}

// takeChallenge reports whether the operation's last try met a claims
// challenge, and clears that.
func takeChallenge(req *azpolicy.Request) bool {
	var st *challengeState
	if !req.OperationValue(&st) || st == nil || !st.pending {
		return false
	}
	st.pending = false
	return true
}

// record records one try's response: one the classifier recognises, or
// the try after a claims challenge. Telemetry must never fail or crash the
// call, so a panic here is reported to otel.Handle.
func (p *Policy) record(req *azpolicy.Request, resp *http.Response, start time.Time, afterChallenge bool) {
	defer func() {
		if r := recover(); r != nil {
			otel.Handle(fmt.Errorf("azauthtrace/policy: recording a %d response: %v", resp.StatusCode, r))
		}
	}()
	ctx := req.Raw().Context()
	// FromResponse redacted what the request carried from the diagnosis;
	// the policy's own values (the URL, the method, the token's claims)
	// are cleaned by their shapes.
	var sc safe.Scrubber
	enclosing := trace.SpanFromContext(ctx)
	downstream, hasDownstream := downstreamSpan(ctx, resp)
	if hasDownstream && enclosing.IsRecording() {
		// The SDK (azcore's HTTP tracing, or an instrumented transport)
		// already recorded a span for this try, and it has ended. Add the
		// diagnosis to the span that encloses it: the SDK operation's.
		f, failed := p.classify(ctx, req, resp, sc)
		if failed || afterChallenge {
			p.annotate(enclosing, req.Raw(), resp, f, failed, afterChallenge, sc)
		}
		return
	}
	kind := trace.SpanKindClient
	if hasDownstream {
		// No recording span encloses the HTTP span: nest the diagnosis
		// under it rather than start a second client span beside it.
		ctx = trace.ContextWithSpanContext(ctx, downstream)
		kind = trace.SpanKindInternal
	}
	_, span := p.tracer.Start(ctx, spanName(req.Raw()), trace.WithSpanKind(kind), trace.WithTimestamp(start))
	defer span.End()
	if !span.IsRecording() && !p.failures.Enabled(ctx) {
		return // nothing would record the diagnosis: don't make it
	}
	f, failed := p.classify(ctx, req, resp, sc)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(requestAttributes(req.Raw(), resp, afterChallenge, sc)...)
	span.SetAttributes(otelx.HTTPStatusCodeKey.Int(resp.StatusCode))
	if failed {
		span.SetAttributes(p.failureAttributes(req.Raw(), f, sc)...)
		span.SetStatus(codes.Error, statusDescription(resp.StatusCode, f))
	}
}

// classify diagnoses resp, counts the failure, and marks the operation
// when the response carries a claims challenge, so that the next try is
// recorded too.
func (p *Policy) classify(ctx context.Context, req *azpolicy.Request, resp *http.Response, sc safe.Scrubber) (azauthtrace.Failure, bool) {
	f, failed := azauthtrace.FromResponse(resp)
	if !failed {
		return f, false
	}
	if f.Challenge.ClaimsPresent {
		req.SetOperationValue(challenged{})
		req.SetOperationValue(&challengeState{pending: true})
	}
	if p.failures.Enabled(ctx) {
		p.failures.Add(ctx, 1, metric.WithAttributes(
			otelx.ClassKey.String(string(f.Class)),
			otelx.HTTPStatusCodeKey.Int(resp.StatusCode),
			record.String(sc, otelx.ServerAddressKey, req.Raw().URL.Hostname()),
		))
	}
	return f, true
}

// annotate adds a try's diagnosis to the span that encloses the try. The
// span gets the status code and the diagnosis of the operation's last
// failure, so that a row for the operation (an Application Insights
// dependency) says class, code and status; an event gets those and the
// request's method, URL and server address too, which stay off the span:
// the HTTP span has them, and the method would make exporters rename the
// operation after it.
func (p *Policy) annotate(span trace.Span, raw *http.Request, resp *http.Response, f azauthtrace.Failure, failed, afterChallenge bool, sc safe.Scrubber) {
	event := requestAttributes(raw, resp, afterChallenge, sc)
	event = append(event, otelx.HTTPStatusCodeKey.Int(resp.StatusCode))
	if !failed {
		span.AddEvent(otelx.ChallengeRetryEvent, trace.WithAttributes(event...))
		return
	}
	outcome := append([]attribute.KeyValue{otelx.HTTPStatusCodeKey.Int(resp.StatusCode)}, p.failureAttributes(raw, f, sc)...)
	span.SetAttributes(outcome...)
	span.AddEvent(otelx.FailureEvent, trace.WithAttributes(append(event, outcome[1:]...)...))
}

// requestAttributes returns the attributes of the HTTP request that
// describe one try; afterChallenge marks the try after a claims challenge.
func requestAttributes(raw *http.Request, resp *http.Response, afterChallenge bool, sc safe.Scrubber) []attribute.KeyValue {
	attrs := record.Strings(nil, sc, []record.KeyString{
		{Key: otelx.HTTPMethodKey, Value: raw.Method},
		{Key: otelx.ServerAddressKey, Value: raw.URL.Hostname()},
		{Key: otelx.URLFullKey, Value: (&url.URL{Scheme: raw.URL.Scheme, Host: raw.URL.Host, Path: raw.URL.Path, RawPath: raw.URL.RawPath, RawQuery: raw.URL.RawQuery}).String()},
	})
	if resp.StatusCode >= http.StatusBadRequest {
		attrs = append(attrs, record.HTTPErrorType(resp.StatusCode))
	}
	if afterChallenge {
		attrs = append(attrs, otelx.ChallengeRetryKey.Bool(true))
	}
	return attrs
}

// failureAttributes returns the attributes of f and of the principal the
// request's access token names, without the status code.
func (p *Policy) failureAttributes(raw *http.Request, f azauthtrace.Failure, sc safe.Scrubber) []attribute.KeyValue {
	f.StatusCode = 0 // the caller sets it
	named := f.PrincipalID
	pr, ok := principalFromAuthorization(raw.Header.Get("Authorization"), p.withNames)
	if ok && pr.ObjectID != "" {
		// The token's object ID is who sent the request; a different one
		// the service named is a finding of its own.
		f.PrincipalID = ""
		if strings.EqualFold(named, pr.ObjectID) {
			named = ""
		}
	} else {
		named = ""
	}
	attrs := record.FailureAttributes(nil, f, sc)
	if p.withNames {
		if kv, ok := record.PrincipalName(f, sc); ok {
			attrs = append(attrs, kv)
		}
	}
	if !ok {
		return attrs
	}
	if f.PrincipalName != "" {
		pr.Name = ""
	}
	return record.Strings(attrs, sc, []record.KeyString{
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
// was sent, when it differs from the span this policy was called in.
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

// spanName names the policy's own span: the method and the host, such as
// "GET management.azure.com".
func spanName(raw *http.Request) string {
	method := safe.Clean(safe.Method, raw.Method).String()
	if host := safe.Clean(safe.Host, raw.URL.Hostname()).String(); host != "" {
		return method + " " + host
	}
	return method
}

// statusDescription is the short span status description of a failure,
// such as "403 permission: AuthorizationFailed". It never holds the
// service's message, which may name the caller.
func statusDescription(status int, f azauthtrace.Failure) string {
	s := strconv.Itoa(status) + " " + string(f.Class)
	if f.ErrorCode != "" {
		s += ": " + f.ErrorCode
	}
	return s
}
