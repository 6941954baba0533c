package azauthtrace

import "strings"

// The word families: phrases, in lower case, that mean one thing whichever
// service or client wrote them. The classifier looks for them in a
// message, and in an error code split into its words (codeWords), in the
// order the package documentation gives. They are what Microsoft's error
// references say in their own words: a family holds what a person reading
// the message would take for that meaning.
var (
	// wordsKeyDisabled: the account or service does not accept keys,
	// shared keys, SAS or local authentication at all. A setting to
	// change (configuration), not a key to rotate.
	wordsKeyDisabled = []string{
		"is not allowed for this account", "key based authentication is not permitted",
		"key based authentication not permitted", "local authentication is disabled",
		"local authentication methods are not allowed", "local auth is disabled",
		"local authorization is disabled",
		"shared key access is disabled", "disablelocalauth", "disable local auth",
		"key authentication is disabled", "key based authentication is disabled",
		"api key authentication is disabled", "sas authentication is disabled",
	}
	// wordsMissing: the service did not receive a credential at all
	// (token_rejected: send one), whatever else the message says.
	wordsMissing = []string{
		"missing subscription key", "missing api key", "missing access key", "missing key",
		"missing a bearer", "missing bearer", "is missing a bearer or pop token", "no credentials",
		"credentials are missing", "credential is missing", "authentication was not provided",
		"authorization header is missing", "missing authorization header", "no authorization header",
		"without credentials", "anonymous access", "asked for the client to provide credentials",
	}
	// wordsMalformedCredential: the credential was not even in the form
	// the service takes (a key given where a SAS goes): its wiring
	// (configuration), not a key to rotate.
	wordsMalformedCredential = []string{
		"valid format", "expected format", "not in the correct format", "not in a valid format",
	}
	// wordsKeyRefused: a key, shared key, HMAC signature or SAS the caller
	// holds was refused (authentication: rotate or fix it). Only weighed
	// when the request did not present a bearer token, whose signature is
	// the token's.
	wordsKeyRefused = []string{
		"subscription key", "api key", "api-key", "invalid key", "access key", "key being used",
		"wrong key", "key was incorrect", "incorrect key", "key is invalid", "key is not valid", "keys are invalid", "function key", "host key",
		"signature not valid", "signature did not match", "signature fields not well formed",
		"signature is invalid", "invalid signature", "signature mismatch", "hmac",
		"including the signature", "mac signature", "sas token", "shared access signature",
		"sharedaccesssignature", "sharedkey", "shared key", "sas expired", "invalidsignature",
		"master key", "accesskey", "content hash",
	}
	// wordsPermission: an identity that authenticated was denied, whatever
	// the status says.
	wordsPermission = []string{
		"not authorized", "does not have authorization", "does not have permission",
		"claim(s) are required", "claims are required", "lacks the required", "lacks permission",
		"does not have access", "does not have the required", "do not have access",
		"do not have permission", "doesn't have permission", "don't have permission",
		"insufficient privileges", "insufficient permission", "insufficient access", "insufficient scope",
		"insufficient_scope", "permission", "access is denied", "access denied", "access was denied",
		"not allowed to access", "is not permitted", "not permitted to", "claims required",
		"unauthorized access for", "forbidden", "is not allowed to", "not allowed by",
		"rbac", "role assignment", "access policy", "firewall", "ip address", "ipaddress",
		"network rule", "network acl", "network security perimeter", "nsp validation", "private endpoint",
		"virtual network", "public network access", "public access", "permission denied",
		"cannot list", "cannot get", "cannot create",
		"cannot delete", "cannot update", "cannot watch", "cannot patch", "authorization failed",
		"authorizationfailed", "request denied", "retrieving permissions failed",
	}
	// wordsToken: a bearer token was rejected or missing: expired, invalid,
	// the wrong audience, issuer or tenant, a bad signature on the token.
	wordsToken = []string{
		"token", "bearer", "issuer", "audience", "lifetime validation", "jwt", "akv100",
		"authorization required", "authentication required",
		"no authentication", "not authenticated", "unauthenticated", "expired",
		"authentication information", "authentication failed", "authentication",
		"authorization has been denied for this request", "must be logged in",
		"invalid credentials", "missing credentials", "login failed",
	}
	// wordsConfiguration: the identity's or request's wiring is wrong: an
	// unknown tenant, application or client ID, a principal not in the
	// directory or disabled, a subscription not registered.
	wordsConfiguration = []string{
		"not found in the directory", "not found in directory", "not found in the tenant",
		"does not exist in the tenant", "does not exist in tenant", "was not found in the tenant",
		"tenant not found", "unknown tenant", "invalid tenant", "tenant does not exist",
		"application not found", "unknown application", "unknown client", "client id",
		"not registered", "principal is disabled", "identity is disabled", "identity disabled",
		"identity not found", "principal not found", "is disabled", "disabled",
		"subscription not found", "subscriptionnotfound",
	}
	// wordsTransient: the failure should clear on retry.
	wordsTransient = []string{
		"throttl", "too many requests", "rate limit", "temporarily unavailable",
		"service unavailable", "try again later", "timed out", "timeout",
	}
)

