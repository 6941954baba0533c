// Package recorder records the diagnoses of failed Azure requests as
// OpenTelemetry spans, span events and metrics, for the public packages
// policy, credential and record. One job per file:
//
//   - recorder.go: the Recorder, which records one try of an HTTP request
//     or one failure from an error;
//   - placement.go: which span a diagnosis goes on;
//   - challenge.go: challenges a client may answer by itself, decided by
//     what the operation does next;
//   - attributes.go and principal.go: the attributes of a try, a failure
//     and the principal its access token names;
//   - instruments.go and status.go: the module's tracer, meter and
//     instruments, and a failure's span status.
package recorder
