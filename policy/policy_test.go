package policy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// expectedFailure returns the attributes a failure span must carry for a
// corpus case, from the case's expected diagnosis.
func expectedFailure(c corpus.Case) map[attribute.Key]any {
	want := map[attribute.Key]any{
		otelx.ClassKey:          c.Expected.Class,
		otelx.HTTPStatusCodeKey: int64(c.Status()),
		otelx.ErrorTypeKey:      fmt.Sprint(c.Status()),
		otelx.SourceKey:         "service",
	}
	opt := func(k attribute.Key, v *string) {
		if v != nil {
			want[k] = *v
		}
	}
	opt(otelx.ErrorCodeKey, c.Expected.ErrorCode)
	opt(otelx.CorrelationIDKey, c.Expected.CorrelationID)
	opt(otelx.ServiceRequestIDKey, c.Expected.RequestID)
	return want
}

func TestPolicyRecordsFailures(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	arm := fakeservice.ARMHost
	tests := []struct {
		name     string
		host     string
		path     string
		caseName string // "" for no failure
		want     map[attribute.Key]any
	}{
		{
			name: "ARM 403 AuthorizationFailed", host: arm,
			path:     "/subscriptions/s/resourcegroups?api-version=2022-09-01&$filter=" + canary,
			caseName: "arm_403_authorization_failed",
			want: map[attribute.Key]any{
				otelx.URLFullKey:           "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01",
				otelx.DeniedActionKey:      "Microsoft.Storage/storageAccounts/write",
				otelx.DeniedScopeKey:       "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/aro-6hwuovvq/providers/Microsoft.Storage/storageAccounts/clusterixgbq",
				otelx.PrincipalObjectIDKey: objectID,                               // who sent the request
				otelx.DeniedObjectIDKey:    "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a", // whom ARM names: another principal
				otelx.ServiceKey:           "Azure Resource Manager",
			},
		},
		{
			name: "ARM 401 expired token", host: arm, path: "/subscriptions/s/providers?api-version=2022-09-01",
			caseName: "arm_401_expired_authentication_token",
			want: map[attribute.Key]any{
				otelx.PrincipalObjectIDKey:         objectID,
				otelx.ChallengeErrorKey:            "invalid_token",
				otelx.ChallengeClaimsKey:           false,
				otelx.ChallengeAuthorizationURIKey: "https://login.windows.net/",
			},
		},
		{
			name: "Storage 403 AuthorizationPermissionMismatch", host: fakeservice.StorageHost,
			path:     "/container/blob?sv=2024-01-01&sig=" + canary,
			caseName: "storage_403_authorization_permission_mismatch",
			want: map[attribute.Key]any{
				otelx.URLFullKey:           "https://fakeaccount.blob.core.windows.net/container/blob",
				otelx.PrincipalObjectIDKey: objectID,
			},
		},
		{
			name: "Key Vault 403 ForbiddenByRbac", host: fakeservice.KeyVaultHost, path: "/secrets/s?api-version=7.5",
			caseName: "keyvault_403_forbidden_by_rbac",
			want: map[attribute.Key]any{
				otelx.DeniedActionKey: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			},
		},
		{name: "200", host: arm, path: "/subscriptions/s?api-version=2022-09-01"},
		{name: "404 is not an auth failure", host: arm, path: "/missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tel := newTelemetry(t)
			pl := newPipeline(pipelineOptions{
				policies:  []azpolicy.Policy{tel.policy(false)},
				transport: srv.Client(),
				cred:      tokenCredential(),
			})
			ctx, parent := tel.TracerProvider.Tracer("test").Start(t.Context(), "parent")
			start := time.Now()
			resp, err := send(ctx, t, pl, srv.URL(tt.host)+tt.path)
			end := time.Now()
			parent.End()
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()

			spans := tel.SpansNamed("GET " + tt.host)
			if tt.caseName == "" {
				if len(tel.Recorder.Ended()) != 1 {
					t.Fatalf("spans: %s; want only the parent", tel.SpanNames())
				}
				return
			}
			if len(spans) != 1 {
				t.Fatalf("spans: %s; want one named %q", tel.SpanNames(), "GET "+tt.host)
			}
			s := spans[0]
			if s.SpanKind() != trace.SpanKindClient {
				t.Errorf("kind = %v, want client", s.SpanKind())
			}
			if s.Parent().SpanID() != parent.SpanContext().SpanID() {
				t.Errorf("the failure span is not a child of the request's span")
			}
			if s.StartTime().Before(start) || s.EndTime().After(end) || !s.StartTime().Before(s.EndTime()) {
				t.Errorf("span from %v to %v, outside the call (%v to %v)", s.StartTime(), s.EndTime(), start, end)
			}
			c := corpus.MustGet(tt.caseName)
			if s.Status().Code != codes.Error || !strings.HasPrefix(s.Status().Description, fmt.Sprintf("%d %s", c.Status(), c.Expected.Class)) {
				t.Errorf("status = %+v", s.Status())
			}
			want := expectedFailure(c)
			want[otelx.HTTPMethodKey] = "GET"
			want[otelx.ServerAddressKey] = tt.host
			want[otelx.PrincipalTenantIDKey] = tenantID
			want[otelx.PrincipalAppIDKey] = appID
			want[otelx.PrincipalTypeKey] = "user"
			want[otelx.PrincipalNameKey] = nil // personal data: off by default
			want[otelx.ChallengeRetryKey] = nil
			for k, v := range tt.want {
				want[k] = v
			}
			got := oteltest.Attrs(s.Attributes())
			oteltest.CheckAttrs(t, s.Name(), s.Attributes(), want)
			for _, k := range []attribute.Key{otelx.MitigationKey, otelx.DescriptionKey} {
				if got[k].AsString() == "" {
					t.Errorf("%s missing", k)
				}
			}
		})
	}
}

func TestPolicyRecordPrincipalNames(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	for _, names := range []bool{false, true} {
		t.Run(fmt.Sprint(names), func(t *testing.T) {
			tel := newTelemetry(t)
			pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(names)}, transport: srv.Client(), cred: tokenCredential()})
			resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.StorageHost)+"/c/b")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			spans := tel.SpansNamed("GET " + fakeservice.StorageHost)
			if len(spans) != 1 {
				t.Fatalf("spans: %s", tel.SpanNames())
			}
			var want any
			if names {
				want = upn
			}
			oteltest.CheckAttrs(t, "span", spans[0].Attributes(), map[attribute.Key]any{otelx.PrincipalNameKey: want})
		})
	}
}

// TestPolicyClaimsChallenge checks that a Continuous Access Evaluation
// challenge and the bearer token policy's retry with a token for its
// claims are both in the trace.
func TestPolicyClaimsChallenge(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	var claims []string
	inner := tokenCredential()
	cred := oteltest.FakeCredential(func(ctx context.Context, opts azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
		claims = append(claims, opts.Claims)
		return inner(ctx, opts)
	})
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: srv.Client(), cred: cred})
	resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.GraphHost)+"/v1.0/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200 after the claims challenge", resp.StatusCode)
	}
	if len(claims) != 2 || claims[0] != "" || !strings.Contains(claims[1], "xms_rp_ipaddr") {
		t.Fatalf("token requests with claims %q; want none, then the challenge's", claims)
	}

	spans := tel.SpansNamed("GET " + fakeservice.GraphHost)
	if len(spans) != 2 {
		t.Fatalf("spans: %s; want the challenge and the retry", tel.SpanNames())
	}
	challenge, retry := spans[0], spans[1]
	// The bearer token policy answers the challenge: it is recorded as a
	// challenge, not as a failure, and the operation's outcome is the
	// retry's.
	c := corpus.MustGet("graph_401_cae_insufficient_claims_location")
	oteltest.CheckAttrs(t, "challenge", challenge.Attributes(), map[attribute.Key]any{
		otelx.ChallengeKindKey:             "claims",
		otelx.ChallengeErrorKey:            "insufficient_claims",
		otelx.ChallengeClaimsKey:           true,
		otelx.ChallengeClaimsReasonKey:     "network_location",
		otelx.ChallengeAuthorizationURIKey: "https://login.microsoftonline.com/common/oauth2/authorize",
		otelx.HTTPStatusCodeKey:            int64(401),
		otelx.CorrelationIDKey:             *c.Expected.CorrelationID,
		otelx.ClassKey:                     nil,
		otelx.ErrorCodeKey:                 nil,
		otelx.ChallengeRetryKey:            nil,
	})
	if challenge.Status().Code != codes.Unset {
		t.Errorf("challenge status = %+v, want unset: an answered challenge is no failure", challenge.Status())
	}
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
		t.Errorf("failures counted %v; want none", got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); got["azauth.challenge.kind=claims server.address="+fakeservice.GraphHost] != 1 {
		t.Errorf("challenges counted %v; want one claims challenge of %s", got, fakeservice.GraphHost)
	}
	oteltest.CheckAttrs(t, "retry", retry.Attributes(), map[attribute.Key]any{
		otelx.ChallengeRetryKey: true,
		otelx.HTTPStatusCodeKey: int64(200),
		otelx.ClassKey:          nil,
		otelx.ErrorTypeKey:      nil,
	})
	if retry.Status().Code != codes.Unset {
		t.Errorf("retry status = %+v, want unset", retry.Status())
	}
	for _, s := range spans {
		if got := oteltest.Attrs(s.Attributes())[otelx.ChallengeResourceKey]; strings.Contains(got.Emit(), "eyJ") {
			t.Errorf("claims recorded: %v", got.Emit())
		}
	}
}

// TestPolicyClaimsChallengeTwice checks that a claims challenge on the
// retry that answered one is a failure: the bearer token policy answers
// one claims challenge per request, and returns the second to the caller.
func TestPolicyClaimsChallengeTwice(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	// Tokens without the claim the service asks for, with or without the
	// challenge's claims.
	cred := oteltest.Issuing(testToken(nil), testToken(nil))
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: srv.Client(), cred: cred})
	resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.GraphHost)+"/v1.0/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want the second challenge's 401", resp.StatusCode)
	}
	spans := tel.SpansNamed("GET " + fakeservice.GraphHost)
	if len(spans) != 2 {
		t.Fatalf("spans: %s; want the challenge and the retry", tel.SpanNames())
	}
	challenge, retry := spans[0], spans[1]
	oteltest.CheckAttrs(t, "challenge", challenge.Attributes(), map[attribute.Key]any{
		otelx.ChallengeKindKey: "claims",
		otelx.ClassKey:         nil,
	})
	oteltest.CheckAttrs(t, "retry", retry.Attributes(), map[attribute.Key]any{
		otelx.ChallengeRetryKey:  true,
		otelx.ChallengeKindKey:   nil,
		otelx.ClassKey:           string(azauthtrace.ClassClaimsChallenge),
		otelx.ChallengeErrorKey:  "insufficient_claims",
		otelx.ChallengeClaimsKey: true,
		otelx.HTTPStatusCodeKey:  int64(401),
	})
	if retry.Status().Code != codes.Error {
		t.Errorf("retry status = %+v, want Error: the client returned this challenge", retry.Status())
	}
	if got := tel.Counts(t, otelx.FailuresMetric); got["azauth.class=claims_challenge http.response.status_code=401 server.address="+fakeservice.GraphHost] != 1 || len(got) != 1 {
		t.Errorf("failures counted %v; want the second challenge", got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); got["azauth.challenge.kind=claims server.address="+fakeservice.GraphHost] != 1 || len(got) != 1 {
		t.Errorf("challenges counted %v; want the first", got)
	}
}

