package azauthtrace_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// e2eCanary is put in the access token (its header, a claim nobody reads,
// its signature), in the query string and in a request header of every
// request. It must appear nowhere in the telemetry.
const e2eCanary = "canary-5f1b9c"

// The claims of the test principal's access token.
const (
	e2eTenant = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	e2eObject = "00000000-0000-0000-0000-0000000000b0"
	e2eApp    = "00001111-aaaa-2222-bbbb-3333cccc4444"
)

// e2eJWT returns a JWT for the test principal; withClaims adds the claim
// the fake services take as proof that the token answers a claims
// challenge.
func e2eJWT(withClaims bool) string {
	claims := map[string]any{
		"aud": "https://management.azure.com", "iss": "https://sts.windows.net/" + e2eTenant + "/",
		"tid": e2eTenant, "oid": e2eObject, "appid": e2eApp, "idtyp": "app",
		"xms_canary": e2eCanary,
	}
	if withClaims {
		claims["xms_cc"] = []string{"cp1"}
	}
	return oteltest.JWT(e2eCanary, claims, e2eCanary+"-signature")
}

// e2eCredential issues the test principal's token, with the challenge's
// claims when asked for them.
var e2eCredential = oteltest.Issuing(e2eJWT(false), e2eJWT(true))

// e2eClient is a client built as generated SDK clients are: azcore.NewClient
// with a bearer token policy, one span per operation, and
// runtime.NewResponseError for failures.
type e2eClient struct {
	internal *azcore.Client
	endpoint string
}

