package credential

import (
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options configures a [Credential]. Pass nil to [New] to accept the default
// values.
type Options struct {
	// TracerProvider provides the tracer of the GetToken spans. The default,
	// nil, means the global provider, otel.GetTracerProvider().
	TracerProvider trace.TracerProvider

	// MeterProvider provides the meter of the token request counter and
	// duration histogram. The default, nil, means the global provider,
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider

	// CredentialType names the credential in span names, in the
	// credential type attribute and in metrics. The default, "", means the
	// name of the inner credential's Go type without its package and
	// pointer: "ClientSecretCredential" for a
	// *azidentity.ClientSecretCredential.
	CredentialType string

	// Attributes are added to every GetToken span, for example to tell
	// apart two credentials of the same type. They are not added to
	// metrics. The default, nil, adds none.
	Attributes []attribute.KeyValue

	// Redact lists secrets the wrapped credential holds, such as its
	// client secret or password, to redact wherever they would appear in
	// what the decorator records, should an identity provider or a proxy
	// echo them. The decorator cannot see the secrets inside a credential;
	// it redacts the claims of each request and the shapes of secrets
	// without being told (see docs/redaction.md in the repository). A value
	// is found whole, spaces included. Values
	// shorter than 8 bytes are ignored. The default, nil, adds none.
	Redact []string
}

// copied returns a copy of o that shares no memory with it; the zero
// Options when o is nil.
func (o *Options) copied() Options {
	if o == nil {
		return Options{}
	}
	cp := *o
	cp.Attributes = slices.Clone(o.Attributes)
	cp.Redact = slices.Clone(o.Redact)
	return cp
}
