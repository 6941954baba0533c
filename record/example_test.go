package record_test

import (
	"context"
	"errors"
	"fmt"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/otelx"
	"github.com/azauthtrace/azauthtrace/record"
)

// sendMessage stands in for a Service Bus sender's SendMessage, which
// fails with this text when the identity has no Data Sender role on the
// queue.
func sendMessage(context.Context) error {
	return errors.New("(unauthorized): *Error{Condition: amqp:unauthorized-access, Description: Unauthorized access. " +
		"'Send' claim(s) are required to perform this operation. Resource: 'sb://contoso.servicebus.windows.net/orders'. " +
		"TrackingId:0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12, SystemTracker:gateway5, Timestamp:2024-05-01T10:00:00, Info: map[]}")
}

// ExampleRecorder_Error records the diagnosis of an error that no
// pipeline saw, such as a Service Bus or Event Hubs sender's, on the span
// of the operation that returns it.
func ExampleRecorder_Error() {
	recorder := tracetest.NewSpanRecorder()
	tracer := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder)).Tracer("orders")
	rec := record.New(&record.Options{MeterProvider: metricnoop.NewMeterProvider()})

	ctx, span := tracer.Start(context.Background(), "send order")
	if err := sendMessage(ctx); err != nil {
		rec.Error(ctx, err) // or record.Error, with the global meter provider
	}
	span.End()

	s := recorder.Ended()[0]
	fmt.Println(s.Status().Code)
	for _, kv := range s.Attributes() {
		switch kv.Key {
		case otelx.ClassKey, otelx.ErrorCodeKey, otelx.DeniedActionKey, otelx.DeniedScopeKey, otelx.ServiceRequestIDKey:
			fmt.Printf("  %s=%s\n", kv.Key, kv.Value.AsString())
		}
	}
	// Output:
	// Error
	//   azauth.class=permission
	//   azauth.error_code=amqp:unauthorized-access
	//   azure.service.request.id=0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12
	//   azauth.denied.action=Send
	//   azauth.denied.scope=sb://contoso.servicebus.windows.net/orders
}
