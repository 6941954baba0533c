package recorder

import (
	"context"
	"net/http"
	"slices"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/tracing"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Where a diagnosis goes. The library changes no span it did not start,
// but one: the operation span that azcore's tracing (azotel) started for
// the SDK method the try belongs to. So:
//
//   - A try of an azcore pipeline inside such an operation span: every
//     failure, answered challenge and answer is an event on it, and the
//     operation's first failure sets the span's attributes, once, and its
//     status (Error, "403 permission: AuthorizationFailed"). A failure
//     ends the operation (azcore does not retry a 401 or 403 unless told
//     to, and answers each kind of challenge once), so its attributes are
//     the outcome; a later failure, where the retry options ask for one,
//     adds its event and sets the status again.
//   - Any other try: a span of the library's own, of kind Client, a child
//     of the span in the request's context; or of kind Internal, a child
//     of the HTTP span a policy or transport after this one recorded for
//     the try (azcore's or otelhttp's), when there is one. The span in the
//     request's context, whatever it is (a user's server span, a consumer
//     span), is never changed.

// Operation is the state of one azcore operation the policy shares
// between its tries (an operation value): whether the operation span got
// its attributes, and the challenge the last try met, if it waits for an
// answer.
type Operation struct {
	mu          sync.Mutex
	attributed  bool
	pending     *Diagnosis
	pendingKind string
}

// place records a try's diagnosis on its span (see above).
func (r *Recorder) place(t Try, f azauthtrace.Failure, failed bool, challenge string) {
	ctx := t.Request.Context()
	if t.Operation != nil {
		if op := trace.SpanFromContext(ctx); op.IsRecording() && inSDKOperation(ctx) {
			r.annotate(op, t, f, failed, challenge)
			return
		}
	}
	spanKind := trace.SpanKindClient
	if sc, ok := downstreamSpan(ctx, t.Response); ok {
		ctx = trace.ContextWithSpanContext(ctx, sc)
		spanKind = trace.SpanKindInternal
	}
	_, span := r.tracer.Start(ctx, r.name(t), trace.WithSpanKind(spanKind), trace.WithTimestamp(t.Start))
	defer span.End(trace.WithTimestamp(t.end))
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(r.attrs...)
	span.SetAttributes(requestAttributes(t, failed && challenge == "")...)
	span.SetAttributes(otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode))
	switch {
	case challenge != "":
		span.SetAttributes(challengeAttributes(f, challenge)...)
	case failed:
		span.SetAttributes(r.failureAttributes(t.Request, f)...)
		span.SetStatus(codes.Error, StatusDescription(t.Response.StatusCode, f))
	}
}

// annotate adds a try's diagnosis to the SDK's operation span. An event
// gets the request's method, URL and server address, which stay off the
// span: the HTTP span has them, and the method would make exporters
// rename the operation after it.
func (r *Recorder) annotate(span trace.Span, t Try, f azauthtrace.Failure, failed bool, challenge string) {
	failure := failed && challenge == ""
	event := append(slices.Clone(r.attrs), requestAttributes(t, failure)...)
	event = append(event, otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode))
	switch {
	case challenge != "":
		span.AddEvent(otelx.ChallengeEvent, trace.WithAttributes(append(event, challengeAttributes(f, challenge)...)...))
	case failed:
		outcome := append([]attribute.KeyValue{otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode)}, r.failureAttributes(t.Request, f)...)
		if t.Operation.first() {
			span.SetAttributes(outcome...)
		}
		span.AddEvent(otelx.FailureEvent, trace.WithAttributes(append(event, outcome[1:]...)...))
		span.SetStatus(codes.Error, StatusDescription(t.Response.StatusCode, f))
	case t.AfterChallenge != "":
		span.AddEvent(otelx.ChallengeRetryEvent, trace.WithAttributes(event...))
	}
}

// first reports whether this is the operation's first failure, and
// notes that it was.
func (o *Operation) first() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.attributed {
		return false
	}
	o.attributed = true
	return true
}

// inSDKOperation reports whether ctx carries an operation span that
// azcore's runtime.StartSpan started for an SDK method with tracing on:
// azcore then starts no second span for a method called inside it, which
// is what this asks, with a tracer that only notes whether it was asked
// for a span. StartSpan keeps that rule for operation spans of kind
// Client and Internal; a messaging Producer or Consumer span is not one.
func inSDKOperation(ctx context.Context) bool {
	asked := false
	probe := tracing.NewTracer(func(ctx context.Context, _ string, _ *tracing.SpanOptions) (context.Context, tracing.Span) {
		asked = true
		return ctx, tracing.Span{}
	}, nil)
	_, end := runtime.StartSpan(ctx, "", probe, nil)
	end(nil)
	return !asked
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
func (r *Recorder) name(t Try) string {
	if r.spanName != nil {
		return r.spanName(t.Request)
	}
	m := method(t.Request)
	if m == methodOther {
		m = "HTTP"
	}
	if t.host != "" {
		return m + " " + t.host
	}
	return m
}
