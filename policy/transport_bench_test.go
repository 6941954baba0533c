package policy_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// memory answers every request from memory with a fixed status and body.
type memory struct {
	status int
	header http.Header
	body   string
}

func (m memory) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: m.status, Header: m.header, Body: io.NopCloser(strings.NewReader(m.body)), Request: req}, nil
}

// passThrough is a RoundTripper that only calls the one it wraps: the
// floor of any wrapping transport.
type passThrough struct{ base http.RoundTripper }

func (p passThrough) RoundTrip(req *http.Request) (*http.Response, error) {
	return p.base.RoundTrip(req)
}

// BenchmarkTransport sends requests through the transport and, side by
// side, through a pass-through RoundTripper and otelhttp's transport, with
// a recording SDK, to a transport that answers from memory: 200, or ARM's
// 403 AuthorizationFailed.
func BenchmarkTransport(b *testing.B) {
	arm := corpus.MustGet("arm_403_authorization_failed")
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(oteltest.Discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(b.Context())
		_ = mp.Shutdown(b.Context())
	})
	tok := "Bearer " + transportToken(nil)
	for _, status := range []int{http.StatusOK, http.StatusForbidden} {
		base := memory{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: `{"value":[]}`}
		if status != http.StatusOK {
			base = memory{status: status, header: arm.Header(), body: arm.Body}
		}
		for _, s := range []struct {
			name string
			rt   http.RoundTripper
		}{
			{"passthrough", passThrough{base}},
			{"authtransport", authpolicy.NewTransport(base, &authpolicy.Options{TracerProvider: tp, MeterProvider: mp})},
			{"authtransport-nometrics", authpolicy.NewTransport(base, &authpolicy.Options{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider()})},
			{"otelhttp", otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp))},
		} {
			b.Run("status="+strconv.Itoa(status)+"/setup="+s.name, func(b *testing.B) {
				req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01", nil)
				req.Header.Set("Authorization", tok)
				b.ReportAllocs()
				for b.Loop() {
					resp, err := s.rt.RoundTrip(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
	}
}
