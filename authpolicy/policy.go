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
		// Vault's challenge policy its discovery challenges.
		Answered: []string{core.ChallengeClaims, core.ChallengeDiscovery},
	})}
}

// challenged marks an operation in which the policy saw a challenge the
// client answers. It has no size, so looking it up on the success path
// does not allocate; the state lives in *challengeState.
type challenged struct{}

// challengeState holds the kind of the challenge the operation's last try
// met and the client answers: the next try is the answer.
type challengeState struct {
	pending string
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
	var afterChallenge string
	if req.OperationValue(&challenged{}) {
		afterChallenge = takeChallenge(req)
	}
	if afterChallenge == "" && !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	if kind := p.rec.Record(core.Try{Request: req.Raw(), Response: resp, Start: start, AfterChallenge: afterChallenge}); kind != "" {
		req.SetOperationValue(challenged{})
		req.SetOperationValue(&challengeState{pending: kind})
	}
	return resp, err
}

// takeChallenge returns the kind of the challenge the operation's last try
// met and the client answers, or "", and clears it.
func takeChallenge(req *azpolicy.Request) string {
	var st *challengeState
	if !req.OperationValue(&st) || st == nil {
		return ""
	}
	kind := st.pending
	st.pending = ""
	return kind
}
