package policy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// storageChallenge is Storage's answer to a request it cannot
// authenticate: a Bearer challenge that names the authority, the same
// answer it gives to a client's first, tokenless request.
var storageChallenge = fakeservice.Response{
	Status: http.StatusUnauthorized,
	Header: http.Header{
		"Www-Authenticate": {"Bearer authorization_uri=https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee/oauth2/authorize resource_id=https://storage.azure.com"},
		"X-Ms-Error-Code":  {"NoAuthenticationInformation"},
		"X-Ms-Request-Id":  {"4c5b2d1e-501e-0044-3f2a-9c1d2e000000"},
	},
	Body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>NoAuthenticationInformation</Code><Message>Server failed to authenticate the request. Please refer to the information in the www-authenticate header.</Message></Error>`,
}

// TestUnansweredChallengeIsAFailure sends requests whose 401 challenge no
// client policy answers: with an API key, with a SAS, with nothing, and
// from PerCallPolicies, where the bearer token policy runs after the
// policy. Each 401 reaches the caller, and is a failure, counted and
// classed, not a challenge.
func TestUnansweredChallengeIsAFailure(t *testing.T) {
	srv := fakeservice.Start(fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/{container}/{blob}", Response: storageChallenge})
	defer srv.Close()
	for _, tc := range []struct {
		name    string
		perCall bool
		url     string
		header  http.Header
	}{
		{name: "api key", url: "/c/b", header: http.Header{"Api-Key": {"k"}}},
		{name: "sas", url: "/c/b?sv=2022-11-02&sig=c2ln"},
		{name: "nothing", url: "/c/b"},
		{name: "per call", url: "/c/b", perCall: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := newTelemetry(t)
			opts := &azpolicy.ClientOptions{Transport: srv.Client(), Retry: azpolicy.RetryOptions{MaxRetries: -1}}
			var perRetry []azpolicy.Policy
			if tc.perCall {
				opts.PerCallPolicies = []azpolicy.Policy{tel.policy(false)}
				perRetry = []azpolicy.Policy{runtime.NewBearerTokenPolicy(tokenCredential(), []string{"https://storage.azure.com/.default"}, nil)}
			} else {
				opts.PerRetryPolicies = []azpolicy.Policy{tel.policy(false)}
			}
			pl := runtime.NewPipeline("test", "v0.0.0", runtime.PipelineOptions{PerRetry: perRetry}, opts)
			resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.StorageHost)+tc.url, func(r *azpolicy.Request) {
				for k, v := range tc.header {
					r.Raw().Header[k] = v
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			// What an SDK client does with a status it did not expect.
			if err := runtime.NewResponseError(resp); err == nil {
				t.Fatal("no response error")
			}
			if got := tel.Counts(t, otelx.FailuresMetric); got["azauth.class=token_rejected http.response.status_code=401 server.address="+fakeservice.StorageHost] != 1 || len(got) != 1 {
				t.Errorf("failures counted %v; want the 401, once", got)
			}
			if got := tel.Counts(t, otelx.ChallengesMetric); len(got) != 0 {
				t.Errorf("challenges counted %v; want none: nothing answered it", got)
			}
		})
	}
}

// TestTransportDoesNotWait sends a request through the transport to a
// server that sends a 403's headers and then holds its body back:
// RoundTrip returns as soon as the wrapped transport does, and the 403 is
// diagnosed when the caller has read the body.
func TestTransportDoesNotWait(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ms-Error-Code", "AuthorizationPermissionMismatch")
		w.WriteHeader(http.StatusForbidden)
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>`)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	tel := newTelemetry(t)
	client := &http.Client{Transport: authpolicy.NewTransport(srv.Client().Transport, &authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	returned := make(chan *http.Response)
	go func() {
		resp, err := client.Get(srv.URL + "/c/b")
		if err != nil {
			t.Error(err)
			close(returned)
			return
		}
		returned <- resp
	}()
	var resp *http.Response
	select {
	case resp = <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("RoundTrip waited for the body")
	}
	if resp == nil {
		return
	}
	if n := len(tel.Recorder.Ended()); n != 0 {
		t.Errorf("%d spans before the caller read the body", n)
	}
	close(release)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "AuthorizationPermissionMismatch") {
		t.Errorf("body %q", body)
	}
	spans := tel.Recorder.Ended()
	if len(spans) != 1 {
		t.Fatalf("spans %s; want one for the 403", tel.SpanNames())
	}
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 1 {
		t.Errorf("failures counted %v; want one", got)
	}
}

// echoing is a transport that answers 403 with the request's key in its
// body, as a misbehaving service or proxy may, and whose response has no
// Request, as a RoundTripper may return.
type echoing struct{}

func (echoing) RoundTrip(req *http.Request) (*http.Response, error) {
	body := `{"error":{"code":"PermissionDenied","message":"The key ` + req.Header.Get("Ocp-Apim-Subscription-Key") + ` does not grant this operation."}}`
	return &http.Response{
		StatusCode: http.StatusForbidden,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
	}, nil
}

// TestTransportRedactsWhatTheRequestCarried checks that the values the
// request carried are redacted from what the response echoes, even when
// the response does not say which request it answers.
func TestTransportRedactsWhatTheRequestCarried(t *testing.T) {
	const key = "PurpleMonkeyDishwasher"
	tel := newTelemetry(t)
	client := &http.Client{Transport: authpolicy.NewTransport(echoing{}, &authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://contoso.cognitiveservices.azure.com/openai/models", nil)
	req.Header.Set("Ocp-Apim-Subscription-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n := len(tel.Recorder.Ended()); n != 1 {
		t.Fatalf("%d spans, want one", n)
	}
	tel.AssertNoneOf(t, key)
}
