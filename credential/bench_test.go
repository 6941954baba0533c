package credential_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

var benchToken = azcore.AccessToken{Token: "t", ExpiresOn: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}

func benchInner() azcore.TokenCredential { return returning(benchToken, nil) }

func benchOptions() policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{armScope}, EnableCAE: true}
}

func runGetToken(b *testing.B, cred azcore.TokenCredential) {
	b.Helper()
	b.ReportAllocs()
	ctx, opts := context.Background(), benchOptions()
	for b.Loop() {
		if _, err := cred.GetToken(ctx, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetToken(b *testing.B) {
	recording := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(oteltest.Discard{}))
	never := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()), sdktrace.WithSpanProcessor(oteltest.Discard{}))
	noMetrics := metricnoop.NewMeterProvider()
	sdkMetrics := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = recording.Shutdown(context.Background())
		_ = never.Shutdown(context.Background())
		_ = sdkMetrics.Shutdown(context.Background())
	})
	wrap := func(tp trace.TracerProvider, mp metric.MeterProvider) azcore.TokenCredential {
		return credential.New(benchInner(), &credential.Options{TracerProvider: tp, MeterProvider: mp})
	}

	b.Run("direct", func(b *testing.B) { runGetToken(b, benchInner()) })
	b.Run("noop", func(b *testing.B) { runGetToken(b, wrap(tracenoop.NewTracerProvider(), noMetrics)) })
	b.Run("never-sampled", func(b *testing.B) { runGetToken(b, wrap(never, noMetrics)) })
	b.Run("never-sampled/hand-written", func(b *testing.B) { runGetToken(b, handWritten(never)) })
	b.Run("recording", func(b *testing.B) { runGetToken(b, wrap(recording, noMetrics)) })
	b.Run("recording/hand-written", func(b *testing.B) { runGetToken(b, handWritten(recording)) })
	b.Run("noop/sdk-metrics", func(b *testing.B) { runGetToken(b, wrap(tracenoop.NewTracerProvider(), sdkMetrics)) })
	b.Run("recording/sdk-metrics", func(b *testing.B) { runGetToken(b, wrap(recording, sdkMetrics)) })

	unavailable := azidentity.NewCredentialUnavailableError("AzureCLICredential: executable not found on path")
	failing := func(tp trace.TracerProvider) azcore.TokenCredential {
		return credential.New(returning(azcore.AccessToken{}, unavailable), &credential.Options{TracerProvider: tp, MeterProvider: noMetrics})
	}
	runFailing := func(b *testing.B, cred azcore.TokenCredential) {
		b.ReportAllocs()
		ctx, opts := context.Background(), benchOptions()
		for b.Loop() {
			if _, err := cred.GetToken(ctx, opts); err == nil {
				b.Fatal("no error")
			}
		}
	}
	b.Run("failure/direct", func(b *testing.B) { runFailing(b, returning(azcore.AccessToken{}, unavailable)) })
	b.Run("failure/noop", func(b *testing.B) { runFailing(b, failing(tracenoop.NewTracerProvider())) })
	b.Run("failure/recording", func(b *testing.B) { runFailing(b, failing(recording)) })
}

// handWritten returns a credential that records the span a user would
// write by hand: the same name, kind and success attributes as the
// decorator's, and no metrics.
func handWritten(tp trace.TracerProvider) azcore.TokenCredential {
	inner := benchInner()
	tracer := recorder.Tracer(tp)
	return oteltest.FakeCredential(func(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
		ctx, span := tracer.Start(ctx, "FakeCredential.GetToken", trace.WithSpanKind(trace.SpanKindInternal))
		defer span.End()
		tk, err := inner.GetToken(ctx, opts)
		if span.IsRecording() {
			span.SetAttributes(
				otelx.CredentialTypeKey.String("FakeCredential"),
				otelx.TokenScopesKey.String(strings.Join(opts.Scopes, " ")),
				otelx.TokenCAEKey.Bool(opts.EnableCAE),
				otelx.TokenClaimsKey.Bool(opts.Claims != ""),
				otelx.TokenExpiresOnKey.String(tk.ExpiresOn.UTC().Format(time.RFC3339)),
			)
		}
		return tk, err
	})
}
