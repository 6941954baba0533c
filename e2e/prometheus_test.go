//go:build unix

package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/example/otelenv"
	"github.com/azauthtrace/azauthtrace/example/scenario"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// The Prometheus end-to-end tests: the alert rules users load
// (alerts/azauthtrace.rules.yaml) in a real Prometheus 3, fed the metrics
// of the example's scenarios through Prometheus's OTLP receiver and by
// scraping the OpenTelemetry Prometheus exporter, checked through
// Prometheus's HTTP API: the metric and label names, the counts, and the
// alerts that fire.
//
// Prometheus and promtool are built from the tools-only module in
// ./prometheus (go.mod's tool directive, Prometheus v0.316.0, that is
// Prometheus 3), with "go tool -n prometheus" outside any go.work; see
// goToolBinary. The Go module has no web UI assets: the binary serves the
// API, and its UI pages answer with an error.

const (
	rulesFile     = "../alerts/azauthtrace.rules.yaml"
	rulesTestFile = "../alerts/azauthtrace.rules.test.yaml"

	// shortFor replaces the rules' for: durations in the copy Prometheus
	// loads, which evaluates them every second.
	shortFor = "2s"

	// The metric names of the rules and of docs/alerting.md, Prometheus's
	// default translation of the OpenTelemetry names.
	failuresTotal      = "azauth_failures_total"
	challengesTotal    = "azauth_challenges_total"
	tokenRequestsTotal = "azauth_token_requests_total"
	tokenDuration      = "azauth_token_duration_seconds"

	// The OTLP resource of each scenario's meter provider.
	e2eNamespace = "azauthtrace-e2e"
)

// The alerts of the rules file.
const (
	alertPermissionDenied = "AzurePermissionDenied"
	alertAuthFailures     = "AzureAuthFailures"
	alertTokenRequests    = "AzureTokenRequestsFailing"
)

