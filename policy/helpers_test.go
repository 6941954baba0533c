package policy_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
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

// testToken is an access token for the test principal, with the canary in
// its header, in a claim the policy does not read and in its signature.
func testToken(extra map[string]any) string {
	claims := map[string]any{
		"aud": "https://management.azure.com", "tid": tenantID, "oid": objectID,
		"appid": appID, "idtyp": "user", "upn": upn, "xms_canary": canary,
	}
	for k, v := range extra {
		claims[k] = v
	}
	return oteltest.JWT(canary, claims, canary+"-signature")
}

// tokenCredential returns the test token; a token requested with claims
// also carries the xms_cc claim the fake services accept.
func tokenCredential() oteltest.FakeCredential {
	return oteltest.Issuing(testToken(nil), testToken(map[string]any{"xms_cc": []string{"cp1"}}))
}

// telemetry records every span and metric.
type telemetry struct{ *oteltest.Telemetry }

func newTelemetry(t testing.TB, opts ...sdktrace.TracerProviderOption) *telemetry {
	t.Helper()
	return &telemetry{oteltest.New(t, opts...)}
}

func (tel *telemetry) policy(names bool) *authpolicy.Policy {
	return authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider, RecordPrincipalNames: names})
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

// fakeServices serves the failures of fakeservice.FailureRoutes, an ARM
// success and an ARM 404.
func fakeServices() *fakeservice.Server {
	return fakeservice.Start(append(fakeservice.FailureRoutes(),
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/subscriptions/{sub}", Response: fakeservice.OK(`{"id":"/subscriptions/s"}`)},
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/missing", Response: fakeservice.Response{Status: http.StatusNotFound, Body: `{"error":{"code":"ResourceNotFound","message":"not found"}}`}},
	)...)
}

// stringsReader returns a reader of s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }
