// Package otelx is the OpenTelemetry vocabulary of azauthtrace: the
// attribute keys (semantic-convention names where one exists, the rest
// under the "azauth." namespace), the conversion of a
// [github.com/azauthtrace/azauthtrace.Failure] to attributes, the
// instrumentation scope. Its subpackage otelenv builds tracer and meter
// providers from the standard OTEL_* environment variables (OTLP over
// http/protobuf or gRPC, the console, Prometheus) with autoexport.
package otelx
