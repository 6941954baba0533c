package recorder

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Tracer returns the module's tracer from tp, or from the global provider
// when tp is nil.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(otelx.ScopeName,
		trace.WithInstrumentationVersion(azauthtrace.Version),
		trace.WithSchemaURL(otelx.SchemaURL))
}

// Meter returns the module's meter from mp, or from the global provider
// when mp is nil.
func Meter(mp metric.MeterProvider) metric.Meter {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	return mp.Meter(otelx.ScopeName,
		metric.WithInstrumentationVersion(azauthtrace.Version),
		metric.WithSchemaURL(otelx.SchemaURL))
}

// Counter creates the counter name on meter. When the meter refuses it,
// the error goes to otel.Handle and a no-op counter takes its place:
// telemetry never fails the caller.
func Counter(meter metric.Meter, name, unit, description string) metric.Int64Counter {
	c, err := meter.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(description))
	if err != nil {
		otel.Handle(err)
	}
	if c == nil {
		return metricnoop.Int64Counter{}
	}
	return c
}

// Histogram creates the histogram name on meter with the bucket
// boundaries given, or a no-op histogram, as Counter does.
func Histogram(meter metric.Meter, name, unit, description string, boundaries ...float64) metric.Float64Histogram {
	h, err := meter.Float64Histogram(name, metric.WithUnit(unit), metric.WithDescription(description),
		metric.WithExplicitBucketBoundaries(boundaries...))
	if err != nil {
		otel.Handle(err)
	}
	if h == nil {
		return metricnoop.Float64Histogram{}
	}
	return h
}