// TestPolicyPlacement checks where the diagnosis goes when a span already
// describes the HTTP request (here, otelhttp's transport span): on the
// operation span azcore's tracing (azotel) started for the SDK method; and
// never on a span the library did not start otherwise, such as the
// caller's own, which stays as its code left it; the diagnosis then goes
// on a span of the library's own, nested under the HTTP span.
func TestPolicyPlacement(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	for _, enclosing := range []string{"sdk", "user", "none"} {
		t.Run("enclosing="+enclosing, func(t *testing.T) {
			tel := newTelemetry(t)
			transport := &http.Client{Transport: otelhttp.NewTransport(srv.Client().Transport, otelhttp.WithTracerProvider(tel.TracerProvider))}
			pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: transport, cred: tokenCredential()})
			ctx := t.Context()
			end := func() {}
			switch enclosing {
			case "sdk":
				// What a generated client's method does with tracing on.
				tracer := azotel.NewTracingProvider(tel.TracerProvider, nil).NewTracer("armresources", "v1.0.0")
				var endSpan func(error)
				ctx, endSpan = runtime.StartSpan(ctx, "Client.Operation", tracer, nil)
				end = func() { endSpan(nil) }
			case "user":
				var span trace.Span
				ctx, span = tel.TracerProvider.Tracer("test").Start(ctx, "Client.Operation", trace.WithSpanKind(trace.SpanKindServer))
				span.SetAttributes(attribute.String("app.route", "/groups"))
				end = func() { span.End() }
			}
			resp, err := send(ctx, t, pl, srv.URL(fakeservice.ARMHost)+"/subscriptions/s/resourcegroups?api-version=2022-09-01")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			end()
			// otelhttp's span, and with azcore's tracing on azcore's own.
			httpSpans := tel.SpansNamed("HTTP GET")
			if wantHTTP := map[bool]int{true: 2, false: 1}[enclosing == "sdk"]; len(httpSpans) != wantHTTP {
				t.Fatalf("spans: %s; want %d HTTP spans", tel.SpanNames(), wantHTTP)
			}
			c := corpus.MustGet("arm_403_authorization_failed")
			want := expectedFailure(c)
			delete(want, otelx.HTTPStatusCodeKey)
			delete(want, otelx.ErrorTypeKey)
			want[otelx.DeniedActionKey] = "Microsoft.Storage/storageAccounts/write"
			want[otelx.PrincipalTenantIDKey] = tenantID
			if enclosing != "sdk" {
				if enclosing == "user" {
					user := tel.SpansNamed("Client.Operation")[0]
					if len(user.Attributes()) != 1 || len(user.Events()) != 0 || user.Status().Code != codes.Unset {
						t.Errorf("the caller's span was changed: attributes %v, events %v, status %v", user.Attributes(), user.Events(), user.Status())
					}
				}
				ours := tel.SpansNamed("GET " + fakeservice.ARMHost)
				if len(ours) != 1 {
					t.Fatalf("spans: %s", tel.SpanNames())
				}
				if ours[0].SpanKind() != trace.SpanKindInternal || ours[0].Parent().SpanID() != httpSpans[0].SpanContext().SpanID() {
					t.Errorf("span kind %v parent %v; want internal, under the HTTP span", ours[0].SpanKind(), ours[0].Parent().SpanID())
				}
				oteltest.CheckAttrs(t, "span", ours[0].Attributes(), want)
				if st := ours[0].Status(); st.Code != codes.Error {
					t.Errorf("status %+v, want Error", st)
				}
				return
			}
			if n := len(tel.Recorder.Ended()); n != 3 {
				t.Fatalf("spans: %s; want the operation and the two HTTP spans", tel.SpanNames())
			}
			opSpan := tel.SpansNamed("Client.Operation")[0]
			// The operation span gets the diagnosis and the status code;
			// the method and URL stay on the event.
			opWant := maps.Clone(want)
			opWant[otelx.HTTPStatusCodeKey] = int64(403)
			opWant[otelx.HTTPMethodKey] = nil
			opWant[otelx.URLFullKey] = nil
			opWant[otelx.ErrorTypeKey] = nil
			oteltest.CheckAttrs(t, "operation", opSpan.Attributes(), opWant)
			// The failure ends the operation: its status is Error, whatever
			// the SDK client sets.
			if st := opSpan.Status(); st.Code != codes.Error || st.Description != "403 permission: AuthorizationFailed" {
				t.Errorf("operation status %+v, want Error with the failure's status description", st)
			}
			var events []sdktrace.Event
			for _, e := range opSpan.Events() {
				if e.Name == otelx.FailureEvent {
					events = append(events, e)
				}
			}
			if len(events) != 1 {
				t.Fatalf("events %v, want one %s", opSpan.Events(), otelx.FailureEvent)
			}
			want[otelx.HTTPStatusCodeKey] = int64(403)
			want[otelx.ErrorTypeKey] = "403"
			want[otelx.URLFullKey] = "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01"
			want[otelx.HTTPMethodKey] = "GET"
			oteltest.CheckAttrs(t, "event", events[0].Attributes, want)
		})
	}
}

