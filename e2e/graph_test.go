package e2e_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	kiotaauth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
	"github.com/azauthtrace/azauthtrace/record"
)

// graphClaims are the claims of the test principal's Graph token.
func graphClaims(extra map[string]any) map[string]any {
	claims := map[string]any{
		"aud": "https://graph.microsoft.com", "tid": tenantID, "oid": objectID, "appid": appID,
		"idtyp": "app", "xms_canary": canary,
	}
	for k, v := range extra {
		claims[k] = v
	}
	return claims
}

var (
	// graphToken is the token the credential issues for Graph, with the
	// canary in its header, a claim and its signature.
	graphToken = oteltest.JWT(canary, graphClaims(nil), canary+"-graph-signature")
	// graphTokenWithClaims is the token it issues for the claims of a
	// challenge: it carries xms_cc, which the fake Graph's CAE route
	// accepts.
	graphTokenWithClaims = oteltest.JWT(canary, graphClaims(map[string]any{"xms_cc": []string{"cp1"}}), canary+"-claims-signature")
)

// tokenParts are the parts of a token, each of which must stay out of the
// telemetry.
func tokenParts(tok string) []string {
	return append([]string{tok}, strings.Split(tok, ".")...)
}

// testdataCases are the repository's own cases (corpus.More), which
// the corpus package does not embed.
var testdataCases = sync.OnceValues(func() ([]corpus.Case, error) { return corpus.More(), nil })

// testdataCase returns the repository's own case with the given name.
func testdataCase(t *testing.T, name string) corpus.Case {
	t.Helper()
	cases, err := testdataCases()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no case %s in corpus.More", name)
	return corpus.Case{}
}

// graphWrapTransport, when false, leaves the Graph client's transport
// unwrapped: a way to see the tests fail without the library.
var graphWrapTransport = true

// newGraphClient returns a msgraph-sdk-go client against srv, set up as
// authtransport's documentation says: Kiota's and Graph's default
// middleware, ending in a transport to the fake, wrapped by authtransport,
// and the credential wrapped by the decorator.
func newGraphClient(t *testing.T, srv *fakeservice.Server, tel *oteltest.Telemetry) *msgraphsdk.GraphServiceClient {
	t.Helper()
	cred := credential.New(oteltest.Issuing(graphToken, graphTokenWithClaims), &credential.Options{
		TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider,
	})
	auth, err := kiotaauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred,
		[]string{"https://graph.microsoft.com/.default"}, []string{fakeservice.GraphHost})
	if err != nil {
		t.Fatal(err)
	}
	graphOptions := msgraphsdk.GetDefaultClientOptions()
	var transport http.RoundTripper = khttp.NewCustomTransportWithParentTransport(srv.Client().Transport,
		msgraphgocore.GetDefaultMiddlewaresWithOptions(&graphOptions)...)
	if graphWrapTransport {
		transport = authpolicy.NewTransport(transport, &authpolicy.Options{
			TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider, AnswersClaimsChallenges: true,
		})
	}
	httpClient := khttp.GetDefaultClient()
	httpClient.Transport = transport
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(srv.URL(fakeservice.GraphHost) + "/v1.0")
	return msgraphsdk.NewGraphServiceClient(adapter)
}

// withSelect asks for the canary as a $select field: a value in the
// query string, which must not reach the telemetry.
var withSelect = &users.UserItemRequestBuilderGetRequestConfiguration{
	QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", canary}},
}

