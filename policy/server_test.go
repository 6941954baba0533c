package policy_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// TestServerSpanUnchanged runs a service instrumented with otelhttp on
// both sides, as many are: otelhttp.NewHandler on its server, and
// otelhttp.NewTransport under its Azure client, with azcore's tracing
// off. A request the handler makes gets ARM's 403, and the handler
// answers 200 or 502. The server span must be exactly what it is without
// the policy (its attributes, events and status are otelhttp's and the
// handler's), and the 403 is diagnosed once, on a span of the library's
// own.
func TestServerSpanUnchanged(t *testing.T) {
	arm := fakeServices()
	defer arm.Close()
	for _, status := range []int{http.StatusOK, http.StatusBadGateway} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			server := func(withPolicy bool) (*telemetry, sdktrace.ReadOnlySpan) {
				tel := newTelemetry(t)
				var policies []azpolicy.Policy
				if withPolicy {
					policies = append(policies, tel.policy(false))
				}
				transport := &http.Client{Transport: otelhttp.NewTransport(arm.Client().Transport, otelhttp.WithTracerProvider(tel.TracerProvider))}
				pl := newPipeline(pipelineOptions{policies: policies, transport: transport, cred: tokenCredential()})
				h := otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					resp, err := send(r.Context(), t, pl, arm.URL(fakeservice.ARMHost)+"/subscriptions/s/resourcegroups?api-version=2022-09-01")
					if err == nil {
						resp.Body.Close()
					}
					w.WriteHeader(status)
				}), "groups", otelhttp.WithTracerProvider(tel.TracerProvider))
				srv := httptest.NewServer(h)
				defer srv.Close()
				resp, err := http.Get(srv.URL + "/groups")
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				srv.Close() // the handler's span has ended
				var spans []sdktrace.ReadOnlySpan
				for _, s := range tel.Recorder.Ended() {
					if s.SpanKind() == trace.SpanKindServer {
						spans = append(spans, s)
					}
				}
				if len(spans) != 1 {
					t.Fatalf("server spans: %s", tel.SpanNames())
				}
				return tel, spans[0]
			}
			_, without := server(false)
			tel, with := server(true)

			if got, want := stable(with.Attributes()), stable(without.Attributes()); !slices.Equal(got, want) {
				t.Errorf("server span attributes\n%v\nwithout the policy\n%v", got, want)
			}
			if len(with.Events()) != len(without.Events()) || with.Status() != without.Status() {
				t.Errorf("server span events %v, status %v; without the policy %v, %v", with.Events(), with.Status(), without.Events(), without.Status())
			}
			ours := tel.SpansNamed("GET " + fakeservice.ARMHost)
			if len(ours) != 1 || ours[0].Status().Code != codes.Error {
				t.Fatalf("spans %s; want one of the library's own, in Error", tel.SpanNames())
			}
			if n := tel.Counts(t, otelx.FailuresMetric)["azauth.class=permission http.response.status_code=403 server.address="+fakeservice.ARMHost]; n != 1 {
				t.Errorf("failures counted %d, want 1", n)
			}
		})
	}
}

// stable returns the attributes as key=value strings, without those whose
// values differ from run to run (the client's port).
func stable(kvs []attribute.KeyValue) []string {
	var out []string
	for _, kv := range kvs {
		switch kv.Key {
		case "network.peer.port", "client.port", "server.port", "network.peer.address", "client.address", "user_agent.original":
			continue
		}
		out = append(out, string(kv.Key)+"="+kv.Value.Emit())
	}
	slices.Sort(out)
	return out
}
