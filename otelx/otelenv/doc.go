// Package otelenv builds OpenTelemetry tracer and meter providers from the
// standard OTEL_* environment variables (OTLP over HTTP or gRPC, the
// console, Prometheus), through the contrib autoexport package.
//
// It is a package of its own so that programs which only use the
// credential and policy packages do not link every exporter: import it in
// the main package of a program that wants its telemetry set up from the
// environment, as the example does.
package otelenv
