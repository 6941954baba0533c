package otelenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The environment variables that choose the exporters, read by Setup
// (through autoexport) and by the console fallback rule.
const (
	envTracesExporter  = "OTEL_TRACES_EXPORTER"
	envMetricsExporter = "OTEL_METRICS_EXPORTER"
	envOTLPEndpoint    = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envTracesEndpoint  = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	envMetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
)

// ExporterConsole is the exporter name of the console (stdout) exporters,
// the value "console" of OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER.
const ExporterConsole = "console"

// Providers are the tracer and meter providers built by [Setup]. Pass them
// to [github.com/azauthtrace/azauthtrace/credential.Options] and
// [github.com/azauthtrace/azauthtrace/authpolicy.Options] (and to azotel), or
// set them as the global providers. Call Shutdown before the program
// exits, or the last spans and metrics are lost.
type Providers struct {
	// TracerProvider exports spans through a batch span processor.
	TracerProvider *sdktrace.TracerProvider
	// MeterProvider exports metrics through a periodic reader (every
	// OTEL_METRIC_EXPORT_INTERVAL, 60 s by default) and at Shutdown.
	MeterProvider *sdkmetric.MeterProvider
	// Resource describes the program in every span and metric.
	Resource *resource.Resource
	// TracesExporter and MetricsExporter name the exporters in use: the
	// OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER values (otlp,
	// console, none, prometheus for metrics), after the defaults.
	TracesExporter, MetricsExporter string
}

// Shutdown flushes the spans and metrics not exported yet, then shuts both
// providers and their exporters down. It returns the errors of both.
func (p *Providers) Shutdown(ctx context.Context) error {
	return errors.Join(p.TracerProvider.Shutdown(ctx), p.MeterProvider.Shutdown(ctx))
}

// Option configures [Setup].
type Option interface {
	apply(*setupConfig)
}

type setupConfig struct {
	serviceName      string
	consoleByDefault bool
	consoleWriter    io.Writer
}

type setupOptionFunc func(*setupConfig)

func (f setupOptionFunc) apply(c *setupConfig) { f(c) }

// WithServiceName sets the service.name of the resource. OTEL_SERVICE_NAME
// and a service.name in OTEL_RESOURCE_ATTRIBUTES take precedence. Without
// this option (and without those variables) the name is the SDK's default,
// "unknown_service:<executable>".
func WithServiceName(name string) Option {
	return setupOptionFunc(func(c *setupConfig) { c.serviceName = name })
}

// WithConsoleByDefault makes the console the default exporter of a signal
// for which the user configured nothing, instead of OTLP to localhost,
// autoexport's default. For traces, "nothing" means that
// OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT and
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT are all unset or empty; for metrics,
// OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT and
// OTEL_EXPORTER_OTLP_METRICS_ENDPOINT. Setting an OTLP endpoint is then
// enough to export to it. The environment is not modified. A program that
// is run by hand, such as an example, wants this; a service usually does
// not.
func WithConsoleByDefault() Option {
	return setupOptionFunc(func(c *setupConfig) { c.consoleByDefault = true })
}

// WithConsoleWriter makes the console exporters write to w instead of
// standard output, for example to os.Stderr so that the program's own
// output stays readable. It applies whenever a signal's exporter is the
// console, chosen by the environment or by [WithConsoleByDefault].
func WithConsoleWriter(w io.Writer) Option {
	return setupOptionFunc(func(c *setupConfig) { c.consoleWriter = w })
}

