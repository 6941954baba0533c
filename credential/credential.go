package credential

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// outcomeUnknown is the outcome of a failed token request that could not
// be classified.
const outcomeUnknown = otelx.OutcomeUnknown

// durationBuckets are the histogram boundaries, in seconds: from a cached
// token (well under a millisecond) to managed identity retries (tens of
// seconds).
var durationBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// errNilCredential is returned by GetToken when New was given no
// credential.
var errNilCredential = errors.New("credential: New was called with a nil azcore.TokenCredential")

// Credential is an [azcore.TokenCredential] that records the token requests
// of the credential it wraps: one span per GetToken call, a count of token
// requests and a histogram of their durations. Create it with [New]. It is
// safe for concurrent use.
type Credential struct {
	inner     azcore.TokenCredential
	credType  string
	spanName  string
	tracer    trace.Tracer
	startOpts []trace.SpanStartOption
	// spanAttrs are set on every recording span: the credential type and
	// Options.Attributes.
	spanAttrs []attribute.KeyValue
	// redact knows Options.Redact.
	redact safe.Scrubber

	requests metric.Int64Counter
	duration metric.Float64Histogram
	success  outcome
	unknown  outcome
	failures map[azauthtrace.Class]*outcome
}

// outcome holds the measurement options of one outcome, built once so that
// recording a measurement allocates nothing.
type outcome struct {
	add    []metric.AddOption
	record []metric.RecordOption
}

var _ azcore.TokenCredential = (*Credential)(nil)

// New returns a Credential that wraps inner. Pass nil opts to accept the
// default values.
//
// Wrap the outermost credential: a DefaultAzureCredential or
// ChainedTokenCredential rather than its sources. A ChainedTokenCredential
// changes how a *azidentity.ManagedIdentityCredential source reports an
// unexpected answer from IMDS, so that the chain can go on to its next
// source, and a wrapper hides that source's type from it. Wrapping the
// chain also records one span event per source it tried.
func New(inner azcore.TokenCredential, opts *Options) *Credential {
	o := opts.copied()
	credType := cmp.Or(safe.Clean(safe.Code, o.CredentialType).String(), typeName(inner))
	c := &Credential{
		inner:     inner,
		credType:  credType,
		spanName:  credType + ".GetToken",
		tracer:    recorder.Tracer(o.TracerProvider),
		startOpts: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)},
		spanAttrs: append([]attribute.KeyValue{otelx.CredentialTypeKey.String(credType)}, o.Attributes...),
		redact:    safe.Scrubber{}.With(o.Redact...),
	}

	meter := recorder.Meter(o.MeterProvider)
	c.requests = recorder.Counter(meter, otelx.TokenRequestsMetric, "{request}",
		"Token requests, by credential type and outcome (success or the failure class).")
	c.duration = recorder.Histogram(meter, otelx.TokenDurationMetric, "s",
		"Duration of token requests, by credential type and outcome (success or the failure class).",
		durationBuckets...)

	c.success = newOutcome(credType, otelx.OutcomeSuccess)
	c.unknown = newOutcome(credType, outcomeUnknown)
	classes := azauthtrace.Classes()
	c.failures = make(map[azauthtrace.Class]*outcome, len(classes))
	for _, class := range classes {
		oc := newOutcome(credType, string(class))
		c.failures[class] = &oc
	}
	return c
}

func newOutcome(credType, name string) outcome {
	set := metric.WithAttributeSet(attribute.NewSet(
		otelx.CredentialTypeKey.String(credType),
		otelx.OutcomeKey.String(name),
	))
	return outcome{add: []metric.AddOption{set}, record: []metric.RecordOption{set}}
}

// typeName returns the name of v's type without its package and pointers,
// or of the credential a Credential wraps.
func typeName(v azcore.TokenCredential) string {
	if c, ok := v.(*Credential); ok && c != nil {
		return c.credType
	}
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Name() == "" {
		return "TokenCredential"
	}
	name, _, _ := strings.Cut(t.Name(), "[") // generic types
	return name
}

// GetToken calls the inner credential's GetToken with a context that holds
// a new span and returns its token and error exactly as received. Failures
// to record telemetry never fail the call: they go to otel.Handle.
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	var start time.Time
	timed := c.duration.Enabled(ctx)
	if timed {
		start = time.Now()
	}
	ctx, span := c.tracer.Start(ctx, c.spanName, c.startOpts...)
	var (
		tk  azcore.AccessToken
		err error
	)
	if c.inner == nil {
		err = errNilCredential
	} else {
		tk, err = c.inner.GetToken(ctx, opts)
	}
	var d time.Duration
	if timed {
		d = time.Since(start)
	}
	c.end(ctx, span, timed, d, &opts, &tk, err)
	return tk, err
}

