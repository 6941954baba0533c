package azauthtrace

import (
	"cmp"
	"net/http"
	"strings"
)

// classifyService diagnoses a resource service's 401 or 403.
func classifyService(f *Failure, bd *errorBody, h http.Header, req *http.Request) {
	if f.Service == "" {
		f.Service = serviceFromBody(bd)
	}
	f.Challenge = ParseChallenge(h)
	f.ErrorCode = serviceErrorCode(bd, h)
	msg := cmp.Or(bd.message, bd.description, bd.detail, bd.text)
	// The IDs are in the service's headers, or in its body: Graph's
	// innerError, Log Analytics' correlationId, and, when neither has
	// them, in the text of messages that name them.
	f.CorrelationID = cmp.Or(h.Get("X-Ms-Correlation-Request-Id"), h.Get("X-Ms-Client-Request-Id"), h.Get("Client-Request-Id"),
		bd.innerCorrID, bd.correlation)
	f.RequestID = cmp.Or(h.Get("X-Ms-Request-Id"), h.Get("Request-Id"), h.Get("Apim-Request-Id"), h.Get("X-Ms-Activity-Id"), bd.innerReqID)
	if f.CorrelationID == "" || f.RequestID == "" {
		text := msg + "\n" + bd.detail
		f.CorrelationID = cmp.Or(f.CorrelationID, labelled(text, "Correlation ID:", "CorrelationId:"))
		f.RequestID = cmp.Or(f.RequestID, labelled(text, "RequestId:", "Request ID:", "ActivityId:", "TrackingId:", "Tracking ID:"))
	}
	// Storage's AuthenticationErrorDetail says more than its message.
	f.Description = cmp.Or(firstLine(cmp.Or(bd.authDetail, msg)), f.Challenge.Description)
	deniedPrincipal(f, cmp.Or(bd.detail, msg))
	f.Class = serviceClass(f, bd, h, req, msg)
}

// serviceErrorCode picks the most specific error code: the innererror's
// code (Key Vault's under its generic Forbidden, Log Analytics' under its
// class of error, Kusto's @type), the error code headers, the body's
// code, an RFC 7807 problem's type.
func serviceErrorCode(bd *errorBody, h http.Header) string {
	return cmp.Or(bd.innerCode, h.Get("X-Ms-Error-Code"), h.Get("Iothub-Errorcode"), bd.code, bd.problemType)
}

// genericCode reports whether a service's error code says no more than its
// status.
func genericCode(code string) bool {
	switch strings.ToLower(code) {
	case "forbidden", "unauthorized", "accessdenied", "badrequest", "401", "403":
		return true
	}
	return false
}

// serviceCodes maps service error codes (lower case) to their class.
// Codes whose meaning depends on the details (AuthenticationFailed,
// Unauthorized, Forbidden, "401") are not here.
var serviceCodes = map[string]Class{
	// The token itself was rejected.
	"invalidauthenticationtoken":         ClassTokenRejected,
	"invalidauthenticationtokenaudience": ClassTokenRejected,
	"invalidauthenticationtokentenant":   ClassTokenRejected,
	"expiredauthenticationtoken":         ClassTokenRejected,
	"authenticationfailedmissingtoken":   ClassTokenRejected,
	"authenticationfailedinvalidheader":  ClassTokenRejected,
	"invalidauthenticationinfo":          ClassTokenRejected,
	"noauthenticationinformation":        ClassTokenRejected,
	"invalidtoken":                       ClassTokenRejected,
	"tokenexpired":                       ClassTokenRejected,
	// A valid identity was denied.
	"authorizationfailed":                 ClassPermission,
	"linkedauthorizationfailed":           ClassPermission,
	"rbacaccessdenied":                    ClassPermission,
	"authorizationpermissionmismatch":     ClassPermission,
	"authorizationfailure":                ClassPermission,
	"authorizationsourceipmismatch":       ClassPermission,
	"authorizationprotocolmismatch":       ClassPermission,
	"authorizationresourcetypemismatch":   ClassPermission,
	"authorizationservicemismatch":        ClassPermission,
	"insufficientaccountpermissions":      ClassPermission,
	"forbiddenbyrbac":                     ClassPermission,
	"forbiddenbypolicy":                   ClassPermission,
	"forbiddenbyfirewall":                 ClassPermission,
	"forbiddenbyconnection":               ClassPermission,
	"accessdenied":                        ClassPermission,
	"authorization_requestdenied":         ClassPermission,
	"permissiondenied":                    ClassPermission,
	"insufficientpermissions":             ClassPermission,
	"authorizationrequestdenied":          ClassPermission,
	"keybasedauthenticationnotpermitted":  ClassConfiguration,
	"publicaccessnotpermitted":            ClassPermission,
	"unauthorizedblobaccesstier":          ClassPermission,
	"invalidauthenticationtokenissuer":    ClassTokenRejected,
	"missingsubscriptionregistration":     ClassConfiguration,
	"subscriptionnotregistered":           ClassConfiguration,
	"disallowedoperation":                 ClassPermission,
	"requestdisallowedbypolicy":           ClassPermission,
	"scopelocked":                         ClassPermission,
	"authenticationfailedinvalidtenantid": ClassTokenRejected,
	// IoT Hub: the SAS token, key or certificate was refused.
	"iothubunauthorizedaccess": ClassAuthentication,
	"iothubunauthorized":       ClassAuthentication,
}