// TestAlertRules checks the rules file with promtool and runs its unit
// tests (alerts/azauthtrace.rules.test.yaml).
func TestAlertRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds promtool")
	}
	rules, err := filepath.Abs(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	tests, err := filepath.Abs(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runPromtool(t, "check", "rules", rules); err != nil {
		t.Errorf("promtool check rules %s: %v\n%s", rulesFile, err, out)
	}
	if out, err := runPromtool(t, "test", "rules", tests); err != nil {
		t.Errorf("promtool test rules %s: %v\n%s", rulesTestFile, err, out)
	} else {
		t.Logf("promtool test rules %s:\n%s", rulesTestFile, out)
	}
}

// TestPrometheusAlerts runs the scenarios into a real Prometheus with the
// rules file (its for: durations shortened) and checks, through the HTTP
// API, the names, the counts and the alerts; then what the names are with
// the other OTLP translation strategies, and through the Prometheus
// exporter. The names it measures must be docs/alerting.md's table.
func TestPrometheusAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts Prometheus")
	}
	rules := shortRulesCopy(t)
	table := newNameTable()

	t.Run("otlp", func(t *testing.T) {
		p := startPrometheus(t, prometheusConfig{rules: []string{rules}})
		runs := playOTLP(t, p.otlpEndpoint(), scenario.All())
		checkPrometheus(t, p, runs, "")
		table.record(t, p, "default")

		// A rule of increase() alone sees
		// nothing in a series' first sample, and every series here is
		// new.
		plain := `sum by (job, server_address) (increase(azauth_failures_total{azauth_class="permission"}[10m])) > 0`
		t.Logf("%s gives %d samples; the rules file's AzurePermissionDenied fires for %d hosts",
			plain, len(p.query(t, plain)), len(p.query(t, `ALERTS{alertname="AzurePermissionDenied",alertstate="firing"}`)))
	})

	t.Run("success-alone", func(t *testing.T) {
		p := startPrometheus(t, prometheusConfig{rules: []string{rules}})
		success, err := scenario.Select([]string{"success"})
		if err != nil {
			t.Fatal(err)
		}
		runs := playOTLP(t, p.otlpEndpoint(), success)
		checkPrometheus(t, p, runs, "")
	})

	for _, strategy := range []string{"NoUTF8EscapingWithSuffixes", "NoTranslation"} {
		t.Run("translation="+strategy, func(t *testing.T) {
			p := startPrometheus(t, prometheusConfig{translation: strategy})
			// One token failure, one service failure and one answered
			// challenge make every metric and every label.
			s, err := scenario.Select([]string{"client-secret-invalid", "arm-authorization-failed", "cae-claims-challenge"})
			if err != nil {
				t.Fatal(err)
			}
			playOTLP(t, p.otlpEndpoint(), s)
			if missing := waitFor(30*time.Second, func() string {
				if n := len(p.metricNames(t, `{__name__=~"azauth.*"}`)); n < 6 {
					return fmt.Sprintf("%d metric names", n)
				}
				return ""
			}); missing != "" {
				t.Fatalf("Prometheus has %s of azauth's metrics after 30s", missing)
			}
			table.record(t, p, strategy)
			if strategy == "NoUTF8EscapingWithSuffixes" {
				// docs/alerting.md's example of a quoted name.
				q := `{"azauth.failures_total", "azauth.class"="permission"}`
				if n := len(p.query(t, q)); n != 1 {
					t.Errorf("%s: %d series, want 1", q, n)
				}
			}
		})
	}

	t.Run("scrape", func(t *testing.T) {
		// OTEL_METRICS_EXPORTER=prometheus, as users set it: otelenv
		// (through autoexport) serves /metrics on the host and port.
		exporter := freeLoopbackAddr(t)
		host, port, _ := strings.Cut(exporter, ":")
		t.Setenv("OTEL_METRICS_EXPORTER", "prometheus")
		t.Setenv("OTEL_EXPORTER_PROMETHEUS_HOST", host)
		t.Setenv("OTEL_EXPORTER_PROMETHEUS_PORT", port)
		t.Setenv("OTEL_TRACES_EXPORTER", "none")
		t.Setenv("OTEL_SERVICE_NAME", "azauthtrace-e2e-scraped")
		providers, err := otelenv.Setup(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { providers.Shutdown(context.Background()) })

		const job = "azauthtrace-scrape"
		p := startPrometheus(t, prometheusConfig{rules: []string{rules}, scrape: map[string]string{job: exporter}})
		runs := play(t, scenario.All(), func(scenario.Scenario, int) (*sdkmetric.MeterProvider, string, string) {
			return providers.MeterProvider, job, exporter
		})
		checkPrometheus(t, p, runs, "scrape")
		table.record(t, p, "scrape")
	})

	if !t.Failed() {
		table.checkDoc(t)
	}
}

