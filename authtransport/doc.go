// Package authtransport provides an http.RoundTripper that makes the
// authentication and authorization failures of any HTTP client visible in
// OpenTelemetry, as package authpolicy does for azcore pipelines: for
// clients that are not built on azcore, such as Microsoft Graph's
// msgraph-sdk-go and other Kiota clients, plain net/http code that calls
// Azure with a token, or older autorest-based code.
//
// Wrap the transport of the http.Client the code uses:
//
//	client := &http.Client{Transport: authtransport.New(http.DefaultTransport, nil)}
//
// For Microsoft Graph, give the Kiota request adapter an http.Client with
// the transport; kiota-http-go's middleware, which answers claims
// challenges, wraps it:
//
//	httpClient := khttp.GetDefaultClient()
//	httpClient.Transport = authtransport.New(httpClient.Transport, &authtransport.Options{AnswersClaimsChallenges: true})
//	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
//		auth, nil, nil, httpClient)
//	client := msgraphsdk.NewGraphServiceClient(adapter)
//
// # What it records
//
// A response that is no auth failure is returned as it is, with nothing
// recorded and no allocation. For each 401, 403 and other response that
// [github.com/azauthtrace/azauthtrace.FromResponse] recognises, the
// transport records what the policy records: a span of kind Client named
// "<method> <host>", a child of the span in the request's context, with
// the request's method, sanitized URL and status, the diagnosis, and who
// was denied, decoded from the request's access token; or, when a
// transport it wraps already recorded the HTTP span (otelhttp's), the
// diagnosis as an azauth.failure event and attributes on the span that
// encloses the request. It counts failures in azauth.failures, and
// challenges the client answers by itself in azauth.challenges.
//
// The transport sees each try on its own: it does not mark a try as the
// answer to a challenge, as the policy does, so a second claims challenge
// on Kiota's retry is counted as a challenge too; the request adapter then
// returns the 401 as an error, which [github.com/azauthtrace/azauthtrace/record.Error]
// records. Claims challenges count as answered only with
// [Options].AnswersClaimsChallenges.
//
// # What does not change
//
// The response the caller gets is the one the wrapped transport returned,
// with the same status, headers and body bytes (read up to 64 KiB and put
// back in front of the rest for a failure), and errors are returned
// unchanged. The request is not modified.
package authtransport