// end records the outcome of one GetToken call and ends its span. timed
// reports whether the duration histogram is enabled and d was measured.
func (c *Credential) end(ctx context.Context, span trace.Span, timed bool, d time.Duration, opts *policy.TokenRequestOptions, tk *azcore.AccessToken, err error) {
	defer func() {
		if r := recover(); r != nil {
			otel.Handle(fmt.Errorf("credential: recording a token request: %v", r))
		}
	}()
	defer span.End()

	counted := c.requests.Enabled(ctx)
	recording := span.IsRecording()
	if !counted && !timed && !recording {
		return
	}
	oc := &c.success
	var (
		f  azauthtrace.Failure
		ok bool
	)
	if err != nil {
		oc = &c.unknown
		if f, ok = azauthtrace.FromError(err); ok {
			if known := c.failures[f.Class]; known != nil {
				oc = known
			}
		}
	}
	if counted {
		c.requests.Add(ctx, 1, oc.add...)
	}
	if timed {
		c.duration.Record(ctx, d.Seconds(), oc.record...)
	}

	if !recording {
		return
	}
	sc := c.scrubber(opts.Claims)
	// The options' attributes, six of the request and its token, and on
	// failure the error's type and the diagnosis's (at most 25).
	n := len(c.spanAttrs) + 6
	if err != nil {
		n += 26
	}
	attrs := append(make([]attribute.KeyValue, 0, n), c.spanAttrs...)
	attrs = recorder.Strings(attrs, sc, []recorder.KeyString{
		{Key: otelx.TokenScopesKey, Value: strings.Join(opts.Scopes, " ")},
		{Key: otelx.TokenTenantIDKey, Value: opts.TenantID},
	})
	attrs = append(attrs,
		otelx.TokenCAEKey.Bool(opts.EnableCAE),
		otelx.TokenClaimsKey.Bool(opts.Claims != ""))
	if err == nil {
		if !tk.ExpiresOn.IsZero() {
			attrs = append(attrs, otelx.TokenExpiresOnKey.String(tk.ExpiresOn.UTC().Format(time.RFC3339)))
		}
		if !tk.RefreshOn.IsZero() {
			attrs = append(attrs, otelx.TokenRefreshOnKey.String(tk.RefreshOn.UTC().Format(time.RFC3339)))
		}
		span.SetAttributes(attrs...)
		return
	}

	attrs = append(attrs, recorder.ErrorType(err))
	if ok {
		attrs = recorder.FailureAttributes(attrs, f, sc)
	}
	if f.StatusCode == 0 {
		if status := responseStatus(err); status != 0 {
			attrs = append(attrs, otelx.HTTPStatusCodeKey.Int(status))
		}
	}
	span.SetAttributes(attrs...)
	for i := range f.Chain {
		span.AddEvent(otelx.ChainAttemptEvent, trace.WithAttributes(chainAttributes(&f.Chain[i], sc)...))
	}
	span.SetStatus(codes.Error, statusDescription(&f, sc))
}

// scrubber knows the secrets of one token request: the claims it passed,
// raw and base64 encoded as some credentials echo them in their errors
// (AzureCLICredential suggests "az login --claims-challenge <base64
// claims>"), and Options.Redact.
func (c *Credential) scrubber(claims string) safe.Scrubber { return c.redact.WithClaims(claims) }

// chainAttributes returns the attributes of the event of one source a
// chain tried.
func chainAttributes(a *azauthtrace.Failure, sc safe.Scrubber) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		recorder.String(sc, otelx.CredentialTypeKey, a.Credential),
		otelx.ClassKey.String(string(a.Class)),
		recorder.String(sc, otelx.DescriptionKey, a.Description),
	}
	if a.AADSTS != 0 {
		attrs = append(attrs, otelx.AADSTSKey.Int(a.AADSTS))
	}
	return recorder.Strings(attrs, sc, []recorder.KeyString{{Key: otelx.ErrorCodeKey, Value: a.ErrorCode}})
}

// statusDescription returns the span status description of a failure:
// the classifier's description, never the error's text, which holds whole
// response bodies.
func statusDescription(f *azauthtrace.Failure, sc safe.Scrubber) string {
	return cmp.Or(sc.Clean(safe.Text, f.Description).String(), string(f.Class), "token request failed")
}

// responseStatus returns the status of the response an
// AuthenticationFailedError carries, 0 if none.
func responseStatus(err error) int {
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) && afe != nil && afe.RawResponse != nil {
		return afe.RawResponse.StatusCode
	}
	return 0
}