// serviceClass decides the class of a service 401 or 403, top-down as the
// corpus specification orders them.
func serviceClass(f *Failure, bd *errorBody, h http.Header, req *http.Request, msg string) Class {
	ch := f.Challenge
	if ch.ClaimsPresent || ch.Error == "insufficient_claims" ||
		strings.Contains(msg, "Continuous access evaluation resulted in challenge") {
		return ClassClaimsChallenge
	}
	if c, ok := serviceCodes[strings.ToLower(f.ErrorCode)]; ok {
		return c
	}
	if sub := h.Get("X-Ms-Substatus"); f.Service == serviceCosmos || sub != "" {
		switch sub {
		case "5300":
			// The operation cannot be authorized by an Entra token on the
			// data plane at all: no role grants it.
			return ClassConfiguration
		case "5301", "5302":
			return ClassPermission
		}
	}
	bearer, keyBased := requestAuth(req)
	if f.StatusCode == http.StatusUnauthorized && req != nil && req.URL != nil && ownTokenEndpoint(req.URL.Path) {
		// The service's own token endpoint (Container Registry's) refused
		// the credential it was given.
		return ClassAuthentication
	}
	if d := strings.ToLower(bd.authDetail); d != "" {
		switch {
		case containsAny(d, keyDisabledSignals):
			return ClassConfiguration
		case containsAny(d, tokenSignals):
			return ClassTokenRejected
		case containsAny(d, keySignals):
			return ClassAuthentication
		}
	}
	lmsg := strings.ToLower(msg)
	switch {
	case containsAny(lmsg, keyDisabledSignals):
		return ClassConfiguration
	case !bearer && containsAny(lmsg, keySignals):
		return ClassAuthentication
	case containsAny(lmsg, permissionSignals):
		return ClassPermission
	case containsAny(lmsg, tokenSignals):
		return ClassTokenRejected
	}
	if c, ok := codeWordClass(f.ErrorCode, keyBased); ok {
		return c
	}
	if ch.Error == "invalid_token" {
		return ClassTokenRejected
	}
	switch {
	case keyBased && (f.StatusCode == http.StatusUnauthorized || strings.EqualFold(f.ErrorCode, "AuthenticationFailed")):
		return ClassAuthentication
	case f.StatusCode == http.StatusUnauthorized || strings.EqualFold(f.ErrorCode, "AuthenticationFailed"):
		return ClassTokenRejected
	}
	return ClassPermission
}

// ownTokenEndpoint reports whether path is a service's own token
// endpoint, where it exchanges credentials for its tokens (Container
// Registry's /oauth2/token and /oauth2/exchange).
func ownTokenEndpoint(path string) bool {
	return hasSuffixFold(path, "/oauth2/token") || hasSuffixFold(path, "/oauth2/exchange")
}

