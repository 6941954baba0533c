package policy_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// transportCanary is in the request's token and its query: it must not reach the
// telemetry.
const transportCanary = "canaryTransport9f2"

const (
	transportTenantID = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	transportObjectID = "00000000-0000-0000-0000-00000000000c"
)

func transportToken(extra map[string]any) string {
	claims := map[string]any{"tid": transportTenantID, "oid": transportObjectID, "appid": "00001111-aaaa-2222-bbbb-3333cccc4444", "xms_canary": transportCanary}
	for k, v := range extra {
		claims[k] = v
	}
	return oteltest.JWT(transportCanary, claims, transportCanary+"-signature")
}

func transportServices() *fakeservice.Server {
	return fakeservice.Start(append(fakeservice.FailureRoutes(),
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/subscriptions/{sub}", Response: fakeservice.OK(`{"id":"/subscriptions/s"}`)},
	)...)
}

// get sends a GET with a bearer token through client and returns the
// response's body.
func transportGet(t *testing.T, client *http.Client, url string, tok string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestTransportRecordsFailures calls ARM- and Storage-shaped fakes with a
// plain http.Client: each failure is a span with the diagnosis and the
// principal of the request's token, its body reaches the caller byte for
// byte, successes record nothing, and neither the token nor the SAS
// signature reaches the telemetry.
func TestTransportRecordsFailures(t *testing.T) {
	srv := transportServices()
	defer srv.Close()
	for _, tc := range []struct {
		name, host, path, caseName string
		want                       map[attribute.Key]any
	}{
		{
			name: "ARM 403", host: fakeservice.ARMHost, path: "/subscriptions/s/resourcegroups?api-version=2022-09-01&sig=" + transportCanary,
			caseName: "arm_403_authorization_failed",
			want: map[attribute.Key]any{
				otelx.URLFullKey:           "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01",
				otelx.DeniedActionKey:      "Microsoft.Storage/storageAccounts/write",
				otelx.PrincipalObjectIDKey: transportObjectID,
				otelx.DeniedObjectIDKey:    "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a",
				otelx.PrincipalTenantIDKey: transportTenantID,
			},
		},
		{
			name: "Storage 403", host: fakeservice.StorageHost, path: "/container/blob?sv=2024-01-01&sig=" + transportCanary,
			caseName: "storage_403_authorization_permission_mismatch",
			want: map[attribute.Key]any{
				otelx.URLFullKey:           "https://fakeaccount.blob.core.windows.net/container/blob",
				otelx.PrincipalObjectIDKey: transportObjectID,
			},
		},
		{name: "ARM 200", host: fakeservice.ARMHost, path: "/subscriptions/s?api-version=2022-09-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := oteltest.New(t)
			client := &http.Client{Transport: authpolicy.NewTransport(srv.Client().Transport, &authpolicy.Options{
				TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider,
			})}
			ctx, parent := tel.TracerProvider.Tracer("test").Start(t.Context(), "parent")
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL(tc.host)+tc.path, nil)
			req.Header.Set("Authorization", "Bearer "+transportToken(nil))
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			parent.End()
			if err != nil {
				t.Fatal(err)
			}
			if tc.caseName == "" {
				if n := len(tel.Recorder.Ended()); n != 1 {
					t.Errorf("%d spans for a success; want only the parent", n)
				}
				return
			}
			c := corpus.MustGet(tc.caseName)
			if !bytes.Equal(body, []byte(c.Body)) {
				t.Errorf("body %q, want the service's %q", body, c.Body)
			}
			spans := tel.SpansNamed("GET " + tc.host)
			if len(spans) != 1 {
				t.Fatalf("spans %v; want one failure span", tel.SpanNames())
			}
			s := spans[0]
			if s.SpanKind() != trace.SpanKindClient || s.Parent().SpanID() != parent.SpanContext().SpanID() {
				t.Errorf("kind %v, parent %v; want a client span under the request's", s.SpanKind(), s.Parent())
			}
			if s.Status().Code != codes.Error {
				t.Errorf("status %v", s.Status())
			}
			want := map[attribute.Key]any{
				otelx.ClassKey:          c.Expected.Class,
				otelx.HTTPStatusCodeKey: int64(c.Status()),
				otelx.ErrorCodeKey:      *c.Expected.ErrorCode,
			}
			for k, v := range tc.want {
				want[k] = v
			}
			oteltest.CheckAttrs(t, "failure span", s.Attributes(), want)
			counts := tel.Counts(t, otelx.FailuresMetric)
			if len(counts) != 1 {
				t.Errorf("failures %v; want one", counts)
			}
			tel.AssertNoneOf(t, transportCanary)
		})
	}
}

