// Package policy makes the authentication and authorization failures of
// Azure service calls visible in OpenTelemetry: [New] returns an azcore
// pipeline policy for any Azure SDK client, and [NewTransport] a
// [net/http.RoundTripper] for clients not built on azcore (Microsoft
// Graph's msgraph-sdk-go and other Kiota clients, plain net/http). Both
// take one [Options]. Every 401, 403 and other response that
// [github.com/azauthtrace/azauthtrace.FromResponse] recognises is recorded
// with its diagnosis (class, error code, correlation and request IDs), who
// was denied (decoded from the request's access token), what was denied
// (when the service says), the WWW-Authenticate challenge summarised, and
// what to do about it.
//
// Import it beside azcore's policy package under the name authpolicy:
//
//	import (
//		"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
//		authpolicy "github.com/azauthtrace/azauthtrace/policy"
//	)
//
// and add the policy to a client's PerRetryPolicies:
//
//	client, err := armresources.NewResourceGroupsClient(subscriptionID, cred, &arm.ClientOptions{
//		ClientOptions: azcore.ClientOptions{
//			PerRetryPolicies: []policy.Policy{authpolicy.New(nil)},
//		},
//	})
//
// or wrap a transport:
//
//	httpClient := &http.Client{Transport: authpolicy.NewTransport(http.DefaultTransport, nil)}
//
// # Where the policy goes
//
// In PerRetryPolicies the policy runs once per try, after the bearer token
// policy has set the Authorization header, so it can say who was denied;
// and it sees each 401 before the bearer token policy answers a claims
// challenge, so a Continuous Access Evaluation challenge and the retry
// with a new token are both recorded.
//
// In PerCallPolicies the policy runs once per operation, before the retry
// and bearer token policies: it sees only the final response, not the tries
// before it nor a claims challenge the bearer token policy answered; it
// cannot see the access token, so no principal attributes are recorded; and
// a failure to get a token reaches it only as an error, which it passes on
// without recording (wrap the credential with the credential package to
// see those).
//
// # Which span a diagnosis goes on
//
// The library changes no span it did not start, but one: the operation
// span that azcore's own tracing started for the SDK method.
//
//   - When azcore's tracing is on (ClientOptions.TracingProvider, for
//     example azotel) and started an operation span for the method (such
//     as "Client.GetSecret"), each failure is an azauth.failure event on
//     it, with the failure's attributes and the request's method,
//     sanitized URL, server address and status. The operation's first
//     failure also sets the span's attributes (the azauth.* and principal
//     attributes and http.response.status_code), once, and every failure
//     sets its status to Error with a short description such as
//     "403 permission: AuthorizationFailed", whatever the SDK client sets.
//   - Otherwise the policy or transport starts a span of its own, named
//     "<method> <host>" (such as "GET management.azure.com"), from the
//     start of the try to its response: of kind Client, a child of the
//     span in the request's context; or of kind Internal, a child of the
//     HTTP span that otelhttp or azcore recorded for the try, when there
//     is one. It carries the request and failure attributes, error.type
//     set to the status code, and status Error.
//
// The span in the request's context, whatever it is (a server span, a
// consumer span), is never changed otherwise.
//
// # Challenges the client answers
//
// Some 401s are answered by the client by itself: a Continuous Access
// Evaluation claims challenge (error="insufficient_claims" with claims),
// which azcore's bearer token policy answers with a token for the claims;
// and a discovery challenge, which names the authority and no error, which
// Key Vault's and Storage's clients provoke with a first request without
// a token, and answer. The policy records such a 401 as answered only when a
// later try of the same operation answers it: an azauth.challenge event
// (or a span of its own without status Error) with azauth.challenge.kind
// ("claims" or "discovery"), no azauth.class and no error.type, counted in
// azauth.challenges; the try that answers it carries
// azauth.challenge.retry=true (an azauth.challenge_retry event on an
// operation span). A 401 that reaches the caller is a failure, once the
// caller has read or closed its body; so is a challenge after one of the
// same kind was answered. What decides is whether the operation's next
// try answers it, not what the request carried.
//
// The transport sees each request on its own, not an operation: it
// records a claims challenge as answered only with
// [Options].AnswersClaimsChallenges (Kiota's request adapter answers
// them), and every other 401 as a failure.
//
// # Metrics and what is never recorded
//
// With a MeterProvider, failures are counted in azauth.failures, by class,
// status code and server address, and answered challenges in
// azauth.challenges, by server address and kind.
//
// The access token, the claims of a challenge, the query string of the URL
// (except api-version) and an error's text are never recorded. Names,
// user principal names and e-mail addresses are recorded only with
// [Options].RecordPrincipalNames.
//
// # What does not change
//
// The caller sees the response the wrapped transport returned: the same
// status, headers and body bytes, so an azcore.ResponseError reads as it
// does without the policy, and retries behave as before. The transport
// returns as soon as the transport it wraps does, and diagnoses a failure
// from what the caller reads of the body, when the caller reaches its end
// or closes it. Errors (a failed connection, a failed token request) are
// returned unchanged and not recorded. A successful response is returned
// as it is, with nothing recorded and no allocation.
package policy
