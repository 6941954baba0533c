package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/example/scenario"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// canaries are the secrets the scenarios present and the tokens the fakes
// issue, whole and in the parts a careless recorder might keep.
func canaries() []string {
	out := []string{scenario.Secret, scenario.TokenCanary}
	for _, forClaims := range []bool{false, true} {
		tok := scenario.AccessToken(forClaims)
		parts := strings.Split(tok, ".")
		out = append(out, tok, parts[0], parts[2])
	}
	return append(out, base64.StdEncoding.EncodeToString([]byte(scenario.Secret)))
}

// TestScenarios plays every scenario in process, recording into memory,
// and checks that each is one trace under its root span, that the
// failure the scenario expects is on the recorded spans, that the report
// has a block per scenario, and that no canary reached the spans, the
// metrics or the report.
func TestScenarios(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(t.Context())
		_ = mp.Shutdown(t.Context())
	})
	pathBefore := os.Getenv("PATH")

	runner, err := scenario.NewRunner(instrumentation(tp, mp))
	if err != nil {
		t.Fatal(err)
	}
	defer runner.Close()
	var report bytes.Buffer
	var results []scenario.Result
	for _, s := range scenario.All() {
		res := runner.Run(t.Context(), s)
		results = append(results, res)
		scenario.WriteBlock(&report, res)
		if !res.OK() {
			t.Errorf("%s: %v", s.Name, res.Mismatches)
		}
	}
	scenario.WriteSummary(&report, results)
	if os.Getenv("PATH") != pathBefore {
		t.Error("a scenario did not restore PATH")
	}

	spans := rec.Ended()
	byTrace := map[trace.TraceID][]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byTrace[s.SpanContext().TraceID()] = append(byTrace[s.SpanContext().TraceID()], s)
	}
	if len(byTrace) != len(results) {
		t.Errorf("%d traces for %d scenarios", len(byTrace), len(results))
	}
	for _, res := range results {
		s := res.Scenario
		var root sdktrace.ReadOnlySpan
		for _, sp := range spans {
			if sp.Name() == scenario.SpanName(s.Name) {
				root = sp
			}
		}
		if root == nil {
			t.Errorf("%s: no root span %q", s.Name, scenario.SpanName(s.Name))
			continue
		}
		if root.Parent().IsValid() || root.SpanKind() != trace.SpanKindInternal {
			t.Errorf("%s: root span has parent %v and kind %v; want a root of kind internal", s.Name, root.Parent(), root.SpanKind())
		}
		if v, ok := attr(root.Attributes(), scenario.ScenarioKey); !ok || v != s.Name {
			t.Errorf("%s: root span %s = %q", s.Name, scenario.ScenarioKey, v)
		}
		tr := byTrace[root.SpanContext().TraceID()]
		if res.Diagnosis.TraceID != root.SpanContext().TraceID().String() {
			t.Errorf("%s: report's trace %s, root span's %s", s.Name, res.Diagnosis.TraceID, root.SpanContext().TraceID())
		}
		if len(tr) < 3 {
			t.Errorf("%s: %d spans in the trace; want the root, the operation and GetToken at least", s.Name, len(tr))
		}
		// The credential decorator's GetToken span is in every trace.
		if !hasSpan(tr, s.Expect.Credential+".GetToken") {
			t.Errorf("%s: no %s.GetToken span in %v", s.Name, s.Expect.Credential, names(tr))
		}
		// The class a user would search for is on a span or an event.
		classes := recordedClasses(tr)
		if s.Expect.Class == "" {
			if len(classes) != 0 {
				t.Errorf("%s: classes %v recorded for a success", s.Name, classes)
			}
		} else if !classes[string(s.Expect.Class)] {
			t.Errorf("%s: class %s not recorded; recorded %v", s.Name, s.Expect.Class, classes)
		}
		if !strings.Contains(report.String(), s.Name+" — "+s.Title) {
			t.Errorf("%s: no report block", s.Name)
		}
	}
	if !strings.Contains(report.String(), "every diagnosis as expected") {
		t.Errorf("report summary:\n%s", report.String())
	}
	for _, want := range []string{
		"denied       " + scenario.ObjectID,
		"Microsoft.Storage/storageAccounts/write",
		"AzureDeveloperCLICredential: credential_unavailable",
		"retry        with a token for the claims: HTTP 200",
	} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// ARM names the principal the token is for, as in real life: the
	// report names it once.
	if strings.Contains(report.String(), "not the token's") {
		t.Errorf("the report names a principal other than the token's:\n%s", report.String())
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	metrics := fmt.Sprintf("%+v", rm)
	for _, want := range []string{otelx.TokenRequestsMetric, otelx.FailuresMetric} {
		if !strings.Contains(metrics, want) {
			t.Errorf("no %s metric", want)
		}
	}
	assertNoCanary(t, "report", report.String())
	assertNoCanary(t, "metrics", metrics)
	for _, sp := range spans {
		assertNoCanary(t, "span "+sp.Name(), spanText(sp))
	}
}

