package policy

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
)

// transport is the http.RoundTripper of NewTransport.
type transport struct {
	base          http.RoundTripper
	rec           *recorder.Recorder
	answersClaims bool
}

var _ http.RoundTripper = (*transport)(nil)

// NewTransport returns an http.RoundTripper that sends requests through
// base (http.DefaultTransport when nil) and records the authentication and
// authorization failures of their responses, as a [Policy] does for
// azcore pipelines: for Microsoft Graph's msgraph-sdk-go and other Kiota
// clients, and for plain net/http code that calls Azure with a token.
// Pass nil opts to accept the default values.
func NewTransport(base http.RoundTripper, opts *Options) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	t := &transport{base: base, rec: opts.recorder()}
	if opts != nil {
		t.answersClaims = opts.AnswersClaimsChallenges
	}
	return t
}

// RoundTrip implements [http.RoundTripper]: it sends req through the
// wrapped transport and returns as soon as it does, with its response
// and error. The response of a failure is diagnosed from what the caller
// reads of its body, when the caller has read it to the end or closed it.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil || !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	try := recorder.Try{Request: req, Start: start}
	if resp.Body == nil || resp.Body == http.NoBody {
		try.Response = withBody(resp, nil)
		t.record(try)
		return resp, err
	}
	resp.Body = recorder.NewBody(resp.Body, azauthtrace.MaxBodyRead, func(read []byte) {
		try.Response = withBody(resp, read)
		t.record(try)
	})
	return resp, err
}

// record diagnoses and records one try.
func (t *transport) record(try recorder.Try) {
	d := t.rec.Diagnose(try)
	if d == nil {
		return
	}
	if d.Challenge() == recorder.ChallengeClaims && t.answersClaims {
		d.Answered()
		return
	}
	d.Failed()
}

// withBody returns a copy of resp whose body holds read: what the
// classifier reads, without touching the caller's response.
func withBody(resp *http.Response, read []byte) *http.Response {
	c := *resp
	c.Body = io.NopCloser(bytes.NewReader(read))
	return &c
}

// Unwrap returns the transport requests are sent through.
func (t *transport) Unwrap() http.RoundTripper { return t.base }
