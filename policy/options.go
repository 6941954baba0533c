package policy

import (
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options configures a [Policy]. The zero value is valid.
type Options struct {
	// TracerProvider provides the tracer for failure spans. Nil means
	// otel.GetTracerProvider(), read when New is called.
	TracerProvider trace.TracerProvider

	// MeterProvider provides the meter for the failures counter
	// (azauth.failures). Nil means otel.GetMeterProvider(), read when New
	// is called.
	MeterProvider metric.MeterProvider

	// RecordPrincipalNames records the denied principal's name
	// (azauth.principal.name): the user principal name, e-mail address or
	// display name in the access token, or the client name a service
	// named in its error message. These are personal data. Default false:
	// only identifiers (tenant, object, application and managed identity
	// IDs) and the identity type are recorded.
	RecordPrincipalNames bool
}
