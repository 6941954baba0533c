package azauthtrace

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The error texts of the Go clients that run beside azidentity print a
// failed response in their own words: go-autorest ("autorest/azure:
// Service returned an error. Status=403 Code="AuthorizationFailed"
// Message="..."", "StatusCode=403 -- Original Error: ..."), adal
// ("adal: Refresh request failed. Status Code = '401'. Response body:
// {...} Endpoint http://..."), go-azure-sdk as Terraform's azurerm
// provider prints it ("unexpected status 403 (403 Forbidden) with error:
// AuthorizationFailed: ..."), kubectl and client-go ("error: You must be
// logged in to the server (Unauthorized)", "Error from server
// (Forbidden): ..."). fromClientText reads the status, the URL, the
// code, the message and any JSON body they carry, and weighs them as
// FromResponse weighs a response.

// statusLabels are the words after which a client prints a response's
// status code, in lower case.
var statusLabels = []string{
	"statuscode=", "status=", "status code = '", "status code: ", "status code ", "statuscode: ",
	"unexpected status ", "status: ", "http status ", "response status ",
}

// reasonStatuses are the reason phrases client-go and kubectl print in
// parentheses for a status.
var reasonStatuses = []struct {
	reason string
	status int
}{
	{"(unauthorized)", http.StatusUnauthorized},
	{"(forbidden)", http.StatusForbidden},
	{"401 unauthorized", http.StatusUnauthorized},
	{"403 forbidden", http.StatusForbidden},
}

// statusInText returns the first failure status (400 to 599) s prints
// after a status label or as a reason phrase, or 0.
func statusInText(s string) int {
	l := strings.ToLower(s)
	best, at := 0, len(l)
	for _, label := range statusLabels {
		for off := 0; off < len(l); {
			i := strings.Index(l[off:], label)
			if i < 0 || off+i >= at {
				break
			}
			i += off
			if c := leadingInt(l[i+len(label):]); c >= 400 && c <= 599 {
				best, at = c, i
				break
			}
			off = i + len(label)
		}
	}
	for _, r := range reasonStatuses {
		if i := strings.Index(l, r.reason); i >= 0 && i < at {
			best, at = r.status, i
		}
	}
	return best
}

// quotedAfterLabel returns the Go-quoted string that follows label in s
// (autorest's Code=%q and Message=%q), unquoted, or "".
func quotedAfterLabel(s, label string) string {
	i := strings.Index(s, label+`"`)
	if i < 0 {
		return ""
	}
	q, err := strconv.QuotedPrefix(s[i+len(label):])
	if err != nil {
		return ""
	}
	v, err := strconv.Unquote(q)
	if err != nil {
		return ""
	}
	return v
}

// codeAfterLabel returns the code go-azure-sdk prints after label in
// "with error: <Code>: <message>", or "" when no code-shaped word is
// there.
func codeAfterLabel(s, label string) string {
	_, after, ok := strings.Cut(s, label)
	if !ok {
		return ""
	}
	code, _, ok := strings.Cut(after, ": ")
	if !ok || code == "" || len(code) > 64 || strings.ContainsAny(code, " \t\r\n\"'{") {
		return ""
	}
	return code
}

// urlInText returns the first http or https URL in s after "Endpoint "
// (adal) or in a "call(<url>)", or nil.
func urlInText(s string) *url.URL {
	for _, label := range []string{"Endpoint ", "endpoint "} {
		if _, after, ok := strings.Cut(s, label); ok && (strings.HasPrefix(after, "http://") || strings.HasPrefix(after, "https://")) {
			if end := strings.IndexAny(after, " \t\r\n\"'"); end >= 0 {
				after = after[:end]
			}
			if u, err := url.Parse(after); err == nil {
				return u
			}
		}
	}
	return nil
}

// fromClientText diagnoses the text of another Go client's error that
// prints a failed response's status.
func fromClientText(s string) (Failure, bool) {
	status := statusInText(s)
	if status == 0 {
		return Failure{}, false
	}
	var bd errorBody
	if j := strings.IndexByte(s, '{'); j >= 0 {
		bd = parseBody([]byte(s[j:]))
	}
	bd.code = cmp.Or(quotedAfterLabel(s, `Code=`), codeAfterLabel(s, "with error: "), bd.code)
	bd.message = cmp.Or(quotedAfterLabel(s, `Message=`), bd.message)
	if _, after, ok := strings.Cut(s, "InnerError={"); ok {
		// autorest prints Key Vault's innererror after the message.
		inner := parseBody([]byte("{" + after))
		bd.innerCode = inner.code
	}
	if bd.message == "" && bd.description == "" {
		bd.text = s
	}
	req := &http.Request{Header: http.Header{}, URL: urlInText(s)}
	var o origin
	switch {
	case req.URL != nil:
		o = detectOrigin(req, http.Header{})
	case codeFromText(s) != 0 || bd.oauthError != "" && bd.description != "":
		o = origin{source: SourceIdentityProvider, service: serviceEntraID}
	default:
		o = origin{source: SourceService}
	}
	if o.source == SourceService && status != http.StatusUnauthorized && status != http.StatusForbidden {
		return Failure{}, false
	}
	f := classifyBody(&http.Response{StatusCode: status, Header: http.Header{}, Request: req}, o, &bd)
	if f.Description == "" || len(f.Description) > 2*len(firstLine(s)) {
		f.Description = firstLine(s)
	}
	return f, true
}

// sqlLoginFailed diagnoses SQL Server's login errors as go-mssqldb
// prints them ("mssql: login error: Login failed for user '...'"): the
// words after the login's name decide when there are some (a token
// expired or not accepted, a firewall rule); else a principal SQL
// identified from an Entra token ("<token-identified principal>") was
// accepted and has no user or no access in the database (permission),
// and any other login's credential was refused (authentication).
// https://learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-errors-issues
func sqlLoginFailed(s string) (Failure, bool) {
	const prefix = "login error: "
	i := strings.Index(s, prefix)
	if i < 0 {
		return Failure{}, false
	}
	msg := firstLine(s[i+len(prefix):])
	l := strings.ToLower(msg)
	f := Failure{Source: SourceService, Service: "Azure SQL Database", Description: msg}
	// What SQL adds after the login's name says why: "Token is expired",
	// "The server is not currently configured to accept this token".
	reason := l
	if _, after, ok := strings.Cut(l, "login failed for user '"); ok {
		_, reason, _ = strings.Cut(after, "'")
	}
	switch c, ok := weighWords(reason, false, false); {
	case ok:
		f.Class = c
	case strings.Contains(l, "token-identified principal"):
		f.Class = ClassPermission
	case strings.Contains(l, "login failed"):
		f.Class = ClassAuthentication
	default:
		return Failure{}, false
	}
	return f, true
}
