package record_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	"github.com/azauthtrace/azauthtrace/record"
)

// sendDenied is the text of azservicebus's error for a sender without the
// Send claim, with a SAS signature the service echoed.
const sendDenied = "(unauthorized): *Error{Condition: amqp:unauthorized-access, Description: Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: 'sb://contoso-sb.servicebus.windows.net/orders?sig=LeakRecordSig9x'. TrackingId:0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12, SystemTracker:gateway5, Timestamp:2024-05-01T10:00:00, Info: map[]}"

// TestError records the diagnosis of a Service Bus send on the sender's
// span, with the denied claim and entity, counts it by class and status,
// and leaves the error as it is.
func TestError(t *testing.T) {
	tel := oteltest.New(t)
	r := record.New(&record.Options{MeterProvider: tel.MeterProvider, Attributes: []attribute.KeyValue{attribute.String("app.queue", "orders")}})
	ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "Sender.SendMessage")
	err := fmt.Errorf("sending the order: %w", errors.New(sendDenied))
	f, ok := r.Error(ctx, err)
	span.End()
	if !ok || f.Class != "permission" || f.Action != "Send" {
		t.Fatalf("Error = %+v, %v", f, ok)
	}
	s := tel.Recorder.Ended()[0]
	oteltest.CheckAttrs(t, "span", s.Attributes(), map[attribute.Key]any{
		otelx.ClassKey:            "permission",
		otelx.ErrorCodeKey:        "amqp:unauthorized-access",
		otelx.ServiceRequestIDKey: "0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12",
		otelx.DeniedActionKey:     "Send",
		otelx.ServiceKey:          "Azure Service Bus",
		"app.queue":               "orders",
	})
	if s.Status().Code != codes.Error || len(s.Events()) != 1 || s.Events()[0].Name != otelx.FailureEvent {
		t.Errorf("status %v, events %v; want Error and one failure event", s.Status(), s.Events())
	}
	counts := tel.Counts(t, otelx.FailuresMetric)
	if counts["azauth.class=permission http.response.status_code=401"] != 1 || len(counts) != 1 {
		t.Errorf("failures %v", counts)
	}
	tel.AssertNoneOf(t, "LeakRecordSig9x")
}

// TestErrorLeavesOthersAlone records nothing for an error that says
// nothing about authentication, and does not count a token request's
// failure, which the credential decorator counts.
func TestErrorLeavesOthersAlone(t *testing.T) {
	tel := oteltest.New(t)
	r := record.New(&record.Options{MeterProvider: tel.MeterProvider})
	ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "op")
	if _, ok := r.Error(ctx, errors.New("disk full")); ok {
		t.Error("an unrelated error was recognised")
	}
	if _, ok := r.Error(ctx, errors.New("AzureCLICredential: executable not found on path")); !ok {
		t.Error("a credential's error was not recognised")
	}
	span.End()
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
		t.Errorf("failures %v; want none: token failures are the decorator's to count", got)
	}
	if s := tel.Recorder.Ended()[0]; len(s.Events()) != 1 {
		t.Errorf("events %v; want the credential's failure only", s.Events())
	}
	// The package's Error, with the global providers, records nothing
	// here (no SDK is set up) and still returns the diagnosis.
	if f, ok := record.Error(t.Context(), errors.New(sendDenied)); !ok || f.Class != "permission" {
		t.Errorf("record.Error = %+v, %v", f, ok)
	}
}

// TestErrorWithoutStatus counts a failure whose error names no HTTP status
// (Graph's message alone) without a status code, as its span has none.
func TestErrorWithoutStatus(t *testing.T) {
	tel := oteltest.New(t)
	r := record.New(&record.Options{MeterProvider: tel.MeterProvider})
	ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "op")
	f, ok := r.Error(ctx, errors.New("Insufficient privileges to complete the operation."))
	span.End()
	if !ok || f.Class != "permission" || f.StatusCode != 0 {
		t.Fatalf("Error = %+v, %v; want a permission failure without a status", f, ok)
	}
	s := tel.Recorder.Ended()[0]
	oteltest.CheckAttrs(t, "span", s.Attributes(), map[attribute.Key]any{
		otelx.ClassKey:          "permission",
		otelx.HTTPStatusCodeKey: nil,
	})
	if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 1 || got["azauth.class=permission"] != 1 {
		t.Errorf("failures %v; want one, by class only", got)
	}
}

type panickyInner struct{ status int }

func (e *panickyInner) GetStatusCode() int { return e.status }

// panickyError promotes GetStatusCode through a nil embedded pointer: the
// method panics when called.
type panickyError struct{ *panickyInner }

func (panickyError) Error() string { return "api error" }

// TestErrorNeverPanics gives Error an error whose methods panic: telemetry
// must not crash the caller's error path.
func TestErrorNeverPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("record.Error panicked: %v", r)
		}
	}()
	if _, ok := record.Error(t.Context(), panickyError{}); ok {
		t.Error("recognised an error it could not read")
	}
}

// TestErrorMetricIsBounded records thousands of hostile errors, each with
// its own host and status in its text: the failures counter's series come
// from bounded sets only (the class, and 401 or 403), never from the text.
func TestErrorMetricIsBounded(t *testing.T) {
	tel := oteltest.New(t)
	r := record.New(&record.Options{MeterProvider: tel.MeterProvider})
	for i := range 5000 {
		status := 400 + i%200
		err := fmt.Errorf("GET https://host%d.blob.core.windows.net/c/b\n"+
			"--------------------------------------------------------------------------------\n"+
			"RESPONSE %d %s\n"+
			"--------------------------------------------------------------------------------\n"+
			"ERROR CODE: AuthorizationPermissionMismatch\n", i, status, http.StatusText(status))
		r.Error(t.Context(), err)
	}
	counts := tel.Counts(t, otelx.FailuresMetric)
	if len(counts) > 2*len(azauthtrace.Classes()) {
		t.Errorf("%d series of %s; want at most one per class and status 401 or 403", len(counts), otelx.FailuresMetric)
	}
	for series := range counts {
		if strings.Contains(series, "server.address") {
			t.Errorf("series %s has a host taken from the text", series)
		}
	}
}
