// Package otelx is the OpenTelemetry vocabulary of azauthtrace: the
// attribute keys it sets (semantic-convention names where one exists, the
// rest under the "azauth." namespace), the names of its span events and
// metrics, and its instrumentation scope. Use them to query, filter and
// alert on what the credential, policy and record packages record.
package otelx
