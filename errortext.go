package azauthtrace

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// fromText diagnoses an error from its text alone.
func fromText(s string) (Failure, bool) {
	if strings.TrimSpace(s) == "" {
		return Failure{}, false
	}
	s = unquoteLogged(s)
	if i := strings.Index(s, chainMarker); i >= 0 {
		return fromChainText(s[:i], s[i+len(chainMarker):])
	}
	return fromEntryText(s)
}

// unquoteLogged returns s with the escapes a structured logger adds to an
// error it quotes (klog's err="...", logrus's msg="...") undone, when s
// holds such a quoted error: what the error said does not depend on how a
// log line printed it.
func unquoteLogged(s string) string {
	if strings.Contains(s, `{""error""`) {
		// A CSV or log export that doubled each quote.
		s = strings.ReplaceAll(s, `""`, `"`)
	}
	// An error quoted by a logger, then by another (a printf that quoted
	// it again): undo each.
	for range 3 {
		if !strings.Contains(s, `\"error`) || strings.Contains(s, `"error"`) {
			return s // an error body as it is, or none a logger escaped
		}
		s = unescapeOnce(s)
	}
	return s
}

// unescapeOnce undoes one level of the escapes a logger adds.
func unescapeOnce(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '"', '\\':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// chainEntries splits the text of a DefaultAzureCredential or
// ChainedTokenCredential error, around its chainMarker (head before it,
// rest after it), into the errors of the sources it tried, in order, with
// their indentation removed.
func chainEntries(head, rest string) (entries []string) {
	if pre := chainPrefix(head); pre != "" {
		entries = append(entries, pre)
	}
	// Each entry's lines are joined once, when the next entry starts: a
	// source's message of many lines costs its length, not its square.
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			entries = append(entries, strings.Join(lines, "\n"))
			lines = lines[:0]
		}
	}
	for part := range strings.SplitSeq(rest, "\n\t") {
		if strings.HasPrefix(part, "\t") && len(lines) > 0 {
			// A continuation line that the split cut at "\n\t\t".
			lines = append(lines, part[1:])
			continue
		}
		if strings.TrimSpace(part) == "" {
			continue
		}
		flush()
		lines = append(lines, part)
	}
	flush()
	return entries
}

// chainPrefix returns the error printed before a chain's own line in older
// azidentity versions, which put the deciding source's error first.
func chainPrefix(head string) string {
	head = strings.TrimRight(head, " ")
	j := strings.LastIndexByte(head, '\n')
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(head[:j])
}

func fromChainText(head, rest string) (Failure, bool) {
	entries := chainEntries(head, rest)
	chainName := leadingCredential(head[strings.LastIndexByte(head, '\n')+1:])
	if chainName == "" {
		chainName = "DefaultAzureCredential"
	}
	f := Failure{Chain: make([]Failure, 0, len(entries))}
	deciding := -1
	for _, e := range entries {
		ef, ok := fromEntryText(e)
		if !ok {
			ef = Failure{Class: ClassCredentialUnavailable, Source: SourceCredential, Credential: leadingCredential(e), Description: firstLine(credentialMessage(e))}
			advise(&ef)
		}
		if deciding < 0 && ef.Class != ClassCredentialUnavailable {
			deciding = len(f.Chain)
		}
		f.Chain = append(f.Chain, ef)
	}
	if deciding >= 0 {
		chain := f.Chain
		f = chain[deciding]
		f.Chain = chain
		return f, true
	}
	f.Class = ClassCredentialUnavailable
	f.Source = SourceCredential
	f.Credential = chainName
	f.Description = chainName + ": no credential in the chain provided a token"
	f.Mitigation = "No source in the chain could authenticate here: configure one of them (see each attempt), or use the specific credential for this environment."
	advise(&f)
	return f, true
}