// codeWords classify a service's error code that no table knows by the
// words in it, in order; keyed words mean authentication when the request
// authenticated with a key, shared key or SAS, token_rejected when with a
// token.
var codeWords = []struct {
	word  string
	class Class
	keyed bool
}{
	{"notfound", ClassConfiguration, false}, // the caller's identity is not in the tenant
	{"disabled", ClassConfiguration, false}, // the caller's principal or this kind of access is disabled
	{"authorizationrequired", ClassTokenRejected, true},
	{"token", ClassTokenRejected, true},
	{"signature", ClassTokenRejected, true},
	{"authentication", ClassTokenRejected, true},
	{"permission", ClassPermission, false},
	{"access", ClassPermission, false},
	{"denied", ClassPermission, false},
	{"rbac", ClassPermission, false},
	{"firewall", ClassPermission, false},
	{"ipaddress", ClassPermission, false},
	{"network", ClassPermission, false},
	{"nsp", ClassPermission, false},
	{"authorization", ClassPermission, false},
}

// codeWordClass classifies a service's error code by the words in it:
// see codeWords. Generic codes (Forbidden, Unauthorized) say nothing.
func codeWordClass(code string, keyBased bool) (Class, bool) {
	if code == "" || genericCode(code) {
		return "", false
	}
	l := strings.ToLower(code)
	for _, w := range codeWords {
		if strings.Contains(l, w.word) {
			if w.keyed && keyBased {
				return ClassAuthentication, true
			}
			return w.class, true
		}
	}
	return "", false
}

var (
	// keyDisabledSignals are words of an account that does not accept
	// keys, shared keys or SAS at all: a configuration to change, not a
	// key to rotate.
	keyDisabledSignals = []string{
		"is not allowed for this account", "key based authentication is not permitted",
		"local authentication is disabled", "local authentication methods are not allowed",
		"shared key access is disabled", "disablelocalauth",
	}
	// keySignals are words of a refused key, SAS or shared key.
	keySignals = []string{
		"subscription key", "api key", "invalid key", "access key", "key being used",
		"signature not valid", "signature did not match", "signature fields not well formed",
		"including the signature", "mac signature", "sas token", "shared access signature",
		"sharedaccesssignature", "sharedkey", "shared key", "sas expired", "invalidsignature",
	}
	// permissionSignals are words of an authorization denial.
	permissionSignals = []string{
		"not authorized", "does not have authorization", "does not have permission",
		"claim(s) are required", "claims are required", "lacks the required",
		"does not have access", "insufficient privileges", "permission", "access is denied",
		"not allowed to access", "is not permitted", "claims required", "unauthorized access for",
	}
	// tokenSignals are words of a rejected or missing bearer token.
	tokenSignals = []string{
		"token", "bearer", "issuer", "audience", "lifetime validation", "jwt", "akv100",
	}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// requestAuth reports how the request authenticated: with a bearer token,
// or with a key, a shared key or a SAS.
func requestAuth(req *http.Request) (bearer, keyBased bool) {
	if req == nil {
		return false, false
	}
	a := req.Header.Get("Authorization")
	switch {
	case len(a) > 7 && strings.EqualFold(a[:7], "Bearer "), len(a) > 4 && strings.EqualFold(a[:4], "PoP "):
		bearer = true
	case a != "":
		keyBased = true // SharedKey, SharedAccessSignature, Basic
	}
	if req.Header.Get("Api-Key") != "" || req.Header.Get("Ocp-Apim-Subscription-Key") != "" {
		keyBased = true
	}
	if req.URL != nil && strings.Contains(req.URL.RawQuery, "sig=") {
		keyBased = true
	}
	return bearer, keyBased
}

// serviceFromBody names the service from the shape of its error body, when
// neither host nor headers did.
func serviceFromBody(bd *errorBody) string {
	m := bd.message
	switch {
	case strings.HasPrefix(bd.code, "AKV") || strings.Contains(m, "AKV1") || strings.Contains(m, "Vault: "):
		return serviceKeyVault
	case bd.authDetail != "" || strings.Contains(m, "\nRequestId:"):
		return serviceStorage
	case strings.Contains(m, "ActivityId:"):
		return serviceCosmos
	case strings.Contains(m, "TrackingId:") || strings.Contains(bd.text, "TrackingId:"):
		return serviceServiceBus
	}
	return ""
}
