package policy

import (
	"net/http"
	"time"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/recorder"
)

// Policy is an azcore pipeline policy that records the authentication and
// authorization failures of a client's requests. Create one with [New]; it
// is safe for concurrent use by any number of clients.
type Policy struct {
	rec *recorder.Recorder
}

var _ azpolicy.Policy = (*Policy)(nil)

// New returns a Policy. Pass nil to accept the default values.
func New(opts *Options) *Policy {
	return &Policy{rec: opts.recorder()}
}

// seen marks an operation in which the policy diagnosed a try. It has no
// size, so looking it up on the success path does not allocate; the
// state lives in the operation's *recorder.Operation.
type seen struct{}

// Do implements [azpolicy.Policy]. It sends the request on and returns the
// response and error it receives, unchanged but for the body of a 401
// whose challenge the client may answer (see the package documentation).
// On success it records nothing.
func (p *Policy) Do(req *azpolicy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	op := operation(req, false)
	afterChallenge := ""
	if op != nil {
		afterChallenge = op.Next()
	}
	if afterChallenge == "" && !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	if op == nil {
		op = operation(req, true)
	}
	d := p.rec.Diagnose(recorder.Try{Request: req.Raw(), Response: resp, Start: start, AfterChallenge: afterChallenge, Operation: op})
	if d == nil {
		return resp, err
	}
	if d.Challenge() == "" || resp.Body == nil {
		d.Failed()
		return resp, err
	}
	// The client may answer the challenge with its next try, which then
	// records it as answered; if the response reaches the caller instead,
	// nothing answered it, and it is a failure once the caller has read
	// or closed its body.
	op.Wait(d).Failed()
	resp.Body = recorder.NewBody(resp.Body, 0, func([]byte) { d.Failed() })
	return resp, err
}

// operation returns the state the policy keeps for the request's
// operation: nil when it has none and create is false. Looking it up
// allocates nothing when there is none.
func operation(req *azpolicy.Request, create bool) *recorder.Operation {
	if !req.OperationValue(&seen{}) {
		if !create {
			return nil
		}
		op := &recorder.Operation{}
		req.SetOperationValue(seen{})
		req.SetOperationValue(op)
		return op
	}
	var op *recorder.Operation
	req.OperationValue(&op)
	return op
}