// fromEntryText diagnoses the text of one credential's error, or of an
// azcore.ResponseError.
func fromEntryText(s string) (Failure, bool) {
	cred := leadingCredential(s)
	if f, ok := fromResponseText(s); ok {
		f.Credential = cred
		if msg := failedMessage(s, cred); msg != "" {
			f.Description = msg
		}
		f.TroubleshootingURL = ""
		advise(&f)
		return f, true
	}
	f, ok := sqlLoginFailed(s)
	if !ok && codeFromText(s) == 0 {
		f, ok = fromClientText(s)
	}
	if ok {
		f.Credential = cred
		advise(&f)
		return f, true
	}
	f, ok = fromMessageText(s, cred)
	if ok {
		f.Credential = cred
		f.TroubleshootingURL = ""
		advise(&f)
	}
	return f, ok
}

// fromResponseText parses the HTTP response that azidentity's
// AuthenticationFailedError, azcore's ResponseError and older MSAL errors
// print, and classifies it like FromResponse.
func fromResponseText(s string) (Failure, bool) {
	var (
		method, rawURL, body, errorCode string
		status                          int
	)
	switch i := failedResponseLine(s); {
	case i >= 0 || strings.HasPrefix(s, "RESPONSE "):
		if i < 0 {
			i = -1
		}
		head := s[:max(i, 0)]
		// The request line is the last line before the first dashes.
		if j := strings.Index(head, "\n"+dashes); j >= 0 {
			head = head[:j]
		}
		line := head[strings.LastIndexByte(head, '\n')+1:]
		if m, u, ok := strings.Cut(line, " "); ok && isMethod(m) {
			method, rawURL = m, u
		}
		rest := s[i+len("\nRESPONSE "):]
		status = leadingInt(rest)
		nl := strings.IndexByte(rest, '\n')
		if nl < 0 {
			break
		}
		rest = rest[nl+1:]
		if strings.HasPrefix(rest, "ERROR CODE: ") {
			errorCode = firstLine(rest[len("ERROR CODE: "):])
			if nl = strings.IndexByte(rest, '\n'); nl >= 0 {
				rest = rest[nl+1:]
			}
		}
		rest = strings.TrimPrefix(rest, dashes)
		rest = strings.TrimPrefix(rest, "\n")
		if j := strings.LastIndex(rest, "\n"+strings.Repeat("-", 20)); j >= 0 {
			rest = rest[:j]
		}
		body = rest
		if body == "Response contained no body" {
			body = ""
		}
	case strings.Contains(s, msalReplyCode):
		// FromAssertion(): http call(<url>)(POST) error: reply status code was 401:\n<body>
		if _, after, ok := strings.Cut(s, "http call("); ok {
			if u, after2, ok := strings.Cut(after, ")("); ok {
				rawURL = u
				method, _, _ = strings.Cut(after2, ")")
			}
		}
		rest := s[strings.Index(s, msalReplyCode)+len(msalReplyCode):]
		status = leadingInt(rest)
		if j := strings.IndexByte(rest, '{'); j >= 0 {
			body = rest[j:] // the JSON body, then text after it
		} else if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			body = firstLine(rest[nl+1:])
		}
	default:
		return Failure{}, false
	}
	if status < 400 || status > 599 {
		return Failure{}, false
	}
	req := &http.Request{Method: method, Header: http.Header{}}
	if u, err := url.Parse(rawURL); err == nil && rawURL != "" {
		req.URL = u
	}
	o := detectOrigin(req, http.Header{})
	if req.URL == nil {
		o = originFromText(s, body)
	}
	if o.source == SourceService && status != http.StatusUnauthorized && status != http.StatusForbidden {
		if leadingCredential(s) == "" {
			return Failure{}, false
		}
		o = origin{source: SourceIdentityProvider, service: serviceEntraID}
	}
	resp := &http.Response{StatusCode: status, Header: http.Header{}, Request: req}
	f := classifyResponse(resp, o, []byte(body))
	if f.ErrorCode == "" {
		f.ErrorCode = errorCode
	}
	return f, true
}

