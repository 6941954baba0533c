// Package oteltest records the telemetry of the code under test and checks
// it, for the tests of this module and of its e2e module: a tracer and a
// meter provider read in memory ([New]), a canary check that no secret
// reached any exported text ([Telemetry.AssertNoneOf]), attribute checks
// ([CheckAttrs]), unsigned JWTs ([JWT]), a fake credential
// ([FakeCredential]) and a span processor that keeps nothing ([Discard]).
//
// It is imported only by tests.
package oteltest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/internal/recorder"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Telemetry is an SDK tracer provider recording every ended span and a
// meter provider read on demand.
type Telemetry struct {
	Recorder       *tracetest.SpanRecorder
	TracerProvider *sdktrace.TracerProvider
	Reader         *sdkmetric.ManualReader
	MeterProvider  *sdkmetric.MeterProvider
}

// New returns providers that record into memory, with opts added to the
// tracer provider's; both are shut down when the test ends.
func New(tb testing.TB, opts ...sdktrace.TracerProviderOption) *Telemetry {
	tb.Helper()
	tel := &Telemetry{Recorder: tracetest.NewSpanRecorder(), Reader: sdkmetric.NewManualReader()}
	tel.TracerProvider = sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithSpanProcessor(tel.Recorder)}, opts...)...)
	tel.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.Reader))
	tb.Cleanup(func() {
		_ = tel.TracerProvider.Shutdown(context.Background())
		_ = tel.MeterProvider.Shutdown(context.Background())
	})
	// Cleanups run last first: the attributes are checked before the
	// providers shut down.
	tb.Cleanup(func() { tel.CheckAttributes(tb) })
	return tel
}

// SpansNamed returns the ended spans with the name, in the order they
// ended.
func (tel *Telemetry) SpansNamed(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.Recorder.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// SpanNames lists the names of the ended spans, for failure messages.
func (tel *Telemetry) SpanNames() string {
	var names []string
	for _, s := range tel.Recorder.Ended() {
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}

// CheckAttributes fails the test for every attribute the library set that
// recorder.Check finds wrong, on spans, span events and metric points, and
// for every status description of the library's spans that safe.Clean
// would change. Every test that records with [New] runs it when it ends.
func (tel *Telemetry) CheckAttributes(tb testing.TB) {
	tb.Helper()
	check := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			if err := recorder.Check(kv); err != nil {
				tb.Errorf("%s: %v", where, err)
			}
		}
	}
	for _, s := range tel.Recorder.Ended() {
		where := "span " + s.Name()
		check(where, s.Attributes())
		for _, e := range s.Events() {
			check(where+" event "+e.Name, e.Attributes)
		}
		if s.InstrumentationScope().Name != otelx.ScopeName {
			continue
		}
		if d := s.Status().Description; safe.Clean(safe.Text, d).String() != d {
			tb.Errorf("%s: status description %q was not made fit for telemetry", where, d)
		}
		if !utf8.ValidString(s.Name()) {
			tb.Errorf("span name %q is not valid UTF-8", s.Name())
		}
	}
	var rm metricdata.ResourceMetrics
	if err := tel.Reader.Collect(context.Background(), &rm); err != nil {
		return // the provider was shut down by the test itself
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					check("metric "+m.Name, dp.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					check("metric "+m.Name, dp.Attributes.ToSlice())
				}
			}
		}
	}
}

// Metrics collects the metrics recorded so far.
func (tel *Telemetry) Metrics(tb testing.TB) metricdata.ResourceMetrics {
	tb.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.Reader.Collect(context.Background(), &rm); err != nil {
		tb.Fatal(err)
	}
	return rm
}

// Counts returns the data points of the int64 sum named name by their
// attributes, written "key=value key=value" in key order. It fails the test
// if a metric of that name is not an int64 sum.
func (tel *Telemetry) Counts(tb testing.TB, name string) map[string]int64 {
	tb.Helper()
	counts := map[string]int64{}
	for _, sm := range tel.Metrics(tb).ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				tb.Fatalf("%s is %T, want an int64 sum", m.Name, m.Data)
			}
			for _, dp := range sum.DataPoints {
				var kvs []string
				for _, kv := range dp.Attributes.ToSlice() {
					kvs = append(kvs, string(kv.Key)+"="+kv.Value.Emit())
				}
				counts[strings.Join(kvs, " ")] += dp.Value
			}
		}
	}
	return counts
}

// Text returns every string an exporter would be given, one line each
// with its place: for every ended span its name, status description,
// attributes, events (names and attributes), links' attributes and
// resource; for every metric its scope, name, description, unit and the
// attributes of its data points and exemplars (of an int64 sum or a
// float64 histogram; any other kind's data as a whole), and the metrics'
// resource.
func (tel *Telemetry) Text(tb testing.TB) string {
	tb.Helper()
	return strings.Join(tel.lines(tb), "\n")
}

