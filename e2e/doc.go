// Package e2e holds end-to-end tests of azauthtrace with real Azure SDK
// clients whose dependency graphs are too large for the library's own
// go.mod: the azblob client against local fake services. It is a separate
// module that uses the library from the parent directory; run its tests
// from this directory with go test ./...
//
// The Jaeger test runs the example against a real Jaeger v2, built from the
// tools-only module in ./jaeger (its dependencies conflict with this
// module's). The first build takes minutes; build it before the tests with
// (cd jaeger && GOWORK=off go tool -n jaeger), as test.sh does.
//
// The Prometheus tests load the alert rules of ../alerts into a real
// Prometheus 3, fed the scenarios' metrics through its OTLP receiver and by
// scraping the OpenTelemetry Prometheus exporter, and run promtool's unit
// tests of the rules. Prometheus and promtool are built from the tools-only
// module in ./prometheus; build them before the tests with
// (cd prometheus && GOWORK=off go tool -n prometheus && GOWORK=off go tool -n promtool),
// as test.sh does. TestSpanCounts runs the scenarios' spans through the
// collector of ./otelcol with otelcol/spancounts.yaml, which counts the
// failures from the spans, into Prometheus.
//
// The Azure Monitor tests run the example and an azblob client through a
// real OpenTelemetry Collector with the azure_monitor exporter, built from
// the module in ./otelcol with the configuration users run it with
// (otelcol/azuremonitor.yaml), into a local Application Insights ingestion
// endpoint, and check the envelopes it receives.
package e2e