// failedResponseLine returns the index of the "\nRESPONSE " line of s
// that prints a failure status (400 to 599), the first of them: a text
// that goes on after a failure (a retry's "RESPONSE 200 OK") still holds
// it. -1 when s starts with a failed "RESPONSE " line, or has none.
// Without a failure, the first "\nRESPONSE " line.
func failedResponseLine(s string) int {
	const line = "\nRESPONSE "
	if c := leadingInt(strings.TrimPrefix(s, "RESPONSE ")); strings.HasPrefix(s, "RESPONSE ") && c >= 400 && c <= 599 {
		return -1 // the text starts with the failure
	}
	first := strings.Index(s, line)
	for off := first; off >= 0; {
		if c := leadingInt(s[off+len(line):]); c >= 400 && c <= 599 {
			return off
		}
		next := strings.Index(s[off+len(line):], line)
		if next < 0 {
			break
		}
		off += len(line) + next
	}
	return first
}

// originFromText guesses who answered when the text names no URL.
func originFromText(s, body string) origin {
	switch {
	case leadingCredential(s) == "ManagedIdentityCredential":
		return origin{source: SourceManagedIdentity, service: serviceIMDS, mi: miIMDS}
	case strings.Contains(body, "error_description") || strings.Contains(body, "AADSTS"):
		return origin{source: SourceIdentityProvider, service: serviceEntraID}
	}
	return origin{source: SourceService}
}

// fromMessageText classifies an error message that carries no HTTP
// response: credential-unavailable errors, AuthenticationFailedErrors
// without a response, constructor errors, AMQP errors.
func fromMessageText(s, cred string) (Failure, bool) {
	if code := codeFromText(s); code != 0 {
		// An Entra ID error inside a message.
		var bd errorBody
		if j := strings.IndexByte(s, '{'); j >= 0 {
			bd = parseBody([]byte(s[j:]))
		}
		if bd.description == "" {
			bd.description = s
		}
		f := Failure{Source: SourceIdentityProvider, Service: serviceEntraID}
		classifyToken(&f, &bd, http.Header{})
		return f, true
	}
	if oauthErr, code := oauthErrorInText(s); oauthErr != "" {
		// An identity provider's OAuth error as MSAL.js and others print
		// it: "temporarily_unavailable: 50033 - [time]: description".
		bd := errorBody{oauthError: oauthErr, description: s}
		if code > 0 {
			bd.codes = []int{code}
		}
		f := Failure{Source: SourceIdentityProvider, Service: serviceEntraID}
		classifyToken(&f, &bd, http.Header{})
		return f, true
	}
	l := strings.ToLower(s)
	f := Failure{Source: SourceCredential, Description: firstLine(strings.TrimSuffix(stripTroubleshoot(credentialMessage(s)), "."))}
	onIMDS := cred == "ManagedIdentityCredential" || strings.Contains(l, "169.254.169.254")
	switch {
	case strings.Contains(l, "continuous access evaluation resulted in challenge"):
		// A service's claims challenge, as an SDK's exception says it.
		f.Class = ClassClaimsChallenge
		f.Source = SourceService
	case containsAny(l, unavailableSignals):
		f.Class = ClassCredentialUnavailable
	case containsAny(l, configurationSignals), strings.Contains(l, "subscription '") && strings.Contains(l, "not found"):
		f.Class = ClassConfiguration
	case containsAny(l, networkSignals):
		f.Class = ClassTransient
		if onIMDS {
			f.Class = ClassCredentialUnavailable
		}
	case strings.Contains(l, "amqp:unauthorized-access") || containsAny(l, wordsPermission):
		f.Class = ClassPermission
		f.Source = SourceService
		if strings.Contains(l, "amqp:unauthorized-access") {
			f.StatusCode = http.StatusUnauthorized
		}
		if strings.Contains(s, "TrackingId:") {
			f.Service = serviceServiceBus
			f.RequestID = labelled(s, "TrackingId:")
		}
		if containsAny(l, wordsKeyRefused) && !containsAny(l, wordsPermission) {
			f.Class = ClassAuthentication
		}
	case containsAny(l, wordsKeyRefused):
		f.Class = ClassAuthentication
		f.Source = SourceService
	case cred != "" && strings.Contains(s, troubleshoot):
		// An AuthenticationFailedError without a response.
		f.Class = ClassAuthentication
	case cred != "" && !strings.Contains(s, " authentication failed"):
		// "<Credential>: <message>" is how azidentity words a credential
		// that cannot attempt authentication here.
		f.Class = ClassCredentialUnavailable
	default:
		return Failure{}, false
	}
	return f, true
}

