package otelx

// ScopeName is the instrumentation scope name of every tracer and meter of
// this module: the scope of its spans and metrics in a backend.
const ScopeName = "github.com/azauthtrace/azauthtrace"
