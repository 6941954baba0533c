//go:build unix

package e2e_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/azauthtrace/azauthtrace/example/scenario"
)

// The Jaeger end-to-end test runs the example, as a user would, against a
// real Jaeger v2 all-in-one (memory storage) and looks for each scenario's
// failure the way a user would, through Jaeger's query API: the trace of
// each scenario, the failure spans found by a tag search on the class, on
// them the AADSTS code, the error code, the correlation ID and the denied
// principal, and the parent/child structure from the scenario's root span
// down to the credential's GetToken span and the failure.
//
// Jaeger is built from the tools-only module in ./jaeger (go.mod's tool
// directive, Jaeger v1.76.0, that is Jaeger v2): it cannot be built in this
// module, whose OpenTelemetry versions are the library's. "go tool -n
// jaeger" in ./jaeger builds and links Jaeger once (a few minutes and about
// 2 GB of memory on a cold cache) and the build cache keeps it; see
// goToolBinary.

// wantScenarios are the scenarios the example promises its users.
// The test fails if the example drops one.
var wantScenarios = []string{
	"client-secret-invalid",
	"client-secret-expired",
	"app-not-found",
	"certificate-invalid-signature",
	"username-password-invalid",
	"workload-identity-no-federated-credential",
	"managed-identity-not-assigned",
	"cli-not-installed",
	"cli-not-logged-in",
	"default-credential-chain",
	"arm-authorization-failed",
	"storage-permission-mismatch",
	"keyvault-forbidden-by-rbac",
	"cae-claims-challenge",
	"success",
}

// Attribute keys the test looks for. They are spelled out, not taken from
// otelx, so that renaming a key, which breaks users' queries, fails the
// test.
const (
	scenarioKey       = "azauth.example.scenario"
	classKey          = "azauth.class"
	aadstsKey         = "azauth.aadsts"
	errorCodeKey      = "azauth.error_code"
	correlationIDKey  = "azauth.correlation_id"
	principalKey      = "azauth.principal.object_id"
	credentialTypeKey = "azauth.credential.type"
	statusCodeKey     = "http.response.status_code"
	oldStatusCodeKey  = "http.status_code" // azcore's HTTP spans
	failureEvent      = "azauth.failure"
	challengeEvent    = "azauth.challenge"
	challengeKindKey  = "azauth.challenge.kind"
	getTokenSuffix    = ".GetToken"
	rootSpanPrefix    = "scenario "
)

func TestJaeger(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts Jaeger")
	}
	scenarios := scenario.All()
	var names []string
	for _, s := range scenarios {
		names = append(names, s.Name)
	}
	for _, name := range wantScenarios {
		if !slices.Contains(names, name) {
			t.Errorf("scenario.All() has no scenario %q", name)
		}
	}

	j := startJaeger(t)
	service := fmt.Sprintf("azauthtrace-e2e-%d", time.Now().UnixNano())
	stdout := runExample(t,
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://"+j.otlpHTTP,
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_SERVICE_NAME="+service,
	)
	t.Logf("example output:\n%s", stdout)

	j.waitForTraces(t, service, len(scenarios))

	// A user picks the service in Jaeger's search form.
	var services struct{ Data []string }
	j.get(t, "/api/services", nil, &services)
	if !slices.Contains(services.Data, service) {
		t.Errorf("Jaeger's services %q do not include %q", services.Data, service)
	}

	// Every trace of the service is one scenario's: a span that lost its
	// parent would start a trace of its own.
	all := j.findTraces(t, service, nil)
	var roots []string
	for _, tr := range all {
		names := tr.rootNames()
		roots = append(roots, names...)
		if len(names) != 1 || !strings.HasPrefix(names[0], rootSpanPrefix) {
			t.Errorf("trace %s has root spans %q, want one %q span; spans: %s", tr.TraceID, names, rootSpanPrefix+"<name>", tr.summary())
		}
	}
	if len(all) != len(scenarios) {
		t.Errorf("service %s has %d traces, want %d, one per scenario; their root spans: %q", service, len(all), len(scenarios), roots)
	}

	// No secret and no token the scenarios used reached Jaeger, in any
	// span, attribute, event or status.
	q := url.Values{"service": {service}, "limit": {"1000"}}
	status, body, err := httpGet("http://" + j.query + "/api/traces?" + q.Encode())
	if err != nil || status != http.StatusOK {
		t.Fatalf("/api/traces?%s: %d %v", q.Encode(), status, err)
	}
	for _, canary := range []string{scenario.Secret, scenario.TokenCanary} {
		if i := bytes.Index(body, []byte(canary)); i >= 0 {
			t.Errorf("Jaeger holds the canary %q: ...%s...", canary, body[max(0, i-120):min(len(body), i+len(canary)+40)])
		}
	}

	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			checkScenario(t, j, service, s)
		})
	}
}

