package credential_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// fakeCredential is a TokenCredential whose GetToken calls getToken.
type fakeCredential struct {
	getToken func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error)
}

func (f *fakeCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f.getToken(ctx, opts)
}

func returning(tk azcore.AccessToken, err error) *fakeCredential {
	return &fakeCredential{getToken: func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return tk, err
	}}
}

// telemetry holds an SDK tracer provider recording every span and a meter
// provider read on demand.
type telemetry struct {
	rec    *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t testing.TB, opts ...sdktrace.TracerProviderOption) *telemetry {
	t.Helper()
	tel := &telemetry{rec: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithSpanProcessor(tel.rec)}, opts...)...)
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

func (tel *telemetry) options() *credential.Options {
	return &credential.Options{TracerProvider: tel.tp, MeterProvider: tel.mp}
}

func (tel *telemetry) wrap(inner azcore.TokenCredential) *credential.Credential {
	return credential.New(inner, tel.options())
}

// onlySpan returns the one ended span, failing the test if there is not
// exactly one.
func (tel *telemetry) onlySpan(t testing.TB) sdktrace.ReadOnlySpan {
	t.Helper()
	spans := tel.rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("got %d ended spans, want 1", len(spans))
	}
	return spans[0]
}

func (tel *telemetry) collect(t testing.TB) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

// outcomes returns the token request counts by "<credential type>/<outcome>"
// and checks that the duration histogram has the same counts and that no
// other attribute is set on either.
func (tel *telemetry) outcomes(t testing.TB) map[string]int64 {
	t.Helper()
	counts := map[string]int64{}
	hist := map[string]int64{}
	key := func(set attribute.Set) string {
		if set.Len() != 2 {
			t.Errorf("metric attributes %v, want only the credential type and outcome", set.ToSlice())
		}
		ct, _ := set.Value(otelx.CredentialTypeKey)
		oc, _ := set.Value(otelx.OutcomeKey)
		return ct.AsString() + "/" + oc.AsString()
	}
	for _, sm := range tel.collect(t).ScopeMetrics {
		if sm.Scope.Name != otelx.ScopeName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, otelx.ScopeName)
		}
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				if m.Name != otelx.TokenRequestsMetric || !data.IsMonotonic {
					t.Errorf("unexpected sum %q", m.Name)
				}
				for _, dp := range data.DataPoints {
					counts[key(dp.Attributes)] += dp.Value
				}
			case metricdata.Histogram[float64]:
				if m.Name != otelx.TokenDurationMetric || m.Unit != "s" {
					t.Errorf("unexpected histogram %q in %q", m.Name, m.Unit)
				}
				for _, dp := range data.DataPoints {
					hist[key(dp.Attributes)] += int64(dp.Count)
				}
			default:
				t.Errorf("unexpected metric %q of type %T", m.Name, m.Data)
			}
		}
	}
	if fmt.Sprint(counts) != fmt.Sprint(hist) {
		t.Errorf("request counts %v differ from duration counts %v", counts, hist)
	}
	return counts
}

// attrs returns a span's attributes by key.
func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

func wantAttr(t testing.TB, m map[attribute.Key]attribute.Value, k attribute.Key, want any) {
	t.Helper()
	v, ok := m[k]
	if !ok {
		t.Errorf("attribute %s missing, want %v", k, want)
		return
	}
	if got := v.AsInterface(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attribute %s = %v, want %v", k, got, want)
	}
}

func noAttr(t testing.TB, m map[attribute.Key]attribute.Value, keys ...attribute.Key) {
	t.Helper()
	for _, k := range keys {
		if v, ok := m[k]; ok {
			t.Errorf("attribute %s = %v, want none", k, v.AsInterface())
		}
	}
}

// telemetryText returns every string a span or metric exporter would see:
// span names, attribute keys and values, event names and attributes, status
// descriptions, and every metric name, description and data point
// attribute.
func (tel *telemetry) telemetryText(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	kvs := func(kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			fmt.Fprintf(&b, "%s=%s\n", kv.Key, kv.Value.Emit())
		}
	}
	for _, s := range tel.rec.Ended() {
		fmt.Fprintf(&b, "span %s\nstatus %s\n", s.Name(), s.Status().Description)
		kvs(s.Attributes())
		for _, e := range s.Events() {
			fmt.Fprintf(&b, "event %s\n", e.Name)
			kvs(e.Attributes)
		}
		for _, l := range s.Links() {
			kvs(l.Attributes)
		}
	}
	for _, sm := range tel.collect(t).ScopeMetrics {
		for _, m := range sm.Metrics {
			fmt.Fprintf(&b, "metric %s %s %s\n", m.Name, m.Description, m.Unit)
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range data.DataPoints {
					kvs(dp.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, dp := range data.DataPoints {
					kvs(dp.Attributes.ToSlice())
				}
			}
		}
	}
	return b.String()
}

// assertNoneOf fails the test if any of secrets appears in the recorded
// telemetry.
func (tel *telemetry) assertNoneOf(t testing.TB, secrets ...string) {
	t.Helper()
	text := tel.telemetryText(t)
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%q appears in the telemetry:\n%s", s, text)
		}
	}
}