// shortRulesCopy writes a copy of the rules file whose for: durations are
// shortFor and returns its path. Nothing else changes: the expressions are
// the users'.
func shortRulesCopy(t *testing.T) string {
	t.Helper()
	orig, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	short, n := shortenFor(orig, shortFor)
	if alerts := bytes.Count(orig, []byte("- alert: ")); n != alerts || n == 0 {
		t.Fatalf("%s: %d for: durations for %d alerts", rulesFile, n, alerts)
	}
	a, b := strings.Split(string(orig), "\n"), strings.Split(string(short), "\n")
	if len(a) != len(b) {
		t.Fatalf("the copy has %d lines, the rules file %d", len(b), len(a))
	}
	for i := range a {
		if a[i] != b[i] && !forDuration.MatchString(a[i]) {
			t.Fatalf("line %d of the copy differs: %q, in %s %q", i+1, b[i], rulesFile, a[i])
		}
	}
	path := filepath.Join(t.TempDir(), "azauthtrace.rules.yaml")
	if err := os.WriteFile(path, short, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scenarioRun is what one scenario left in the telemetry, for the metrics
// to be checked against.
type scenarioRun struct {
	scenario.Scenario
	// job and instance are the labels Prometheus gives its series.
	job, instance string
	// host is the server.address of a service failure, from its span.
	host string
	// challengeHost is the server.address of an answered challenge, from
	// its span or event.
	challengeHost string
	// tokens counts the credential's GetToken spans that succeeded.
	tokens int
}

// serviceFailure reports whether the scenario's failure is a service's
// answer, counted by azauth.failures, rather than a token request's,
// counted by azauth.token.requests.
func (r scenarioRun) serviceFailure() bool {
	switch r.Expect.Class {
	case azauthtrace.ClassPermission, azauthtrace.ClassClaimsChallenge, azauthtrace.ClassTokenRejected:
		return true
	}
	return false
}

// playOTLP plays the scenarios, each with a meter provider of its own
// that exports to Prometheus's OTLP receiver at endpoint (cumulative, every
// 250ms, until the test ends), with the resource service.namespace
// e2eNamespace, service.name the scenario's name and a service.instance.id
// of its own: in Prometheus each scenario is the job
// "azauthtrace-e2e/<name>".
func playOTLP(t *testing.T, endpoint string, scenarios []scenario.Scenario) []scenarioRun {
	t.Helper()
	run := time.Now().UnixNano()
	return play(t, scenarios, func(s scenario.Scenario, i int) (*sdkmetric.MeterProvider, string, string) {
		exp, err := otlpmetrichttp.New(t.Context(),
			otlpmetrichttp.WithEndpointURL(endpoint),
			otlpmetrichttp.WithTemporalitySelector(func(sdkmetric.InstrumentKind) metricdata.Temporality {
				return metricdata.CumulativeTemporality
			}))
		if err != nil {
			t.Fatal(err)
		}
		instance := fmt.Sprintf("%d-%d", run, i)
		res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
			semconv.ServiceNamespace(e2eNamespace),
			semconv.ServiceName(s.Name),
			semconv.ServiceInstanceID(instance)))
		if err != nil {
			t.Fatal(err)
		}
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res),
			sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(250*time.Millisecond))))
		t.Cleanup(func() {
			if err := mp.Shutdown(context.Background()); err != nil {
				t.Errorf("meter provider of %s: %v", s.Name, err)
			}
		})
		return mp, e2eNamespace + "/" + s.Name, instance
	})
}

// play plays the scenarios in order, each with the meter provider
// provider returns for it (and the job and instance labels its series get
// in Prometheus), flushes the meter providers, and returns what each
// scenario left in its spans.
func play(t *testing.T, scenarios []scenario.Scenario, provider func(s scenario.Scenario, i int) (mp *sdkmetric.MeterProvider, job, instance string)) []scenarioRun {
	t.Helper()
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	return playTraced(t, tp, scenarios, provider)
}

// instrumented wires the scenarios' clients as the example does: the
// credential decorator around each credential, azcore tracing and the
// policy in each client's options.
func instrumented(tp *sdktrace.TracerProvider, mp metric.MeterProvider) scenario.Options {
	return scenario.Options{
		TracerProvider: tp,
		Credential: func(cred azcore.TokenCredential) azcore.TokenCredential {
			return credential.New(cred, &credential.Options{TracerProvider: tp, MeterProvider: mp})
		},
		ClientOptions: azcore.ClientOptions{
			TracingProvider:  azotel.NewTracingProvider(tp, nil),
			PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})},
		},
	}
}

// playTraced is play with the tracer provider tp, which it does not shut
// down. provider may return a nil meter provider: no metrics.
func playTraced(t *testing.T, tp *sdktrace.TracerProvider, scenarios []scenario.Scenario, provider func(s scenario.Scenario, i int) (mp *sdkmetric.MeterProvider, job, instance string)) []scenarioRun {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp.RegisterSpanProcessor(spans)
	defer tp.UnregisterSpanProcessor(spans)
	var runs []scenarioRun
	var mps []*sdkmetric.MeterProvider
	for i, s := range scenarios {
		mp, job, instance := provider(s, i)
		var meters metric.MeterProvider = metricnoop.NewMeterProvider()
		if mp != nil {
			meters = mp
			if !slices.Contains(mps, mp) {
				mps = append(mps, mp)
			}
		}
		r, err := scenario.NewRunner(instrumented(tp, meters))
		if err != nil {
			t.Fatal(err)
		}
		res := r.Run(t.Context(), s)
		r.Close()
		if !res.OK() {
			t.Errorf("scenario %s: the diagnosis differs from the expectation: %s", s.Name, strings.Join(res.Mismatches, "; "))
		}
		run := scenarioRun{Scenario: s, job: job, instance: instance}
		for _, sp := range spans.Ended() {
			if sp.SpanContext().TraceID().String() != res.Diagnosis.TraceID {
				continue
			}
			_, failed := spanValue(sp, classKey)
			if strings.HasSuffix(sp.Name(), getTokenSuffix) && !failed {
				run.tokens++
			}
			if host, ok := spanValue(sp, "server.address"); ok && failed && !strings.HasSuffix(sp.Name(), getTokenSuffix) {
				run.host = host
			}
			if kind, ok := challengeValue(sp, challengeKindKey); ok && kind == s.Expect.Challenge {
				run.challengeHost, _ = challengeValue(sp, "server.address")
			}
		}
		if run.serviceFailure() && !slices.Contains(fakeHosts, run.host) {
			t.Errorf("scenario %s: its failure's span has server.address %q, none of the fake services' %q", s.Name, run.host, fakeHosts)
		}
		if s.Expect.Challenge != "" && !slices.Contains(fakeHosts, run.challengeHost) {
			t.Errorf("scenario %s: its %s challenge's server.address is %q, none of the fake services' %q", s.Name, s.Expect.Challenge, run.challengeHost, fakeHosts)
		}
		runs = append(runs, run)
	}
	for _, mp := range mps {
		if err := mp.ForceFlush(t.Context()); err != nil {
			t.Errorf("flushing the metrics: %v", err)
		}
	}
	return runs
}

// spanValue returns the span's attribute key or, failing that, the
// attribute of its azauth.failure event.
func spanValue(sp sdktrace.ReadOnlySpan, key string) (string, bool) {
	for _, kv := range sp.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.Emit(), true
		}
	}
	for _, e := range sp.Events() {
		if e.Name != failureEvent {
			continue
		}
		for _, kv := range e.Attributes {
			if string(kv.Key) == key {
				return kv.Value.Emit(), true
			}
		}
	}
	return "", false
}

// challengeValue returns the attribute key of the span's azauth.challenge
// event or, failing that, of the span itself when it is the challenge's own
// span (it has azauth.challenge.kind).
func challengeValue(sp sdktrace.ReadOnlySpan, key string) (string, bool) {
	for _, e := range sp.Events() {
		if e.Name != challengeEvent {
			continue
		}
		for _, kv := range e.Attributes {
			if string(kv.Key) == key {
				return kv.Value.Emit(), true
			}
		}
	}
	own := false
	for _, kv := range sp.Attributes() {
		own = own || string(kv.Key) == challengeKindKey
	}
	for _, kv := range sp.Attributes() {
		if own && string(kv.Key) == key {
			return kv.Value.Emit(), true
		}
	}
	return "", false
}

// expectation is what Prometheus must hold after the scenarios: the value
// of each series (by its labels) and the alerts that fire.
type expectation struct {
	series map[string]float64 // by labelsKey, __name__ included
	alerts []string           // labelsKey of each alert's labels
}

// expect computes the expectation of the runs: one failure per failing
// scenario, of its expected class and status, in the failures counter
// for a service's answer and in the token requests counter for a token
// request's; one successful token request per GetToken span that
// succeeded.
func expect(runs []scenarioRun) expectation {
	e := expectation{series: map[string]float64{}}
	alerts := map[string]bool{}
	add := func(labels map[string]string) { e.series[labelsKey(labels)]++ }
	for _, r := range runs {
		id := map[string]string{"job": r.job, "instance": r.instance}
		with := func(kv ...string) map[string]string {
			m := maps.Clone(id)
			for i := 0; i < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return m
		}
		for range r.tokens {
			add(with("__name__", tokenRequestsTotal, "azauth_credential_type", r.Expect.Credential, "azauth_outcome", "success"))
		}
		if r.Expect.Challenge != "" {
			add(with("__name__", challengesTotal, "azauth_challenge_kind", r.Expect.Challenge, "server_address", r.challengeHost))
		}
		class := string(r.Expect.Class)
		switch {
		case class == "":
		case r.serviceFailure():
			add(with("__name__", failuresTotal, "azauth_class", class,
				"http_response_status_code", strconv.Itoa(r.Expect.StatusCode), "server_address", r.host))
			if r.Expect.Class == azauthtrace.ClassPermission {
				alerts[labelsKey(map[string]string{"alertname": alertPermissionDenied, "severity": "ticket", "job": r.job, "server_address": r.host})] = true
			}
			alerts[labelsKey(map[string]string{"alertname": alertAuthFailures, "severity": "ticket", "job": r.job, "azauth_class": class})] = true
		default:
			add(with("__name__", tokenRequestsTotal, "azauth_credential_type", r.Expect.Credential, "azauth_outcome", class))
			alerts[labelsKey(map[string]string{"alertname": alertTokenRequests, "severity": "page", "job": r.job,
				"azauth_credential_type": r.Expect.Credential, "azauth_outcome": class})] = true
		}
	}
	e.alerts = slices.Sorted(maps.Keys(alerts))
	return e
}

// labelsKey is a canonical form of a label set.
func labelsKey(labels map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+strconv.Quote(labels[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// The label names of the library's series, beside job and instance, as the
// table of docs/alerting.md lists them (Prometheus's default translation).
var wantLabels = map[string][]string{
	failuresTotal:             {"azauth_class", "http_response_status_code", "server_address"},
	challengesTotal:           {"azauth_challenge_kind", "server_address"},
	tokenRequestsTotal:        {"azauth_credential_type", "azauth_outcome"},
	tokenDuration + "_bucket": {"azauth_credential_type", "azauth_outcome", "le"},
	tokenDuration + "_count":  {"azauth_credential_type", "azauth_outcome"},
	tokenDuration + "_sum":    {"azauth_credential_type", "azauth_outcome"},
}

// scrapeLabels are the labels the Prometheus exporter adds to every series:
// the instrumentation scope.
var scrapeLabels = []string{"otel_scope_name", "otel_scope_schema_url", "otel_scope_version"}

// checkPrometheus waits until Prometheus holds the runs' series with their
// expected values and the expected alerts fire, then checks the names,
// the labels, the values and the alerts exactly. path is "" for the OTLP
// receiver, "scrape" for the Prometheus exporter.
func checkPrometheus(t *testing.T, p *prometheus, runs []scenarioRun, path string) {
	t.Helper()
	want := expect(runs)
	jobs := map[string]bool{}
	for _, r := range runs {
		jobs[r.job] = true
	}
	jobsRE := strings.Join(slices.Sorted(maps.Keys(jobs)), "|")
	selector := func(name string) string {
		return fmt.Sprintf(`%s{job=~%q}`, name, jobsRE)
	}

	// The counters, projected on the labels the rules and docs/alerting.md
	// know (the exporter's scope labels are checked below).
	counters := func() map[string]float64 {
		got := map[string]float64{}
		for _, name := range []string{failuresTotal, challengesTotal, tokenRequestsTotal} {
			for _, s := range p.query(t, selector(name)) {
				m := maps.Clone(s.Metric)
				for _, l := range scrapeLabels {
					delete(m, l)
				}
				v, err := strconv.ParseFloat(s.value(), 64)
				if err != nil {
					t.Fatalf("%v: value %q", s.Metric, s.value())
				}
				got[labelsKey(m)] += v
			}
		}
		return got
	}
	firing := func() []string {
		var got []string
		for _, a := range p.alerts(t) {
			if jobs[a.Labels["job"]] && a.State == "firing" {
				got = append(got, labelsKey(a.Labels))
			}
		}
		slices.Sort(got)
		return got
	}
	if missing := waitFor(60*time.Second, func() string {
		if got := counters(); !maps.Equal(got, want.series) {
			return fmt.Sprintf("series %v, want %v", got, want.series)
		}
		if got := firing(); !slices.Equal(got, want.alerts) {
			return fmt.Sprintf("firing alerts %q, want %q", got, want.alerts)
		}
		return ""
	}); missing != "" {
		t.Fatalf("after 60s: %s", missing)
	}
	if len(want.alerts) == 0 {
		// Nothing should fire: wait until the rules have been evaluated
		// on the series for longer than the for: durations.
		since := time.Now()
		d, _ := time.ParseDuration(shortFor)
		if missing := waitFor(30*time.Second, func() string {
			if last := p.lastEvaluation(t); last.Before(since.Add(d + time.Second)) {
				return fmt.Sprintf("last evaluation %s", last)
			}
			return ""
		}); missing != "" {
			t.Fatalf("rules not evaluated after 30s: %s", missing)
		}
	}
	t.Logf("series:\n%s", strings.Join(slices.Sorted(maps.Keys(want.series)), "\n"))

	// Every alert, firing or pending, is one of those expected: nothing
	// fires for a success or an answered challenge.
	for _, a := range p.alerts(t) {
		if !slices.Contains(want.alerts, labelsKey(a.Labels)) {
			t.Errorf("unexpected alert %s", a)
			continue
		}
		if !strings.Contains(a.Annotations["summary"], a.Labels["job"]) {
			t.Errorf("alert %s: summary %q does not name the job", a, a.Annotations["summary"])
		}
	}
	t.Logf("firing:\n%s", strings.Join(want.alerts, "\n"))

	// The names and the labels are docs/alerting.md's.
	var names []string
	for _, r := range runs {
		if r.tokens > 0 || r.Expect.Class != "" {
			names = append(names, tokenRequestsTotal, tokenDuration+"_bucket", tokenDuration+"_count", tokenDuration+"_sum")
		}
		if r.serviceFailure() {
			names = append(names, failuresTotal)
		}
		if r.Expect.Challenge != "" {
			names = append(names, challengesTotal)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if got := p.metricNames(t, fmt.Sprintf(`{__name__=~"azauth.*",job=~%q}`, jobsRE)); !slices.Equal(got, names) {
		t.Errorf("metric names %q, want %q", got, names)
	}
	for _, name := range names {
		want := append([]string{"__name__", "instance", "job"}, wantLabels[name]...)
		if path == "scrape" {
			want = append(want, scrapeLabels...)
		}
		slices.Sort(want)
		if got := p.labelNames(t, selector(name)); !slices.Equal(got, want) {
			t.Errorf("%s has the labels %q, want %q", name, got, want)
		}
	}

	// The histogram counts every token request.
	for _, s := range p.query(t, selector(tokenDuration+"_count")) {
		m := maps.Clone(s.Metric)
		for _, l := range scrapeLabels {
			delete(m, l)
		}
		m["__name__"] = tokenRequestsTotal
		if v, _ := strconv.ParseFloat(s.value(), 64); v != want.series[labelsKey(m)] {
			t.Errorf("%v = %s, want %v, the token requests", s.Metric, s.value(), want.series[labelsKey(m)])
		}
	}

	// The resource: target_info holds its other attributes, by job and
	// instance.
	for _, r := range runs {
		sel := fmt.Sprintf(`target_info{job=%q,instance=%q}`, r.job, r.instance)
		if len(p.series(t, sel)) != 1 {
			t.Errorf("no series %s", sel)
		}
	}
}

// nameTable is the measured translation table: the Prometheus names of
// the library's metrics and attributes, in each way of ingesting them.
type nameTable struct {
	metrics map[string]map[string][]string // column → OpenTelemetry name → Prometheus names
	labels  map[string]map[string]string   // column → attribute → label
	extra   map[string][]string            // column → labels other than job, instance and le
}

func newNameTable() *nameTable {
	return &nameTable{metrics: map[string]map[string][]string{}, labels: map[string]map[string]string{}, extra: map[string][]string{}}
}

// The OpenTelemetry names the table has rows for.
var (
	otelMetrics    = []string{"azauth.failures", "azauth.challenges", "azauth.token.requests", "azauth.token.duration"}
	otelAttributes = []string{"azauth.class", "http.response.status_code", "server.address", "azauth.challenge.kind", "azauth.credential.type", "azauth.outcome"}
	tableColumns   = []struct{ key, heading string }{
		{"default", "OTLP, default (`UnderscoreEscapingWithSuffixes`)"},
		{"NoUTF8EscapingWithSuffixes", "OTLP, `NoUTF8EscapingWithSuffixes`"},
		{"NoTranslation", "OTLP, `NoTranslation`"},
		{"scrape", "scraped from the Prometheus exporter"},
	}
)

// underscores maps a name to its legacy form, to tell which OpenTelemetry
// name a Prometheus name comes from.
func underscores(s string) string { return strings.ReplaceAll(s, ".", "_") }

// record records the names Prometheus holds for the library's metrics in
// the column col.
func (nt *nameTable) record(t *testing.T, p *prometheus, col string) {
	t.Helper()
	metrics := map[string][]string{}
	labels := map[string]string{}
	var extra []string
	for _, name := range p.metricNames(t, `{__name__=~"azauth.*"}`) {
		var from string
		for _, m := range otelMetrics {
			if strings.HasPrefix(underscores(name), underscores(m)) {
				from = m
			}
		}
		if from == "" {
			t.Errorf("%s: metric %q is none of %q", col, name, otelMetrics)
			continue
		}
		metrics[from] = append(metrics[from], name)
		for _, l := range p.labelNames(t, fmt.Sprintf(`{__name__=%q}`, name)) {
			i := slices.IndexFunc(otelAttributes, func(a string) bool { return underscores(a) == underscores(l) })
			switch {
			case i >= 0:
				labels[otelAttributes[i]] = l
			case slices.Contains([]string{"__name__", "job", "instance", "le"}, l):
			case !slices.Contains(extra, l):
				extra = append(extra, l)
			}
		}
	}
	slices.Sort(extra)
	nt.metrics[col], nt.labels[col], nt.extra[col] = metrics, labels, extra
	t.Logf("%s: metrics %q, labels %q, other labels %q", col, metrics, labels, extra)
}

// markdown returns the table as docs/alerting.md shows it.
func (nt *nameTable) markdown() string {
	var b strings.Builder
	b.WriteString("| OpenTelemetry |")
	for _, c := range tableColumns {
		b.WriteString(" " + c.heading + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(tableColumns)) + "\n")
	code := func(s string) string { return "`" + s + "`" }
	for _, m := range otelMetrics {
		b.WriteString("| " + code(m) + " |")
		for _, c := range tableColumns {
			b.WriteString(" " + compactNames(nt.metrics[c.key][m]) + " |")
		}
		b.WriteString("\n")
	}
	for _, a := range otelAttributes {
		b.WriteString("| " + code(a) + " |")
		for _, c := range tableColumns {
			b.WriteString(" " + code(nt.labels[c.key][a]) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("| other labels |")
	for _, c := range tableColumns {
		var ls []string
		for _, l := range nt.extra[c.key] {
			ls = append(ls, code(l))
		}
		if len(ls) == 0 {
			ls = []string{"none"}
		}
		b.WriteString(" " + strings.Join(ls, ", ") + " |")
	}
	b.WriteString("\n")
	return b.String()
}

// compactNames shows a histogram's names x_bucket, x_count, x_sum as
// `x_{bucket,count,sum}`.
func compactNames(names []string) string {
	names = slices.Sorted(slices.Values(names))
	if len(names) == 1 {
		return "`" + names[0] + "`"
	}
	var base string
	var suffixes []string
	for _, n := range names {
		i := strings.LastIndex(n, "_")
		if i < 0 || (base != "" && n[:i] != base) {
			return "`" + strings.Join(names, "`, `") + "`"
		}
		base = n[:i]
		suffixes = append(suffixes, n[i+1:])
	}
	return "`" + base + "_{" + strings.Join(suffixes, ",") + "}`"
}

// checkDoc checks that docs/alerting.md shows the measured table.
func (nt *nameTable) checkDoc(t *testing.T) {
	t.Helper()
	doc, err := os.ReadFile("../docs/alerting.md")
	if err != nil {
		t.Fatal(err)
	}
	table := nt.markdown()
	if !strings.Contains(string(doc), table) {
		t.Errorf("docs/alerting.md does not have the measured translation table:\n%s", table)
	}
}

// fakeHosts are the hosts the scenarios' services answer as.
var fakeHosts = []string{fakeservice.ARMHost, fakeservice.StorageHost, fakeservice.KeyVaultHost, fakeservice.GraphHost}