func newE2EClient(t *testing.T, endpoint string, cred azcore.TokenCredential, opts *azcore.ClientOptions) *e2eClient {
	t.Helper()
	bearer := runtime.NewBearerTokenPolicy(cred, []string{endpoint + "/.default"}, nil)
	c, err := azcore.NewClient("azauthtrace.e2eClient", "v1.0.0", runtime.PipelineOptions{
		PerRetry: []azpolicy.Policy{bearer},
		Tracing:  runtime.TracingOptions{Namespace: "Microsoft.Test"},
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &e2eClient{internal: c, endpoint: endpoint}
}

// Get gets path and returns the response body; stream leaves the body to
// the caller, as blob downloads do.
func (c *e2eClient) Get(ctx context.Context, path string, stream bool) (body []byte, err error) {
	ctx, endSpan := runtime.StartSpan(ctx, "E2EClient.Get", c.internal.Tracer(), nil)
	defer func() { endSpan(err) }()
	req, err := runtime.NewRequest(ctx, http.MethodGet, c.endpoint+path)
	if err != nil {
		return nil, err
	}
	req.Raw().Header.Set("x-ms-test-secret", e2eCanary)
	if stream {
		runtime.SkipBodyDownload(req)
	}
	resp, err := c.internal.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// e2eSetup is one client against the fakes, with the policy and the
// credential decorator recording into tel, and azcore's tracing on or off.
func e2eSetup(t *testing.T, srv *fakeservice.Server, host string, azotelOn, withPolicy bool) (*e2eClient, *oteltest.Telemetry) {
	tel := oteltest.New(t)
	opts := &azcore.ClientOptions{
		Transport: srv.Client(),
		Retry:     azpolicy.RetryOptions{MaxRetries: -1},
	}
	if withPolicy {
		opts.PerRetryPolicies = []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	}
	if azotelOn {
		opts.TracingProvider = azotel.NewTracingProvider(tel.TracerProvider, nil)
	}
	cred := credential.New(e2eCredential, &credential.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
	return newE2EClient(t, srv.URL(host), cred, opts), tel
}

// e2eServices serves one corpus failure per service.
func e2eServices() *fakeservice.Server {
	return fakeservice.Start(fakeservice.FailureRoutes()...)
}

// e2eCase is one call of the end-to-end tests and the failure it meets.
type e2eCase struct {
	name     string
	host     string
	path     string
	stream   bool
	caseName string
	// extra are attributes expected beside the corpus case's diagnosis.
	extra map[attribute.Key]any
}

var e2eCases = []e2eCase{
	{
		name: "ARM 403 AuthorizationFailed", host: fakeservice.ARMHost,
		path:     "/subscriptions/s/resourcegroups?api-version=2022-09-01&sig=" + e2eCanary,
		caseName: "arm_403_authorization_failed",
		extra: map[attribute.Key]any{
			otelx.DeniedActionKey:      "Microsoft.Storage/storageAccounts/write",
			otelx.DeniedScopeKey:       "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/aro-6hwuovvq/providers/Microsoft.Storage/storageAccounts/clusterixgbq",
			otelx.PrincipalObjectIDKey: e2eObject,
			otelx.DeniedObjectIDKey:    "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a",
			otelx.ServiceKey:           "Azure Resource Manager",
			otelx.URLFullKey:           "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01",
		},
	},
	{
		name: "ARM 401 expired token", host: fakeservice.ARMHost,
		path:     "/subscriptions/s/providers?api-version=2022-09-01",
		caseName: "arm_401_expired_authentication_token",
		extra: map[attribute.Key]any{
			otelx.ChallengeErrorKey:    "invalid_token",
			otelx.ChallengeClaimsKey:   false,
			otelx.PrincipalObjectIDKey: e2eObject,
		},
	},
	{
		name: "Storage 403 AuthorizationPermissionMismatch", host: fakeservice.StorageHost,
		path:     "/container/blob?sv=2025-07-05&sig=" + e2eCanary,
		caseName: "storage_403_authorization_permission_mismatch",
		extra: map[attribute.Key]any{
			otelx.PrincipalObjectIDKey: e2eObject,
			otelx.URLFullKey:           "https://fakeaccount.blob.core.windows.net/container/blob",
		},
	},
	{
		name: "Storage 403 AuthorizationPermissionMismatch, streaming", host: fakeservice.StorageHost,
		path: "/container/blob", stream: true,
		caseName: "storage_403_authorization_permission_mismatch",
	},
	{
		name: "Key Vault 403 ForbiddenByRbac", host: fakeservice.KeyVaultHost,
		path:     "/secrets/name?api-version=7.5",
		caseName: "keyvault_403_forbidden_by_rbac",
		extra: map[attribute.Key]any{
			otelx.DeniedActionKey: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			otelx.URLFullKey:      "https://fakevault.vault.azure.net/secrets/name?api-version=7.5",
		},
	},
}

// e2eWant returns the attributes the failure must carry for a case.
func e2eWant(tc e2eCase) map[attribute.Key]any {
	c := corpus.MustGet(tc.caseName)
	want := map[attribute.Key]any{
		otelx.ClassKey:             c.Expected.Class,
		otelx.SourceKey:            "service",
		otelx.PrincipalTenantIDKey: e2eTenant,
		otelx.PrincipalAppIDKey:    e2eApp,
		otelx.PrincipalTypeKey:     "app",
		otelx.PrincipalNameKey:     nil,
	}
	for k, v := range map[attribute.Key]*string{
		otelx.ErrorCodeKey:        c.Expected.ErrorCode,
		otelx.CorrelationIDKey:    c.Expected.CorrelationID,
		otelx.ServiceRequestIDKey: c.Expected.RequestID,
	} {
		if v != nil {
			want[k] = *v
		}
	}
	for k, v := range tc.extra {
		want[k] = v
	}
	return want
}

// e2eHTTPWant returns the attributes of the HTTP request of a case.
func e2eHTTPWant(tc e2eCase) map[attribute.Key]any {
	status := corpus.MustGet(tc.caseName).Status()
	return map[attribute.Key]any{
		otelx.HTTPMethodKey:     "GET",
		otelx.ServerAddressKey:  tc.host,
		otelx.HTTPStatusCodeKey: int64(status),
		otelx.ErrorTypeKey:      fmt.Sprint(status),
	}
}

// TestPolicyEndToEnd calls real azcore clients, with the policy in
// PerRetryPolicies and the credential decorator, against fake services,
// and checks the whole trace with azcore's tracing (azotel) off and on.
func TestPolicyEndToEnd(t *testing.T) {
	srv := e2eServices()
	defer srv.Close()
	for _, azotelOn := range []bool{false, true} {
		for _, tc := range e2eCases {
			t.Run(fmt.Sprintf("azotel=%v/%s", azotelOn, tc.name), func(t *testing.T) {
				client, tel := e2eSetup(t, srv, tc.host, azotelOn, true)
				ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
				_, err := client.Get(ctx, tc.path, tc.stream)
				root.End()
				var re *azcore.ResponseError
				if !errors.As(err, &re) || re.StatusCode != corpus.MustGet(tc.caseName).Status() {
					t.Fatalf("error %v, want a ResponseError with the case's status", err)
				}
				tree := newSpanTree(t, tel.Recorder)
				getToken := tree.one("FakeCredential.GetToken")
				if azotelOn {
					// root → E2EClient.Get → {GetToken, HTTP GET}; the
					// diagnosis is on the operation span.
					op := tree.one("E2EClient.Get")
					httpSpan := tree.one("HTTP GET")
					tree.parentIs(op, root.SpanContext())
					tree.parentIs(getToken, op.SpanContext())
					tree.parentIs(httpSpan, op.SpanContext())
					if len(tree.spans) != 3 {
						t.Errorf("spans %s; want the operation, GetToken and azcore's HTTP span", tree)
					}
					// The request's attributes are on the event and on the
					// HTTP span, not on the operation, but for the status
					// code that goes with the diagnosis.
					opWant := e2eWant(tc)
					opWant[otelx.URLFullKey] = nil
					opWant[otelx.HTTPMethodKey] = nil
					opWant[otelx.HTTPStatusCodeKey] = int64(corpus.MustGet(tc.caseName).Status())
					oteltest.CheckAttrs(t, "operation span", op.Attributes(), opWant)
					if op.Status().Code != codes.Error {
						t.Errorf("operation status %+v, want Error (set by azcore)", op.Status())
					}
					ev := tree.events(op, otelx.FailureEvent)
					if len(ev) != 1 {
						t.Fatalf("operation events %v, want one %s", op.Events(), otelx.FailureEvent)
					}
					want := e2eWant(tc)
					for k, v := range e2eHTTPWant(tc) {
						want[k] = v
					}
					oteltest.CheckAttrs(t, "failure event", ev[0].Attributes, want)
					if !ev[0].Time.After(httpSpan.EndTime()) && !ev[0].Time.Equal(httpSpan.EndTime()) {
						t.Errorf("failure event at %v, before the HTTP span ended at %v", ev[0].Time, httpSpan.EndTime())
					}
				} else {
					// root → {GetToken, GET host}; the policy's span
					// carries the diagnosis.
					failure := tree.one("GET " + tc.host)
					tree.parentIs(getToken, root.SpanContext())
					tree.parentIs(failure, root.SpanContext())
					if len(tree.spans) != 2 {
						t.Errorf("spans %s; want GetToken and the policy's span", tree)
					}
					if failure.SpanKind() != trace.SpanKindClient {
						t.Errorf("failure span kind %v, want client", failure.SpanKind())
					}
					want := e2eWant(tc)
					for k, v := range e2eHTTPWant(tc) {
						want[k] = v
					}
					oteltest.CheckAttrs(t, "failure span", failure.Attributes(), want)
					c := corpus.MustGet(tc.caseName)
					if wantDesc := fmt.Sprintf("%d %s: %s", c.Status(), c.Expected.Class, *c.Expected.ErrorCode); failure.Status().Code != codes.Error || failure.Status().Description != wantDesc {
						t.Errorf("failure status %+v, want Error %q", failure.Status(), wantDesc)
					}
					if getToken.EndTime().After(failure.StartTime()) {
						t.Errorf("the failure span starts before the token was got")
					}
				}
				oteltest.CheckAttrs(t, "GetToken span", getToken.Attributes(), map[attribute.Key]any{
					otelx.CredentialTypeKey: "FakeCredential",
					otelx.TokenCAEKey:       true,
					otelx.TokenClaimsKey:    false,
				})
				if getToken.SpanKind() != trace.SpanKindInternal {
					t.Errorf("GetToken kind %v", getToken.SpanKind())
				}
				checkE2ENoSecrets(t, tel)
			})
		}
	}
}

// TestPolicyEndToEndClaimsChallenge checks that a Continuous Access
// Evaluation challenge from Graph and the bearer token policy's retry with
// a token for its claims are both in the trace, and that the retry
// succeeded.
func TestPolicyEndToEndClaimsChallenge(t *testing.T) {
	srv := e2eServices()
	defer srv.Close()
	c := corpus.MustGet("graph_401_cae_insufficient_claims_location")
	// The bearer token policy answers the challenge: it is a challenge,
	// not a failure (no class, no error code, no principal).
	challenge := map[attribute.Key]any{
		otelx.ChallengeKindKey:             "claims",
		otelx.CorrelationIDKey:             *c.Expected.CorrelationID,
		otelx.ServiceRequestIDKey:          *c.Expected.RequestID,
		otelx.ChallengeErrorKey:            "insufficient_claims",
		otelx.ChallengeClaimsKey:           true,
		otelx.ChallengeAuthorizationURIKey: "https://login.microsoftonline.com/common/oauth2/authorize",
		otelx.ClassKey:                     nil,
		otelx.ErrorCodeKey:                 nil,
		otelx.PrincipalObjectIDKey:         nil,
	}
	for _, azotelOn := range []bool{false, true} {
		t.Run(fmt.Sprintf("azotel=%v", azotelOn), func(t *testing.T) {
			challengeWant := maps.Clone(challenge)
			client, tel := e2eSetup(t, srv, fakeservice.GraphHost, azotelOn, true)
			ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
			body, err := client.Get(ctx, "/v1.0/me", false)
			root.End()
			if err != nil || string(body) != "{}" {
				t.Fatalf("got %q, %v; want the body of the accepted retry", body, err)
			}
			tree := newSpanTree(t, tel.Recorder)
			tokens := tree.named("FakeCredential.GetToken")
			if len(tokens) != 2 {
				t.Fatalf("spans %s; want two GetToken spans", tree)
			}
			oteltest.CheckAttrs(t, "first GetToken", tokens[0].Attributes(), map[attribute.Key]any{otelx.TokenClaimsKey: false})
			oteltest.CheckAttrs(t, "GetToken for the claims", tokens[1].Attributes(), map[attribute.Key]any{otelx.TokenClaimsKey: true})

			if azotelOn {
				op := tree.one("E2EClient.Get")
				https := tree.named("HTTP GET")
				if len(https) != 2 {
					t.Fatalf("spans %s; want two HTTP spans", tree)
				}
				for _, s := range append(https, tokens...) {
					tree.parentIs(s, op.SpanContext())
				}
				if op.Status().Code != codes.Unset {
					t.Errorf("operation status %+v, want unset: the retry succeeded", op.Status())
				}
				challenges, retries := tree.events(op, otelx.ChallengeEvent), tree.events(op, otelx.ChallengeRetryEvent)
				if len(challenges) != 1 || len(retries) != 1 || len(tree.events(op, otelx.FailureEvent)) != 0 {
					t.Fatalf("operation events %v; want the challenge and the retry", op.Events())
				}
				oteltest.CheckAttrs(t, "challenge event", challenges[0].Attributes, challengeWant)
				oteltest.CheckAttrs(t, "retry event", retries[0].Attributes, map[attribute.Key]any{
					otelx.ChallengeRetryKey: true, otelx.HTTPStatusCodeKey: int64(200), otelx.ClassKey: nil,
				})
				// Nothing of the challenge is left on the operation span:
				// its outcome is the retry's, a success.
				for _, kv := range op.Attributes() {
					if strings.HasPrefix(string(kv.Key), otelx.Namespace) {
						t.Errorf("operation span has %s after an answered challenge", kv.Key)
					}
				}
			} else {
				tries := tree.named("GET " + fakeservice.GraphHost)
				if len(tries) != 2 {
					t.Fatalf("spans %s; want the challenge and the retry", tree)
				}
				for _, s := range append(tries, tokens...) {
					tree.parentIs(s, root.SpanContext())
				}
				challengeWant[otelx.HTTPStatusCodeKey] = int64(401)
				challengeWant[otelx.ChallengeRetryKey] = nil
				oteltest.CheckAttrs(t, "challenge span", tries[0].Attributes(), challengeWant)
				oteltest.CheckAttrs(t, "retry span", tries[1].Attributes(), map[attribute.Key]any{
					otelx.ChallengeRetryKey: true, otelx.HTTPStatusCodeKey: int64(200), otelx.ClassKey: nil,
				})
				if tries[0].Status().Code != codes.Unset || tries[1].Status().Code != codes.Unset {
					t.Errorf("statuses %v, %v; want both unset: the challenge was answered", tries[0].Status(), tries[1].Status())
				}
				// In time order: token, challenge, token with claims, retry.
				order := []sdktrace.ReadOnlySpan{tokens[0], tries[0], tokens[1], tries[1]}
				for i := 1; i < len(order); i++ {
					if order[i].StartTime().Before(order[i-1].EndTime()) {
						t.Errorf("%s starts before %s ends", order[i].Name(), order[i-1].Name())
					}
				}
			}
			reqs := srv.Requests()
			last := reqs[len(reqs)-1]
			if _, ok := last.TokenClaims["xms_cc"]; !ok {
				t.Errorf("the retry did not carry the token for the claims")
			}
			checkE2ENoSecrets(t, tel)
		})
	}
}

// TestPolicyEndToEndResponseError checks that the SDK's error reads the
// same with the policy as without, for every case, buffered or streamed.
func TestPolicyEndToEndResponseError(t *testing.T) {
	srv := e2eServices()
	defer srv.Close()
	for _, tc := range e2eCases {
		t.Run(tc.name, func(t *testing.T) {
			var texts []string
			for _, withPolicy := range []bool{true, false} {
				client, _ := e2eSetup(t, srv, tc.host, true, withPolicy)
				_, err := client.Get(t.Context(), tc.path, tc.stream)
				if err == nil {
					t.Fatal("no error")
				}
				texts = append(texts, err.Error())
			}
			if texts[0] != texts[1] {
				t.Errorf("with the policy:\n%s\nwithout:\n%s", texts[0], texts[1])
			}
			if code := *corpus.MustGet(tc.caseName).Expected.ErrorCode; !strings.Contains(texts[0], code) {
				t.Errorf("the error does not hold the service's error code %s:\n%s", code, texts[0])
			}
		})
	}
}

// TestPolicyEndToEndMetrics checks the failures counter across clients.
func TestPolicyEndToEndMetrics(t *testing.T) {
	srv := e2eServices()
	defer srv.Close()
	tel := oteltest.New(t)
	p := authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
	for _, tc := range e2eCases {
		opts := &azcore.ClientOptions{Transport: srv.Client(), PerRetryPolicies: []azpolicy.Policy{p}}
		client := newE2EClient(t, srv.URL(tc.host), e2eCredential, opts)
		if _, err := client.Get(t.Context(), tc.path, tc.stream); err == nil {
			t.Fatal("no error")
		}
	}
	got := tel.Counts(t, otelx.FailuresMetric)
	want := map[string]int64{
		"azauth.class=permission http.response.status_code=403 server.address=management.azure.com":              1,
		"azauth.class=token_rejected http.response.status_code=401 server.address=management.azure.com":          1,
		"azauth.class=permission http.response.status_code=403 server.address=fakeaccount.blob.core.windows.net": 2,
		"azauth.class=permission http.response.status_code=403 server.address=fakevault.vault.azure.net":         1,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %v\nwant %v", otelx.FailuresMetric, got, want)
	}
}

// spanTree indexes the ended spans of one test.
type spanTree struct {
	t     *testing.T
	spans []sdktrace.ReadOnlySpan
}

func newSpanTree(t *testing.T, rec *tracetest.SpanRecorder) *spanTree {
	spans := rec.Ended()
	slices.SortStableFunc(spans, func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) })
	// The test's root span is not part of the tree under test.
	spans = slices.DeleteFunc(spans, func(s sdktrace.ReadOnlySpan) bool { return s.Name() == "root" })
	return &spanTree{t: t, spans: spans}
}

func (tr *spanTree) String() string {
	var names []string
	for _, s := range tr.spans {
		names = append(names, s.Name())
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func (tr *spanTree) named(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tr.spans {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

func (tr *spanTree) one(name string) sdktrace.ReadOnlySpan {
	tr.t.Helper()
	s := tr.named(name)
	if len(s) != 1 {
		tr.t.Fatalf("spans %s; want one %q", tr, name)
	}
	return s[0]
}

func (tr *spanTree) parentIs(s sdktrace.ReadOnlySpan, parent trace.SpanContext) {
	tr.t.Helper()
	if s.Parent().SpanID() != parent.SpanID() || s.SpanContext().TraceID() != parent.TraceID() {
		tr.t.Errorf("%s is a child of %v, want %v", s.Name(), s.Parent().SpanID(), parent.SpanID())
	}
}

func (tr *spanTree) events(s sdktrace.ReadOnlySpan, name string) []sdktrace.Event {
	var out []sdktrace.Event
	for _, e := range s.Events() {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// checkE2ENoSecrets fails if the canary, the token or the challenge's
// claims appear in any span (ours, azcore's or the credential's), event,
// status or metric.
func checkE2ENoSecrets(t *testing.T, tel *oteltest.Telemetry) {
	t.Helper()
	claims := corpus.MustGet("graph_401_cae_insufficient_claims_location").Header().Get("WWW-Authenticate")
	_, claims, _ = strings.Cut(claims, `claims="`)
	claims, _, _ = strings.Cut(claims, `"`)
	tel.AssertNoneOf(t, e2eCanary, e2eJWT(false)[:20], claims[:20], "xms_rp_ipaddr")
}
