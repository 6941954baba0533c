package e2e_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// otlpReceiver is a local OTLP/HTTP trace endpoint that decodes every
// export request and keeps its strings.
type otlpReceiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	strings []string
	spans   int
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	r := &otlpReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var msg collectortrace.ExportTraceServiceRequest
		if err == nil {
			err = proto.Unmarshal(body, &msg)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		var add func(kvs []*commonpb.KeyValue)
		add = func(kvs []*commonpb.KeyValue) {
			for _, kv := range kvs {
				r.strings = append(r.strings, kv.GetKey(), kv.GetValue().GetStringValue())
			}
		}
		for _, rs := range msg.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					r.spans++
					r.strings = append(r.strings, s.GetName(), s.GetStatus().GetMessage())
					add(s.GetAttributes())
					for _, e := range s.GetEvents() {
						r.strings = append(r.strings, e.GetName())
						add(e.GetAttributes())
					}
				}
			}
		}
		b, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(b)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// erroringExporter keeps the errors of the exporter it wraps.
type erroringExporter struct {
	sdktrace.SpanExporter
	mu   sync.Mutex
	errs []error
}

func (e *erroringExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := e.SpanExporter.ExportSpans(ctx, spans)
	if err != nil {
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	}
	return err
}

func newOTLPProvider(t *testing.T, r *otlpReceiver) (*sdktrace.TracerProvider, *erroringExporter) {
	exp, err := otlptracehttp.New(t.Context(), otlptracehttp.WithEndpointURL(r.srv.URL+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	e := &erroringExporter{SpanExporter: exp}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(e))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp, e
}

// hostileBytes are bytes no protobuf string may hold, and a character
// cut in two.
const hostileBytes = "bad \xff\xfe\xc3 bytes \xc3"

// TestOTLPExportOfHostileBytes sends the failures of services and of an
// identity provider whose answers hold invalid UTF-8 in every field
// through the real OTLP/HTTP exporter to a local receiver: every export
// succeeds and every string the receiver decodes is valid UTF-8. Without
// the library's cleaning, the exporter would refuse the whole batch, the
// application's own spans included; the test shows that it does, for a
// span given such bytes directly.
func TestOTLPExportOfHostileBytes(t *testing.T) {
	r := newOTLPReceiver(t)
	tp, exp := newOTLPProvider(t, r)

	// Services: a 403 with the bytes in the body's code and message, the
	// request and correlation IDs, the error code header and the
	// challenge.
	svc := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		for _, h := range []string{"X-Ms-Request-Id", "X-Ms-Correlation-Request-Id", "X-Ms-Client-Request-Id", "X-Ms-Error-Code"} {
			w.Header().Set(h, hostileBytes)
		}
		w.Header().Set("Www-Authenticate", `Bearer error="`+hostileBytes+`", error_description="`+hostileBytes+`", authorization_uri="https://login.windows.net/`+hostileBytes+`"`)
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"error":{"code":"`+hostileBytes+`","message":"The client '`+hostileBytes+`' with object id '`+hostileBytes+
			`' does not have authorization to perform action '`+hostileBytes+`' over scope '`+hostileBytes+`'."}}`)
	}))
	defer svc.Close()
	token := strings.Join([]string{"eyJhbGciOiJub25lIn0", "eyJvaWQiOiJcdTAwZmYiLCJ0aWQiOiLDIn0", "c2ln"}, ".") // claims with odd bytes
	cred := oteltest.Issuing(token, token)
	for _, traced := range []bool{false, true} {
		opts := &azcore.ClientOptions{
			Transport:        svc.Client(),
			Retry:            azpolicy.RetryOptions{MaxRetries: -1},
			PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider(), RecordPrincipalNames: true})},
		}
		if traced {
			opts.TracingProvider = azotel.NewTracingProvider(tp, nil)
		}
		c, err := azcore.NewClient("e2e.hostileClient", "v1.0.0", runtime.PipelineOptions{
			PerRetry: []azpolicy.Policy{runtime.NewBearerTokenPolicy(cred, []string{"https://management.azure.com/.default"}, nil)},
		}, opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx, span := c.Tracer().Start(t.Context(), "hostileClient.Get", nil)
		req, err := runtime.NewRequest(ctx, http.MethodGet, svc.URL+"/subscriptions/s")
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := c.Pipeline().Do(req); err == nil {
			resp.Body.Close()
		}
		span.End()
	}

	// An identity provider that answers a token request with the bytes
	// in every field of its error.
	e := fakeentra.NewEntra(t, fakeentra.Response{
		Status: http.StatusUnauthorized,
		Header: http.Header{"X-Ms-Request-Id": {hostileBytes}, "Client-Request-Id": {hostileBytes}},
		Body: `{"error":"` + hostileBytes + `","error_description":"AADSTS7000215: ` + hostileBytes + `","error_codes":[7000215],"timestamp":"` + hostileBytes +
			`","trace_id":"` + hostileBytes + `","correlation_id":"` + hostileBytes + `","error_uri":"https://login.microsoftonline.com/error?code=` + hostileBytes + `"}`,
	})
	inner, err := azidentity.NewClientSecretCredential("aaaabbbb-0000-cccc-1111-dddd2222eeee", "00001111-aaaa-2222-bbbb-3333cccc4444", "secret",
		&azidentity.ClientSecretCredentialOptions{ClientOptions: e.ClientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	decorated := credential.New(inner, &credential.Options{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider()})
	if _, err := decorated.GetToken(t.Context(), azpolicy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}}); err == nil {
		t.Fatal("GetToken succeeded")
	}

	if err := tp.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	exp.mu.Lock()
	errs := exp.errs
	exp.mu.Unlock()
	if len(errs) > 0 {
		t.Fatalf("the exporter refused the spans: %v", errs)
	}
	r.mu.Lock()
	spans, strs := r.spans, r.strings
	r.mu.Unlock()
	if spans < 4 {
		t.Fatalf("the receiver got %d spans; want the policy's, the SDK's two and the decorator's", spans)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			t.Errorf("the receiver decoded %q", s)
		}
	}

	// The control: the same bytes given to a span directly make the
	// exporter refuse the batch.
	_, raw := tp.Tracer("control").Start(t.Context(), "raw")
	raw.SetAttributes(attribute.String("raw", hostileBytes))
	raw.End()
	exp.mu.Lock()
	defer exp.mu.Unlock()
	if len(exp.errs) == 0 {
		t.Error("the exporter took invalid UTF-8: the test shows nothing")
	}
}
