package azauthtrace

// Version is the version of this module, reported as the instrumentation
// scope version of its tracers and meters.
const Version = "0.1.0"
