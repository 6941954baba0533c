// Package otelx is the OpenTelemetry vocabulary of azauthtrace: the
// attribute keys (semantic-convention names where one exists, the rest
// under the "azauth." namespace), the conversion of a
// [github.com/azauthtrace/azauthtrace.Failure] to attributes, and the
// instrumentation scope.
package otelx
