package policy_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel/attribute"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// keepingProvider is a TracerProvider whose spans record and keep the
// very slices of attributes they are given, as an SDK that does not copy
// them would.
type keepingProvider struct {
	noop.TracerProvider
	mu   sync.Mutex
	kept [][]attribute.KeyValue
}

func (p *keepingProvider) Tracer(string, ...trace.TracerOption) trace.Tracer {
	return keepingTracer{p: p}
}

type keepingTracer struct {
	noop.Tracer
	p *keepingProvider
}

func (t keepingTracer) Start(ctx context.Context, _ string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	s := &keepingSpan{p: t.p}
	return trace.ContextWithSpan(ctx, s), s
}

type keepingSpan struct {
	noop.Span
	p *keepingProvider
}

func (s *keepingSpan) IsRecording() bool { return true }

func (s *keepingSpan) SetAttributes(kv ...attribute.KeyValue) {
	s.p.mu.Lock()
	s.p.kept = append(s.p.kept, kv)
	s.p.mu.Unlock()
}

// TestPolicyLeavesGivenAttributesAlone records failures into a provider
// that keeps the slices it is given: after later failures, each slice
// still holds what it held.
func TestPolicyLeavesGivenAttributesAlone(t *testing.T) {
	srv := fakeServices()
	defer srv.Close()
	tp := &keepingProvider{}
	pl := newPipeline(pipelineOptions{
		policies:  []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider()})},
		transport: srv.Client(),
		cred:      tokenCredential(),
	})
	send1 := func(path string) {
		resp, err := send(t.Context(), t, pl, srv.URL(fakeservice.ARMHost)+path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
	}
	send1("/subscriptions/s/resourcegroups?api-version=2022-09-01")
	tp.mu.Lock()
	first := make([][]attribute.KeyValue, len(tp.kept))
	for i, kv := range tp.kept {
		first[i] = append([]attribute.KeyValue(nil), kv...)
	}
	tp.mu.Unlock()
	if len(first) == 0 {
		t.Fatal("nothing recorded")
	}
	for range 3 {
		send1("/subscriptions/s/providers?api-version=2022-09-01")
	}
	tp.mu.Lock()
	defer tp.mu.Unlock()
	class := false
	for i, want := range first {
		got := tp.kept[i]
		if len(got) != len(want) {
			t.Fatalf("slice %d: %d attributes, had %d", i, len(got), len(want))
		}
		for j := range want {
			if got[j] != want[j] {
				t.Errorf("slice %d attribute %d: %v, was %v", i, j, got[j], want[j])
			}
			class = class || got[j].Key == otelx.ClassKey
		}
	}
	if !class {
		t.Error("no class among the attributes the policy gave")
	}
}