// TestGraphPermissionDenied calls /me with the real Graph client against a
// fake Graph that answers Authorization_RequestDenied, and checks the
// trace: one failure span under the caller's, with the diagnosis, the
// response's IDs and the principal of the token; FromError reading the
// same from the ODataError the client returned; record.Error putting it
// on the caller's span; no canary anywhere.
func TestGraphPermissionDenied(t *testing.T) {
	c := testdataCase(t, "graph_403_authorization_request_denied")
	want := c.Expected.Values()
	srv := fakeservice.Start(fakeservice.Route{
		Pattern:  "GET " + fakeservice.GraphHost + "/v1.0/me",
		Response: fakeservice.Response{Status: c.Status(), Header: c.Header(), Body: c.Body},
	})
	defer srv.Close()
	tel := oteltest.New(t)
	client := newGraphClient(t, srv, tel)

	ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
	user, err := client.Me().Get(ctx, withSelect)
	root.End()
	var odataErr *odataerrors.ODataError
	if !errors.As(err, &odataErr) || odataErr.ResponseStatusCode != http.StatusForbidden {
		t.Fatalf("Me().Get = %v, %v; want a 403 ODataError", user, err)
	}
	if code := odataErr.GetErrorEscaped().GetCode(); code == nil || *code != want.ErrorCode {
		t.Errorf("the client's error code %v, want %s", code, want.ErrorCode)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Path != "/v1.0/me" || reqs[0].TokenClaims["oid"] != objectID {
		t.Errorf("requests %+v; want one GET /v1.0/me with the principal's token", reqs)
	}

	failures := spansWith(tel, otelx.ClassKey)
	if len(failures) != 1 {
		t.Fatalf("spans with %s: %v; want one (spans: %s)", otelx.ClassKey, spanNames(failures), spanNames(tel.Recorder.Ended()))
	}
	s := failures[0]
	if s.Name() != "GET "+fakeservice.GraphHost || s.SpanKind() != trace.SpanKindClient {
		t.Errorf("failure span %q kind %v; want the transport's client span", s.Name(), s.SpanKind())
	}
	if s.Parent().SpanID() != root.SpanContext().SpanID() || s.SpanContext().TraceID() != root.SpanContext().TraceID() {
		t.Errorf("failure span's parent %v; want the caller's span %v", s.Parent().SpanID(), root.SpanContext().SpanID())
	}
	if s.Status().Code != codes.Error || s.Status().Description != "403 permission: Authorization_RequestDenied" {
		t.Errorf("failure span status %+v", s.Status())
	}
	oteltest.CheckAttrs(t, "failure span", s.Attributes(), map[attribute.Key]any{
		otelx.ClassKey:             want.Class,
		otelx.ErrorCodeKey:         want.ErrorCode,
		otelx.ServiceRequestIDKey:  want.RequestID,
		otelx.CorrelationIDKey:     want.CorrelationID,
		otelx.HTTPStatusCodeKey:    int64(http.StatusForbidden),
		otelx.HTTPMethodKey:        http.MethodGet,
		otelx.ServerAddressKey:     fakeservice.GraphHost,
		otelx.URLFullKey:           "https://" + fakeservice.GraphHost + "/v1.0/me",
		otelx.SourceKey:            "service",
		otelx.ServiceKey:           "Microsoft Graph",
		otelx.PrincipalObjectIDKey: objectID,
		otelx.PrincipalTenantIDKey: tenantID,
		otelx.PrincipalAppIDKey:    appID,
		otelx.PrincipalTypeKey:     "app",
		otelx.ChallengeKindKey:     nil,
	})
	if got := tel.Counts(t, otelx.FailuresMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.class=permission http.response.status_code=403 server.address=" + fakeservice.GraphHost: 1,
	}) {
		t.Errorf("%s = %v; want one permission failure", otelx.FailuresMetric, got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); len(got) != 0 {
		t.Errorf("%s = %v; want none", otelx.ChallengesMetric, got)
	}
	tel.AssertNoneOf(t, append(tokenParts(graphToken), canary)...)

	// The error the client returned says the same.
	f, ok := azauthtrace.FromError(err)
	if !ok || string(f.Class) != want.Class || f.ErrorCode != want.ErrorCode || f.RequestID != want.RequestID ||
		f.CorrelationID != want.CorrelationID || f.StatusCode != http.StatusForbidden || f.Service != "Microsoft Graph" {
		t.Errorf("FromError(%T) = %v, %+v", err, ok, f)
	}

	// record.Error puts it on the caller's span, and counts it.
	recTel := oteltest.New(t)
	ctx, op := recTel.TracerProvider.Tracer("test").Start(t.Context(), "GetMe")
	rf, ok := record.New(&record.Options{MeterProvider: recTel.MeterProvider}).Error(ctx, err)
	op.End()
	if !ok || rf.Class != f.Class || rf.RequestID != f.RequestID {
		t.Errorf("record.Error = %v, %+v; want FromError's %+v", ok, rf, f)
	}
	opSpan := recTel.Recorder.Ended()[0]
	if opSpan.Status().Code != codes.Error {
		t.Errorf("recorded span status %+v, want Error", opSpan.Status())
	}
	wantRecorded := map[attribute.Key]any{
		otelx.ClassKey:            want.Class,
		otelx.ErrorCodeKey:        want.ErrorCode,
		otelx.ServiceRequestIDKey: want.RequestID,
		otelx.CorrelationIDKey:    want.CorrelationID,
		otelx.HTTPStatusCodeKey:   int64(http.StatusForbidden),
	}
	oteltest.CheckAttrs(t, "recorded span", opSpan.Attributes(), wantRecorded)
	if ev := opSpan.Events(); len(ev) != 1 || ev[0].Name != otelx.FailureEvent {
		t.Errorf("recorded span events %v; want one %s", ev, otelx.FailureEvent)
	} else {
		oteltest.CheckAttrs(t, "recorded event", ev[0].Attributes, wantRecorded)
	}
	if got := recTel.Counts(t, otelx.FailuresMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.class=permission http.response.status_code=403": 1,
	}) {
		t.Errorf("record.Error counted %v; want one permission failure", got)
	}
	recTel.AssertNoneOf(t, append(tokenParts(graphToken), canary)...)
}

