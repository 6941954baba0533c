package azauthtrace

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
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
	"unexpected status ", "status: ", "http status ", "response status ", "http error: ",
	"does not indicate success: ",
}

// reasonStatuses are the reason phrases clients print for a status:
// client-go's and azure-core's "(Unauthorized)", the .NET SDKs'
// "Unauthorized (401)", Kubernetes' reason messages.
var reasonStatuses = []struct {
	reason string
	status int
}{
	{"(unauthorized)", http.StatusUnauthorized},
	{"(forbidden)", http.StatusForbidden},
	{"401 unauthorized", http.StatusUnauthorized},
	{"403 forbidden", http.StatusForbidden},
	{"unauthorized (401)", http.StatusUnauthorized},
	{"forbidden (403)", http.StatusForbidden},
	// AutoRest's (Python's and PowerShell's) "Operation returned an
	// invalid status 'Forbidden'" and "... status code 'Unauthorized'".
	{"status 'unauthorized'", http.StatusUnauthorized},
	{"status 'forbidden'", http.StatusForbidden},
	{"status code 'unauthorized'", http.StatusUnauthorized},
	{"status code 'forbidden'", http.StatusForbidden},
	// The messages of Kubernetes' StatusReasonUnauthorized and
	// StatusReasonForbidden, which client-go prints without a status.
	{"the server has asked for the client to provide credentials", http.StatusUnauthorized},
	{"the server does not allow access to the requested resource", http.StatusForbidden},
}

// statusInText returns the first failure status (400 to 599) s prints
// after a status label or as a reason phrase, or 0.
func statusInText(s string) int {
	l := safe.LowerASCII(s)
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

// fromClientText diagnoses the text of another client's error that
// prints a failed response: its status, or, when it prints none, a
// service's code (then the words must decide, or the text is not
// recognised).
func fromClientText(s string) (Failure, bool) {
	status := statusInText(s)
	code := textCode(s)
	if status == 0 && code == "" && strings.IndexByte(s, '{') < 0 {
		return Failure{}, false // neither a status nor a code: no response printed
	}
	var bd errorBody
	if j := strings.IndexByte(s, '{'); j >= 0 {
		bd = parseBody([]byte(s[j:]))
	}
	if code != "" && (bd.code == "" || !genericCode(code)) {
		bd.code = code // a generic code ("Unknown") yields to the body's
	}
	bd.message = cmp.Or(quotedAfterLabel(s, `Message=`), bd.message)
	if _, after, ok := strings.Cut(s, "InnerError={"); ok {
		// autorest prints Key Vault's innererror after the message.
		inner := parseBody([]byte("{" + after))
		bd.innerCode = inner.code
	}
	if status == 0 && bd.code == "" {
		return Failure{}, false
	}
	if bd.message == "" && bd.description == "" {
		bd.text = s
	} else {
		bd.detail = cmp.Or(bd.detail, s) // IDs and words printed around the body
	}
	req := &http.Request{Header: http.Header{}, URL: urlInText(s)}
	var o origin
	switch {
	case req.URL != nil:
		o = detectOrigin(req, http.Header{})
	case leadingCredential(s) == "ManagedIdentityCredential":
		o = origin{source: SourceManagedIdentity, service: serviceIMDS, mi: miIMDS}
	case codeFromText(s) != 0 || bd.oauthError != "" && bd.description != "":
		o = origin{source: SourceIdentityProvider, service: serviceEntraID}
	default:
		o = origin{source: SourceService}
	}
	if _, known := knownCode(bd.code); o.source == SourceService && status != 0 && status != http.StatusUnauthorized && status != http.StatusForbidden && !known {
		return Failure{}, false
	}
	if o.source != SourceService && status == 0 {
		return Failure{}, false
	}
	resp := &http.Response{StatusCode: status, Header: headersInText(s), Request: req}
	f := classifyBody(resp, o, &bd)
	if f.Class == "" {
		return Failure{}, false // no status, and no words that decide
	}
	if f.Description == "" || len(f.Description) > 2*len(firstLine(s)) {
		f.Description = firstLine(s)
	}
	return f, true
}

// codeLabels are the words after which clients print a service's error
// code: go-autorest's Code="...", azblob's ServiceCode=, the .NET SDKs'
// ErrorCode: line, azure-core's (Python's) Code: line.
var codeLabels = []string{"ServiceCode=", "\nErrorCode: ", "\nCode: ", "\n   Code: ", " ErrorCode: "}

// textCode returns the service error code a client's text prints, or "".
func textCode(s string) string {
	if c := quotedAfterLabel(s, `Code=`); c != "" {
		return c
	}
	for _, label := range codeLabels {
		if _, after, ok := strings.Cut(s, label); ok {
			if c := codeWord(after); c != "" {
				return c
			}
		}
	}
	// go-azure-sdk's "with error: <Code>: ...", Hamilton's (Terraform
	// azuread's) "with OData error: <Code>: ...".
	for _, label := range []string{"with error: ", "with OData error: "} {
		if c := codeAfterLabel(s, label); c != "" {
			return c
		}
	}
	// azure-core and the Azure CLI: "ERROR: (Code) message",
	// "HttpResponseError: (Code) message".
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ": (")
		if i < 0 {
			break
		}
		rest := s[off+i+3:]
		if c, _, ok := strings.Cut(rest, ") "); ok && isCode(c) {
			return c
		}
		off += i + 3
	}
	// The .NET SDKs' "Unauthorized (401)": the status's name as the code.
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], " (")
		if i < 0 {
			break
		}
		i += off
		if c := leadingInt(s[i+2:]); c >= 400 && c <= 599 && strings.HasPrefix(s[i+5:], ")") {
			if j := strings.LastIndexByte(s[:i], ' '); isCode(s[j+1 : i]) {
				return s[j+1 : i]
			}
		}
		off = i + 2
	}
	// A message that starts with its code: "TF400813: The user ...".
	msg := s
	if i := strings.LastIndex(firstLine(s), "]"); i >= 0 {
		msg = firstLine(s)[i+1:]
	}
	if c, _, ok := strings.Cut(strings.TrimSpace(msg), ": "); ok && isCode(c) && strings.IndexAny(c, "0123456789") > 0 && strings.ToUpper(c) == c {
		return c
	}
	return ""
}

