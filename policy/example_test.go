package policy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// ExampleNew adds the policy to an SDK client's options. Any client of the
// Azure SDK for Go takes it in ClientOptions.PerRetryPolicies; here the
// client is a bare azcore pipeline, and the service a local server that
// answers as Azure Resource Manager does when a role assignment is
// missing.
func ExampleNew() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ms-Correlation-Request-Id", "5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error":{"code":"AuthorizationFailed","message":"The client 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' `+
			`with object id 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' does not have authorization to perform action `+
			`'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '/subscriptions/0000' or the scope is invalid."}}`)
	}))
	defer srv.Close()

	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	opts := azcore.ClientOptions{
		PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{
			TracerProvider: tp,
			MeterProvider:  metricnoop.NewMeterProvider(),
		})},
		Transport: srv.Client(),
	}

	pl := runtime.NewPipeline("example", "v1.0.0", runtime.PipelineOptions{}, &opts)
	req, err := runtime.NewRequest(context.Background(), http.MethodGet, srv.URL+"/subscriptions/0000/resourcegroups?api-version=2022-09-01")
	if err != nil {
		panic(err)
	}
	resp, err := pl.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("status returned:", resp.StatusCode)

	span := recorder.Ended()[0]
	fmt.Println(span.Status().Code, span.Status().Description)
	for _, kv := range span.Attributes() {
		switch kv.Key {
		case otelx.ClassKey, otelx.CorrelationIDKey, otelx.PrincipalObjectIDKey, otelx.DeniedActionKey, otelx.DeniedScopeKey:
			fmt.Printf("  %s=%s\n", kv.Key, kv.Value.AsString())
		}
	}
	// Output:
	// status returned: 403
	// Error 403 permission: AuthorizationFailed
	//   azauth.class=permission
	//   azauth.correlation_id=5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11
	//   azauth.principal.object_id=b9bc1545-a684-4e50-9a4d-2e2ee90bed6a
	//   azauth.denied.action=Microsoft.Resources/subscriptions/resourcegroups/read
	//   azauth.denied.scope=/subscriptions/0000
}