// TestGraphClaimsChallenge calls /me against a fake Graph that answers a
// Continuous Access Evaluation challenge until the token carries the
// claims: Kiota gets a token for the claims and sends the request again,
// which succeeds. The challenge is a challenge span with no class, counted
// once in azauth.challenges; nothing is a failure.
func TestGraphClaimsChallenge(t *testing.T) {
	challenge := corpus.MustGet("graph_401_cae_insufficient_claims_location")
	srv := fakeservice.Start(fakeservice.Route{
		Pattern:  "GET " + fakeservice.GraphHost + "/v1.0/me",
		Response: fakeservice.Case(challenge.Name),
		Accept:   fakeservice.HasClaim("xms_cc"),
		Accepted: fakeservice.OK(`{"id":"` + objectID + `","displayName":"Test Principal"}`),
	})
	defer srv.Close()
	tel := oteltest.New(t)
	client := newGraphClient(t, srv, tel)

	ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
	user, err := client.Me().Get(ctx, withSelect)
	root.End()
	if err != nil {
		t.Fatalf("Me().Get: %v", err)
	}
	if id := user.GetId(); id == nil || *id != objectID {
		t.Errorf("user id %v, want %s", id, objectID)
	}
	// Kiota sent the request again, once, with the token for the claims.
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].TokenClaims["xms_cc"] != nil || reqs[1].TokenClaims["xms_cc"] == nil {
		t.Fatalf("requests %+v; want the challenged one, then one with the claims' token", reqs)
	}

	if got := spansWith(tel, otelx.ClassKey); len(got) != 0 {
		t.Errorf("spans with %s: %v; want none", otelx.ClassKey, spanNames(got))
	}
	for _, s := range tel.Recorder.Ended() {
		if s.Status().Code == codes.Error {
			t.Errorf("span %s has status Error: %s", s.Name(), s.Status().Description)
		}
		for _, e := range s.Events() {
			if _, ok := oteltest.Attrs(e.Attributes)[otelx.ClassKey]; ok || e.Name == otelx.FailureEvent {
				t.Errorf("span %s has a failure event %s", s.Name(), e.Name)
			}
		}
	}
	challenges := tel.SpansNamed("GET " + fakeservice.GraphHost)
	if len(challenges) != 1 {
		t.Fatalf("transport spans %v; want one, for the challenge (spans: %s)", spanNames(challenges), spanNames(tel.Recorder.Ended()))
	}
	s := challenges[0]
	if s.Parent().SpanID() != root.SpanContext().SpanID() {
		t.Errorf("challenge span's parent %v; want the caller's span", s.Parent().SpanID())
	}
	oteltest.CheckAttrs(t, "challenge span", s.Attributes(), map[attribute.Key]any{
		otelx.ChallengeKindKey:         "claims",
		otelx.ChallengeErrorKey:        "insufficient_claims",
		otelx.ChallengeClaimsKey:       true,
		otelx.ChallengeClaimsReasonKey: "network_location",
		otelx.HTTPStatusCodeKey:        int64(http.StatusUnauthorized),
		otelx.ServiceRequestIDKey:      *challenge.Expected.RequestID,
		otelx.URLFullKey:               "https://" + fakeservice.GraphHost + "/v1.0/me",
		otelx.ClassKey:                 nil,
		otelx.ErrorCodeKey:             nil,
		otelx.PrincipalObjectIDKey:     nil,
	})
	// The token requests: the first, and the one for the challenge's
	// claims, both under the caller's span.
	getTokens := tel.SpansNamed("FakeCredential.GetToken")
	if len(getTokens) != 2 {
		t.Fatalf("GetToken spans %d, want 2", len(getTokens))
	}
	for i, claims := range []bool{false, true} {
		oteltest.CheckAttrs(t, fmt.Sprintf("GetToken span %d", i), getTokens[i].Attributes(), map[attribute.Key]any{
			otelx.TokenClaimsKey: claims,
			otelx.TokenScopesKey: "https://graph.microsoft.com/.default",
		})
		if getTokens[i].Parent().SpanID() != root.SpanContext().SpanID() {
			t.Errorf("GetToken span %d is not under the caller's span", i)
		}
	}

	if got := tel.Counts(t, otelx.ChallengesMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{
		"azauth.challenge.kind=claims server.address=" + fakeservice.GraphHost: 1,
	}) {
		t.Errorf("%s = %v; want the claims challenge once", otelx.ChallengesMetric, got)
	}
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
		t.Errorf("%s = %v; want none", otelx.FailuresMetric, got)
	}
	// The challenge's claims are never recorded.
	_, claims, _ := strings.Cut(challenge.Headers["WWW-Authenticate"], `claims="`)
	claims, _, _ = strings.Cut(claims, `"`)
	if len(claims) < 40 {
		t.Fatalf("no claims in the challenge %q", challenge.Headers["WWW-Authenticate"])
	}
	tel.AssertNoneOf(t, append(append(tokenParts(graphToken), tokenParts(graphTokenWithClaims)...), canary, claims[:40])...)
}

// spansWith returns the ended spans that have the attribute key.
func spansWith(tel *oteltest.Telemetry, key attribute.Key) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.Recorder.Ended() {
		if _, ok := oteltest.Attrs(s.Attributes())[key]; ok {
			out = append(out, s)
		}
	}
	return out
}

func spanNames(spans []sdktrace.ReadOnlySpan) string {
	var names []string
	for _, s := range spans {
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}
