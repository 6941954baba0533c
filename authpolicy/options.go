package authpolicy

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options configures a [Policy]. The zero value is valid.
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
	// (azauth.principal.name): the user principal name, e-mail address or
	// display name in the access token, or the client name a service
	// named in its error message. These are personal data. Default false:
	// only identifiers (tenant, object, application and managed identity
	// IDs) and the identity type are recorded.
	RecordPrincipalNames bool

	// Attributes are added to every span and span event the policy
	// records, for example to tell clients apart. They are not added to
	// metrics. The default, nil, adds none.
	Attributes []attribute.KeyValue

	// Filter, when set, is called with each response the policy would
	// record, and the request sent; when it returns false, nothing is
	// recorded or counted for it (for example, hosts or statuses to leave
	// alone). The request and response must not be changed. The default,
	// nil, records every one.
	Filter func(*http.Request, *http.Response) bool

	// SpanNameFormatter, when set, names the spans of the policy's own
	// (when azcore's tracing is off). The name is recorded as it is: keep
	// secrets and identifiers out of it. The default, nil, names them
	// "<method> <host>", such as "GET management.azure.com".
	SpanNameFormatter func(*http.Request) string
}
