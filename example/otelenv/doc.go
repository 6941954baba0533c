// Package otelenv builds OpenTelemetry tracer and meter providers from the
// standard OTEL_* environment variables (OTLP over HTTP or gRPC, the
// console, Prometheus), through the contrib autoexport package, for the
// example program.
//
// It lives in the example's module so that the library's module requires
// no exporter: a program that imports the credential, policy and record
// packages
// chooses its own exporters, or sets its providers up with autoexport as
// this package does.
package otelenv
