package e2e_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// The IDs of the fake Key Vault's responses: the challenge's are the
// corpus case's, the 403's and the 200's their own, so that the telemetry
// shows which response it describes.
const (
	kvChallengeRequestID     = "95b77cb9-b1e2-4e15-9e97-7b179dae4e0b"
	kvChallengeCorrelationID = "507a10f6-7129-4708-8901-85bcb5bc96ae"
	kvDeniedRequestID        = "4d3c2b1a-0f9e-4d8c-9b7a-6e5f4d3c2b1a"
	kvDeniedCorrelationID    = "8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d"
	kvSecretName             = "app-secret"
)

// kvToken is the token the credential issues for Key Vault.
var kvToken = oteltest.JWT(canary, map[string]any{
	"aud": "https://vault.azure.net", "tid": tenantID, "oid": objectID, "appid": appID,
	"idtyp": "app", "xms_canary": canary,
}, canary+"-vault-signature")

// kvChallenge is Key Vault's answer to a request without a token: 401
// AKV10000 with the challenge that names the tenant and the resource.
func kvChallenge(t *testing.T) fakeservice.Response {
	t.Helper()
	r := fakeservice.Case("keyvault_401_challenge_missing_token")
	if got := r.Header.Get("x-ms-request-id"); got != kvChallengeRequestID {
		t.Fatalf("the challenge case's request ID is %q", got)
	}
	r.Header.Set("WWW-Authenticate", `Bearer authorization="https://login.microsoftonline.com/`+tenantID+`", resource="https://vault.azure.net"`)
	return r
}

// kvDenied is Key Vault's 403 ForbiddenByRbac, with IDs of its own.
func kvDenied() fakeservice.Response {
	r := fakeservice.Case("keyvault_403_forbidden_by_rbac")
	r.Header.Set("x-ms-request-id", kvDeniedRequestID)
	r.Header.Set("x-ms-client-request-id", kvDeniedCorrelationID)
	return r
}

// kvSecret is a 200 with the secret, whose value is the canary.
func kvSecret() fakeservice.Response {
	r := fakeservice.OK(`{"value":"` + canary + `-secret-value","id":"https://` + fakeservice.KeyVaultHost + `/secrets/` + kvSecretName + `/0123456789abcdef0123456789abcdef","attributes":{"enabled":true}}`)
	r.Header.Set("x-ms-request-id", "00000000-0000-0000-0000-0000000000aa")
	return r
}

// fakeVault answers a request without a bearer token with the challenge,
// and one with a token with answer.
func fakeVault(t *testing.T, answer fakeservice.Response) *fakeservice.Server {
	t.Helper()
	return fakeservice.Start(fakeservice.Route{
		Pattern:  "GET " + fakeservice.KeyVaultHost + "/secrets/",
		Response: kvChallenge(t),
		Accept:   func(r fakeservice.Request) bool { return r.TokenClaims != nil },
		Accepted: answer,
	})
}

// kvWithPolicy, when false, leaves the policy out of the client: a way to
// see the tests fail without the library.
var kvWithPolicy = true

// newSecretsClient returns an azsecrets client against srv, as an
// application would set it up: the decorated credential, the policy in
// PerRetryPolicies and azcore tracing through azotel. The vault URL's
// query carries the canary.
func newSecretsClient(t *testing.T, srv *fakeservice.Server, tel *oteltest.Telemetry) *azsecrets.Client {
	t.Helper()
	opts := &azsecrets.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport:       srv.Client(),
		TracingProvider: azotel.NewTracingProvider(tel.TracerProvider, nil),
	}}
	if kvWithPolicy {
		opts.PerRetryPolicies = []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	}
	cred := credential.New(oteltest.Issuing(kvToken, kvToken), &credential.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
	client, err := azsecrets.NewClient(srv.URL(fakeservice.KeyVaultHost)+"/?sig="+canary, cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// getSecret calls GetSecret under a root span and returns its response,
// the operation span azcore recorded and its error.
func getSecret(t *testing.T, client *azsecrets.Client, tel *oteltest.Telemetry) (azsecrets.GetSecretResponse, sdktrace.ReadOnlySpan, error) {
	t.Helper()
	ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
	resp, err := client.GetSecret(ctx, kvSecretName, "", nil)
	root.End()
	ops := tel.SpansNamed("Client.GetSecret")
	if len(ops) != 1 {
		t.Fatalf("operation spans %d; want one Client.GetSecret (spans: %s)", len(ops), spanNames(tel.Recorder.Ended()))
	}
	if ops[0].Parent().SpanID() != root.SpanContext().SpanID() {
		t.Errorf("the operation span is not under the caller's")
	}
	return resp, ops[0], err
}

// checkVaultRequests checks that the client sent two requests: the first
// without a token, the second with the token for the challenge's tenant.
func checkVaultRequests(t *testing.T, srv *fakeservice.Server, tel *oteltest.Telemetry) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].TokenClaims != nil || reqs[1].TokenClaims["oid"] != objectID {
		t.Errorf("requests %+v; want one without a token, then one with it", reqs)
	}
	getTokens := tel.SpansNamed("FakeCredential.GetToken")
	if len(getTokens) != 1 {
		t.Fatalf("GetToken spans %d, want one", len(getTokens))
	}
	// The token was asked for what the challenge named.
	oteltest.CheckAttrs(t, "GetToken span", getTokens[0].Attributes(), map[attribute.Key]any{
		otelx.TokenScopesKey:   "https://vault.azure.net/.default",
		otelx.TokenTenantIDKey: tenantID,
		otelx.ClassKey:         nil,
	})
}