// TestPolicyMetrics checks the failures counter and its low-cardinality
// attributes.
func TestPolicyMetrics(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: srv.Client(), cred: tokenCredential()})
	for _, u := range []string{
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/resourcegroups",
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/resourcegroups",
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s",
		srv.URL(fakeservice.StorageHost) + "/c/b",
	} {
		resp, err := send(t.Context(), t, pl, u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	got := map[string]int64{}
	for _, sm := range tel.Metrics(t).ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != otelx.FailuresMetric {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok || !sum.IsMonotonic {
				t.Fatalf("%s is %T, want a monotonic int64 sum", m.Name, m.Data)
			}
			for _, dp := range sum.DataPoints {
				if dp.Attributes.Len() != 3 {
					t.Errorf("data point attributes %v, want class, status and server.address", dp.Attributes.ToSlice())
				}
				class, _ := dp.Attributes.Value(otelx.ClassKey)
				status, _ := dp.Attributes.Value(otelx.HTTPStatusCodeKey)
				host, _ := dp.Attributes.Value(otelx.ServerAddressKey)
				got[fmt.Sprintf("%s %d %s", class.AsString(), status.AsInt64(), host.AsString())] = dp.Value
			}
		}
	}
	want := map[string]int64{
		"permission 403 management.azure.com":              2,
		"permission 403 fakeaccount.blob.core.windows.net": 1,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", otelx.FailuresMetric, got, want)
	}
}

// TestPolicyCanary checks that no secret in the request reaches the
// telemetry: the token (its header, an unread claim, its signature), the
// query string, and the claims of a challenge.
func TestPolicyCanary(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: srv.Client(), cred: tokenCredential()})
	for _, u := range []string{
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/resourcegroups?api-version=2022-09-01&sig=" + canary,
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/providers?code=" + canary,
		srv.URL(fakeservice.StorageHost) + "/c/b?sv=2024&sig=" + canary,
		srv.URL(fakeservice.KeyVaultHost) + "/secrets/s?api-version=7.5&" + canary + "=1",
		srv.URL(fakeservice.GraphHost) + "/v1.0/me?token=" + canary,
	} {
		resp, err := send(t.Context(), t, pl, u, func(r *azpolicy.Request) {
			r.Raw().Header.Set("x-ms-custom", canary)
		})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if len(tel.Recorder.Ended()) < 5 {
		t.Fatalf("spans: %s", tel.SpanNames())
	}
	// The Graph challenge's claims, base64 and decoded.
	secrets := []string{canary, "eyJhY2Nlc3NfdG9rZW4i", "xms_rp_ipaddr", "eyJ"}
	tel.AssertNoneOf(t, secrets...)
}