// TestTransportClaimsChallenge: a claims challenge is a failure for a
// plain client, and a challenge for a client that answers it (Kiota).
func TestTransportClaimsChallenge(t *testing.T) {
	srv := transportServices()
	defer srv.Close()
	for _, answers := range []bool{false, true} {
		tel := oteltest.New(t)
		client := &http.Client{Transport: authpolicy.NewTransport(srv.Client().Transport, &authpolicy.Options{
			TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider, AnswersClaimsChallenges: answers,
		})}
		resp, _ := transportGet(t, client, srv.URL(fakeservice.GraphHost)+"/v1.0/me", transportToken(nil))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
		spans := tel.SpansNamed("GET " + fakeservice.GraphHost)
		if len(spans) != 1 {
			t.Fatalf("spans %v", tel.SpanNames())
		}
		failures, challenges := tel.Counts(t, otelx.FailuresMetric), tel.Counts(t, otelx.ChallengesMetric)
		if answers {
			oteltest.CheckAttrs(t, "challenge span", spans[0].Attributes(), map[attribute.Key]any{
				otelx.ChallengeKindKey: "claims", otelx.ClassKey: nil,
			})
			if len(failures) != 0 || len(challenges) != 1 || spans[0].Status().Code != codes.Unset {
				t.Errorf("answered: failures %v, challenges %v, status %v", failures, challenges, spans[0].Status())
			}
		} else {
			oteltest.CheckAttrs(t, "failure span", spans[0].Attributes(), map[attribute.Key]any{
				otelx.ClassKey: "claims_challenge", otelx.ChallengeKindKey: nil,
			})
			if len(failures) != 1 || len(challenges) != 0 || spans[0].Status().Code != codes.Error {
				t.Errorf("not answered: failures %v, challenges %v, status %v", failures, challenges, spans[0].Status())
			}
		}
	}
}

// TestTransportUnderOtelhttp wraps otelhttp's transport inside a span of
// the caller's: the caller's span is left as it was, and the diagnosis
// goes on a span of the transport's own, nested under otelhttp's.
func TestTransportUnderOtelhttp(t *testing.T) {
	srv := transportServices()
	defer srv.Close()
	tel := oteltest.New(t)
	base := otelhttp.NewTransport(srv.Client().Transport, otelhttp.WithTracerProvider(tel.TracerProvider))
	client := &http.Client{Transport: authpolicy.NewTransport(base, &authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	ctx, op := tel.TracerProvider.Tracer("test").Start(t.Context(), "ListGroups")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL(fakeservice.ARMHost)+"/subscriptions/s/resourcegroups?api-version=2022-09-01", nil)
	req.Header.Set("Authorization", "Bearer "+transportToken(nil))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	op.End()
	opSpan := tel.SpansNamed("ListGroups")[0]
	if len(opSpan.Attributes()) != 0 || len(opSpan.Events()) != 0 || opSpan.Status().Code != codes.Unset {
		t.Errorf("the caller's span was changed: %v %v %v", opSpan.Attributes(), opSpan.Events(), opSpan.Status())
	}
	ours := tel.SpansNamed("GET " + fakeservice.ARMHost)
	httpSpans := tel.SpansNamed("HTTP GET")
	if len(ours) != 1 || len(httpSpans) != 1 {
		t.Fatalf("spans %v; want otelhttp's and one of the transport's", tel.SpanNames())
	}
	if ours[0].Parent().SpanID() != httpSpans[0].SpanContext().SpanID() || ours[0].SpanKind() != trace.SpanKindInternal {
		t.Errorf("the transport's span is not an internal child of otelhttp's")
	}
	oteltest.CheckAttrs(t, "span", ours[0].Attributes(), map[attribute.Key]any{otelx.ClassKey: "permission"})
	if ours[0].Status().Code != codes.Error {
		t.Errorf("status %v, want Error", ours[0].Status())
	}
}

// failing is a RoundTripper that fails.
type failing struct{ err error }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

// TestTransportReturnsErrors returns the wrapped transport's error, the
// very same value, and records nothing.
func TestTransportReturnsErrors(t *testing.T) {
	tel := oteltest.New(t)
	boom := errors.New("connection refused")
	tr := authpolicy.NewTransport(failing{boom}, &authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://management.azure.com/", nil)
	resp, err := tr.RoundTrip(req)
	if resp != nil || err != boom {
		t.Fatalf("RoundTrip = %v, %v; want nil and the same error", resp, err)
	}
	if n := len(tel.Recorder.Ended()); n != 0 {
		t.Errorf("%d spans for an error", n)
	}
}
