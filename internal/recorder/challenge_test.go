package recorder_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/azauthtrace/azauthtrace/internal/recorder"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

const (
	discovery = `Bearer authorization_uri="https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee", resource="https://vault.azure.net"`
	cae       = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="`
)

// try returns a try of a GET to rawURL with the header given, answered by
// a 401 with the challenge.
func try(t *testing.T, rawURL string, header http.Header, challenge string, after string) recorder.Try {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	if header == nil {
		header = http.Header{}
	}
	req := (&http.Request{Method: http.MethodGet, URL: u, Header: header}).WithContext(t.Context())
	resp := &http.Response{
		StatusCode: http.StatusUnauthorized,
		Header:     http.Header{"Www-Authenticate": {challenge}},
		Body:       io.NopCloser(strings.NewReader("")),
		Request:    req,
	}
	return recorder.Try{Request: req, Response: resp, Start: time.Now(), AfterChallenge: after}
}

// TestChallengeKind checks which 401 challenges a client may answer by
// itself, whatever the request carried (whether it did is decided by the
// operation's next try): a claims challenge, once; a challenge that names
// the authority, before any other. Anything else is a failure at once.
func TestChallengeKind(t *testing.T) {
	bearer := http.Header{"Authorization": {"Bearer eyJ0eXAiOiJKV1QifQ.e30.c2ln"}}
	for _, tc := range []struct {
		name      string
		url       string
		header    http.Header
		challenge string
		after     string
		want      string
	}{
		{"claims to a bearer token", "https://graph.microsoft.com/v1.0/me", bearer, cae, "", recorder.ChallengeClaims},
		{"claims after claims", "https://graph.microsoft.com/v1.0/me", bearer, cae, recorder.ChallengeClaims, ""},
		{"claims to no token", "https://graph.microsoft.com/v1.0/me", nil, cae, "", recorder.ChallengeClaims},
		{"discovery to nothing", "https://v.vault.azure.net/secrets/s", nil, discovery, "", recorder.ChallengeDiscovery},
		{"discovery to a token", "https://v.vault.azure.net/secrets/s", bearer, discovery, "", recorder.ChallengeDiscovery},
		{"discovery to an api key", "https://v.vault.azure.net/secrets/s", http.Header{"Api-Key": {"k"}}, discovery, "", recorder.ChallengeDiscovery},
		{"discovery to a sas", "https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=c2ln", nil, discovery, "", recorder.ChallengeDiscovery},
		{"an error", "https://v.vault.azure.net/secrets/s", bearer, `Bearer authorization_uri="https://login.microsoftonline.com/t", error="invalid_token"`, "", ""},
		{"discovery after discovery", "https://v.vault.azure.net/secrets/s", nil, discovery, recorder.ChallengeDiscovery, ""},
		{"basic", "https://v.vault.azure.net/secrets/s", nil, `Basic realm="x"`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := recorder.New(recorder.Config{}).Diagnose(try(t, tc.url, tc.header, tc.challenge, tc.after))
			if d == nil {
				t.Fatal("a 401 was not diagnosed")
			}
			if got := d.Challenge(); got != tc.want {
				t.Errorf("Challenge() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestOperation checks how an operation's pending challenge is settled:
// answered when a later try comes; a failure when it is replaced by
// another, or when the caller gets it; and recorded once whatever comes
// after.
func TestOperation(t *testing.T) {
	const host = "server.address=v.vault.azure.net"
	for _, tc := range []struct {
		name                 string
		settle               func(op *recorder.Operation, d *recorder.Diagnosis)
		failures, challenges int64
	}{
		{"answered", func(op *recorder.Operation, d *recorder.Diagnosis) {
			if kind := op.Next(); kind != recorder.ChallengeDiscovery {
				t.Errorf("Next() = %q, want the pending challenge's kind", kind)
			}
			d.Failed() // the body closed later changes nothing
		}, 0, 1},
		{"reached the caller", func(op *recorder.Operation, d *recorder.Diagnosis) {
			d.Failed()
			if kind := op.Next(); kind != "" {
				t.Errorf("Next() = %q after the failure was recorded", kind)
			}
		}, 1, 0},
		{"replaced", func(op *recorder.Operation, d *recorder.Diagnosis) {
			second := recorder.New(recorder.Config{}).Diagnose(try(t, "https://v.vault.azure.net/secrets/s", nil, discovery, ""))
			op.Wait(second).Failed()
		}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := oteltest.New(t)
			r := recorder.New(recorder.Config{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
			op := &recorder.Operation{}
			d := r.Diagnose(try(t, "https://v.vault.azure.net/secrets/s", nil, discovery, ""))
			if unanswered := op.Wait(d); unanswered != nil {
				t.Fatal("a new operation had a pending challenge")
			}
			tc.settle(op, d)
			failures := tel.Counts(t, otelx.FailuresMetric)
			challenges := tel.Counts(t, otelx.ChallengesMetric)
			var nf, nc int64
			for k, v := range failures {
				if strings.Contains(k, host) {
					nf += v
				}
			}
			for k, v := range challenges {
				if strings.Contains(k, host) {
					nc += v
				}
			}
			if nf != tc.failures || nc != tc.challenges {
				t.Errorf("failures %v, challenges %v; want %d and %d", failures, challenges, tc.failures, tc.challenges)
			}
		})
	}
}