// TestPolicyResponseUnchanged checks that the SDK sees the response the
// service sent: status, headers and body bytes, and the same
// azcore.ResponseError text, with and without the policy, for buffered and
// streaming (SkipBodyDownload) operations and bodies longer than the
// classifier reads.
func TestPolicyResponseUnchanged(t *testing.T) {
	big := strings.Repeat(`<Message>This request is not authorized to perform this operation.</Message>`, 2000) // > 64 KiB
	storage403 := fakeservice.Case("storage_403_authorization_permission_mismatch")
	storage403.Body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code>` + big + `</Error>`
	srv := fakeservice.Start(
		fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/big/403", Response: storage403},
		fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/big/200", Response: fakeservice.Response{Status: 200, Header: http.Header{"Content-Type": {"application/octet-stream"}}, Body: big}},
		fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/small/403", Response: fakeservice.Case("storage_403_authorization_permission_mismatch")},
		fakeservice.Route{Pattern: "GET " + fakeservice.ARMHost + "/arm", Response: fakeservice.Case("arm_403_authorization_failed")},
		fakeservice.Route{Pattern: "GET " + fakeservice.GraphHost + "/graph", Response: fakeservice.Case("graph_401_cae_insufficient_claims_location")},
		fakeservice.Route{Pattern: "GET " + fakeservice.KeyVaultHost + "/empty", Response: fakeservice.Response{Status: 403}},
	)
	defer srv.Close()
	tel := newTelemetry(t)
	with := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(true)}, transport: srv.Client(), cred: tokenCredential()})
	without := newPipeline(pipelineOptions{transport: srv.Client(), cred: tokenCredential()})

	type result struct {
		status int
		header http.Header
		body   []byte
		errMsg string
	}
	do := func(pl runtime.Pipeline, url string, skip bool) result {
		resp, err := send(t.Context(), t, pl, url, func(r *azpolicy.Request) {
			if skip {
				runtime.SkipBodyDownload(r)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r := result{status: resp.StatusCode, header: resp.Header.Clone()}
		r.header.Del("Date")
		if resp.StatusCode >= 400 {
			r.errMsg = runtime.NewResponseError(resp).Error()
		}
		r.body, err = io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, path := range []string{
		srv.URL(fakeservice.StorageHost) + "/big/403",
		srv.URL(fakeservice.StorageHost) + "/big/200",
		srv.URL(fakeservice.StorageHost) + "/small/403",
		srv.URL(fakeservice.ARMHost) + "/arm",
		srv.URL(fakeservice.GraphHost) + "/graph",
		srv.URL(fakeservice.KeyVaultHost) + "/empty",
	} {
		for _, skip := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s skip=%v", path, skip), func(t *testing.T) {
				a, b := do(with, path, skip), do(without, path, skip)
				if a.status != b.status || fmt.Sprint(a.header) != fmt.Sprint(b.header) {
					t.Errorf("with the policy: %d %v\nwithout: %d %v", a.status, a.header, b.status, b.header)
				}
				if !bytes.Equal(a.body, b.body) {
					t.Errorf("body with the policy (%d bytes) differs from without (%d bytes)", len(a.body), len(b.body))
				}
				if a.errMsg != b.errMsg {
					t.Errorf("ResponseError with the policy:\n%s\nwithout:\n%s", a.errMsg, b.errMsg)
				}
			})
		}
	}
}

// TestPolicyStreamingBody checks that a response whose body the pipeline
// has not buffered reaches the caller byte for byte, when its body is
// longer than what the classifier reads.
func TestPolicyStreamingBody(t *testing.T) {
	body := "<Error><Code>AuthorizationPermissionMismatch</Code>" + strings.Repeat("x", 200<<10) + "</Error>"
	c := corpus.MustGet("storage_403_authorization_permission_mismatch")
	tel := newTelemetry(t)
	transport := transportFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 403, Status: "403 Forbidden", Header: c.Header(), Request: req,
			Body: io.NopCloser(iotestOneByte(strings.NewReader(body))), ContentLength: -1,
		}, nil
	})
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: transport})
	resp, err := send(t.Context(), t, pl, "https://"+fakeservice.StorageHost+"/c/b", runtime.SkipBodyDownload)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != body {
		t.Errorf("body of %d bytes, want the %d sent", len(got), len(body))
	}
	if len(tel.Recorder.Ended()) != 1 {
		t.Errorf("spans: %s", tel.SpanNames())
	}
}

// TestPolicyRetriesUnchanged checks that the pipeline tries as often with
// the policy as without.
func TestPolicyRetriesUnchanged(t *testing.T) {
	count := func(policies []azpolicy.Policy, status int) int {
		var mu sync.Mutex
		n := 0
		transport := transportFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			n++
			mu.Unlock()
			h := http.Header{}
			if status == 401 {
				h.Set("WWW-Authenticate", `Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`)
			}
			return &http.Response{StatusCode: status, Header: h, Request: req, Body: io.NopCloser(strings.NewReader("{}"))}, nil
		})
		pl := newPipeline(pipelineOptions{
			policies:  policies,
			transport: transport,
			cred:      tokenCredential(),
			retry:     azpolicy.RetryOptions{MaxRetries: 2, RetryDelay: time.Millisecond, MaxRetryDelay: time.Millisecond},
		})
		resp, err := send(t.Context(), t, pl, "https://"+fakeservice.ARMHost+"/x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return n
	}
	tel := newTelemetry(t)
	for _, status := range []int{401, 403, 503, 429} {
		with, without := count([]azpolicy.Policy{tel.policy(false)}, status), count(nil, status)
		if with != without {
			t.Errorf("%d: %d tries with the policy, %d without", status, with, without)
		}
	}
}

// TestPolicyPassesErrorsThrough checks that errors come back as the very
// same values, unrecorded.
func TestPolicyPassesErrorsThrough(t *testing.T) {
	errTransport := errors.New("dial tcp: connection refused " + canary)
	errToken := errors.New("token request failed " + canary)
	tests := []struct {
		name string
		o    pipelineOptions
		want error
	}{
		{
			name: "transport",
			o: pipelineOptions{transport: transportFunc(func(*http.Request) (*http.Response, error) {
				return nil, errTransport
			})},
			want: errTransport,
		},
		{
			name: "GetToken",
			o: pipelineOptions{
				transport: transportFunc(func(*http.Request) (*http.Response, error) { panic("unreachable") }),
				cred: oteltest.FakeCredential(func(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
					return azcore.AccessToken{}, errToken
				}),
			},
			want: errToken,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tel := newTelemetry(t)
			tt.o.policies = []azpolicy.Policy{tel.policy(false)}
			_, err := send(t.Context(), t, newPipeline(tt.o), "https://"+fakeservice.ARMHost+"/x")
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			var inner error = err
			for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
				inner = u
			}
			if inner != tt.want {
				t.Errorf("innermost error %v is not the one returned", inner)
			}
			if n := len(tel.Recorder.Ended()); n != 0 {
				t.Errorf("spans: %s; want none", tel.SpanNames())
			}
		})
	}
}

// TestPolicyNeverPanics sends odd responses and headers through the
// policy.
func TestPolicyNeverPanics(t *testing.T) {
	huge := strings.Repeat("a", 200<<10) // longer than the classifier reads
	responses := map[string]func(*http.Request) *http.Response{
		"nil body": func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 403, Header: http.Header{}, Request: r}
		},
		"empty body": func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 401, Header: http.Header{}, Request: r, Body: http.NoBody}
		},
		"no request, no header": func(*http.Request) *http.Response {
			return &http.Response{StatusCode: 403, Body: io.NopCloser(strings.NewReader("{"))}
		},
		"huge headers": func(r *http.Request) *http.Response {
			h := http.Header{}
			h.Set("WWW-Authenticate", "Bearer "+huge)
			h.Set("x-ms-error-code", huge)
			h.Set("x-ms-request-id", huge)
			h.Set("Content-Type", "application/json")
			return &http.Response{StatusCode: 401, Header: h, Request: r, Body: io.NopCloser(strings.NewReader(`{"error":{"code":"` + huge + `"}}`))}
		},
		"garbage challenge": func(r *http.Request) *http.Response {
			h := http.Header{"Www-Authenticate": {`Bearer claims="%%%", error=`, `,,,=""`, `PoP`}}
			return &http.Response{StatusCode: 401, Header: h, Request: r, Body: io.NopCloser(strings.NewReader("\x00\xff"))}
		},
		"garbage JSON": func(r *http.Request) *http.Response {
			h := http.Header{"Content-Type": {"application/json"}}
			return &http.Response{StatusCode: 403, Header: h, Request: r, Body: io.NopCloser(strings.NewReader(`{"error":[1,{"code":null}],"message":{}}`))}
		},
	}
	tokens := map[string]string{
		"garbage":      "not.a.jwt",
		"empty":        "",
		"bad base64":   "a.%%%.c",
		"JSON array":   "a.WzFd.c",
		"huge":         huge,
		"dots":         "....",
		"types":        oteltest.JWT(canary, map[string]any{"oid": []int{1}, "tid": map[string]any{}, "appid": nil}, "s"),
		"weird scheme": "\x00",
	}
	tel := newTelemetry(t)
	for rname, respond := range responses {
		for tname, tok := range tokens {
			t.Run(rname+"/"+tname, func(t *testing.T) {
				cred := oteltest.Issuing(tok, tok)
				pl := newPipeline(pipelineOptions{
					policies:  []azpolicy.Policy{tel.policy(true)},
					transport: transportFunc(func(r *http.Request) (*http.Response, error) { return respond(r), nil }),
					cred:      cred,
				})
				resp, err := send(t.Context(), t, pl, "https://"+fakeservice.ARMHost+"/x")
				if err == nil && resp.Body != nil {
					resp.Body.Close()
				}
			})
		}
	}
}

// TestPolicyConcurrent runs one policy from many goroutines.
func TestPolicyConcurrent(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	p := tel.policy(false)
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{p}, transport: srv.Client(), cred: tokenCredential()})
	paths := []string{
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/resourcegroups?api-version=2022-09-01",
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s/providers?api-version=2021-04-01",
		srv.URL(fakeservice.ARMHost) + "/subscriptions/s",
		srv.URL(fakeservice.StorageHost) + "/c/b",
		srv.URL(fakeservice.GraphHost) + "/v1.0/me",
	}
	var wg sync.WaitGroup
	for g := range 10 {
		wg.Go(func() {
			for i := range 10 {
				resp, err := send(t.Context(), t, pl, paths[(g+i)%len(paths)])
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	// 20 calls on each path: 20 ARM 403s, 20 ARM 401s and 20 Storage
	// failures, none for the ARM success; the Graph calls made before the
	// bearer token policy cached a token with the challenge's claims have
	// a challenge span and a retry span each, the later ones none.
	if n := len(tel.SpansNamed("GET " + fakeservice.ARMHost)); n != 40 {
		t.Errorf("%d ARM spans, want 40", n)
	}
	if n := len(tel.SpansNamed("GET " + fakeservice.StorageHost)); n != 20 {
		t.Errorf("%d Storage spans, want 20", n)
	}
	if n := len(tel.SpansNamed("GET " + fakeservice.GraphHost)); n < 2 || n%2 != 0 {
		t.Errorf("%d Graph spans, want challenge and retry pairs", n)
	}
	// Each span names its own request, however the calls interleave: the
	// two ARM failures differ in path and api-version.
	type try struct {
		host   string
		status int64
	}
	urls := map[try]string{
		{fakeservice.ARMHost, 403}:     "https://" + fakeservice.ARMHost + "/subscriptions/s/resourcegroups?api-version=2022-09-01",
		{fakeservice.ARMHost, 401}:     "https://" + fakeservice.ARMHost + "/subscriptions/s/providers?api-version=2021-04-01",
		{fakeservice.StorageHost, 403}: "https://" + fakeservice.StorageHost + "/c/b",
		{fakeservice.GraphHost, 401}:   "https://" + fakeservice.GraphHost + "/v1.0/me",
		{fakeservice.GraphHost, 200}:   "https://" + fakeservice.GraphHost + "/v1.0/me",
	}
	for _, s := range tel.Recorder.Ended() {
		host := strings.TrimPrefix(s.Name(), "GET ")
		status := oteltest.Attrs(s.Attributes())[otelx.HTTPStatusCodeKey].AsInt64()
		want, ok := urls[try{host, status}]
		if !ok {
			t.Errorf("%s: unexpected status %d", s.Name(), status)
			continue
		}
		oteltest.CheckAttrs(t, s.Name(), s.Attributes(), map[attribute.Key]any{
			otelx.ServerAddressKey: host,
			otelx.URLFullKey:       want,
		})
	}
}

func TestNewNil(t *testing.T) {
	var p azpolicy.Policy = authpolicy.New(nil)
	srv := fakeServices()
	defer srv.Close()
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{p}, transport: srv.Client(), cred: tokenCredential()})
	resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.ARMHost)+"/subscriptions/s/resourcegroups")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// TestPolicySuccessDoesNotAllocate checks that on success the policy
// allocates no more than a policy that only calls Next.
func TestPolicySuccessDoesNotAllocate(t *testing.T) {
	tel := newTelemetry(t)
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}
	transport := transportFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	allocs := func(p azpolicy.Policy) float64 {
		pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{p}, transport: transport})
		return testing.AllocsPerRun(500, func() {
			req, err := runtime.NewRequest(t.Context(), http.MethodGet, "https://"+fakeservice.ARMHost+"/x")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pl.Do(req); err != nil {
				t.Fatal(err)
			}
		})
	}
	nop := allocs(nopPolicy{})
	with := allocs(tel.policy(true))
	if with > nop {
		t.Errorf("%v allocations per request with the policy, %v with a policy that only calls Next", with, nop)
	}
}

type nopPolicy struct{}

func (nopPolicy) Do(req *azpolicy.Request) (*http.Response, error) { return req.Next() }

// transportFunc is a policy.Transporter.
type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// oneByteReader reads one byte at a time, as a slow network does.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func iotestOneByte(r io.Reader) io.Reader { return oneByteReader{r} }

// TestPolicyNotSampled checks that a try whose span is not sampled is
// still counted, and leaves no span.
func TestPolicyNotSampled(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t, sdktrace.WithSampler(sdktrace.NeverSample()))
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: srv.Client(), cred: tokenCredential()})
	resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.ARMHost)+"/subscriptions/s/resourcegroups")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := len(tel.Recorder.Ended()); n != 0 {
		t.Errorf("spans: %s; want none", tel.SpanNames())
	}
	var n int64
	for _, v := range tel.Counts(t, otelx.FailuresMetric) {
		n += v
	}
	if n != 1 {
		t.Errorf("%s counted %d failures, want 1", otelx.FailuresMetric, n)
	}
}

// TestPolicyPerCall shows what the policy sees from PerCallPolicies: the
// final response of each operation only, without the access token, and
// not a claims challenge the bearer token policy answered.
func TestPolicyPerCall(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tel := newTelemetry(t)
	pl := runtime.NewPipeline("test", "v0.0.0",
		runtime.PipelineOptions{PerRetry: []azpolicy.Policy{
			runtime.NewBearerTokenPolicy(tokenCredential(), []string{"https://management.azure.com/.default"}, nil),
		}},
		&azpolicy.ClientOptions{
			PerCallPolicies: []azpolicy.Policy{tel.policy(false)},
			Transport:       srv.Client(),
			Retry:           azpolicy.RetryOptions{MaxRetries: -1},
		})
	for _, u := range []string{
		srv.URL(fakeservice.StorageHost) + "/c/b",
		srv.URL(fakeservice.GraphHost) + "/v1.0/me", // challenged, then accepted
	} {
		resp, err := send(t.Context(), t, pl, u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	spans := tel.Recorder.Ended()
	if len(spans) != 1 || spans[0].Name() != "GET "+fakeservice.StorageHost {
		t.Fatalf("spans: %s; want only the Storage failure", tel.SpanNames())
	}
	oteltest.CheckAttrs(t, "span", spans[0].Attributes(), map[attribute.Key]any{
		otelx.ClassKey:             "permission",
		otelx.PrincipalObjectIDKey: nil, // the token is set after this policy ran
		otelx.PrincipalTenantIDKey: nil,
	})
}

// TestPolicyTokensAlternate checks that one policy attributes each failure
// to the token of its own request when clients with different tokens
// share it: tokens with a short signature, with a long one as Entra ID
// signs them, and with the same signature.
func TestPolicyTokensAlternate(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	oids := []string{"00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000a2"}
	for name, signature := range map[string]func(i int) string{
		"short signature": func(int) string { return "s" },
		"long signature":  func(i int) string { return strings.Repeat(string(rune('A'+i)), 342) },
		// As a fake or an emulator may sign: the payload tells them apart.
		"the same signature": func(int) string { return strings.Repeat("Z", 342) },
	} {
		t.Run(name, func(t *testing.T) {
			tel := newTelemetry(t)
			p := tel.policy(false)
			var pipelines []runtime.Pipeline
			for i, oid := range oids {
				tok := oteltest.JWT(canary, map[string]any{"oid": oid, "tid": tenantID}, signature(i))
				cred := oteltest.Issuing(tok, tok)
				pipelines = append(pipelines, newPipeline(pipelineOptions{policies: []azpolicy.Policy{p}, transport: srv.Client(), cred: cred}))
			}
			for i := range 6 {
				resp, err := send(t.Context(), t, pipelines[i%2], srv.URL(fakeservice.StorageHost)+"/c/b")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			spans := tel.Recorder.Ended()
			if len(spans) != 6 {
				t.Fatalf("spans: %s", tel.SpanNames())
			}
			for i, s := range spans {
				oteltest.CheckAttrs(t, fmt.Sprint("span ", i), s.Attributes(), map[attribute.Key]any{otelx.PrincipalObjectIDKey: oids[i%2]})
			}
		})
	}
}

// challengeSequence answers the tries of a request in turn: a 401 with
// each challenge given, then 200.
func challengeSequence(challenges ...string) (azpolicy.Transporter, *[]*http.Request) {
	var sent []*http.Request
	return transportFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r)
		h := http.Header{}
		status := http.StatusOK
		if i := len(sent) - 1; i < len(challenges) {
			status = http.StatusUnauthorized
			h.Set("WWW-Authenticate", challenges[i])
		}
		return &http.Response{StatusCode: status, Header: h, Request: r, Body: io.NopCloser(strings.NewReader("{}"))}, nil
	}), &sent
}

const (
	discoveryChallenge = `Bearer authorization="https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee", resource="https://vault.azure.net"`
	claimsChallenge    = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzI2MDc3NTk1In19fQ=="`
)