func (tel *Telemetry) lines(tb testing.TB) []string {
	tb.Helper()
	var lines []string
	add := func(place string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			lines = append(lines, place+": "+string(kv.Key)+"="+kv.Value.Emit())
		}
	}
	resources := map[attribute.Distinct]bool{}
	addResource := func(r *resource.Resource) {
		if r != nil && !resources[r.Equivalent()] {
			resources[r.Equivalent()] = true
			add("resource", r.Attributes())
		}
	}
	for _, s := range tel.Recorder.Ended() {
		place := "span " + s.Name()
		lines = append(lines, place, place+" status: "+s.Status().Description)
		add(place, s.Attributes())
		for _, e := range s.Events() {
			lines = append(lines, place+" event "+e.Name)
			add(place+" event "+e.Name, e.Attributes)
		}
		for _, l := range s.Links() {
			add(place+" link", l.Attributes)
		}
		addResource(s.Resource())
	}
	rm := tel.Metrics(tb)
	addResource(rm.Resource)
	for _, sm := range rm.ScopeMetrics {
		lines = append(lines, fmt.Sprintf("scope %s %s %s", sm.Scope.Name, sm.Scope.Version, sm.Scope.SchemaURL))
		add("scope "+sm.Scope.Name, sm.Scope.Attributes.ToSlice())
		for _, m := range sm.Metrics {
			place := "metric " + m.Name
			lines = append(lines, fmt.Sprintf("%s: %s (%s)", place, m.Description, m.Unit))
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					point(place, add, dp.Attributes, dp.Exemplars)
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					point(place, add, dp.Attributes, dp.Exemplars)
				}
			default:
				// The module records no other kind; its strings are in
				// its Go syntax.
				lines = append(lines, fmt.Sprintf("%s data: %+v", place, m.Data))
			}
		}
	}
	return lines
}

// point adds the attributes of a data point and of its exemplars.
func point[N int64 | float64](place string, add func(string, []attribute.KeyValue), set attribute.Set, exemplars []metricdata.Exemplar[N]) {
	add(place+" point", set.ToSlice())
	for _, e := range exemplars {
		add(place+" exemplar", e.FilteredAttributes)
	}
}

// AssertNoneOf fails the test for each of secrets that appears anywhere in
// [Telemetry.Text], showing where.
func (tel *Telemetry) AssertNoneOf(tb testing.TB, secrets ...string) {
	tb.Helper()
	lines := tel.lines(tb)
	for _, secret := range secrets {
		var found []string
		for _, l := range lines {
			if strings.Contains(l, secret) {
				found = append(found, l)
			}
		}
		if len(found) > 0 {
			tb.Errorf("%.24q appears in the telemetry:\n%s", secret, strings.Join(found, "\n"))
		}
	}
}

// Discard is a span processor that drops every span: spans are recorded,
// as with a real exporter, but not kept. Benchmarks use it.
type Discard struct{}

// OnStart does nothing.
func (Discard) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd drops the span.
func (Discard) OnEnd(sdktrace.ReadOnlySpan) {}

// Shutdown does nothing.
func (Discard) Shutdown(context.Context) error { return nil }

// ForceFlush does nothing.
func (Discard) ForceFlush(context.Context) error { return nil }

// Attrs returns attributes as a map.
func Attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// CheckAttrs reports, in key order, each attribute of want that kvs does
// not hold with the same value and type; a nil want value means the key
// must be absent. what names the attributes' owner in the messages.
func CheckAttrs(tb testing.TB, what string, kvs []attribute.KeyValue, want map[attribute.Key]any) {
	tb.Helper()
	got := Attrs(kvs)
	keys := make([]attribute.Key, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := want[k]
		v, ok := got[k]
		switch {
		case w == nil && ok:
			tb.Errorf("%s: %s = %s, want it absent", what, k, v.Emit())
		case w == nil:
		case !ok:
			tb.Errorf("%s: %s missing, want %v", what, k, w)
		case v.AsInterface() != w:
			tb.Errorf("%s: %s = %#v, want %#v", what, k, v.AsInterface(), w)
		}
	}
}

// JWT returns an unsigned JWT, header.payload.signature in base64url
// without padding: an RS256 header with kid when it is not empty, claims
// as the payload, and signature as the signature's bytes. It panics if
// claims cannot be encoded as JSON.
func JWT(kid string, claims map[string]any, signature string) string {
	header := `{"alg":"RS256","typ":"JWT"}`
	if kid != "" {
		k, _ := json.Marshal(kid)
		header = `{"alg":"RS256","typ":"JWT","kid":` + string(k) + `}`
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("oteltest.JWT: %v", err))
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte(signature))
}

// FakeCredential is an azcore.TokenCredential whose GetToken calls the
// function. Decorated, its credential type is "FakeCredential".
type FakeCredential func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error)

// GetToken returns f(ctx, opts).
func (f FakeCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f(ctx, opts)
}

// Issuing returns a credential that issues token, or withClaims when the
// request carries claims (as the retry of a claims challenge does), each
// valid for an hour.
func Issuing(token, withClaims string) FakeCredential {
	return func(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
		tk := token
		if opts.Claims != "" {
			tk = withClaims
		}
		return azcore.AccessToken{Token: tk, ExpiresOn: time.Now().Add(time.Hour)}, nil
	}
}
