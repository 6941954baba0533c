package e2e_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"go.opentelemetry.io/otel/attribute"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/example/otelenv"
	"github.com/azauthtrace/azauthtrace/example/scenario"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// The Azure Monitor path: the example exports OTLP to a real OpenTelemetry
// Collector (the module in otelcol/, with the azure_monitor exporter),
// configured by otelcol/azuremonitor.yaml, the file users run it with. Its
// connection string points at a local Application Insights ingestion
// endpoint, whose envelopes are what users query in Azure Monitor:
// dependencies (RemoteDependencyData), requests (RequestData) and traces
// (MessageData), with the span attributes in customDimensions (properties).

// TestAzureMonitor runs every scenario of the example, exporting OTLP to
// the collector, and checks the Application Insights envelopes the way a
// user's query sees them: each failure is a dependency with success false
// and the library's attributes as customDimensions with their exact
// values; the token requests are dependencies of the operation they belong
// to; a chain's attempts and the policy's failure events are traces
// (MessageData) under the span that recorded them.
func TestAzureMonitor(t *testing.T) {
	in := startIngestion(t)
	otlp := startCollector(t, in.connectionString())
	runExample(t,
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://"+otlp,
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf")

	scenarios := scenario.All()
	envs, problems := waitForEnvelopes(in, func(envs []*envelope) []string {
		var missing []string
		for _, s := range scenarios {
			missing = append(missing, checkAIScenario(s, envs)...)
		}
		return append(missing, checkAIAll(envs)...)
	})
	for _, p := range problems {
		t.Error(p)
	}
	if t.Failed() {
		t.Logf("%d envelopes received:\n%s", len(envs), dumpEnvelopes(envs))
	}
}

// TestAzureMonitorPolicySpan checks the other shape of a service failure:
// without azcore's HTTP tracing, the policy's own client span is the
// failure, and the exporter makes it an HTTP dependency whose resultCode
// is the status, whose target is the host and whose data is the sanitized
// URL.
func TestAzureMonitorPolicySpan(t *testing.T) {
	in := startIngestion(t)
	otlp := startCollector(t, in.connectionString())
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+otlp)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	providers, err := otelenv.Setup(t.Context(), otelenv.WithServiceName("azauthtrace-e2e"))
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeStorage()
	defer srv.Close()
	tel := &oteltest.Telemetry{TracerProvider: providers.TracerProvider, MeterProvider: providers.MeterProvider}
	client := newBlobClient(t, srv, tel, true, false)
	ctx, root := providers.TracerProvider.Tracer("e2e").Start(t.Context(), "download the report")
	_, err = client.DownloadStream(ctx, "container", "blob", nil)
	root.End()
	if !bloberror.HasCode(err, bloberror.AuthorizationPermissionMismatch) {
		t.Fatalf("error %v, want AuthorizationPermissionMismatch", err)
	}
	if err := providers.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}

	rootID := root.SpanContext().SpanID().String()
	c := corpus.MustGet("storage_403_authorization_permission_mismatch")
	want := map[string]string{
		string(otelx.ClassKey):             "permission",
		string(otelx.ErrorCodeKey):         "AuthorizationPermissionMismatch",
		string(otelx.CorrelationIDKey):     *c.Expected.CorrelationID,
		string(otelx.PrincipalObjectIDKey): objectID,
		string(otelx.HTTPStatusCodeKey):    "403",
	}
	url := "https://" + fakeservice.StorageHost + "/container/blob"
	var failure *envelope
	envs, problems := waitForEnvelopes(in, func(envs []*envelope) []string {
		var missing []string
		failure = nil
		var token bool
		for _, e := range envs {
			if e.isSpan() && e.prop(string(otelx.ClassKey)) != "" {
				failure = e
			}
			if e.isSpan() && e.name() == "FakeCredential.GetToken" && e.parentID() == rootID {
				token = true
			}
			if strings.Contains(e.raw, canary) {
				missing = append(missing, "canary in "+e.raw)
			}
		}
		if !token {
			missing = append(missing, "no FakeCredential.GetToken dependency under the caller's span")
		}
		if failure == nil {
			return append(missing, "no dependency with customDimensions[\"azauth.class\"]")
		}
		d := failure.Data.BaseData
		if failure.baseType() != aiDependency || d.Type != "HTTP" || d.ResultCode != "403" ||
			d.Success == nil || *d.Success || d.Target != fakeservice.StorageHost || d.Data != url ||
			failure.parentID() != rootID {
			missing = append(missing, fmt.Sprintf("%s: want an HTTP dependency, resultCode 403, success false, target %s, data %s, parent %s",
				failure, fakeservice.StorageHost, url, rootID))
		}
		for k, v := range want {
			if failure.prop(k) != v {
				missing = append(missing, fmt.Sprintf("%s: customDimensions[%q] = %q, want %q", failure, k, failure.prop(k), v))
			}
		}
		return missing
	})
	for _, p := range problems {
		t.Error(p)
	}
	if t.Failed() {
		t.Logf("%d envelopes received:\n%s", len(envs), dumpEnvelopes(envs))
	} else {
		t.Logf("the failure's dependency: %s", failure)
	}
}