// challengePipeline is a pipeline whose bearer token policy answers
// challenges as Key Vault's does: the first request without a token, a
// discovery challenge through OnChallenge.
func challengePipeline(tel *telemetry, transport azpolicy.Transporter) runtime.Pipeline {
	scopes := []string{"https://vault.azure.net/.default"}
	bearer := runtime.NewBearerTokenPolicy(tokenCredential(), scopes, &azpolicy.BearerTokenOptions{
		AuthorizationHandler: azpolicy.AuthorizationHandler{
			OnRequest: func(*azpolicy.Request, func(azpolicy.TokenRequestOptions) error) error {
				return nil // the first request goes without a token, to get the challenge
			},
			OnChallenge: func(_ *azpolicy.Request, _ *http.Response, authNZ func(azpolicy.TokenRequestOptions) error) error {
				return authNZ(azpolicy.TokenRequestOptions{Scopes: scopes})
			},
		},
	})
	return runtime.NewPipeline("test", "v0.0.0", runtime.PipelineOptions{PerRetry: []azpolicy.Policy{bearer}},
		&azpolicy.ClientOptions{PerRetryPolicies: []azpolicy.Policy{tel.policy(false)}, Transport: transport, Retry: azpolicy.RetryOptions{MaxRetries: -1}})
}