// checkScenario checks what a user finds in Jaeger for one scenario.
func checkScenario(t *testing.T, j *jaeger, service string, s scenario.Scenario) {
	// The scenario's trace, found by its root span's attribute.
	traces := j.findTraces(t, service, map[string]string{scenarioKey: s.Name})
	if len(traces) != 1 {
		t.Fatalf("tag search %s=%s: %d traces, want 1", scenarioKey, s.Name, len(traces))
	}
	tr := traces[0]
	root := tr.checkStructure(t, s.Name)
	if root == nil {
		return
	}

	// The credential decorator's span, under the scenario's root span,
	// naming the credential.
	exp := s.Expect
	var getToken []*jaegerSpan
	for _, sp := range tr.Spans {
		if strings.HasSuffix(sp.OperationName, getTokenSuffix) {
			getToken = append(getToken, sp)
			if !tr.descends(sp, root) {
				t.Errorf("span %q is not a descendant of %q", sp.OperationName, root.OperationName)
			}
		}
	}
	slices.SortFunc(getToken, func(a, b *jaegerSpan) int { return cmp.Compare(a.StartTime, b.StartTime) })
	if len(getToken) == 0 {
		t.Errorf("trace %s has no *%s span; spans: %s", tr.TraceID, getTokenSuffix, tr.summary())
	} else if exp.Credential != "" {
		sp := getToken[0]
		if want := exp.Credential + getTokenSuffix; sp.OperationName != want {
			t.Errorf("first GetToken span is %q, want %q", sp.OperationName, want)
		}
		if v, _ := sp.tag(credentialTypeKey); v != exp.Credential {
			t.Errorf("span %q has %s=%q, want %q", sp.OperationName, credentialTypeKey, v, exp.Credential)
		}
	}

	class := string(exp.Class)
	if class == "" {
		// Success: nothing in the trace looks like a failure.
		for _, sp := range tr.Spans {
			if v, ok := sp.tag(classKey); ok {
				t.Errorf("span %q has %s=%s, want none", sp.OperationName, classKey, v)
			}
			if _, ok := sp.event(failureEvent); ok {
				t.Errorf("span %q has a %s event, want none", sp.OperationName, failureEvent)
			}
		}
		// and the SDK's HTTP span says the call succeeded.
		if exp.StatusCode != 0 && !tr.hasClientStatus(fmt.Sprint(exp.StatusCode)) {
			t.Errorf("no client span of trace %s has status %d; spans: %s", tr.TraceID, exp.StatusCode, tr.summary())
		}
		// A challenge the client answered is found by its kind.
		if exp.Challenge != "" {
			if !containsTrace(j.findTraces(t, service, map[string]string{challengeKindKey: exp.Challenge}), tr.TraceID) {
				t.Errorf("tag search %s=%s does not find the scenario's trace %s", challengeKindKey, exp.Challenge, tr.TraceID)
			}
			found := false
			for _, sp := range tr.Spans {
				if v, ok := sp.eventValue(challengeEvent, challengeKindKey); ok && v == exp.Challenge {
					found = true
				}
			}
			if !found {
				t.Errorf("no span of trace %s has a %s event with %s=%s; spans: %s", tr.TraceID, challengeEvent, challengeKindKey, exp.Challenge, tr.summary())
			}
		}
		return
	}

	// A user searches for the class, then opens the trace.
	if !containsTrace(j.findTraces(t, service, map[string]string{classKey: class}), tr.TraceID) {
		t.Errorf("tag search %s=%s does not find the scenario's trace %s", classKey, class, tr.TraceID)
	}
	var failures []*jaegerSpan
	for _, sp := range tr.Spans {
		if v, _ := sp.tag(classKey); v == class {
			failures = append(failures, sp)
		}
	}
	if len(failures) == 0 {
		t.Fatalf("no span of trace %s has %s=%s; spans: %s", tr.TraceID, classKey, class, tr.summary())
	}

	// What the user reads on the failure span: every expected attribute on
	// one span.
	want := map[string]string{classKey: class}
	if exp.AADSTS != 0 {
		want[aadstsKey] = fmt.Sprint(exp.AADSTS)
	}
	if exp.ErrorCode != "" {
		want[errorCodeKey] = exp.ErrorCode
	}
	if exp.CorrelationID != "" {
		want[correlationIDKey] = exp.CorrelationID
	}
	if exp.PrincipalID != "" {
		want[principalKey] = exp.PrincipalID
	}
	if exp.StatusCode != 0 {
		want[statusCodeKey] = fmt.Sprint(exp.StatusCode)
	}
	var best *jaegerSpan
	var bestMissing []string
	for _, sp := range failures {
		missing := sp.missing(want)
		if best == nil || len(missing) < len(bestMissing) {
			best, bestMissing = sp, missing
		}
	}
	if len(bestMissing) > 0 {
		t.Errorf("no failure span carries all of %v; closest %q lacks %s; it has %s",
			want, best.OperationName, strings.Join(bestMissing, ", "), best.azauthTags())
	}
	if !tr.descends(best, root) {
		t.Errorf("failure span %q is not a descendant of %q", best.OperationName, root.OperationName)
	}
	// A failure recorded on an SDK operation span: the SDK's HTTP span
	// for the failed request is its child.
	if status, ok := best.eventValue(failureEvent, statusCodeKey); ok && !tr.hasClientChild(best, status) {
		t.Errorf("failure span %q has no client span child with status %s; spans: %s", best.OperationName, status, tr.summary())
	}

	// The values a user is handed (by support, by an error message) find
	// the trace too.
	for _, key := range []string{correlationIDKey, principalKey, aadstsKey, errorCodeKey} {
		if v, ok := want[key]; ok {
			if !containsTrace(j.findTraces(t, service, map[string]string{key: v}), tr.TraceID) {
				t.Errorf("tag search %s=%s does not find the scenario's trace %s", key, v, tr.TraceID)
			}
		}
	}
}