// The exporter's resultCode of a span that is not an HTTP dependency: the
// span status code, Error.
const aiStatusError = "2"

// checkAIScenario returns what is missing or wrong in the envelopes of
// scenario s.
func checkAIScenario(s scenario.Scenario, envs []*envelope) []string {
	var out []string
	fail := func(format string, args ...any) {
		out = append(out, s.Name+": "+fmt.Sprintf(format, args...))
	}

	// The scenario's root span, found as a user finds it by its
	// attribute, and every envelope of its operation.
	var root *envelope
	for _, e := range envs {
		if e.isSpan() && e.prop(string(scenario.ScenarioKey)) == s.Name {
			root = e
		}
	}
	if root == nil {
		fail("no dependency or request with customDimensions[%q] == %q", scenario.ScenarioKey, s.Name)
		return out
	}
	if root.name() != scenario.SpanName(s.Name) || root.parentID() != "" {
		fail("root %s: want name %q and no parent", root, scenario.SpanName(s.Name))
	}
	var op []*envelope
	spans := map[string]*envelope{} // by id
	for _, e := range envs {
		if e.operationID() == root.operationID() {
			op = append(op, e)
			if e.isSpan() {
				spans[e.id()] = e
			}
		}
	}

	// Every envelope hangs from a span of the operation, up to the root.
	for _, e := range op {
		if e == root {
			continue
		}
		seen := map[*envelope]bool{}
		for p := e; p != root; {
			parent, ok := spans[p.parentID()]
			if !ok || seen[parent] {
				fail("%s: ai.operation.parentId %q is not a span of the operation that leads to the root", e, p.parentID())
				break
			}
			seen[parent] = true
			p = parent
		}
	}

	// The token requests: dependencies named after the credential, under
	// the SDK operation, with the scopes as a string.
	want := s.Expect.Credential + ".GetToken"
	var tokens []*envelope
	for _, e := range op {
		if e.isSpan() && e.name() == want {
			tokens = append(tokens, e)
		}
	}
	if len(tokens) == 0 {
		fail("no dependency named %q", want)
	}
	for _, tok := range tokens {
		if got := tok.prop(string(otelx.CredentialTypeKey)); got != s.Expect.Credential {
			fail("%s: %s = %q, want %q", tok, otelx.CredentialTypeKey, got, s.Expect.Credential)
		}
		if !strings.HasSuffix(tok.prop(string(otelx.TokenScopesKey)), "/.default") {
			fail("%s: %s missing or not a scope", tok, otelx.TokenScopesKey)
		}
		if parent := spans[tok.parentID()]; parent == nil || parent == root {
			fail("%s: not a child of the SDK operation's span", tok)
		}
	}

	if s.Expect.Class == "" {
		var challenges []*envelope
		for _, e := range op {
			if c := e.prop(string(otelx.ClassKey)); c != "" {
				fail("%s: a failure (%s) where the call succeeded", e, c)
			}
			if e.baseType() == aiMessage && e.Data.BaseData.Message == otelx.ChallengeEvent {
				challenges = append(challenges, e)
			}
			// azcore's own span of the try that got the challenge (HTTP
			// tracing through azotel) has the status Error it gives every
			// 4xx: that span is the SDK's, not the library's.
			sdkTry := s.Expect.Challenge != "" && e.prop("http.status_code") == "401" && e.prop("az.namespace") != ""
			if e.isSpan() && !sdkTry && (e.Data.BaseData.Success == nil || !*e.Data.BaseData.Success) {
				fail("%s: success is not true", e)
			}
		}
		// An answered challenge: one azauth.challenge trace, under a
		// dependency that succeeded.
		switch {
		case s.Expect.Challenge == "" && len(challenges) > 0:
			fail("%s: a challenge where there was none", challenges[0])
		case s.Expect.Challenge != "" && len(challenges) != 1:
			fail("%d traces %q, want 1", len(challenges), otelx.ChallengeEvent)
		case s.Expect.Challenge != "":
			c := challenges[0]
			if got := c.prop(string(otelx.ChallengeKindKey)); got != s.Expect.Challenge {
				fail("%s: customDimensions[%q] = %q, want %q", c, otelx.ChallengeKindKey, got, s.Expect.Challenge)
			}
			if got := c.prop(string(otelx.HTTPStatusCodeKey)); got != "401" {
				fail("%s: customDimensions[%q] = %q, want 401", c, otelx.HTTPStatusCodeKey, got)
			}
			if parent := spans[c.parentID()]; parent == nil || parent == root {
				fail("%s: not under the SDK operation's dependency", c)
			}
		}
		return out
	}

	// The failure: a dependency with its class.
	// Exactly one, so that counting dependencies counts failures.
	var failure *envelope
	for _, e := range op {
		if e.isSpan() && e.prop(string(otelx.ClassKey)) != "" {
			if failure != nil {
				fail("two dependencies with customDimensions[%q]: %s and %s", otelx.ClassKey, failure, e)
			}
			failure = e
		}
	}
	if failure == nil {
		fail("no dependency with customDimensions[%q] == %q", otelx.ClassKey, s.Expect.Class)
		return out
	}
	if b := failure.Data.BaseData.Success; b == nil || *b {
		fail("%s: success is not false", failure)
	}
	if b := root.Data.BaseData.Success; b == nil || *b {
		fail("%s: the root's success is not false", root)
	}
	wantCode := aiStatusError
	if failure.Data.BaseData.Type == "HTTP" {
		wantCode = fmt.Sprint(s.Expect.StatusCode)
	}
	if failure.resultCode() != wantCode {
		fail("%s: resultCode %q, want %q", failure, failure.resultCode(), wantCode)
	}
	exact := func(e *envelope, key attribute.Key, want string) {
		if want != "" && e.prop(string(key)) != want {
			fail("%s: customDimensions[%q] = %q, want %q", e, key, e.prop(string(key)), want)
		}
	}
	aadsts := ""
	if s.Expect.AADSTS != 0 {
		aadsts = fmt.Sprint(s.Expect.AADSTS)
	}
	diagnosis := func(e *envelope) {
		exact(e, otelx.ClassKey, string(s.Expect.Class))
		exact(e, otelx.AADSTSKey, aadsts)
		exact(e, otelx.ErrorCodeKey, s.Expect.ErrorCode)
		exact(e, otelx.CorrelationIDKey, s.Expect.CorrelationID)
		exact(e, otelx.PrincipalObjectIDKey, s.Expect.PrincipalID)
		for _, k := range []attribute.Key{otelx.MitigationKey, otelx.TroubleshootingURLKey, otelx.SourceKey} {
			if e.prop(string(k)) == "" {
				fail("%s: no customDimensions[%q]", e, k)
			}
		}
	}
	diagnosis(failure)
	// The code column of docs/azure-monitor.md's "failures by class and code".
	wantKQLCode := fmt.Sprint(s.Expect.StatusCode)
	switch {
	case s.Expect.AADSTS != 0:
		wantKQLCode = "AADSTS" + aadsts
	case s.Expect.ErrorCode != "":
		wantKQLCode = s.Expect.ErrorCode
	case s.Expect.StatusCode == 0:
		wantKQLCode = ""
	}
	if got := kqlFailureCode(failure); got != wantKQLCode {
		fail("%s: docs/azure-monitor.md's query gives the code %q, want %q", failure, got, wantKQLCode)
	}
	if s.Name == "arm-authorization-failed" {
		exact(failure, otelx.DeniedActionKey, "Microsoft.Storage/storageAccounts/write")
		if !strings.HasSuffix(failure.prop(string(otelx.DeniedScopeKey)), "/storageAccounts/clusterixgbq") {
			fail("%s: customDimensions[%q] is not the storage account", failure, otelx.DeniedScopeKey)
		}
	}

	// The policy's azauth.failure event, a trace under the operation's
	// dependency, carries the request and its status; a credential's
	// failure has the status on the GetToken dependency itself.
	status := failure.prop(string(otelx.HTTPStatusCodeKey))
	for _, e := range op {
		if e.baseType() == aiMessage && e.Data.BaseData.Message == otelx.FailureEvent {
			if e.parentID() != failure.id() {
				fail("%s: ai.operation.parentId is not the failure's dependency %s", e, failure.id())
			}
			diagnosis(e)
			status = e.prop(string(otelx.HTTPStatusCodeKey))
		}
	}
	if s.Expect.StatusCode != 0 && status != fmt.Sprint(s.Expect.StatusCode) {
		fail("HTTP status %q in customDimensions[%q], want %d", status, otelx.HTTPStatusCodeKey, s.Expect.StatusCode)
	}

	// A credential chain's attempts: traces under its token request.
	if s.Name == "default-credential-chain" {
		var cli bool
		for _, e := range op {
			if e.baseType() != aiMessage || e.Data.BaseData.Message != otelx.ChainAttemptEvent {
				continue
			}
			if tok := spans[e.parentID()]; tok == nil || tok.name() != want {
				fail("%s: ai.operation.parentId is not the %s dependency", e, want)
			}
			if e.prop(string(otelx.CredentialTypeKey)) == "" || e.prop(string(otelx.ClassKey)) == "" || e.prop(string(otelx.DescriptionKey)) == "" {
				fail("%s: credential type, class or description missing", e)
			}
			if e.prop(string(otelx.CredentialTypeKey)) == "AzureCLICredential" &&
				e.prop(string(otelx.ClassKey)) == string(azauthtrace.ClassCredentialUnavailable) {
				cli = true
			}
		}
		if !cli {
			fail("no %s trace for AzureCLICredential, credential_unavailable", otelx.ChainAttemptEvent)
		}
	}
	return out
}