// TestPolicyDiscoveryThenClaimsChallenge follows azcore's bearer token
// policy through a discovery challenge and then a claims challenge on its
// retry, both of which it answers: two challenges, no failure, and the
// last try marked as the retry.
func TestPolicyDiscoveryThenClaimsChallenge(t *testing.T) {
	tel := newTelemetry(t)
	transport, sent := challengeSequence(discoveryChallenge, claimsChallenge)
	resp, err := send(t.Context(), t, challengePipeline(tel, transport), "https://myvault.vault.azure.net/secrets/s?api-version=7.4")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(*sent) != 3 {
		t.Fatalf("status %d after %d tries; want 200 after 3", resp.StatusCode, len(*sent))
	}
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
		t.Errorf("failures counted %v; want none", got)
	}
	host := "server.address=myvault.vault.azure.net"
	if got := tel.Counts(t, otelx.ChallengesMetric); len(got) != 2 || got["azauth.challenge.kind=discovery "+host] != 1 || got["azauth.challenge.kind=claims "+host] != 1 {
		t.Errorf("challenges counted %v; want a discovery and a claims challenge", got)
	}
	spans := tel.SpansNamed("GET myvault.vault.azure.net")
	if len(spans) != 3 {
		t.Fatalf("spans: %s; want the two challenges and the retry", tel.SpanNames())
	}
	for i, want := range []map[attribute.Key]any{
		{otelx.ChallengeKindKey: "discovery", otelx.ChallengeRetryKey: nil, otelx.ClassKey: nil},
		{otelx.ChallengeKindKey: "claims", otelx.ChallengeRetryKey: true, otelx.ClassKey: nil},
		{otelx.ChallengeKindKey: nil, otelx.ChallengeRetryKey: true, otelx.ClassKey: nil, otelx.HTTPStatusCodeKey: int64(200)},
	} {
		oteltest.CheckAttrs(t, fmt.Sprintf("try %d", i+1), spans[i].Attributes(), want)
	}
}

