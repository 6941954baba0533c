package azauthtrace

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// MaxBodyRead is the most FromResponse reads of a response body: 64 KiB.
// Error bodies are far smaller; a longer body is classified on its prefix.
const MaxBodyRead = 64 << 10

// Recognizes reports whether FromResponse would diagnose resp, without
// reading its body: a 401 or 403 from a service, or any failure status from
// Entra ID or a managed identity endpoint. It allocates nothing.
func Recognizes(resp *http.Response) bool {
	switch {
	case resp == nil || resp.StatusCode < 400 || resp.StatusCode > 599:
		return false
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return true // whoever answered: no need to find out who
	}
	return detectOrigin(resp.Request, resp.Header).source != SourceService
}

// recognize is Recognizes, returning who answered as well.
func recognize(resp *http.Response) (origin, bool) {
	if resp == nil || resp.StatusCode < 400 || resp.StatusCode > 599 {
		return origin{}, false
	}
	o := detectOrigin(resp.Request, resp.Header)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return o, true
	}
	return o, o.source != SourceService
}

// FromResponse diagnoses resp. ok is false when resp is not an
// authentication or authorization failure: nil, a success, or a service
// response other than 401 and 403 (a service's 404 or 500 is not an auth
// failure; Entra ID's and managed identity endpoints' are).
//
// FromResponse reads at most [MaxBodyRead] bytes of the body, and leaves
// resp.Body readable with the identical bytes: a body that azcore has
// already buffered is not read at all, and the prefix read from any other
// body is put back in front of the rest. It decides who answered from
// resp.Request (the host and path) and from the response headers.
func FromResponse(resp *http.Response) (f Failure, ok bool) {
	o, ok := recognize(resp)
	if !ok {
		return Failure{}, false
	}
	body := peekBody(resp)
	return classifyResponse(resp.StatusCode, resp.Header, resp.Request, o, body), true
}

// peekBody returns up to MaxBodyRead bytes of resp.Body and leaves the body
// readable from its start.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	// azcore's buffered bodies (and bytes.Buffer) expose their bytes.
	if bb, ok := resp.Body.(interface{ Bytes() []byte }); ok {
		b := bb.Bytes()
		if len(b) > MaxBodyRead {
			b = b[:MaxBodyRead]
		}
		return b
	}
	size := 512
	if resp.ContentLength > 0 && resp.ContentLength <= MaxBodyRead {
		size = int(resp.ContentLength)
	}
	buf := make([]byte, 0, size)
	var err error
	for len(buf) < MaxBodyRead {
		if len(buf) == cap(buf) {
			if resp.ContentLength > 0 && int64(len(buf)) >= resp.ContentLength {
				break
			}
			buf = append(buf, 0)[:len(buf)]
			if cap(buf) > MaxBodyRead {
				buf = buf[:len(buf):MaxBodyRead]
			}
		}
		var n int
		n, err = resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	resp.Body = &splicedBody{prefix: buf, err: err, rest: resp.Body}
	return buf
}

// splicedBody replays the prefix the classifier read, then the rest of the
// original body. An error the original body returned while the prefix was
// read (io.EOF included) is returned after the prefix.
type splicedBody struct {
	prefix []byte
	off    int
	err    error
	rest   io.ReadCloser
}