// TestKeyVaultChallengeAnswered: a new client's first request meets Key
// Vault's challenge, which the client answers, and the secret comes
// back. Nothing is a failure: no class anywhere, no failure counted, the
// operation's status not Error; the challenge is counted once, as a
// discovery challenge, and is an event on the operation span.
func TestKeyVaultChallengeAnswered(t *testing.T) {
	srv := fakeVault(t, kvSecret())
	defer srv.Close()
	tel := oteltest.New(t)
	resp, op, err := getSecret(t, newSecretsClient(t, srv, tel), tel)
	if err != nil {
		t.Fatalf("GetSecret: %v", err)
	}
	if resp.Value == nil || *resp.Value != canary+"-secret-value" {
		t.Errorf("secret %v", resp.Value)
	}
	checkVaultRequests(t, srv, tel)

	for _, s := range tel.Recorder.Ended() {
		if _, ok := oteltest.Attrs(s.Attributes())[otelx.ClassKey]; ok {
			t.Errorf("span %s has %s", s.Name(), otelx.ClassKey)
		}
		for _, e := range s.Events() {
			if _, ok := oteltest.Attrs(e.Attributes)[otelx.ClassKey]; ok || e.Name == otelx.FailureEvent {
				t.Errorf("span %s has a failure event %s", s.Name(), e.Name)
			}
		}
	}
	if op.Status().Code == codes.Error {
		t.Errorf("operation span status %+v", op.Status())
	}
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
		t.Errorf("%s = %v; want none", otelx.FailuresMetric, got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.challenge.kind=discovery server.address=" + fakeservice.KeyVaultHost: 1,
	}) {
		t.Errorf("%s = %v; want the discovery challenge once", otelx.ChallengesMetric, got)
	}
	// The challenge is an event on the operation span, and so is the try
	// that answered it; neither leaves an attribute on the span.
	challenge, ok1 := eventNamed(op, otelx.ChallengeEvent)
	retry, ok2 := eventNamed(op, otelx.ChallengeRetryEvent)
	if !ok1 || !ok2 || len(op.Events()) != 2 {
		t.Fatalf("operation span events %v; want a challenge and the try that answered it", eventNames(op))
	}
	oteltest.CheckAttrs(t, "challenge event", challenge.Attributes, map[attribute.Key]any{
		otelx.ChallengeKindKey:             "discovery",
		otelx.ChallengeAuthorizationURIKey: "https://login.microsoftonline.com/" + tenantID,
		otelx.ChallengeResourceKey:         "https://vault.azure.net",
		otelx.ServiceRequestIDKey:          kvChallengeRequestID,
		otelx.HTTPStatusCodeKey:            int64(http.StatusUnauthorized),
		otelx.ClassKey:                     nil,
	})
	oteltest.CheckAttrs(t, "retry event", retry.Attributes, map[attribute.Key]any{
		otelx.ChallengeRetryKey: true,
		otelx.HTTPStatusCodeKey: int64(http.StatusOK),
		otelx.ClassKey:          nil,
	})
	checkNoChallengeAttributes(t, op)
	tel.AssertNoneOf(t, append(tokenParts(kvToken), canary)...)
}