// leadingCredential returns the azidentity credential type an error text
// starts with ("ClientSecretCredential: ...", "AzureCLICredential
// authentication failed. ..."), also behind a wrapping prefix ("listing
// groups: ClientSecretCredential: ..."), or "".
func leadingCredential(s string) string {
	const word = "Credential"
	line := firstLine(s)
	// One pass over the identifiers of the line: each is looked at once.
	for start := 0; start < len(line); {
		if !isIdent(line[start]) {
			start++
			continue
		}
		end := start
		for end < len(line) && isIdent(line[end]) {
			end++
		}
		name, rest := line[start:end], line[end:]
		if len(name) > len(word) && strings.HasSuffix(name, word) && (start == 0 || line[start-1] == ' ') &&
			(strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, ".GetToken") || strings.HasPrefix(rest, " authentication failed") ||
				strings.HasPrefix(rest, " can't acquire") || strings.HasPrefix(rest, " isn't configured")) {
			return name
		}
		start = end
	}
	return ""
}

func isIdent(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// credentialMessage returns s without its "<Credential>: " prefix (and
// whatever wrapped it).
func credentialMessage(s string) string {
	if cred := leadingCredential(s); cred != "" {
		s = strings.TrimPrefix(s[strings.Index(s, cred)+len(cred):], ":")
	}
	return strings.TrimSpace(s)
}

// failedMessage returns the message of "<Credential> authentication
// failed. <message>\n".
func failedMessage(s, cred string) string {
	const failed = " authentication failed."
	i := strings.Index(s, cred+failed)
	if cred == "" || i < 0 {
		return ""
	}
	return firstLine(s[i+len(cred)+len(failed):])
}

func stripTroubleshoot(s string) string {
	if i := strings.Index(s, troubleshoot); i >= 0 {
		s = strings.TrimRight(s[:i], " .")
	}
	return s
}

func isMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		return true
	}
	return false
}

func leadingInt(s string) int {
	n := 0
	for n < len(s) && n < 4 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0 // without the error value Atoi would allocate
	}
	v, _ := strconv.Atoi(s[:n])
	return v
}

// oauthErrors are the OAuth 2.0 error values (RFC 6749 section 5.2, and
// OpenID Connect's) that an identity provider answers with.
var oauthErrors = []string{
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
	"invalid_scope", "temporarily_unavailable", "server_error", "interaction_required", "login_required",
	"consent_required", "access_denied", "expired_token", "authorization_pending", "slow_down",
}

// oauthErrorInText returns the OAuth error value a text prints as
// "<error>: ", and the Entra ID code printed right after it without its
// AADSTS prefix ("temporarily_unavailable: 50033 - ..."), or "".
func oauthErrorInText(s string) (oauthErr string, code int) {
	for _, e := range oauthErrors {
		_, after, ok := strings.Cut(s, e+": ")
		if !ok {
			continue
		}
		n := 0
		for n < len(after) && n < 9 && '0' <= after[n] && after[n] <= '9' {
			n++
		}
		if n > 0 && strings.HasPrefix(after[n:], " ") {
			code, _ = strconv.Atoi(after[:n])
		}
		return e, code
	}
	return "", 0
}