// Read reads the prefix, then the rest of the original body.
func (b *splicedBody) Read(p []byte) (int, error) {
	if b.off < len(b.prefix) {
		n := copy(p, b.prefix[b.off:])
		b.off += n
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.rest.Read(p)
}

// Close closes the original body.
func (b *splicedBody) Close() error { return b.rest.Close() }

// classifyResponse diagnoses a failed response of the given origin whose
// body starts with body.
func classifyResponse(status int, h http.Header, req *http.Request, o origin, body []byte) Failure {
	f := Failure{StatusCode: status, Source: o.source, Service: o.service}
	var bf bodyFields
	text := parseBody(&bf, body)
	switch o.source {
	case SourceIdentityProvider:
		classifyToken(&f, &bf, h, text)
	case SourceManagedIdentity:
		classifyManagedIdentity(&f, &bf, h, o.mi, text)
	default:
		classifyService(&f, &bf, h, req, text)
	}
	advise(&f)
	return f
}

// parseBody fills bf from a JSON or XML body and returns the body as text
// when it is neither (a proxy's or gateway's plain text or HTML).
func parseBody(bf *bodyFields, body []byte) string {
	b := bytes.TrimLeft(body, " \t\r\n\ufeff")
	switch {
	case len(b) == 0:
		return ""
	case b[0] == '{':
		bf.parseJSON(b)
		if bf.isJSON {
			return ""
		}
	case b[0] == '<' && !isHTML(b):
		bf.parseXML(b)
		if bf.isXML {
			return ""
		}
	}
	if len(b) > 1024 {
		b = b[:1024]
	}
	if isHTML(b) {
		return htmlTitle(b)
	}
	return string(b)
}

// classifyToken diagnoses an Entra ID token or discovery endpoint failure.
// The AADSTS code decides the class; the OAuth error value only when the
// code is unknown.
func classifyToken(f *Failure, bf *bodyFields, h http.Header, text string) {
	desc := bf.description
	if desc == "" {
		desc = text
	}
	f.AADSTS = mostSpecificCode(bf.codes[:bf.nCodes])
	if f.AADSTS == 0 {
		f.AADSTS = codeFromText(desc)
	}
	f.ErrorCode = bf.oauthError
	f.CorrelationID = first(bf.correlation, labelled(desc, "Correlation ID:"), hget(h, "Client-Request-Id"))
	f.RequestID = first(bf.traceID, labelled(desc, "Trace ID:"), hget(h, "X-Ms-Request-Id"))
	f.Timestamp = first(bf.timestamp, timestampIn(desc))
	f.ErrorURI = bf.errorURI
	f.Description = sanitize(aadstsMessage(desc))
	if info, ok := aadsts[f.AADSTS]; ok {
		f.Class = info.class
		return
	}
	f.Class = oauthClass(bf.oauthError, bf.suberror, f.StatusCode)
}

// oauthClass classifies an OAuth error response whose AADSTS code is
// unknown or missing.
func oauthClass(oauthErr, suberror string, status int) Class {
	switch suberror {
	case "consent_required":
		return ClassPermission
	}
	switch oauthErr {
	case "temporarily_unavailable", "server_error", "slow_down":
		return ClassTransient
	case "invalid_client", "invalid_grant", "interaction_required", "login_required",
		"user_password_expired", "expired_token", "access_denied", "authorization_pending":
		return ClassAuthentication
	case "consent_required":
		return ClassPermission
	case "unauthorized_client", "invalid_request", "invalid_resource", "invalid_scope",
		"invalid_tenant", "unsupported_grant_type", "unsupported_response_type", "invalid_target":
		return ClassConfiguration
	}
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return ClassTransient
	case status == http.StatusBadRequest || status == http.StatusNotFound:
		return ClassConfiguration
	}
	return ClassAuthentication
}

// classifyManagedIdentity diagnoses a managed identity endpoint failure.
func classifyManagedIdentity(f *Failure, bf *bodyFields, h http.Header, k miKind, text string) {
	f.AADSTS = mostSpecificCode(bf.codes[:bf.nCodes])
	f.ErrorCode = first(bf.oauthError, bf.code)
	f.CorrelationID = first(bf.correlation, hget(h, "X-Correlation-Id"))
	f.Description = sanitize(firstLine(first(bf.description, bf.message, text)))
	s := f.StatusCode
	switch {
	case s == http.StatusTooManyRequests || s == http.StatusGone || s >= 500:
		f.Class = ClassTransient
	case k == miIMDS && s == http.StatusForbidden:
		// Not IMDS: Docker Desktop, an egress proxy or a firewall answers
		// at its address. There is no managed identity here.
		f.Class = ClassCredentialUnavailable
	case k == miIMDS && s == http.StatusNotFound:
		// IMDS is updating, or AAD Pod Identity's NMI has no binding for
		// the pod yet.
		f.Class = ClassTransient
	case k == miArc && s == http.StatusUnauthorized:
		// Arc's key-file challenge: the process could not read the key.
		f.Class = ClassConfiguration
		if f.Description == "" {
			f.Description = "Azure Arc key file challenge"
		}
	default:
		f.Class = ClassConfiguration
	}
}

// classifyService diagnoses a resource service's 401 or 403.
func classifyService(f *Failure, bf *bodyFields, h http.Header, req *http.Request, text string) {
	if f.Service == "" {
		f.Service = serviceFromBody(bf, text)
	}
	f.Challenge = ParseChallenge(h)
	f.ErrorCode = serviceErrorCode(bf, h)
	msg := first(bf.message, bf.description, text)
	f.CorrelationID = first(hfirst(h, "X-Ms-Correlation-Request-Id", "X-Ms-Client-Request-Id", "Client-Request-Id"), bf.innerCorrID)
	f.RequestID = first(hfirst(h, "X-Ms-Request-Id", "Request-Id", "Apim-Request-Id", "X-Ms-Activity-Id"), bf.innerReqID)
	if f.RequestID == "" {
		f.RequestID = first(labelled(msg, "RequestId:"), labelled(msg, "ActivityId:"), labelled(msg, "TrackingId:"))
	}
	// Storage's AuthenticationErrorDetail says more than its message.
	f.Description = sanitize(firstLine(first(bf.authDetail, msg)))
	if f.Description == "" && f.Challenge.Description != "" {
		f.Description = f.Challenge.Description
	}
	deniedPrincipal(f, msg)
	f.Class = serviceClass(f, bf, h, req, msg)
}

// serviceErrorCode picks the most specific error code: Key Vault's
// innererror code under its generic top-level code, x-ms-error-code, the
// body's code.
func serviceErrorCode(bf *bodyFields, h http.Header) string {
	if bf.innerCode != "" && (bf.code == "" || genericCode(bf.code)) {
		return bf.innerCode
	}
	return first(hget(h, "X-Ms-Error-Code"), bf.code)
}

func genericCode(code string) bool {
	var key [64]byte
	switch string(lowerKey(&key, code)) {
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
}

// serviceClass decides the class of a service 401 or 403, top-down as the
// corpus specification orders them.
func serviceClass(f *Failure, bf *bodyFields, h http.Header, req *http.Request, msg string) Class {
	ch := f.Challenge
	if ch.ClaimsPresent || ch.Error == "insufficient_claims" ||
		strings.Contains(msg, "Continuous access evaluation resulted in challenge") {
		return ClassClaimsChallenge
	}
	var key [64]byte
	if c, ok := serviceCodes[string(lowerKey(&key, f.ErrorCode))]; ok {
		return c
	}
	if sub := hget(h, "X-Ms-Substatus"); f.Service == serviceCosmos || sub != "" {
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
	if d := strings.ToLower(bf.authDetail); d != "" {
		switch {
		case containsAny(d, tokenSignals):
			return ClassTokenRejected
		case containsAny(d, keySignals):
			return ClassAuthentication
		}
	}
	lmsg := strings.ToLower(msg)
	switch {
	case !bearer && containsAny(lmsg, keySignals):
		return ClassAuthentication
	case containsAny(lmsg, permissionSignals):
		return ClassPermission
	case containsAny(lmsg, tokenSignals):
		return ClassTokenRejected
	case ch.Error == "invalid_token":
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

var (
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
		"not allowed to access", "is not permitted",
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
	a := hget(req.Header, "Authorization")
	switch {
	case len(a) > 7 && strings.EqualFold(a[:7], "Bearer "), len(a) > 4 && strings.EqualFold(a[:4], "PoP "):
		bearer = true
	case a != "":
		keyBased = true // SharedKey, SharedAccessSignature, Basic
	}
	if hget(req.Header, "Api-Key") != "" || hget(req.Header, "Ocp-Apim-Subscription-Key") != "" {
		keyBased = true
	}
	if req.URL != nil && strings.Contains(req.URL.RawQuery, "sig=") {
		keyBased = true
	}
	return bearer, keyBased
}

// serviceFromBody names the service from the shape of its error body, when
// neither host nor headers did.
func serviceFromBody(bf *bodyFields, text string) string {
	m := bf.message
	switch {
	case strings.HasPrefix(bf.code, "AKV") || strings.Contains(m, "AKV1") || strings.Contains(m, "Vault: "):
		return serviceKeyVault
	case bf.authDetail != "" || strings.Contains(m, "\nRequestId:"):
		return serviceStorage
	case strings.Contains(m, "ActivityId:"):
		return serviceCosmos
	case strings.Contains(m, "TrackingId:") || strings.Contains(text, "TrackingId:"):
		return serviceServiceBus
	}
	return ""
}

// deniedPrincipal reads who was denied what from a service message: ARM's
// "The client 'X' with object id 'Y' does not have authorization to
// perform action 'A' over scope 'S'" (and LinkedAuthorizationFailed's
// linked action and scope), Key Vault's Caller, Action and Resource lines,
// Foundry's "The principal X lacks the required data action A".
func deniedPrincipal(f *Failure, msg string) {
	switch {
	case armDenial(f, msg):
	case strings.Contains(msg, "Caller: "):
		caller := firstLine(msg[strings.Index(msg, "Caller: ")+len("Caller: "):])
		for _, kv := range strings.Split(caller, ";") {
			k, v, _ := strings.Cut(kv, "=")
			switch strings.TrimSpace(k) {
			case "oid":
				f.PrincipalID = v
			case "appid":
				f.PrincipalName = v
			}
		}
		f.Action = quotedAfter(msg, "Action: '")
		f.Scope = quotedAfter(msg, "Resource: '")
	case strings.HasPrefix(msg, "The principal "):
		rest := msg[len("The principal "):]
		f.PrincipalID, _, _ = strings.Cut(rest, " ")
		if _, a, ok := strings.Cut(rest, "data action "); ok {
			f.Action, _, _ = strings.Cut(a, " ")
		}
	case strings.Contains(msg, "principal ["):
		// Cosmos DB: "principal [oid] does not have required RBAC
		// permissions to perform action [A] on resource [R]".
		f.PrincipalID = bracketedAfter(msg, "principal [")
		f.Action = bracketedAfter(msg, "action [")
		f.Scope = bracketedAfter(msg, "resource [")
	case strings.Contains(msg, "'appid="):
		// Key Vault access policies: "The user, group or application
		// 'appid=A;oid=O;iss=I' does not have secrets get permission on
		// key vault 'V;location=L'".
		for _, kv := range strings.Split(quotedAfter(msg, "'appid="), ";") {
			k, v, _ := strings.Cut(kv, "=")
			if k == "oid" {
				f.PrincipalID = v
			}
		}
		f.PrincipalName, _, _ = strings.Cut(quotedAfter(msg, "'appid="), ";")
		if _, rest, ok := strings.Cut(msg, "does not have "); ok {
			if a, _, ok := strings.Cut(rest, " permission on "); ok && len(a) < 64 {
				f.Action = a
			}
		}
		f.Scope, _, _ = strings.Cut(quotedAfter(msg, "key vault '"), ";")
	}
	if f.PrincipalName == f.PrincipalID {
		f.PrincipalName = ""
	}
}

// armDenial reads ARM's (and Key Vault RBAC's) denial message, "The client
// 'name' with object id 'oid' does not have authorization to perform
// action 'A' over scope 'S'", and LinkedAuthorizationFailed's, whose
// denied action(s) and scope(s) follow "does not have". It reports whether
// msg names an object ID that way. One pass looks at the word before each
// quote.
func armDenial(f *Failure, msg string) bool {
	var (
		name, id, actions, action, scopes, scope string
		found                                    bool
	)
	denied := strings.Index(msg, "does not have")
	after := func(i int, label string) bool {
		return strings.HasSuffix(msg[:i], label) && i-len(label) >= denied
	}
	for i := strings.IndexByte(msg, '\''); i >= 0; {
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			break
		}
		v := msg[i+1 : i+1+j]
		switch {
		case i == 0 || msg[i-1] != ' ':
			// Every label ends with a space: this quote closes a value.
		case !found && strings.HasSuffix(msg[:i], "object id "):
			id, found = v, true
		case name == "" && strings.HasSuffix(msg[:i], "The client "):
			name = v
		case actions == "" && after(i, "action(s) "):
			actions = v
		case action == "" && after(i, "action "):
			action = v
		case scopes == "" && after(i, "scope(s) "):
			scopes = v
		case scope == "" && after(i, "scope "):
			scope = v
		}
		i += 1 + j
	}
	if !found {
		return false
	}
	f.PrincipalName, f.PrincipalID = name, id
	f.Action, f.Scope = first(actions, action), first(scopes, scope)
	return true
}

// quotedAfter returns the text between prefix, which ends with an opening
// single quote, and the closing quote.
func quotedAfter(s, prefix string) string { return between(s, prefix, '\'') }

// bracketedAfter returns the text between prefix, which ends with "[", and
// the next "]".
func bracketedAfter(s, prefix string) string { return between(s, prefix, ']') }

// between returns the text after the first prefix in s up to the next
// closing byte, or "" when either is missing.
func between(s, prefix string, closing byte) string {
	i := strings.Index(s, prefix)
	if i < 0 {
		return ""
	}
	s = s[i+len(prefix):]
	j := strings.IndexByte(s, closing)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// labelled returns the token after label ("Trace ID:", "RequestId:") in s.
func labelled(s, label string) string {
	i := strings.Index(s, label)
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len(label):], " ")
	end := 0
	for end < len(s) && s[end] != ' ' && s[end] != '\r' && s[end] != '\n' && s[end] != ',' && s[end] != '\t' && s[end] != '"' && s[end] != '\\' {
		end++
	}
	return s[:end]
}

// timestampIn returns the value of a "Timestamp: 2024-01-01 00:00:00Z" line.
func timestampIn(s string) string {
	i := strings.Index(s, "Timestamp: ")
	if i < 0 {
		return ""
	}
	s = s[i+len("Timestamp: "):]
	if j := strings.IndexAny(s, "\r\n\""); j >= 0 {
		s = s[:j]
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.TrimSpace(s)
}

// mostSpecificCode returns the last AADSTS code that is not the generic
// wrapper 70002, or the wrapper when it is all there is.
func mostSpecificCode(codes []int) int {
	best := 0
	for _, c := range codes {
		if c != aadstsWrapper || best == 0 {
			best = c
		}
	}
	return best
}

// codeFromText returns the most specific AADSTS code named in s.
func codeFromText(s string) int {
	var codes [4]int
	n := 0
	for i := 0; n < len(codes); {
		j := strings.Index(s[i:], "AADSTS")
		if j < 0 {
			break
		}
		i += j + len("AADSTS")
		k := i
		for k < len(s) && k-i < 9 && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if c, err := strconv.Atoi(s[i:k]); err == nil && c > 0 {
			codes[n] = c
			n++
		}
	}
	return mostSpecificCode(codes[:n])
}

// aadstsMessage returns the message of an error_description: without its
// "AADSTS<code>: " prefixes and its trailing Trace ID, Correlation ID and
// Timestamp lines.
func aadstsMessage(desc string) string {
	for _, l := range []string{"\r\nTrace ID:", "\nTrace ID:", " Trace ID:"} {
		if i := strings.Index(desc, l); i >= 0 {
			desc = desc[:i]
			break
		}
	}
	for strings.HasPrefix(desc, "AADSTS") {
		i := strings.Index(desc, ": ")
		if i < 0 || i > 16 {
			break
		}
		rest := strings.TrimSpace(desc[i+2:])
		if !strings.HasPrefix(rest, "AADSTS") {
			desc = rest
			break
		}
		desc = rest
	}
	return strings.TrimSpace(desc)
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isHTML(b []byte) bool {
	if len(b) > 64 {
		b = b[:64]
	}
	l := bytes.ToLower(b)
	return bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html"))
}

// htmlTitle returns the title of an HTML page (a gateway's error page), or
// a fixed text.
func htmlTitle(b []byte) string {
	l := bytes.ToLower(b)
	i := bytes.Index(l, []byte("<title>"))
	if i >= 0 {
		rest := b[i+len("<title>"):]
		if j := bytes.Index(bytes.ToLower(rest), []byte("</title>")); j >= 0 {
			return strings.TrimSpace(string(rest[:j]))
		}
	}
	return "HTML error page"
}

// lowerKey returns s in ASCII lower case, in buf when it fits, for map
// lookups that do not allocate (a longer s allocates).
func lowerKey(buf *[64]byte, s string) []byte {
	if len(s) > len(buf) {
		return []byte(strings.ToLower(s))
	}
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return b
}
