package oteltest_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
)

// recorder is a testing.TB that keeps its failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}

func TestTextHoldsEveryPlace(t *testing.T) {
	tel := oteltest.New(t)
	ctx, link := tel.TracerProvider.Tracer("test").Start(t.Context(), "link-target")
	link.End()
	_, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "span-name",
		trace.WithAttributes(attribute.String("span-key", "span-value")),
		trace.WithLinks(trace.Link{SpanContext: trace.SpanContextFromContext(ctx), Attributes: []attribute.KeyValue{attribute.String("link-key", "link-value")}}))
	span.AddEvent("event-name", trace.WithAttributes(attribute.String("event-key", "event-value")))
	span.SetStatus(codes.Error, "status-description")
	span.End()
	meter := tel.MeterProvider.Meter("meter-scope")
	counter, _ := meter.Int64Counter("counter-name", metric.WithDescription("counter-description"), metric.WithUnit("counter-unit"))
	counter.Add(t.Context(), 2, metric.WithAttributes(attribute.String("counter-key", "counter-value")))
	histogram, _ := meter.Float64Histogram("histogram-name")
	histogram.Record(t.Context(), 1, metric.WithAttributes(attribute.String("histogram-key", "histogram-value")))
	gauge, _ := meter.Float64Gauge("gauge-name")
	gauge.Record(t.Context(), 1, metric.WithAttributes(attribute.String("gauge-key", "gauge-value")))

	text := tel.Text(t)
	for _, want := range []string{
		"span span-name", "span-key=span-value", "event event-name", "event-key=event-value",
		"status-description", "link-key=link-value", "service.name=",
		"meter-scope", "counter-name", "counter-description", "counter-unit", "counter-key=counter-value",
		"histogram-name", "histogram-key=histogram-value", "gauge-name", "gauge-value",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}

	r := &recorder{TB: t}
	tel.AssertNoneOf(r, "event-value", "counter-value", "not-there")
	if len(r.errors) != 2 {
		t.Errorf("AssertNoneOf reported %d failures, want 2", len(r.errors))
	}
	if got := tel.Counts(t, "counter-name"); len(got) != 1 || got["counter-key=counter-value"] != 2 {
		t.Errorf("Counts = %v", got)
	}
}

func TestCheckAttrs(t *testing.T) {
	kvs := []attribute.KeyValue{attribute.String("s", "v"), attribute.Int64("n", 1), attribute.Bool("b", true)}
	r := &recorder{TB: t}
	oteltest.CheckAttrs(r, "ok", kvs, map[attribute.Key]any{"s": "v", "n": int64(1), "absent": nil})
	if len(r.errors) != 0 {
		t.Errorf("CheckAttrs failed on matching attributes: %v", r.errors)
	}
	oteltest.CheckAttrs(r, "bad", kvs, map[attribute.Key]any{"s": "w", "n": 1, "b": nil, "missing": "x"})
	if len(r.errors) != 4 {
		t.Errorf("CheckAttrs reported %d failures, want 4", len(r.errors))
	}
}

func TestJWT(t *testing.T) {
	parts := strings.Split(oteltest.JWT("kid-1", map[string]any{"oid": "o"}, "sig"), ".")
	var got []string
	for _, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	want := []string{`{"alg":"RS256","typ":"JWT","kid":"kid-1"}`, `{"oid":"o"}`, "sig"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("JWT parts %q, want %q", got, want)
	}
	if h, _, _ := strings.Cut(oteltest.JWT("", nil, ""), "."); h != base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) {
		t.Errorf("header without kid: %s", h)
	}
}

func TestIssuing(t *testing.T) {
	var cred azcore.TokenCredential = oteltest.Issuing("plain", "with-claims")
	for claims, want := range map[string]string{"": "plain", "c": "with-claims"} {
		tk, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Claims: claims})
		if err != nil || tk.Token != want || tk.ExpiresOn.IsZero() {
			t.Errorf("claims %q: got %+v, %v; want %q", claims, tk, err, want)
		}
	}
	failing := oteltest.FakeCredential(func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{}, errors.New("denied")
	})
	if _, err := failing.GetToken(t.Context(), policy.TokenRequestOptions{}); err == nil || err.Error() != "denied" {
		t.Errorf("error %v, want the function's", err)
	}
}