// TestPolicyChallengesAnsweredOnce checks the challenges a client does not
// answer: a second discovery challenge, a challenge after a claims
// challenge, and a discovery challenge to a request that carried a token,
// which refuses that token. Each is a failure.
func TestPolicyChallengesAnsweredOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		challenges []string
		tries      int
		failures   int
		challenged int
	}{
		{"discovery twice", []string{discoveryChallenge, discoveryChallenge}, 2, 1, 1},
		{"discovery, claims, claims", []string{discoveryChallenge, claimsChallenge, claimsChallenge}, 3, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := newTelemetry(t)
			transport, sent := challengeSequence(tc.challenges...)
			resp, err := send(t.Context(), t, challengePipeline(tel, transport), "https://myvault.vault.azure.net/secrets/s?api-version=7.4")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || len(*sent) != tc.tries {
				t.Fatalf("status %d after %d tries; want 401 after %d", resp.StatusCode, len(*sent), tc.tries)
			}
			if got := tel.Counts(t, otelx.FailuresMetric); sum(got) != tc.failures {
				t.Errorf("failures counted %v; want %d", got, tc.failures)
			}
			if got := tel.Counts(t, otelx.ChallengesMetric); sum(got) != tc.challenged {
				t.Errorf("challenges counted %v; want %d", got, tc.challenged)
			}
		})
	}

	// A request with a token: the discovery-shaped 401 refuses the token.
	// A client without a challenge policy returns it.
	tel := newTelemetry(t)
	transport, sent := challengeSequence(discoveryChallenge)
	pl := newPipeline(pipelineOptions{policies: []azpolicy.Policy{tel.policy(false)}, transport: transport, cred: tokenCredential()})
	resp, err := send(t.Context(), t, pl, "https://fakeaccount.blob.core.windows.net/c/b")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || len(*sent) != 1 {
		t.Fatalf("status %d after %d tries; want the 401", resp.StatusCode, len(*sent))
	}
	if got := tel.Counts(t, otelx.FailuresMetric); sum(got) != 1 {
		t.Errorf("failures counted %v; want the 401", got)
	}
	if got := tel.Counts(t, otelx.ChallengesMetric); len(got) != 0 {
		t.Errorf("challenges counted %v; want none", got)
	}
}

func sum(m map[string]int64) int {
	n := 0
	for _, v := range m {
		n += int(v)
	}
	return n
}
