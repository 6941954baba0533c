package credential_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// returning is a credential that returns tk and err.
func returning(tk azcore.AccessToken, err error) oteltest.FakeCredential {
	return func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return tk, err
	}
}

// telemetry records every span and metric; its methods build and check
// the decorator.
type telemetry struct{ *oteltest.Telemetry }

func newTelemetry(t testing.TB, opts ...sdktrace.TracerProviderOption) *telemetry {
	t.Helper()
	return &telemetry{oteltest.New(t, opts...)}
}

func (tel *telemetry) options() *credential.Options {
	return &credential.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider}
}

func (tel *telemetry) wrap(inner azcore.TokenCredential) *credential.Credential {
	return credential.New(inner, tel.options())
}

// onlySpan returns the one ended span, failing the test if there is not
// exactly one.
func (tel *telemetry) onlySpan(t testing.TB) sdktrace.ReadOnlySpan {
	t.Helper()
	spans := tel.Recorder.Ended()
	if len(spans) != 1 {
		t.Fatalf("got %d ended spans, want 1", len(spans))
	}
	return spans[0]
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
	for _, sm := range tel.Metrics(t).ScopeMetrics {
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
