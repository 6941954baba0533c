package recorder

import (
	"net/http"
	"strings"

	"github.com/azauthtrace/azauthtrace"
)

// The kinds of challenge a client may answer by itself: the values of
// otelx.ChallengeKindKey.
const (
	// ChallengeClaims is a Continuous Access Evaluation challenge
	// (error="insufficient_claims" with claims) to a request that carried
	// a bearer token, which azcore's bearer token policy and Kiota's
	// request adapter answer with a token for the claims, once.
	ChallengeClaims = "claims"
	// ChallengeDiscovery is a challenge that names the authority to get a
	// token from and no error, to a request sent without any credential
	// (Key Vault's and Storage's clients send their first request so, to
	// learn the authority), which the client's challenge handler answers.
	ChallengeDiscovery = "discovery"
)

// challengeKind returns the kind of the challenge ch in the try's
// response when a client may answer it by itself, or "". Whether one did
// is known only from what happens next (Operation.Wait, Operation.Next):
// a challenge is answered when a later try of the same operation answers
// it, and is a failure when the response reaches the caller.
func challengeKind(t Try, ch azauthtrace.Challenge) string {
	if !strings.EqualFold(ch.Scheme, "Bearer") {
		return ""
	}
	switch {
	case ch.Error == "insufficient_claims" && ch.ClaimsPresent && t.AfterChallenge != ChallengeClaims &&
		hasScheme(t.Request, "Bearer"):
		return ChallengeClaims
	case ch.Error == "" && ch.AuthorizationURI != "" && t.AfterChallenge == "" && !presentsCredential(t.Request):
		return ChallengeDiscovery
	}
	return ""
}

// hasScheme reports whether the request's Authorization header uses the
// scheme.
func hasScheme(req *http.Request, scheme string) bool {
	s, _, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	return strings.EqualFold(s, scheme)
}

// presentsCredential reports whether the request carried a credential of
// any kind: an Authorization header, a key header, or a signed URL.
func presentsCredential(req *http.Request) bool {
	if req.Header.Get("Authorization") != "" {
		return true
	}
	for name := range req.Header {
		n := strings.ToLower(name)
		if strings.Contains(n, "key") || strings.Contains(n, "signature") || strings.Contains(n, "token") {
			return true
		}
	}
	q := strings.ToLower(req.URL.RawQuery)
	return strings.Contains(q, "sig=") || strings.Contains(q, "code=") || strings.Contains(q, "key=")
}

// Wait keeps d as the operation's pending challenge: the client may
// answer it with its next try. It returns the Diagnosis the pending one
// replaces, if any, which nothing answered.
func (o *Operation) Wait(d *Diagnosis) (unanswered *Diagnosis) {
	o.mu.Lock()
	defer o.mu.Unlock()
	unanswered, o.pending, o.pendingKind = o.pending, d, d.kind
	return unanswered
}

// Next is called at the start of each later try of the operation: the
// pending challenge, if any, was answered by it. Next records it so and
// returns its kind, which the new try is the answer to; or "", when
// nothing was pending or it was recorded as a failure already (its
// response reached the caller).
func (o *Operation) Next() string {
	o.mu.Lock()
	d, kind := o.pending, o.pendingKind
	o.pending, o.pendingKind = nil, ""
	o.mu.Unlock()
	if d == nil || !d.record(true) {
		return ""
	}
	return kind
}