// The word families of a credential's own errors, which carry no
// response: what azidentity, MSAL and the CLIs say when a credential
// cannot try here (credential_unavailable), is wired wrong
// (configuration), or could not reach its endpoint (transient).
var (
	unavailableSignals = []string{
		"missing environment variable", "incomplete environment variable",
		"environment variable must be set", "executable not found", "not found on path",
		"cli not found", "az login", "azd auth login", "azd login", "connect-azaccount",
		"not logged in", "no client id specified", "no tenant id specified",
		"no token file specified", "managed identity timed out", "imds token request timed out",
		"without user interaction", "unreachable network", "unexpected response",
		"no response from the imds", "failed to authenticate a system assigned identity",
		"fork/exec", "az.accounts module not found", "is not installed",
		"no managed identity endpoint", "no default identity",
		"unrecognized arguments", // a CLI too old for the options the credential passes
	}
	configurationSignals = []string{
		"doesn't support user-assigned", "does not support user-assigned",
		"no such file or directory", "cannot find the file", "identity not found",
		"unable to load the proper managed identity", "managedidentitynotfound",
		"multiple user assigned identities", "invalid tenant", "tenant id",
		"invalid client id", "invalid azure_token_credentials", "must be a",
		"requires clientoptions", "requires a standard", "must use https",
		"redirects are not permitted", "did not match identity_server_thumbprint",
		"invalid secret token header", "did not confirm the requested user-assigned",
		// A credential that may not get tokens for the tenant asked for.
		"isn't configured to acquire tokens for tenant", "additionallyallowedtenants",
		// A CLI that is signed in but has no such subscription.
		"no subscription found", "no subscriptions found", "subscription not found", "az account set",
	}
	networkSignals = []string{
		"context deadline exceeded", "i/o timeout", "connection reset", "connection refused",
		"no such host", "tls handshake timeout", "timed out", "timeout", "temporarily unavailable",
		"too many requests", "unexpected eof", "server misbehaving",
	}
)

// requestShapeSignals are words of an error that says the request itself
// is malformed: a configuration problem, whatever the OAuth error value.
var requestShapeSignals = []string{
	"malformed", "not a valid url", "is not valid url", "invalid scope", "scope is not valid",
	"invalid request", "request is badly formatted", "is not supported", "must contain", "is missing",
	"invalid redirect", "redirect uri", "reply url", "invalid parameter",
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// codeWords splits an error code into its words, in lower case, separated
// by spaces: "InvalidAuthenticationTokenTenant" gives "invalid
// authentication token tenant", "Authorization_RequestDenied"
// "authorization request denied", "RBACAccessDenied" "rbac access
// denied". A code is one of a service's words for its failure, and weighs
// like them.
func codeWords(code string) string {
	var b strings.Builder
	b.Grow(len(code) + 8)
	space := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case 'A' <= c && c <= 'Z':
			prevLower := i > 0 && ('a' <= code[i-1] && code[i-1] <= 'z' || '0' <= code[i-1] && code[i-1] <= '9')
			nextLower := i+1 < len(code) && 'a' <= code[i+1] && code[i+1] <= 'z'
			prevUpper := i > 0 && 'A' <= code[i-1] && code[i-1] <= 'Z'
			if prevLower || prevUpper && nextLower {
				space()
			}
			b.WriteByte(c + 'a' - 'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		default:
			space()
		}
	}
	return strings.TrimSpace(b.String())
}
