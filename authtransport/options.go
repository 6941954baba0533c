package authtransport

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options configures a [Transport]. Pass nil to [New] to accept the default
// values.
type Options struct {
	// TracerProvider provides the tracer for failure spans. Nil means
	// otel.GetTracerProvider(), read when New is called. To record no
	// spans, and still count, pass trace/noop's NewTracerProvider().
	TracerProvider trace.TracerProvider

	// MeterProvider provides the meter for the failures and challenges
	// counters (azauth.failures, azauth.challenges). Nil means
	// otel.GetMeterProvider(), read when New is called. To count
	// nothing, and still record spans, pass metric/noop's
	// NewMeterProvider().
	MeterProvider metric.MeterProvider

	// RecordPrincipalNames records the denied principal's name
	// (azauth.principal.name), which is personal data. Default false:
	// only identifiers and the identity type are recorded.
	RecordPrincipalNames bool

	// AnswersClaimsChallenges says that the client answers Continuous
	// Access Evaluation claims challenges by itself, as Kiota's request
	// adapter (and so msgraph-sdk-go) does: such a 401 is then recorded as
	// a challenge, not as a failure. Default false: a client of plain
	// net/http gets the 401, which is a failure.
	AnswersClaimsChallenges bool

	// Attributes are added to every span and span event the transport
	// records. They are not added to metrics. The default, nil, adds
	// none.
	Attributes []attribute.KeyValue

	// Filter, when set, is called with each response the transport would
	// record, and the request sent; when it returns false, nothing is
	// recorded or counted for it. The request and response must not be
	// changed. The default, nil, records every one.
	Filter func(*http.Request, *http.Response) bool

	// SpanNameFormatter, when set, names the transport's spans. The name
	// is recorded as it is: keep secrets and identifiers out of it. The
	// default, nil, names them "<method> <host>".
	SpanNameFormatter func(*http.Request) string
}