// TestRun runs the program as a user does, with the telemetry on the
// console, and checks the flags, the exit status, that the report and the
// telemetry go to different streams, and that neither holds a canary.
func TestRun(t *testing.T) {
	for _, k := range []string{
		"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_SERVICE_NAME",
	} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}

	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"-list"}, &out, &errOut); code != 0 {
		t.Fatalf("-list: exit %d", code)
	}
	if got, want := out.String(), strings.Join(scenario.Names(), "\n")+"\n"; got != want {
		t.Errorf("-list printed %q, want %q", got, want)
	}

	out.Reset()
	errOut.Reset()
	if code := run(t.Context(), []string{"-scenario", "no-such-scenario"}, &out, &errOut); code != 2 {
		t.Errorf("unknown scenario: exit %d, want 2", code)
	}

	out.Reset()
	errOut.Reset()
	code := run(t.Context(), []string{"-scenario", "client-secret-invalid,storage-permission-mismatch,success"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	report, console := out.String(), errOut.String()
	for _, want := range []string{
		"✗ client-secret-invalid", "AADSTS7000215", "7b12f9bb-2eef-42e3-ad75-eee69ec9088d",
		"✗ storage-permission-mismatch", "✓ success", "3 scenarios, every diagnosis as expected",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "app-not-found") {
		t.Error("-scenario played a scenario it did not name")
	}
	for _, want := range []string{`"scenario client-secret-invalid"`, `"ClientSecretCredential.GetToken"`, `azauth.failures`, `azauthtrace-example`} {
		if !strings.Contains(console, want) {
			t.Errorf("console telemetry (stderr) lacks %s", want)
		}
	}
	if strings.Contains(report, `"SpanContext"`) {
		t.Error("telemetry in the report")
	}
	assertNoCanary(t, "stdout", report)
	assertNoCanary(t, "stderr", console)
}

func assertNoCanary(t *testing.T, where, text string) {
	t.Helper()
	for _, c := range canaries() {
		if strings.Contains(text, c) {
			t.Errorf("%s holds the canary %q", where, c)
		}
	}
}

// spanText is everything recorded on a span, as text.
func spanText(s sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	fmt.Fprintln(&b, s.Name(), s.Status().Description)
	for _, kv := range s.Attributes() {
		fmt.Fprintln(&b, kv.Key, kv.Value.Emit())
	}
	for _, e := range s.Events() {
		fmt.Fprintln(&b, e.Name)
		for _, kv := range e.Attributes {
			fmt.Fprintln(&b, kv.Key, kv.Value.Emit())
		}
	}
	for _, kv := range s.Resource().Attributes() {
		fmt.Fprintln(&b, kv.Key, kv.Value.Emit())
	}
	return b.String()
}

func attr(attrs []attribute.KeyValue, k attribute.Key) (string, bool) {
	for _, kv := range attrs {
		if kv.Key == k {
			return kv.Value.Emit(), true
		}
	}
	return "", false
}

// recordedClasses returns the azauth.class values on the spans and events
// of a trace.
func recordedClasses(spans []sdktrace.ReadOnlySpan) map[string]bool {
	out := map[string]bool{}
	for _, s := range spans {
		if v, ok := attr(s.Attributes(), otelx.ClassKey); ok {
			out[v] = true
		}
		for _, e := range s.Events() {
			if e.Name == otelx.ChainAttemptEvent {
				continue // the chain's sources, not the failure
			}
			if v, ok := attr(e.Attributes, otelx.ClassKey); ok {
				out[v] = true
			}
		}
	}
	return out
}

func hasSpan(spans []sdktrace.ReadOnlySpan, name string) bool {
	for _, s := range spans {
		if s.Name() == name {
			return true
		}
	}
	return false
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}