// TestKeyVaultForbiddenAfterChallenge: the client answers the challenge
// and the vault denies the token (403 ForbiddenByRbac). Exactly one
// failure is recorded, on the operation span, with the 403's IDs and not
// the challenge's, and the span's status is Error.
func TestKeyVaultForbiddenAfterChallenge(t *testing.T) {
	srv := fakeVault(t, kvDenied())
	defer srv.Close()
	tel := oteltest.New(t)
	_, op, err := getSecret(t, newSecretsClient(t, srv, tel), tel)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusForbidden || re.ErrorCode != "Forbidden" {
		t.Fatalf("GetSecret error %v; want the 403", err)
	}
	checkVaultRequests(t, srv, tel)
	c := corpus.MustGet("keyvault_403_forbidden_by_rbac")

	withClass := spansWith(tel, otelx.ClassKey)
	if len(withClass) != 1 || withClass[0].SpanContext().SpanID() != op.SpanContext().SpanID() {
		t.Fatalf("spans with %s: %v; want the operation span only", otelx.ClassKey, spanNames(withClass))
	}
	var failureEvents int
	for _, s := range tel.Recorder.Ended() {
		for _, e := range s.Events() {
			if e.Name == otelx.FailureEvent {
				failureEvents++
			}
		}
	}
	if failureEvents != 1 {
		t.Errorf("%d %s events; want one", failureEvents, otelx.FailureEvent)
	}
	if op.Status().Code != codes.Error {
		t.Errorf("operation span status %+v; want Error", op.Status())
	}
	want := map[attribute.Key]any{
		otelx.ClassKey:             "permission",
		otelx.ErrorCodeKey:         *c.Expected.ErrorCode,
		otelx.HTTPStatusCodeKey:    int64(http.StatusForbidden),
		otelx.ServiceRequestIDKey:  kvDeniedRequestID,
		otelx.CorrelationIDKey:     kvDeniedCorrelationID,
		otelx.DeniedActionKey:      "Microsoft.KeyVault/vaults/secrets/getSecret/action",
		otelx.PrincipalObjectIDKey: objectID,
		otelx.PrincipalTenantIDKey: tenantID,
		otelx.ServiceKey:           "Azure Key Vault",
	}
	oteltest.CheckAttrs(t, "operation span", op.Attributes(), want)
	failure, _ := eventNamed(op, otelx.FailureEvent)
	oteltest.CheckAttrs(t, "failure event", failure.Attributes, want)
	if u := oteltest.Attrs(failure.Attributes)[otelx.URLFullKey].AsString(); !strings.HasPrefix(u, "https://"+fakeservice.KeyVaultHost+"/secrets/"+kvSecretName+"/") {
		t.Errorf("failure event's url.full %q", u)
	}
	checkNoChallengeAttributes(t, op)
	if got := tel.Counts(t, otelx.FailuresMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.class=permission http.response.status_code=403 server.address=" + fakeservice.KeyVaultHost: 1,
	}) {
		t.Errorf("%s = %v; want one permission failure", otelx.FailuresMetric, got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.challenge.kind=discovery server.address=" + fakeservice.KeyVaultHost: 1,
	}) {
		t.Errorf("%s = %v; want the discovery challenge once", otelx.ChallengesMetric, got)
	}
	tel.AssertNoneOf(t, append(tokenParts(kvToken), canary)...)
}

// checkNoChallengeAttributes fails the test for any attribute of the
// challenge's 401 on the span itself: its challenge attributes, its IDs,
// its status.
func checkNoChallengeAttributes(t *testing.T, s sdktrace.ReadOnlySpan) {
	t.Helper()
	for _, kv := range s.Attributes() {
		switch v := kv.Value.Emit(); {
		case strings.HasPrefix(string(kv.Key), otelx.Namespace+"challenge."):
			t.Errorf("span %s has the challenge's %s=%s", s.Name(), kv.Key, v)
		case v == kvChallengeRequestID || v == kvChallengeCorrelationID:
			t.Errorf("span %s has the challenge's ID in %s", s.Name(), kv.Key)
		case kv.Key == otelx.HTTPStatusCodeKey && kv.Value.AsInt64() == http.StatusUnauthorized:
			t.Errorf("span %s has the challenge's status", s.Name())
		}
	}
}

func eventNamed(s sdktrace.ReadOnlySpan, name string) (sdktrace.Event, bool) {
	for _, e := range s.Events() {
		if e.Name == name {
			return e, true
		}
	}
	return sdktrace.Event{}, false
}

func eventNames(s sdktrace.ReadOnlySpan) []string {
	var names []string
	for _, e := range s.Events() {
		names = append(names, e.Name)
	}
	return names
}
