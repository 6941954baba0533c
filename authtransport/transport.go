package authtransport

import (
	"net/http"
	"time"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/core"
)

// Transport is an http.RoundTripper that records the authentication and
// authorization failures of the requests it sends through another. Create
// one with [New]; it is safe for concurrent use.
type Transport struct {
	base http.RoundTripper
	rec  *core.Recorder
}

var _ http.RoundTripper = (*Transport)(nil)

// New returns a Transport that sends requests through base
// (http.DefaultTransport when nil). Pass nil opts to accept the default
// values.
func New(base http.RoundTripper, opts *Options) *Transport {
	var o Options
	if opts != nil {
		o = *opts
	}
	if base == nil {
		base = http.DefaultTransport
	}
	var answered []string
	if o.AnswersClaimsChallenges {
		answered = []string{core.ChallengeClaims}
	}
	return &Transport{base: base, rec: core.New(core.Config{
		TracerProvider:       o.TracerProvider,
		MeterProvider:        o.MeterProvider,
		RecordPrincipalNames: o.RecordPrincipalNames,
		Attributes:           o.Attributes,
		Filter:               o.Filter,
		SpanName:             o.SpanNameFormatter,
		Answered:             answered,
	})}
}

// RoundTrip implements [http.RoundTripper]: it sends req through the
// wrapped transport and returns its response and error, unchanged. See the
// package documentation for what it records.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil || !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	t.rec.Record(core.Try{Request: req, Response: resp, Start: start})
	return resp, err
}

// Unwrap returns the transport Transport sends requests through.
func (t *Transport) Unwrap() http.RoundTripper { return t.base }