// kqlFailureCode computes, from a dependency, the code column of the
// docs/azure-monitor.md's query "failures by class and code":
//
//	case(isnotempty(tostring(customDimensions["azauth.aadsts"])), strcat("AADSTS", tostring(customDimensions["azauth.aadsts"])),
//	     isnotempty(tostring(customDimensions["azauth.error_code"])), tostring(customDimensions["azauth.error_code"]),
//	     tostring(customDimensions["http.response.status_code"]))
func kqlFailureCode(e *envelope) string {
	switch {
	case e.prop(string(otelx.AADSTSKey)) != "":
		return "AADSTS" + e.prop(string(otelx.AADSTSKey))
	case e.prop(string(otelx.ErrorCodeKey)) != "":
		return e.prop(string(otelx.ErrorCodeKey))
	}
	return e.prop(string(otelx.HTTPStatusCodeKey))
}

// checkAIAll returns what is wrong across all envelopes: a secret or
// a token in any of them, or a missing failure metric.
func checkAIAll(envs []*envelope) []string {
	var out []string
	failures := false
	for _, e := range envs {
		for _, canary := range []string{scenario.Secret, scenario.TokenCanary} {
			if strings.Contains(e.raw, canary) {
				out = append(out, fmt.Sprintf("canary %q in %s", canary, e.raw))
			}
		}
		if e.baseType() == aiMetric {
			for _, m := range e.Data.BaseData.Metrics {
				if m.Name == otelx.FailuresMetric && e.prop(string(otelx.ClassKey)) == string(azauthtrace.ClassPermission) &&
					e.prop(string(otelx.HTTPStatusCodeKey)) == "403" {
					failures = true
				}
			}
		}
	}
	if !failures {
		out = append(out, fmt.Sprintf("no customMetrics %s with class permission and status 403", otelx.FailuresMetric))
	}
	return out
}

// collectorConfig is the configuration users run the collector with.
const collectorConfig = "otelcol/azuremonitor.yaml"

// instrumentationKey is the fake Application Insights resource's key.
const instrumentationKey = "00000000-0000-4000-8000-0000000a2e11"

// envelope is an Application Insights telemetry item as the ingestion
// endpoint receives it.
type envelope struct {
	Name string            `json:"name"`
	Time string            `json:"time"`
	IKey string            `json:"iKey"`
	Tags map[string]string `json:"tags"`
	Data struct {
		BaseType string     `json:"baseType"`
		BaseData aiBaseData `json:"baseData"`
	} `json:"data"`

	raw string // the envelope as received
}

// aiBaseData holds the fields of RemoteDependencyData, RequestData and
// MessageData.
type aiBaseData struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	ResultCode   string            `json:"resultCode"`   // RemoteDependencyData
	ResponseCode string            `json:"responseCode"` // RequestData
	Success      *bool             `json:"success"`
	Type         string            `json:"type"`
	Target       string            `json:"target"`
	Data         string            `json:"data"`
	URL          string            `json:"url"`
	Message      string            `json:"message"`
	Properties   map[string]string `json:"properties"`
	Metrics      []struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
	} `json:"metrics"` // MetricData
}

// Envelope base types.
const (
	aiDependency = "RemoteDependencyData"
	aiRequest    = "RequestData"
	aiMessage    = "MessageData"
	aiMetric     = "MetricData"
)

func (e *envelope) baseType() string { return e.Data.BaseType }
func (e *envelope) id() string       { return e.Data.BaseData.ID }
func (e *envelope) name() string     { return e.Data.BaseData.Name }
func (e *envelope) operationID() string {
	return e.Tags["ai.operation.id"]
}
func (e *envelope) parentID() string { return e.Tags["ai.operation.parentId"] }
func (e *envelope) prop(key string) string {
	return e.Data.BaseData.Properties[key]
}

// isSpan reports whether e is the envelope of a span, as opposed to one of
// a span event.
func (e *envelope) isSpan() bool {
	return e.baseType() == aiDependency || e.baseType() == aiRequest
}

// resultCode is what KQL calls resultCode in both dependencies and
// requests.
func (e *envelope) resultCode() string {
	if e.baseType() == aiRequest {
		return e.Data.BaseData.ResponseCode
	}
	return e.Data.BaseData.ResultCode
}

func (e *envelope) String() string {
	b, _ := json.Marshal(struct {
		Tags map[string]string `json:"tags"`
		Type string            `json:"baseType"`
		Data aiBaseData        `json:"baseData"`
	}{e.Tags, e.baseType(), e.Data.BaseData})
	return string(b)
}

// ingestion is a local Application Insights ingestion endpoint: it accepts
// POST /v2.1/track with gzip-compressed newline-delimited JSON envelopes.
type ingestion struct {
	srv *httptest.Server

	mu        sync.Mutex
	envelopes []*envelope
	problems  []string
}

func startIngestion(t *testing.T) *ingestion {
	t.Helper()
	in := &ingestion{}
	in.srv = httptest.NewServer(http.HandlerFunc(in.track))
	t.Cleanup(in.srv.Close)
	return in
}

// connectionString points the azure_monitor exporter at the endpoint; the
// exporter appends /v2.1/track itself.
func (in *ingestion) connectionString() string {
	return "InstrumentationKey=" + instrumentationKey + ";IngestionEndpoint=" + in.srv.URL + "/"
}

