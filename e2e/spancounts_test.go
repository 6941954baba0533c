//go:build unix

package e2e_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/azauthtrace/azauthtrace/example/scenario"
)

// spanCountsConfig is the collector configuration for applications that
// export spans only: failures counted from the spans, into Prometheus.
const spanCountsConfig = "otelcol/spancounts.yaml"

// The span-derived counts, as Prometheus names them by default.
const (
	spanTokenFailures   = "azauth_span_token_failures_total"
	spanServiceFailures = "azauth_span_service_failures_total"
	spanAADSTSFailures  = "azauth_span_aadsts_failures_total"
	spanCodeFailures    = "azauth_span_code_failures_total"
)

// TestSpanCounts runs the scenarios exporting spans only (OTLP/HTTP) to the
// collector built from otelcol/ with otelcol/spancounts.yaml, which
// counts the failures from the spans and sends the counts to a real
// Prometheus's OTLP receiver, and checks the counts there: one per
// failure, by class and credential type, by class and host, by class and
// AADSTS code, by class and error code. A service failure recorded on an
// SDK operation span and in an azauth.failure event on it counts once.
func TestSpanCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the collector and Prometheus")
	}
	p := startPrometheus(t, prometheusConfig{})
	otlp := runCollector(t, spanCountsConfig, "PROMETHEUS_", "PROMETHEUS_OTLP_ENDPOINT="+p.otlpEndpoint())

	instance := fmt.Sprintf("spancounts-%d", time.Now().UnixNano())
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceNamespace(e2eNamespace),
		semconv.ServiceName("spancounts"),
		semconv.ServiceInstanceID(instance)))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := otlptracehttp.New(t.Context(), otlptracehttp.WithEndpointURL("http://"+otlp+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res),
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(100*time.Millisecond)))
	job := e2eNamespace + "/spancounts"
	runs := playTraced(t, tp, scenario.All(), func(scenario.Scenario, int) (*sdkmetric.MeterProvider, string, string) {
		return nil, job, instance
	})
	if err := tp.Shutdown(t.Context()); err != nil {
		t.Fatalf("exporting the spans: %v", err)
	}

	// One count per failure, from what each scenario expects.
	want := map[string]float64{}
	add := func(name string, kv ...string) {
		m := map[string]string{"__name__": name}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		want[labelsKey(m)]++
	}
	for _, r := range runs {
		class := string(r.Expect.Class)
		if class == "" {
			continue
		}
		if r.serviceFailure() {
			add(spanServiceFailures, "azauth_class", class, "server_address", r.host)
		} else {
			add(spanTokenFailures, "azauth_class", class, "azauth_credential_type", r.Expect.Credential)
		}
		if r.Expect.AADSTS != 0 {
			add(spanAADSTSFailures, "azauth_class", class, "azauth_aadsts", strconv.Itoa(r.Expect.AADSTS))
		}
		if r.Expect.ErrorCode != "" {
			add(spanCodeFailures, "azauth_class", class, "azauth_error_code", r.Expect.ErrorCode)
		}
	}

	counts := func() map[string]float64 {
		got := map[string]float64{}
		for _, s := range p.query(t, fmt.Sprintf(`{__name__=~"azauth_span_.*",job=%q}`, job)) {
			m := maps.Clone(s.Metric)
			if m["instance"] != instance {
				t.Errorf("%v: instance %q, want %q", s.Metric, m["instance"], instance)
			}
			delete(m, "job")
			delete(m, "instance")
			v, err := strconv.ParseFloat(s.value(), 64)
			if err != nil {
				t.Fatalf("%v: value %q", s.Metric, s.value())
			}
			got[labelsKey(m)] += v
		}
		return got
	}
	var got map[string]float64
	if missing := waitFor(60*time.Second, func() string {
		if got = counts(); !maps.Equal(got, want) {
			return "different counts"
		}
		return ""
	}); missing != "" {
		t.Errorf("after 60s Prometheus has the counts\n%s\nwant\n%s", formatCounts(got), formatCounts(want))
	} else {
		t.Logf("counts:\n%s", formatCounts(got))
	}

	// Nothing else: no count of span events, no default counts.
	wantNames := []string{spanAADSTSFailures, spanCodeFailures, spanServiceFailures, spanTokenFailures}
	if names := p.metricNames(t, fmt.Sprintf(`{job=%q}`, job)); !slices.Equal(names, append(wantNames, "target_info")) {
		t.Errorf("metric names %q, want target_info and %q", names, wantNames)
	}
}

func formatCounts(m map[string]float64) string {
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		lines = append(lines, fmt.Sprintf("  %s %v", k, m[k]))
	}
	return strings.Join(lines, "\n")
}
