package recorder

import (
	"strings"

	"github.com/azauthtrace/azauthtrace"
)

// The kinds of challenge a client may answer by itself: the values of
// otelx.ChallengeKindKey.
const (
	// ChallengeClaims is a Continuous Access Evaluation challenge
	// (error="insufficient_claims" with claims), which azcore's bearer
	// token policy and Kiota's request adapter answer with a token for
	// the claims, once.
	ChallengeClaims = "claims"
	// ChallengeDiscovery is a challenge that names the authority to get a
	// token from and no error (Key Vault's and Storage's clients send
	// their first request without a token, to learn the authority), which
	// the client's challenge handler answers.
	ChallengeDiscovery = "discovery"
)

// challengeKind returns the kind of the challenge ch in the try's
// response when a client may answer it by itself, or "": a claims
// challenge, unless the try answered one; a challenge that names the
// authority and no error, unless the try answered a challenge. Whether a
// client did answer is known only from what happens next (Operation.Wait,
// Operation.Next): a challenge is answered when a later try of the same
// operation answers it, and is a failure when its response reaches the
// caller. So nothing of the request is guessed at here: Key Vault's and
// Storage's clients send a first request without a token to learn the
// authority, and answer a challenge to a request with one as well.
func challengeKind(t Try, ch azauthtrace.Challenge) string {
	if !strings.EqualFold(ch.Scheme, "Bearer") {
		return ""
	}
	switch {
	case ch.Error == "insufficient_claims" && ch.ClaimsPresent && t.AfterChallenge != ChallengeClaims:
		return ChallengeClaims
	case ch.Error == "" && ch.AuthorizationURI != "" && t.AfterChallenge == "":
		return ChallengeDiscovery
	}
	return ""
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
