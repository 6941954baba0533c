// Package authpolicy provides an azcore pipeline policy that makes the
// authentication and authorization failures of any Azure SDK client visible
// in OpenTelemetry: every 401, 403 and other response that
// [github.com/azauthtrace/azauthtrace.FromResponse] recognises is recorded
// with its diagnosis (class, error code, correlation and request IDs), who
// was denied (decoded from the request's access token), what was denied
// (when the service says), the WWW-Authenticate challenge summarised, and
// what to do about it.
//
// Add the policy to a client's PerRetryPolicies:
//
//	p := authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})
//	client, err := armresources.NewClient(subscriptionID, cred, &arm.ClientOptions{
//		ClientOptions: azcore.ClientOptions{
//			PerRetryPolicies: []azpolicy.Policy{p},
//		},
//	})
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
// # What it records
//
// A successful response is returned as it is, with nothing recorded and no
// allocation. For a failed one, the policy records the diagnosis in one of
// two places, so that each HTTP request has exactly one client span:
//
//   - When azcore's HTTP tracing is on (ClientOptions.TracingProvider, for
//     example azotel) or the transport is instrumented (otelhttp), a span
//     already describes the HTTP request, and it has ended by the time the
//     policy sees the response. The policy then adds the diagnosis to the
//     span that encloses it, the SDK operation's span (such as
//     "Client.GetSecret"): the azauth.* and principal attributes and the
//     status code (http.response.status_code) on the span itself, and an
//     event named azauth.failure that also carries the
//     request's method, sanitized URL, server address and status. If the
//     operation meets several failures, the span's attributes describe the
//     last one and each has its event. The operation span's status is set
//     to Error, whatever the SDK client sets (some leave it unset on a
//     403).
//   - Otherwise the policy starts a span of its own, of kind Client, named
//     "<method> <host>" (such as "GET management.azure.com"), as a child of
//     the span in the request's context, starting when the try started and
//     ending when its response arrived. It carries the request and failure
//     attributes, error.type set to the status code, and status Error with a
//     short description such as "403 permission: AuthorizationFailed". (When
//     an instrumented transport made a span but nothing encloses it, the
//     policy's span, of kind Internal, is nested under the transport's.)
//
// # Challenges the client answers
//
// A 401 whose WWW-Authenticate challenge the client answers by itself is
// no failure: a Continuous Access Evaluation claims challenge
// (error="insufficient_claims" with claims), which azcore's bearer token
// policy answers with a token for the claims, and a challenge that names
// the authority and no error to a request sent without a token, which Key
// Vault's challenge policy answers on a client's first request. The
// policy records it as an
// azauth.challenge event (or a span of its own, without status Error) with
// azauth.challenge.kind ("claims" or "discovery"), and no azauth.class. It
// then records the next try of the same operation whatever its status: as
// its own span or, when azcore traces, as an azauth.challenge_retry event;
// both carry azauth.challenge.retry=true and the status that says whether
// the new token was accepted. azcore answers a challenge of each kind once
// per request, a claims challenge last: a challenge after those is a
// failure, and so is a discovery challenge to a request that carried a
// token, as the service refused that token.
//
// With a MeterProvider, the policy counts failures in azauth.failures, by
// class, status code and server address, and answered challenges in
// azauth.challenges, by server address and kind.
//
// The policy never records the access token, the claims of a challenge, the
// query string of the URL (except api-version), or an error's text. Names,
// user principal names and e-mail addresses are recorded only with
// [Options].RecordPrincipalNames.
//
// # What does not change
//
// The SDK sees the response the transport returned: the same status,
// headers and body bytes, so an azcore.ResponseError reads as it does
// without the policy, and retries behave as before. Errors (a failed
// connection, a failed token request) are returned unchanged and not
// recorded.
package policy
