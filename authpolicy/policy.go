package authpolicy

import (
	"net/http"
	"time"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/core"
)

// Policy is an azcore pipeline policy that records the authentication and
// authorization failures of a client's requests. Create one with [New]; it
// is safe for concurrent use by any number of clients.
type Policy struct {
	rec *core.Recorder
}

var _ azpolicy.Policy = (*Policy)(nil)

// New returns a Policy. Pass nil to accept the default values.
func New(opts *Options) *Policy {
	var o Options
	if opts != nil {
		o = *opts
	}
	return &Policy{rec: core.New(core.Config{
		TracerProvider:       o.TracerProvider,
		MeterProvider:        o.MeterProvider,
		RecordPrincipalNames: o.RecordPrincipalNames,
		Attributes:           o.Attributes,
		Filter:               o.Filter,
		SpanName:             o.SpanNameFormatter,
		// azcore's bearer token policy answers claims challenges, and Key
		// Vault's and Storage's challenge policies their discovery
		// challenges.
		Answered: []string{core.ChallengeClaims, core.ChallengeDiscovery},
	})}
}

// challenged marks an operation in which the policy saw a challenge the
// client answers. It has no size, so looking it up on the success path
// does not allocate; the state lives in *challengeState.
type challenged struct{}

// challengeState says whether the next try of an operation is the one sent
// again after a challenge.
type challengeState struct {
	pending bool
}

// Do implements [azpolicy.Policy]. It sends the request on and returns the
// response and error it receives, unchanged. On success it records
// nothing. See the package documentation for what it records on failure.
func (p *Policy) Do(req *azpolicy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	afterChallenge := req.OperationValue(&challenged{}) && takeChallenge(req)
	if !afterChallenge && !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	if p.rec.Record(core.Try{Request: req.Raw(), Response: resp, Start: start, AfterChallenge: afterChallenge}) {
		req.SetOperationValue(challenged{})
		req.SetOperationValue(&challengeState{pending: true})
	}
	return resp, err
}

// takeChallenge reports whether the operation's last try met a challenge
// the client answers, and clears that.
func takeChallenge(req *azpolicy.Request) bool {
	var st *challengeState
	if !req.OperationValue(&st) || st == nil || !st.pending {
		return false
	}
	st.pending = false
	return true
}