// Setup builds a tracer provider and a meter provider from the standard
// OpenTelemetry environment variables, with
// go.opentelemetry.io/contrib/exporters/autoexport:
//
//   - OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER choose the exporters:
//     otlp (autoexport's default), console, none, and prometheus for
//     metrics (a /metrics endpoint on OTEL_EXPORTER_PROMETHEUS_HOST and
//     _PORT, localhost:9464 by default). See [WithConsoleByDefault]. Setup
//     builds the console exporters itself (with [WithConsoleWriter]'s
//     writer), as autoexport would, except that OTEL_METRICS_PRODUCERS
//     does not apply to the console.
//   - OTEL_EXPORTER_OTLP_PROTOCOL (or the per-signal
//     OTEL_EXPORTER_OTLP_TRACES_PROTOCOL and _METRICS_PROTOCOL) chooses
//     OTLP's transport, http/protobuf (the default) or grpc;
//     OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS and the rest of the OTLP
//     exporter variables apply as the exporters document.
//   - OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are merged into the
//     resource, over [resource.Default] and [WithServiceName].
//   - OTEL_BSP_* tune the batch span processor and
//     OTEL_METRIC_EXPORT_INTERVAL the periodic metric reader.
//
// Setup does not set the global providers. Call [Providers.Shutdown] when
// done: it flushes.
func Setup(ctx context.Context, opts ...Option) (*Providers, error) {
	var cfg setupConfig
	for _, o := range opts {
		o.apply(&cfg)
	}
	res, err := newResource(ctx, cfg.serviceName)
	if err != nil {
		return nil, err
	}

	// The console exporters are built here, so that their writer can be
	// chosen; autoexport builds every other exporter.
	tracesExp := exporterName(envTracesExporter, envTracesEndpoint, cfg.consoleByDefault)
	var spanExp sdktrace.SpanExporter
	if tracesExp == ExporterConsole {
		var o []stdouttrace.Option
		if cfg.consoleWriter != nil {
			o = append(o, stdouttrace.WithWriter(cfg.consoleWriter))
		}
		spanExp, err = stdouttrace.New(o...)
	} else {
		spanExp, err = autoexport.NewSpanExporter(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("otelx: traces exporter %q: %w", tracesExp, err)
	}

	metricsExp := exporterName(envMetricsExporter, envMetricsEndpoint, cfg.consoleByDefault)
	var reader sdkmetric.Reader
	if metricsExp == ExporterConsole {
		var o []stdoutmetric.Option
		if cfg.consoleWriter != nil {
			o = append(o, stdoutmetric.WithWriter(cfg.consoleWriter))
		}
		var exp sdkmetric.Exporter
		if exp, err = stdoutmetric.New(o...); err == nil {
			reader = sdkmetric.NewPeriodicReader(exp)
		}
	} else {
		reader, err = autoexport.NewMetricReader(ctx)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("otelx: metrics exporter %q: %w", metricsExp, err), spanExp.Shutdown(ctx))
	}

	return &Providers{
		TracerProvider: sdktrace.NewTracerProvider(
			sdktrace.WithResource(res),
			sdktrace.WithBatcher(spanExp),
		),
		MeterProvider: sdkmetric.NewMeterProvider(
			sdkmetric.WithResource(res),
			sdkmetric.WithReader(reader),
		),
		Resource:        res,
		TracesExporter:  tracesExp,
		MetricsExporter: metricsExp,
	}, nil
}

// exporterName returns the exporter a signal uses: the value of its
// OTEL_*_EXPORTER variable, else the console when consoleByDefault and no
// OTLP endpoint is configured for the signal, else otlp.
func exporterName(exporterVar, endpointVar string, consoleByDefault bool) string {
	if v := os.Getenv(exporterVar); v != "" {
		return v
	}
	if consoleByDefault && os.Getenv(envOTLPEndpoint) == "" && os.Getenv(endpointVar) == "" {
		return ExporterConsole
	}
	return "otlp"
}

// newResource returns resource.Default() with service.name set to name
// (when not empty), and OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
// over both. The environment is read on each call.
func newResource(ctx context.Context, name string) (*resource.Resource, error) {
	res := resource.Default()
	if name != "" {
		var err error
		if res, err = resource.Merge(res, resource.NewSchemaless(semconv.ServiceName(name))); err != nil {
			return nil, fmt.Errorf("otelx: resource: %w", err)
		}
	}
	env, err := resource.New(ctx, resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("otelx: resource from OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	if res, err = resource.Merge(res, env); err != nil {
		return nil, fmt.Errorf("otelx: resource: %w", err)
	}
	return res, nil
}