// jaeger is a running Jaeger v2 all-in-one.
type jaeger struct {
	otlpHTTP string // host:port of the OTLP/HTTP receiver
	query    string // host:port of the query API
	log      string // the file Jaeger logs to
}

// jaegerBinary returns the path of the Jaeger executable, built by the Go
// toolchain from the tools-only module in ./jaeger.
func jaegerBinary(t *testing.T) string {
	t.Helper()
	return goToolBinary(t, "jaeger", "jaeger")
}

// startJaeger starts Jaeger on free loopback ports with ./jaeger/config.yaml
// and waits until it reports itself healthy. It stops Jaeger when the test
// ends.
func startJaeger(t *testing.T) *jaeger {
	t.Helper()
	bin := jaegerBinary(t)
	config, err := filepath.Abs(filepath.Join("jaeger", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ports := freePorts(t, 5)
	j := &jaeger{otlpHTTP: ports[0], query: ports[1], log: filepath.Join(t.TempDir(), "jaeger.log")}
	health := ports[4]
	logFile, err := os.Create(j.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	cmd := exec.Command(bin, "--config", config)
	cmd.Env = append(environWithout("OTEL_"),
		"JAEGER_OTLP_HTTP="+j.otlpHTTP,
		"JAEGER_QUERY_HTTP="+j.query,
		"JAEGER_OTLP_GRPC="+ports[2],
		"JAEGER_QUERY_GRPC="+ports[3],
		"JAEGER_HEALTH="+health,
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	srv := startServer(t, "Jaeger", cmd, 10*time.Second, func() { j.dumpLog(t) })
	srv.waitReady(t, 60*time.Second, func() (bool, string) {
		resp, err := http.Get("http://" + health + "/status")
		if err != nil {
			return false, err.Error()
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, fmt.Sprintf("http://%s/status answers %d", health, resp.StatusCode)
	})
	return j
}

func (j *jaeger) dumpLog(t *testing.T) {
	b, err := os.ReadFile(j.log)
	if err != nil {
		t.Logf("Jaeger's log: %v", err)
		return
	}
	t.Logf("Jaeger's log:\n%s", b)
}

// freePorts returns n distinct free loopback addresses.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs
}

// get fetches path from the query API with the query parameters q and
// decodes the JSON answer into v.
func (j *jaeger) get(t *testing.T, path string, q url.Values, v any) {
	t.Helper()
	u := "http://" + j.query + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	status, body, err := httpGet(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, status, body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("GET %s: %v in %s", u, err, body)
	}
}

func httpGet(u string) (status int, body []byte, err error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// findTraces searches the service's traces with Jaeger's search API
// (/api/traces, the one its UI uses), with the tags as the search form's
// "Tags" field.
func (j *jaeger) findTraces(t *testing.T, service string, tags map[string]string) []*jaegerTrace {
	t.Helper()
	q := url.Values{"service": {service}, "limit": {"1000"}}
	if len(tags) > 0 {
		b, err := json.Marshal(tags)
		if err != nil {
			t.Fatal(err)
		}
		q.Set("tags", string(b))
	}
	var res struct {
		Data   []*jaegerTrace
		Errors []struct{ Msg string }
	}
	j.get(t, "/api/traces", q, &res)
	if len(res.Errors) > 0 {
		t.Fatalf("/api/traces?%s: errors %v", q.Encode(), res.Errors)
	}
	for _, tr := range res.Data {
		tr.index()
	}
	return res.Data
}

// waitForTraces waits until Jaeger holds n scenario root spans for the
// service and its span count has stopped growing, or until the span count
// has not changed for two seconds (some spans are missing then, and the
// checks that follow say which), using the API v3 search (query.num_traces
// is its limit).
func (j *jaeger) waitForTraces(t *testing.T, service string, n int) {
	t.Helper()
	const poll = 250 * time.Millisecond
	deadline := time.Now().Add(30 * time.Second)
	lastSpans, same := -1, 0
	for {
		q := url.Values{
			"query.service_name":   {service},
			"query.start_time_min": {time.Now().Add(-time.Hour).Format(time.RFC3339Nano)},
			"query.start_time_max": {time.Now().Add(time.Minute).Format(time.RFC3339Nano)},
			"query.num_traces":     {"1000"},
		}
		u := "http://" + j.query + "/api/v3/traces?" + q.Encode()
		status, body, err := httpGet(u)
		roots, spans := 0, 0
		switch {
		case err != nil:
			t.Fatalf("GET %s: %v", u, err)
		case status == http.StatusNotFound: // no traces yet
		case status != http.StatusOK:
			t.Fatalf("GET %s: %d %s", u, status, body)
		default:
			roots, spans, err = countOTLPSpans(body)
			if err != nil {
				t.Fatalf("GET %s: %v", u, err)
			}
		}
		if spans == lastSpans {
			same++
		} else {
			lastSpans, same = spans, 0
		}
		switch {
		case roots >= n && same >= 1:
			return
		case spans > 0 && same >= int(2*time.Second/poll):
			t.Logf("Jaeger holds %d spans for service %s, with %d scenario root spans of %d", spans, service, roots, n)
			return
		case time.Now().After(deadline):
			t.Errorf("after 30s Jaeger holds %d spans and %d scenario root spans for service %s, want %d root spans", spans, roots, service, n)
			return
		}
		time.Sleep(poll)
	}
}

// countOTLPSpans counts the spans, and the scenario root spans, in an API
// v3 answer (OTLP JSON in "result").
func countOTLPSpans(body []byte) (roots, spans int, err error) {
	var res struct {
		Result struct {
			ResourceSpans []struct {
				ScopeSpans []struct {
					Spans []struct {
						Name         string
						ParentSpanID string `json:"parentSpanId"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return 0, 0, err
	}
	for _, rs := range res.Result.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				spans++
				if sp.ParentSpanID == "" && strings.HasPrefix(sp.Name, rootSpanPrefix) {
					roots++
				}
			}
		}
	}
	if spans == 0 {
		return 0, 0, errors.New("no spans in the answer")
	}
	return roots, spans, nil
}

// jaegerTrace is a trace as Jaeger's /api/traces returns it.
type jaegerTrace struct {
	TraceID string `json:"traceID"`
	Spans   []*jaegerSpan
	byID    map[string]*jaegerSpan
}

type jaegerSpan struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	StartTime     int64  `json:"startTime"` // µs since the epoch
	References    []struct {
		RefType string `json:"refType"`
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	}
	Tags []jaegerKV
	Logs []struct{ Fields []jaegerKV }
}

type jaegerKV struct {
	Key   string
	Value any
}

func (kv jaegerKV) String() string { return fmt.Sprint(kv.Value) }

func (tr *jaegerTrace) index() {
	tr.byID = make(map[string]*jaegerSpan, len(tr.Spans))
	for _, sp := range tr.Spans {
		tr.byID[sp.SpanID] = sp
	}
}

// parentID returns the span's parent in the same trace, "" for a root.
func (sp *jaegerSpan) parentID() string {
	for _, r := range sp.References {
		if r.RefType == "CHILD_OF" && r.TraceID == sp.TraceID {
			return r.SpanID
		}
	}
	return ""
}

func (tr *jaegerTrace) rootNames() []string {
	var names []string
	for _, sp := range tr.Spans {
		if sp.parentID() == "" {
			names = append(names, sp.OperationName)
		}
	}
	return names
}

// checkStructure checks that the trace is one tree under the root span
// "scenario <name>", of kind internal with the scenario attribute, and
// returns the root (nil after a failure that leaves no root to check
// against).
func (tr *jaegerTrace) checkStructure(t *testing.T, name string) *jaegerSpan {
	t.Helper()
	var roots []*jaegerSpan
	for _, sp := range tr.Spans {
		p := sp.parentID()
		if p == "" {
			roots = append(roots, sp)
			continue
		}
		if tr.byID[p] == nil {
			t.Errorf("span %q (%s) has parent %s, which is not in trace %s", sp.OperationName, sp.SpanID, p, tr.TraceID)
		}
	}
	if len(roots) != 1 {
		t.Errorf("trace %s has %d root spans, want 1: %s", tr.TraceID, len(roots), tr.summary())
		return nil
	}
	root := roots[0]
	if want := rootSpanPrefix + name; root.OperationName != want {
		t.Errorf("root span is %q, want %q", root.OperationName, want)
	}
	if kind, _ := root.tag("span.kind"); kind != "internal" {
		t.Errorf("root span %q has span.kind %q, want internal", root.OperationName, kind)
	}
	if v, _ := root.tag(scenarioKey); v != name {
		t.Errorf("root span %q has %s=%q, want %q", root.OperationName, scenarioKey, v, name)
	}
	for _, sp := range tr.Spans {
		if !tr.descends(sp, root) {
			t.Errorf("span %q (%s) is not a descendant of the root span", sp.OperationName, sp.SpanID)
		}
	}
	if len(tr.Spans) < 2 {
		t.Errorf("trace %s has only %s", tr.TraceID, tr.summary())
	}
	return root
}

// descends reports whether sp is anc or one of its descendants.
func (tr *jaegerTrace) descends(sp, anc *jaegerSpan) bool {
	for range len(tr.Spans) + 1 { // a cycle ends the walk
		if sp == nil {
			return false
		}
		if sp == anc {
			return true
		}
		sp = tr.byID[sp.parentID()]
	}
	return false
}

// summary lists the trace's spans as "name (parent name)".
func (tr *jaegerTrace) summary() string {
	var parts []string
	for _, sp := range tr.Spans {
		parent := "root"
		if p := tr.byID[sp.parentID()]; p != nil {
			parent = "under " + p.OperationName
		}
		parts = append(parts, fmt.Sprintf("%q (%s)", sp.OperationName, parent))
	}
	return strings.Join(parts, ", ")
}

// hasClientStatus reports whether a client span of the trace has the HTTP
// status code.
func (tr *jaegerTrace) hasClientStatus(code string) bool {
	return slices.ContainsFunc(tr.Spans, func(sp *jaegerSpan) bool { return sp.isClientWithStatus(code) })
}

// hasClientChild reports whether a child of parent is a client span with
// the HTTP status code.
func (tr *jaegerTrace) hasClientChild(parent *jaegerSpan, code string) bool {
	return slices.ContainsFunc(tr.Spans, func(sp *jaegerSpan) bool {
		return sp.parentID() == parent.SpanID && sp.isClientWithStatus(code)
	})
}

// isClientWithStatus reports whether sp is a client span with the HTTP
// status code (in either of the semantic conventions' keys).
func (sp *jaegerSpan) isClientWithStatus(code string) bool {
	if kind, _ := sp.tag("span.kind"); kind != "client" {
		return false
	}
	for _, k := range []string{statusCodeKey, oldStatusCodeKey} {
		if v, ok := sp.tag(k); ok && v == code {
			return true
		}
	}
	return false
}

func containsTrace(traces []*jaegerTrace, id string) bool {
	return slices.ContainsFunc(traces, func(tr *jaegerTrace) bool { return tr.TraceID == id })
}

// tag returns the value of the span's attribute key.
func (sp *jaegerSpan) tag(key string) (string, bool) {
	for _, kv := range sp.Tags {
		if kv.Key == key {
			return kv.String(), true
		}
	}
	return "", false
}

// event returns the fields of the span's last event named name.
func (sp *jaegerSpan) event(name string) ([]jaegerKV, bool) {
	for _, l := range slices.Backward(sp.Logs) {
		for _, f := range l.Fields {
			if f.Key == "event" && f.String() == name {
				return l.Fields, true
			}
		}
	}
	return nil, false
}

// eventValue returns the attribute key of the span's last event named name.
func (sp *jaegerSpan) eventValue(name, key string) (string, bool) {
	fields, _ := sp.event(name)
	for _, f := range fields {
		if f.Key == key {
			return f.String(), true
		}
	}
	return "", false
}

// value returns the span's attribute key or, failing that, the attribute of
// its last azauth.failure event (the span's attributes describe the last
// failure too).
func (sp *jaegerSpan) value(key string) (string, bool) {
	if v, ok := sp.tag(key); ok {
		return v, true
	}
	return sp.eventValue(failureEvent, key)
}

// missing lists the "key=value" pairs of want that the span lacks or has
// with another value. The failure's attributes must be the span's own (its
// Tags in Jaeger's UI); only the HTTP status may instead be on its
// azauth.failure event, as the policy records it on an SDK operation span.
func (sp *jaegerSpan) missing(want map[string]string) []string {
	var miss []string
	for k, v := range want {
		got, ok := sp.tag(k)
		if !ok && k == statusCodeKey {
			got, ok = sp.value(k)
		}
		if !ok || got != v {
			miss = append(miss, k+"="+v)
		}
	}
	slices.Sort(miss)
	return miss
}

// azauthTags lists the span's failure attributes, for failure messages.
func (sp *jaegerSpan) azauthTags() string {
	var parts []string
	for _, kv := range sp.Tags {
		if strings.HasPrefix(kv.Key, "azauth.") || kv.Key == statusCodeKey {
			parts = append(parts, kv.Key+"="+kv.String())
		}
	}
	if fields, ok := sp.event(failureEvent); ok {
		for _, f := range fields {
			parts = append(parts, failureEvent+" event: "+f.Key+"="+f.String())
		}
	}
	return strings.Join(parts, ", ")
}