// codeWord returns the code-shaped word s starts with, or "".
func codeWord(s string) string {
	end := strings.IndexAny(s, " \t\r\n,;)")
	if end < 0 {
		end = len(s)
	}
	if isCode(s[:end]) {
		return s[:end]
	}
	return ""
}

// isCode reports whether s has an error code's shape: a letter, then
// letters, digits, '_', '.' or '-', at most 64 bytes.
func isCode(s string) bool {
	if s == "" || len(s) > 64 || !('A' <= s[0] && s[0] <= 'Z' || 'a' <= s[0] && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isIdent(c) || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// maxTextHeaders bounds the headers headersInText reads.
const maxTextHeaders = 32

// headersInText reads the "Headers:" section the .NET SDKs print after a
// failed response's content: one "Name: value" a line, until a blank
// line.
func headersInText(s string) http.Header {
	h := http.Header{}
	_, after, ok := strings.Cut(s, "\nHeaders:\n")
	if !ok {
		return h
	}
	for n := 0; n < maxTextHeaders; n++ {
		line, rest, _ := strings.Cut(after, "\n")
		line = strings.TrimSpace(line)
		name, value, ok := strings.Cut(line, ": ")
		if !ok || !isCode(name) {
			break
		}
		h.Add(name, strings.TrimSpace(value))
		after = rest
	}
	return h
}

// sqlLoginFailed diagnoses SQL Server's login failure (error 18456) as
// go-mssqldb ("mssql: login error: Login failed for user '...'"), sqlcmd
// or SqlClient print it: the words after the login's name decide when
// there are some (a token expired or not accepted); else a principal SQL
// identified from an Entra token ("<token-identified principal>") was
// accepted and has no user or no access in the database (permission),
// and any other login's credential was refused (authentication).
// https://learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-errors-issues
func sqlLoginFailed(s string) (Failure, bool) {
	const login = "Login failed for user '"
	i := strings.Index(s, login)
	if i < 0 {
		return Failure{}, false
	}
	msg := firstLine(s[i:])
	f := Failure{Source: SourceService, Service: "Azure SQL Database", Description: msg}
	if _, after, ok := strings.Cut(s, "Msg "); ok {
		// sqlcmd's and SSMS's "Msg 18456, Level 14, State 233".
		n := 0
		for n < len(after) && n < 9 && '0' <= after[n] && after[n] <= '9' {
			n++
		}
		f.ErrorCode = after[:n]
	}
	// What SQL adds after the login's name says why: "Token is expired",
	// "The server is not currently configured to accept this token".
	_, reason, _ := strings.Cut(msg[len(login):], "'")
	switch c, ok := weighWords(strings.ToLower(reason), false, false); {
	case ok:
		f.Class = c
	case strings.Contains(msg, "<token-identified principal>"):
		f.Class = ClassPermission
	default:
		f.Class = ClassAuthentication
	}
	return f, true
}
