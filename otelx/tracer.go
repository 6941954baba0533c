package otelx

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
)

// ScopeName is the instrumentation scope name of every tracer and meter of
// this module.
const ScopeName = "github.com/azauthtrace/azauthtrace"

// Tracer returns the module's tracer from tp, or from the global provider
// when tp is nil.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(ScopeName,
		trace.WithInstrumentationVersion(azauthtrace.Version),
		trace.WithSchemaURL(semconv.SchemaURL))
}

// Meter returns the module's meter from mp, or from the global provider
// when mp is nil.
func Meter(mp metric.MeterProvider) metric.Meter {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	return mp.Meter(ScopeName,
		metric.WithInstrumentationVersion(azauthtrace.Version),
		metric.WithSchemaURL(semconv.SchemaURL))
}
