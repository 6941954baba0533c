package azauthtrace

import (
	"net/http"
	"strings"
)

// presented is how a request authenticated, read from its headers and
// query.
type presented uint8

const (
	// presentedUnknown: no request, or one that shows no credential (the
	// caller may not have given the request its headers).
	presentedUnknown presented = iota
	// presentedBearer: an Entra ID bearer (or PoP) token.
	presentedBearer
	// presentedKey: a key the caller holds: a shared key or HMAC
	// signature, a SAS, an API or subscription key, Basic credentials,
	// a Cosmos DB master or resource token.
	presentedKey
)

// keyHeaders are request headers that carry an API key: Azure AI
// services' and Search's api-key, API Management's subscription key,
// Functions' keys, and the x-api-key of gateways.
var keyHeaders = []string{"Api-Key", "Ocp-Apim-Subscription-Key", "X-Functions-Key", "X-Api-Key", "Aeg-Sas-Key", "Aeg-Sas-Token"}

// requestPresented reports how req authenticated.
func requestPresented(req *http.Request) presented {
	if req == nil {
		return presentedUnknown
	}
	a := header(req.Header, "Authorization")
	scheme, _, _ := strings.Cut(strings.TrimSpace(a), " ")
	switch {
	case strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "PoP"):
		return presentedBearer
	case strings.Contains(a, "type%3Daad") || strings.Contains(a, "type=aad"):
		return presentedBearer // Cosmos DB's type=aad carries an Entra token
	case a != "":
		return presentedKey // SharedKey, SharedKeyLite, HMAC-SHA256, SharedAccessSignature, Basic, type=master
	}
	for _, k := range keyHeaders {
		if header(req.Header, k) != "" {
			return presentedKey
		}
	}
	if req.URL != nil && (strings.Contains(req.URL.RawQuery, "sig=") || strings.Contains(req.URL.RawQuery, "subscription-key=")) {
		return presentedKey
	}
	return presentedUnknown
}

// evidence is what a failed service response says about itself, read the
// same way for every service.
type evidence struct {
	status     int
	presented  presented
	challenge  Challenge
	code       string // the most specific error code
	aadsts     int    // an AADSTS code anywhere in the body
	authDetail string // an authentication detail (Storage's)
	message    string // the service's message
	detail     string // more of the service's words (a problem's detail, Kusto's @message)
	// ownTokenEndpoint: a 401 from the service's own token endpoint
	// (Container Registry's), which exchanges a credential for a token.
	ownTokenEndpoint bool
	row              *serviceRow // the service's row; nil when unknown
	header           http.Header
	method           string // the request's method; "" when unknown
}

// weigh decides the class of a service's failure from its evidence, in
// the order the package documentation gives; the first that decides
// wins. ok is false only when nothing decides and there is no status to
// fall back on (an error text that printed none).
func weigh(ev *evidence) (c Class, ok bool) {
	ch := ev.challenge
	presented := ev.presented
	if presented == presentedUnknown && ch.Scheme != "" && !strings.EqualFold(ch.Scheme, "Bearer") && !strings.EqualFold(ch.Scheme, "PoP") {
		// The service challenges only for a key scheme (SharedKey,
		// HMAC-SHA256, an API Management key): it takes keys.
		presented = presentedKey
	}
	key := presented == presentedKey
	notBearer := presented != presentedBearer
	// 1. A claims challenge.
	if ch.ClaimsPresent || ch.Error == "insufficient_claims" ||
		strings.Contains(ev.message, "Continuous access evaluation resulted in challenge") {
		return ClassClaimsChallenge, true
	}
	// 2. Entra ID's own code, passed on by the service: code beats
	// transport.
	if c, ok := aadstsClass(ev.aadsts); ok {
		return c, true
	}
	// 3. The service's own discriminator, then a code whose class its
	// words do not tell.
	if ev.row != nil && ev.row.discriminate != nil {
		if c, ok := ev.row.discriminate(*ev); ok {
			return c, true
		}
	}
	if c, ok := knownCode(ev.code); ok {
		return c, true
	}
	// 4. The service's own token endpoint refused the credential it was
	// given.
	if ev.ownTokenEndpoint {
		return ClassAuthentication, true
	}
	// 5. The words: of the authentication detail, of the challenge's
	// description, of the message and detail, then of the code.
	if c, ok := weighWords(strings.ToLower(ev.authDetail), key, notBearer); ok {
		return c, true
	}
	if c, ok := weighWords(strings.ToLower(ch.Description), key, notBearer); ok {
		return c, true
	}
	if c, ok := weighWords(strings.ToLower(ev.message), key, notBearer); ok {
		return c, true
	}
	if c, ok := weighWords(strings.ToLower(ev.detail), key, notBearer); ok {
		return c, true
	}
	if ev.code != "" && !genericCode(ev.code) {
		if c, ok := weighWords(codeWords(ev.code), key, notBearer); ok {
			return c, true
		}
	}
	// 6. The challenge's error.
	if ch.Error == "invalid_token" {
		return ClassTokenRejected, true
	}
	if ch.Error == "insufficient_scope" {
		return ClassPermission, true
	}
	// 7. The status, and what the request presented.
	switch {
	case ev.status == 0:
		return "", false
	case ev.status == http.StatusUnauthorized && key:
		return ClassAuthentication, true
	case ev.status == http.StatusUnauthorized:
		return ClassTokenRejected, true
	}
	return ClassPermission, true
}

// weighWords classifies the lower-case words s by the word families, in
// order: key-based access disabled (configuration); no credential
// received (token_rejected); a credential not in the form the service
// takes (configuration); a key, signature or
// SAS refused when no bearer token was presented (authentication);
// authorization denied (permission); a token rejected or missing
// (token_rejected, or authentication when the request presented a key);
// the wiring wrong (configuration); throttling (transient).
func weighWords(s string, key, notBearer bool) (Class, bool) {
	switch {
	case s == "":
		return "", false
	case containsAny(s, wordsKeyDisabled):
		return ClassConfiguration, true
	case containsAny(s, wordsMissing):
		return ClassTokenRejected, true
	case containsAny(s, wordsMalformedCredential):
		return ClassConfiguration, true
	case notBearer && containsAny(s, wordsKeyRefused):
		return ClassAuthentication, true
	case containsAny(s, wordsPermission):
		return ClassPermission, true
	case containsAny(s, wordsToken):
		if key {
			return ClassAuthentication, true
		}
		return ClassTokenRejected, true
	case containsAny(s, wordsConfiguration):
		return ClassConfiguration, true
	case containsAny(s, wordsTransient):
		return ClassTransient, true
	}
	return "", false
}
