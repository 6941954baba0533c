package policy_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// recordingProviders returns SDK providers that record every span and
// measurement.
func recordingProviders(b *testing.B, sampler sdktrace.Sampler) (*sdktrace.TracerProvider, *sdkmetric.MeterProvider) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(oteltest.Discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return tp, mp
}

// benchServer answers /ok with 200 and /denied with ARM's 403
// AuthorizationFailed, over plain HTTP on loopback.
func benchServer(b *testing.B) *httptest.Server {
	c := corpus.MustGet("arm_403_authorization_failed")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/denied" {
			for k, v := range c.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(c.Status())
			_, _ = io.WriteString(w, c.Body)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-ms-request-id", "5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11")
		_, _ = io.WriteString(w, `{"id":"/subscriptions/s/resourceGroups/rg","name":"rg"}`)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// staticAuthorization sets the Authorization header to a typical access
// token, as the bearer token policy does with a cached token.
type staticAuthorization string

func (a staticAuthorization) Do(req *azpolicy.Request) (*http.Response, error) {
	req.Raw().Header.Set("Authorization", string(a))
	return req.Next()
}

// benchToken is shaped like an Entra ID access token of a managed
// identity, about 1.5 KB.
func benchToken() string {
	return oteltest.JWT(canary, map[string]any{
		"aud": "https://management.azure.com", "iss": "https://sts.windows.net/" + tenantID + "/",
		"iat": 1700000000, "nbf": 1700000000, "exp": 1700086400,
		"aio": strings.Repeat("E2Zg", 30), "appid": appID, "appidacr": "2",
		"idp": "https://sts.windows.net/" + tenantID + "/", "idtyp": "app",
		"oid": objectID, "rh": "0.AAAA" + strings.Repeat("x", 60), "sub": objectID, "tid": tenantID,
		"uti": "abcdefghijklmnopqrstuv", "ver": "1.0",
		"xms_az_rid": "/subscriptions/s/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
		"xms_mirid":  "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi",
		"xms_cae":    "1", "xms_tcdt": 1600000000, "xms_idrel": "7 12",
	}, strings.Repeat("s", 342))
}

// benchClient is the smallest generated-style client: an azcore.Client, an
// operation span, one request.
type benchClient struct {
	c   *azcore.Client
	url string
}

func (bc *benchClient) get(ctx context.Context, path string) error {
	ctx, end := runtime.StartSpan(ctx, "BenchClient.Get", bc.c.Tracer(), nil)
	req, err := runtime.NewRequest(ctx, http.MethodGet, bc.url+path)
	if err != nil {
		end(err)
		return err
	}
	resp, err := bc.c.Pipeline().Do(req)
	if err == nil {
		// The body is already buffered; closing it is what callers do.
		err = resp.Body.Close()
	}
	end(nil)
	return err
}

// BenchmarkPipeline compares a request to management.azure.com, answered
// by one loopback server, through an azcore client pipeline bare, with a
// policy that only calls Next, with this policy, with azcore's tracing
// through azotel, with otelhttp's transport, and combinations, on a 200
// and on a 403.
func BenchmarkPipeline(b *testing.B) {
	type setup struct {
		name string
		opts func(b *testing.B) azcore.ClientOptions
	}
	srv := benchServer(b)
	// Requests go to ARM's host name, as an ARM client's do; the dialer
	// connects them to the loopback server.
	transport := func() *http.Transport {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		t.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		}
		return t
	}
	withPolicy := func(sampler sdktrace.Sampler) func(*testing.B) azcore.ClientOptions {
		return func(b *testing.B) azcore.ClientOptions {
			tp, mp := recordingProviders(b, sampler)
			return azcore.ClientOptions{
				Transport:        &http.Client{Transport: transport()},
				PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})},
			}
		}
	}
	setups := []setup{
		{"bare", func(b *testing.B) azcore.ClientOptions {
			return azcore.ClientOptions{Transport: &http.Client{Transport: transport()}}
		}},
		{"nop", func(b *testing.B) azcore.ClientOptions {
			return azcore.ClientOptions{Transport: &http.Client{Transport: transport()}, PerRetryPolicies: []azpolicy.Policy{nopPolicy{}}}
		}},
		{"policy", withPolicy(sdktrace.AlwaysSample())},
		{"policy-neversample", withPolicy(sdktrace.NeverSample())},
		{"azotel", func(b *testing.B) azcore.ClientOptions {
			tp, _ := recordingProviders(b, sdktrace.AlwaysSample())
			return azcore.ClientOptions{Transport: &http.Client{Transport: transport()}, TracingProvider: azotel.NewTracingProvider(tp, nil)}
		}},
		{"azotel+policy", func(b *testing.B) azcore.ClientOptions {
			tp, mp := recordingProviders(b, sdktrace.AlwaysSample())
			return azcore.ClientOptions{
				Transport:        &http.Client{Transport: transport()},
				TracingProvider:  azotel.NewTracingProvider(tp, nil),
				PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})},
			}
		}},
		{"otelhttp", func(b *testing.B) azcore.ClientOptions {
			tp, mp := recordingProviders(b, sdktrace.AlwaysSample())
			return azcore.ClientOptions{Transport: &http.Client{Transport: otelhttp.NewTransport(transport(),
				otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp))}}
		}},
	}
	for _, path := range []string{"/ok", "/denied"} {
		status := map[string]string{"/ok": "200", "/denied": "403"}[path]
		for _, s := range setups {
			b.Run("status="+status+"/setup="+s.name, func(b *testing.B) {
				opts := s.opts(b)
				opts.Retry = azpolicy.RetryOptions{MaxRetries: -1}
				c, err := azcore.NewClient("policy.benchClient", "v1.0.0", runtime.PipelineOptions{
					PerRetry: []azpolicy.Policy{staticAuthorization("Bearer " + benchToken())},
				}, &opts)
				if err != nil {
					b.Fatal(err)
				}
				bc := &benchClient{c: c, url: "http://management.azure.com"}
				ctx := context.Background()
				if err := bc.get(ctx, path); err != nil { // warm the connection
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := bc.get(ctx, path); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPolicyOverhead measures the policy alone: a pipeline whose
// transport answers from memory, with a policy that only calls Next or
// with this policy, on a 200 and a 403.
func BenchmarkPolicyOverhead(b *testing.B) {
	c := corpus.MustGet("arm_403_authorization_failed")
	for _, status := range []int{200, 403} {
		transport := transportFunc(func(req *http.Request) (*http.Response, error) {
			if status == 200 {
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
			}
			return &http.Response{StatusCode: 403, Header: c.Header(), Body: io.NopCloser(stringsReader(c.Body)), Request: req}, nil
		})
		for _, name := range []string{"nop", "policy"} {
			b.Run("status="+strconv.Itoa(status)+"/setup="+name, func(b *testing.B) {
				var p azpolicy.Policy = nopPolicy{}
				if name == "policy" {
					tp, mp := recordingProviders(b, sdktrace.AlwaysSample())
					p = authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})
				}
				pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{staticAuthorization("Bearer " + benchToken()), p}, transport: transport})
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					req, err := runtime.NewRequest(ctx, http.MethodGet, "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := pl.Do(req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