func (in *ingestion) track(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v2.1/track" {
		in.problem("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			in.problem("gzip: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer gz.Close()
		body = gz
	}
	var batch []*envelope
	lines := bufio.NewScanner(body)
	lines.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for lines.Scan() {
		line := bytes.TrimSpace(lines.Bytes())
		if len(line) == 0 {
			continue
		}
		e := &envelope{raw: string(line)}
		if err := json.Unmarshal(line, e); err != nil {
			in.problem("envelope %s: %v", line, err)
			continue
		}
		batch = append(batch, e)
	}
	if err := lines.Err(); err != nil {
		in.problem("reading envelopes: %v", err)
	}
	in.mu.Lock()
	in.envelopes = append(in.envelopes, batch...)
	in.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"itemsReceived":%d,"itemsAccepted":%[1]d,"errors":[]}`, len(batch))
}

func (in *ingestion) problem(format string, args ...any) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.problems = append(in.problems, fmt.Sprintf(format, args...))
}

// received returns the envelopes received so far and the problems met.
func (in *ingestion) received() ([]*envelope, []string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]*envelope(nil), in.envelopes...), append([]string(nil), in.problems...)
}

var collectorBuild struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// buildCollector builds the collector in otelcol/ once per test binary and
// returns the path of the executable.
func buildCollector(t *testing.T) string {
	t.Helper()
	dir := buildDir(t)
	collectorBuild.once.Do(func() {
		path := filepath.Join(dir, "otelcol")
		cmd := goCommand(context.Background(), "otelcol", "build", "-o", path, ".")
		collectorBuild.out, collectorBuild.err = cmd.CombinedOutput()
		collectorBuild.path = path
	})
	if collectorBuild.err != nil {
		t.Fatalf("go build ./otelcol: %v\n%s", collectorBuild.err, collectorBuild.out)
	}
	return collectorBuild.path
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeLoopbackAddr returns a loopback TCP address that was free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startCollector runs the collector with the users' configuration, sending
// to connectionString, and returns the address of its OTLP/HTTP receiver
// once it accepts connections. The collector is stopped with SIGTERM when
// the test ends, and its output logged if the test failed.
func startCollector(t *testing.T, connectionString string) (otlpHTTP string) {
	t.Helper()
	// The exporter reads APPLICATIONINSIGHTS_CONNECTION_STRING itself and
	// prefers it to the configuration: never inherit one.
	return runCollector(t, collectorConfig, "APPLICATIONINSIGHTS_",
		"APPLICATIONINSIGHTS_CONNECTION_STRING="+connectionString)
}

// runCollector runs the collector with the configuration file config (in
// e2e), with OTLP_HTTP_ENDPOINT and OTLP_GRPC_ENDPOINT free loopback
// addresses, env added to the test's environment less the variables whose
// names start with drop, and returns the address of its OTLP/HTTP receiver
// once it accepts connections. The collector is stopped with SIGTERM when
// the test ends, and its output logged if the test failed.
func runCollector(t *testing.T, config, drop string, env ...string) (otlpHTTP string) {
	t.Helper()
	path := buildCollector(t)
	config, err := filepath.Abs(config)
	if err != nil {
		t.Fatal(err)
	}
	otlpHTTP, otlpGRPC := freeLoopbackAddr(t), freeLoopbackAddr(t)
	cmd := exec.Command(path, "--config", config)
	cmd.Env = append(environWithout(drop), env...)
	cmd.Env = append(cmd.Env,
		"OTLP_HTTP_ENDPOINT="+otlpHTTP,
		"OTLP_GRPC_ENDPOINT="+otlpGRPC,
	)
	out := new(lockedBuffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("collector output:\n%s", out)
		}
	})

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", otlpHTTP, time.Second)
		if err == nil {
			conn.Close()
			return otlpHTTP
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("collector exited: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("collector's OTLP receiver not listening on %s after 60 s", otlpHTTP)
		}
	}
}

// waitFor polls the ingestion endpoint until check finds nothing missing in
// what it received, or 60 seconds have passed, and returns the envelopes and
// what check still finds missing. The exporter batches envelopes for up to
// ten seconds and never tells the pipeline what it delivered.
func waitForEnvelopes(in *ingestion, check func([]*envelope) []string) ([]*envelope, []string) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		envs, problems := in.received()
		missing := append(problems, check(envs)...)
		if len(missing) == 0 || time.Now().After(deadline) {
			return envs, missing
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// dumpEnvelopes formats envelopes for a failure message, sorted by time.
func dumpEnvelopes(envs []*envelope) string {
	envs = append([]*envelope(nil), envs...)
	sort.SliceStable(envs, func(i, j int) bool { return envs[i].Time < envs[j].Time })
	var b strings.Builder
	for _, e := range envs {
		b.WriteString("  ")
		b.WriteString(e.String())
		b.WriteString("\n")
	}
	return b.String()
}
