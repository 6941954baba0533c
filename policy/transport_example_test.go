package policy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// ExampleNewTransport wraps an http.Client's transport. A Kiota client, such as
// msgraph-sdk-go's, takes the same client (see the package
// documentation); here plain net/http code calls a local server that
// answers as Blob Storage does when the token is valid but carries no data
// role.
func ExampleNewTransport() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ms-Request-Id", "4c5b2d1e-501e-0044-3f2a-9c1d2e000000")
		w.Header().Set("X-Ms-Error-Code", "AuthorizationPermissionMismatch")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code>`+
			`<Message>This request is not authorized to perform this operation using this permission.</Message></Error>`)
	}))
	defer srv.Close()

	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	client := &http.Client{Transport: authpolicy.NewTransport(srv.Client().Transport, &authpolicy.Options{
		TracerProvider: tp,
		MeterProvider:  metricnoop.NewMeterProvider(),
	})}

	resp, err := client.Get(srv.URL + "/container/blob.txt")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("status returned:", resp.StatusCode)

	span := recorder.Ended()[0]
	fmt.Println(span.Status().Code, span.Status().Description)
	for _, kv := range span.Attributes() {
		switch kv.Key {
		case otelx.ClassKey, otelx.ErrorCodeKey, otelx.ServiceRequestIDKey:
			fmt.Printf("  %s=%s\n", kv.Key, kv.Value.AsString())
		}
	}
	// Output:
	// status returned: 403
	// Error 403 permission: AuthorizationPermissionMismatch
	//   azauth.class=permission
	//   azauth.error_code=AuthorizationPermissionMismatch
	//   azure.service.request.id=4c5b2d1e-501e-0044-3f2a-9c1d2e000000
}
