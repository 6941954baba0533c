package otelenv_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/azauthtrace/azauthtrace/example/otelenv"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// otelEnv lists the variables that steer Setup; clearOTelEnv unsets them
// for the rest of the test.
var otelEnv = []string{
	"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER",
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
	"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
	"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_METRICS_PRODUCERS",
}

func clearOTelEnv(t *testing.T) {
	t.Helper()
	for _, k := range otelEnv {
		t.Setenv(k, "")
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
}

// emit records one span and one counter increment through p.
func emit(t *testing.T, p *otelenv.Providers) {
	t.Helper()
	_, span := p.TracerProvider.Tracer(otelx.ScopeName).Start(t.Context(), "setup-test-span")
	span.End()
	c, err := p.MeterProvider.Meter(otelx.ScopeName).Int64Counter(otelx.FailuresMetric)
	if err != nil {
		t.Fatal(err)
	}
	c.Add(t.Context(), 1, metric.WithAttributes(otelx.ClassKey.String("permission")))
}

func TestSetupConsole(t *testing.T) {
	clearOTelEnv(t)
	var out syncBuffer
	p, err := otelenv.Setup(t.Context(), otelenv.WithServiceName("setup-console-test"), otelenv.WithConsoleByDefault(), otelenv.WithConsoleWriter(&out))
	if err != nil {
		t.Fatal(err)
	}
	if p.TracesExporter != "console" || p.MetricsExporter != "console" {
		t.Errorf("exporters %q, %q; want the console when nothing is configured", p.TracesExporter, p.MetricsExporter)
	}
	emit(t, p)
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"setup-test-span", otelx.FailuresMetric, "setup-console-test", otelx.ScopeName} {
		if !strings.Contains(got, want) {
			t.Errorf("console output lacks %q:\n%s", want, got)
		}
	}
}

func TestSetupOTLPHTTP(t *testing.T) {
	clearOTelEnv(t)
	var (
		mu     sync.Mutex
		bodies = map[string][]byte{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.URL.Path] = append(bodies[r.URL.Path], b...)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "setup-otlp-test")

	var console syncBuffer
	p, err := otelenv.Setup(t.Context(), otelenv.WithServiceName("overridden"), otelenv.WithConsoleByDefault(), otelenv.WithConsoleWriter(&console))
	if err != nil {
		t.Fatal(err)
	}
	if p.TracesExporter != "otlp" || p.MetricsExporter != "otlp" {
		t.Errorf("exporters %q, %q; want otlp when an endpoint is set", p.TracesExporter, p.MetricsExporter)
	}
	emit(t, p)
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	traces := bodies["/v1/traces"]
	if len(traces) == 0 {
		t.Fatalf("no export request at /v1/traces; got %v", keys(bodies))
	}
	for _, want := range []string{"setup-test-span", "setup-otlp-test"} {
		if !bytes.Contains(traces, []byte(want)) {
			t.Errorf("the traces export request lacks %q", want)
		}
	}
	if bytes.Contains(traces, []byte("overridden")) {
		t.Error("OTEL_SERVICE_NAME did not take precedence over WithServiceName")
	}
	if m := bodies["/v1/metrics"]; !bytes.Contains(m, []byte(otelx.FailuresMetric)) {
		t.Errorf("the metrics export request lacks %s", otelx.FailuresMetric)
	}
	if console.Len() != 0 {
		t.Errorf("console output with OTLP configured: %s", console.String())
	}
}

func TestSetupExporterChoice(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		env                   map[string]string
		consoleByDefault      bool
		wantTraces, wantMetrs string
	}{
		{"nothing set, no fallback", nil, false, "otlp", "otlp"},
		{"nothing set", nil, true, "console", "console"},
		{"endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}, true, "otlp", "otlp"},
		{"traces endpoint only", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:1/v1/traces"}, true, "otlp", "console"},
		{"explicit exporters", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "console"}, false, "none", "console"},
		{"grpc", map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}, true, "otlp", "otlp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearOTelEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var opts []otelenv.Option
			if tc.consoleByDefault {
				opts = append(opts, otelenv.WithConsoleByDefault())
			}
			opts = append(opts, otelenv.WithConsoleWriter(io.Discard))
			p, err := otelenv.Setup(t.Context(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			if p.TracesExporter != tc.wantTraces || p.MetricsExporter != tc.wantMetrs {
				t.Errorf("exporters %q, %q; want %q, %q", p.TracesExporter, p.MetricsExporter, tc.wantTraces, tc.wantMetrs)
			}
			// The OTLP exporters have nowhere to send to: their
			// Shutdown fails, quickly.
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			_ = p.Shutdown(ctx)
		})
	}
}

func TestSetupBadEnvironment(t *testing.T) {
	clearOTelEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "no-such-exporter")
	if _, err := otelenv.Setup(t.Context()); err == nil {
		t.Error("Setup accepted an unknown exporter")
	}
	clearOTelEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon")
	if _, err := otelenv.Setup(t.Context()); err == nil {
		t.Error("Setup accepted an unknown OTLP protocol")
	}
}

func TestSetupResource(t *testing.T) {
	clearOTelEnv(t)
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,team=identity")
	p, err := otelenv.Setup(t.Context(), otelenv.WithServiceName("resource-test"), otelenv.WithConsoleByDefault(), otelenv.WithConsoleWriter(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(t.Context())
	got := map[string]string{}
	for _, kv := range p.Resource.Attributes() {
		got[string(kv.Key)] = kv.Value.Emit()
	}
	for k, v := range map[string]string{
		string(semconv.ServiceNameKey):      "resource-test",
		"deployment.environment.name":       "test",
		"team":                              "identity",
		string(semconv.TelemetrySDKNameKey): "opentelemetry",
	} {
		if got[k] != v {
			t.Errorf("resource %s = %q, want %q (resource %v)", k, got[k], v, got)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the exporters' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
