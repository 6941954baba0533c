package policy_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/internal/fakeservice"
	"github.com/azauthtrace/azauthtrace/policy"
)

// canary is put in every place a secret can hide in a request; it must
// never reach telemetry.
const canary = "canary"

// Claims of the test principal.
const (
	tenantID = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	objectID = "00000000-0000-0000-0000-00000000000b"
	appID    = "00001111-aaaa-2222-bbbb-3333cccc4444"
	upn      = "someone@contoso.com"
)

// jwt returns header.payload.signature with claims as the payload.
func jwt(t testing.TB, claims map[string]any, signature string) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT","kid":"`+canary+`"}`)) + "." +
		enc.EncodeToString(b) + "." + enc.EncodeToString([]byte(signature))
}

// testToken is an access token for the test principal, with the canary in
// its header, in a claim the policy does not read and in its signature.
func testToken(t testing.TB, extra map[string]any) string {
	claims := map[string]any{
		"aud": "https://management.azure.com", "tid": tenantID, "oid": objectID,
		"appid": appID, "idtyp": "user", "upn": upn, "xms_canary": canary,
	}
	for k, v := range extra {
		claims[k] = v
	}
	return jwt(t, claims, canary+"-signature")
}

// fakeCredential is a TokenCredential whose GetToken calls getToken.
type fakeCredential struct {
	getToken func(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error)
}

func (f *fakeCredential) GetToken(ctx context.Context, opts azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f.getToken(ctx, opts)
}

// tokenCredential returns the test token; a token requested with claims
// also carries the xms_cc claim the fake services accept.
func tokenCredential(t testing.TB) *fakeCredential {
	plain := testToken(t, nil)
	withClaims := testToken(t, map[string]any{"xms_cc": []string{"cp1"}})
	return &fakeCredential{getToken: func(_ context.Context, opts azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
		tk := plain
		if opts.Claims != "" {
			tk = withClaims
		}
		return azcore.AccessToken{Token: tk, ExpiresOn: time.Now().Add(time.Hour)}, nil
	}}
}

// telemetry is an SDK tracer provider recording every span and a meter
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

func (tel *telemetry) policy(names bool) *policy.Policy {
	return policy.New(&policy.Options{TracerProvider: tel.tp, MeterProvider: tel.mp, RecordPrincipalNames: names})
}

// pipelineOptions configures newPipeline.
type pipelineOptions struct {
	policies  []azpolicy.Policy // per-retry policies after the bearer token policy
	transport azpolicy.Transporter
	cred      azcore.TokenCredential
	retry     azpolicy.RetryOptions
}

// newPipeline returns a pipeline as an SDK client builds it: the bearer
// token policy in PipelineOptions.PerRetry, the policies under test in
// ClientOptions.PerRetryPolicies.
func newPipeline(o pipelineOptions) runtime.Pipeline {
	if o.retry.MaxRetries == 0 {
		o.retry.MaxRetries = -1
	}
	var perRetry []azpolicy.Policy
	if o.cred != nil {
		perRetry = append(perRetry, runtime.NewBearerTokenPolicy(o.cred, []string{"https://management.azure.com/.default"}, nil))
	}
	return runtime.NewPipeline("test", "v0.0.0",
		runtime.PipelineOptions{PerRetry: perRetry},
		&azpolicy.ClientOptions{
			PerRetryPolicies: o.policies,
			Transport:        o.transport,
			Retry:            o.retry,
		})
}

// send sends a GET to url through pl.
func send(ctx context.Context, t testing.TB, pl runtime.Pipeline, url string, opts ...func(*azpolicy.Request)) (*http.Response, error) {
	t.Helper()
	req, err := runtime.NewRequest(ctx, http.MethodGet, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(req)
	}
	return pl.Do(req)
}

// attrs returns a span's or event's attributes as a map.
func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// checkAttrs reports the attributes in got that differ from want; a want
// value of nil means the key must be absent.
func checkAttrs(t *testing.T, what string, got map[attribute.Key]attribute.Value, want map[attribute.Key]any) {
	t.Helper()
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
			t.Errorf("%s: %s = %v, want it absent", what, k, v.Emit())
		case w == nil:
		case !ok:
			t.Errorf("%s: %s missing, want %v", what, k, w)
		case v.AsInterface() != w:
			t.Errorf("%s: %s = %#v, want %#v", what, k, v.AsInterface(), w)
		}
	}
}

// spansNamed returns the ended spans with the given name.
func spansNamed(rec *tracetest.SpanRecorder, name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// spanNames lists the ended spans' names, for failure messages.
func spanNames(rec *tracetest.SpanRecorder) string {
	var names []string
	for _, s := range rec.Ended() {
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}

// armRoutes serves the ARM, Storage, Key Vault and Graph failures the
// tests use.
func fakeServices() *fakeservice.Server {
	return fakeservice.Start(
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/subscriptions/{sub}/resourcegroups", Response: fakeservice.Case("arm_403_authorization_failed")},
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/subscriptions/{sub}/providers", Response: fakeservice.Case("arm_401_expired_authentication_token")},
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/subscriptions/{sub}", Response: fakeservice.OK(`{"id":"/subscriptions/s"}`)},
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/missing", Response: fakeservice.Response{Status: http.StatusNotFound, Body: `{"error":{"code":"ResourceNotFound","message":"not found"}}`}},
		fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/{container}/{blob}", Response: fakeservice.Case("storage_403_authorization_permission_mismatch")},
		fakeservice.Route{Pattern: "GET " + fakeservice.KeyVaultHost + "/secrets/{name}", Response: fakeservice.Case("keyvault_403_forbidden_by_rbac")},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.GraphHost + "/v1.0/me",
			Response: fakeservice.Case("graph_401_cae_insufficient_claims_location"),
			Accept:   fakeservice.HasClaim("xms_cc"),
		},
	)
}

// stringsReader returns a reader of s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }
