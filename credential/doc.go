// Package credential makes token requests visible in OpenTelemetry: [New]
// wraps any [github.com/Azure/azure-sdk-for-go/sdk/azcore.TokenCredential],
// such as an azidentity credential, in a [Credential] that records one span
// named "<CredentialType>.GetToken" per token request, with the diagnosis of
// a failure ([github.com/azauthtrace/azauthtrace.FromError]) and one span
// event per source a DefaultAzureCredential or ChainedTokenCredential
// tried, and that counts token requests (azauth.token.requests) and
// measures their duration (azauth.token.duration) by credential type and
// outcome. It returns the inner credential's token and
// error unchanged, and it is the one place where a failed early refresh by
// azcore's bearer token policy, which the policy discards while the old
// token is still valid, can be seen. Wrap the outermost credential (the
// chain), not its sources: azidentity's ChainedTokenCredential treats a
// *ManagedIdentityCredential source specially, and a wrapper around that
// source hides it. Usage:
//
//	cred, err := azidentity.NewDefaultAzureCredential(nil)
//	// handle err
//	client, err := armresources.NewClientFactory(subscriptionID, credential.New(cred, nil), nil)
package credential
