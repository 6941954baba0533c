package policy

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/internal/recorder"
)

// Options configures a [Policy] and the transport of [NewTransport]. Pass
// nil to [New] or [NewTransport] to accept the default values.
type Options struct {
	// TracerProvider provides the tracer for failure spans. Nil means
	// otel.GetTracerProvider(), read when New or NewTransport is called.
	// To record no spans, and still count, pass trace/noop's
	// NewTracerProvider().
	TracerProvider trace.TracerProvider

	// MeterProvider provides the meter for the failures and challenges
	// counters (azauth.failures, azauth.challenges). Nil means
	// otel.GetMeterProvider(), read when New or NewTransport is called.
	// To count nothing, and still record spans, pass metric/noop's
	// NewMeterProvider().
	MeterProvider metric.MeterProvider

	// RecordPrincipalNames records the denied principal's name
	// (azauth.principal.name): the user principal name, e-mail address or
	// display name in the access token, or the client name a service
	// named in its error message. These are personal data. Default false:
	// only identifiers (tenant, object, application and managed identity
	// IDs) and the identity type are recorded.
	RecordPrincipalNames bool

	// Attributes are added to every span and span event recorded, for
	// example to tell clients apart. They are not added to metrics. The
	// default, nil, adds none.
	Attributes []attribute.KeyValue

	// Filter, when set, is called with each response that would be
	// recorded, and the request sent; when it returns false, nothing is
	// recorded or counted for it (for example, hosts or statuses to leave
	// alone). The request and response must not be changed. The default,
	// nil, records every one.
	Filter func(*http.Request, *http.Response) bool

	// SpanNameFormatter, when set, names the spans of the library's own.
	// The name is recorded as it is: keep secrets and identifiers out of
	// it. The default, nil, names them "<method> <host>", such as
	// "GET management.azure.com".
	SpanNameFormatter func(*http.Request) string

	// AnswersClaimsChallenges, for [NewTransport] only, says that the
	// client above the transport answers Continuous Access Evaluation
	// claims challenges by itself, as Kiota's request adapter (and so
	// msgraph-sdk-go) does: such a 401 is then recorded as a challenge,
	// not as a failure. Default false: a client of plain net/http gets the
	// 401, which is a failure. A [Policy] needs no such option: it sees
	// whether the next try of the operation answers a challenge.
	AnswersClaimsChallenges bool

	// CustomRoles are role definitions of your own, the JSON array that
	// az role definition list --custom-role-only true prints. The grant
	// of a permission failure (azauth.grant.*) is then chosen among them
	// and the built-in roles, on one scale. Definitions that do not parse
	// are reported to otel.Handle and left out. The default, nil, chooses
	// among the built-in roles only.
	CustomRoles []byte
}

// recorder returns the Recorder of the options.
func (o *Options) recorder() *recorder.Recorder {
	var c Options
	if o != nil {
		c = *o
	}
	return recorder.New(recorder.Config{
		TracerProvider:       c.TracerProvider,
		MeterProvider:        c.MeterProvider,
		RecordPrincipalNames: c.RecordPrincipalNames,
		Attributes:           c.Attributes,
		Filter:               c.Filter,
		SpanName:             c.SpanNameFormatter,
		CustomRoles:          c.CustomRoles,
	})
}
