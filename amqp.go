package azauthtrace

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// fromAMQP diagnoses the errors of Service Bus and Event Hubs, whose data
// planes speak AMQP: go-amqp's *Error (its condition and description), the
// Code of azservicebus's and azeventhubs's *Error, and the text of both,
// with the failures of their put-token requests to the service's claims
// based security node (CBS). It knows the types by their fields, so that
// this module does not depend on them. ok is false for an error that says
// nothing about authentication.
func fromAMQP(err error, text string) (Failure, bool) {
	if strings.HasPrefix(text, "RESPONSE ") || strings.Contains(text, "\nRESPONSE ") {
		return Failure{}, false // an HTTP response's text, which fromText reads
	}
	cond, desc := amqpError(err)
	if cond == "" {
		cond, desc = amqpErrorText(text)
	}
	status, cbsCode, cbsDesc := cbsFailure(text)
	code := strings.ToLower(sdkErrorCode(err))
	if code == "" {
		code = sdkErrorCodeText(text)
	}
	// msg is the service's own words, when the error or its text frames
	// them; otherwise the whole text, which may hold them.
	msg := cmp.Or(desc, cbsDesc, text)
	l := strings.ToLower(msg)
	f := Failure{Source: SourceService, Service: serviceServiceBus, ErrorCode: cmp.Or(cond, cbsCode), StatusCode: status}
	if strings.Contains(l, "/consumergroups/") || strings.Contains(l, "/partitions/") || strings.Contains(l, "eventhub") {
		f.Service = serviceEventHubs
	}
	unauthorized := cond == "amqp:unauthorized-access" || code == "unauthorized" || status == http.StatusUnauthorized || status == http.StatusForbidden
	switch {
	case strings.Contains(l, "renewtoken"):
		// The link was detached because its token was not renewed in
		// time, whatever claims the message then lists.
		f.Class = ClassTokenRejected
	case tokenCBSCodes[strings.ToLower(cbsCode)], strings.Contains(l, "claim is empty or token is invalid"):
		f.Class = ClassTokenRejected
	case strings.EqualFold(cbsCode, "InvalidSignature"):
		f.Class = ClassAuthentication // the SAS key signed it wrong
	case strings.EqualFold(cbsCode, "LocalAuthDisabled"), strings.Contains(l, "sas authentication has been disabled"):
		f.Class = ClassConfiguration
	case strings.Contains(l, "claim(s) are required"):
		f.Class = ClassPermission
		f.Action = claimsRequired(msg)
		f.Scope = quotedAfter(msg, "Resource: '")
	case unauthorized:
		f.Class = ClassPermission
	default:
		return Failure{}, false
	}
	if f.StatusCode == 0 {
		f.StatusCode = http.StatusUnauthorized
	}
	f.RequestID = labelled(msg, "TrackingId:")
	untracked, _, _ := strings.Cut(msg, " TrackingId:")
	f.Description = firstLine(cmp.Or(strings.TrimSuffix(untracked, "."), text))
	advise(&f)
	return f, true
}

// claimsRequired returns the claims the service names as missing,
// "'Send' claim(s) are required" or "'Listen,Manage' claim(s) are
// required": the quoted value just before the phrase.
func claimsRequired(s string) string {
	i := strings.Index(s, "' claim(s) are required")
	if i < 0 {
		return ""
	}
	j := strings.LastIndexByte(s[:i], '\'')
	if j < 0 {
		return ""
	}
	return s[j+1 : i]
}

// tokenCBSCodes are the codes of put-token failures that reject the token
// itself (lower case).
var tokenCBSCodes = map[string]bool{
	"expiredtoken": true, "invalidaudience": true, "invalidissuer": true, "malformedtoken": true, "invalidtoken": true,
}

// sdkErrorCodeText returns the code azservicebus and azeventhubs print in
// front of their errors' text, "(unauthorized): ...".
func sdkErrorCodeText(text string) string {
	i := strings.Index(text, "(unauthorized): ")
	if i < 0 {
		return ""
	}
	return "unauthorized"
}

// amqpErrorText returns the condition and description of the text of
// go-amqp's Error: "*Error{Condition: c, Description: d, Info: map[...]}".
func amqpErrorText(text string) (condition, description string) {
	_, rest, ok := strings.Cut(text, "*Error{Condition: ")
	if !ok {
		return "", ""
	}
	condition, rest, _ = strings.Cut(rest, ", Description: ")
	if i := strings.LastIndex(rest, ", Info: map["); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSpace(condition), rest
}

// cbsFailure returns the status, the code and the description of a failed
// put-token request, "rpc: failed, status code 401 and description:
// ExpiredToken: The token is expired", or of older SDKs' "status code 401
// and description: ...".
func cbsFailure(text string) (status int, code, description string) {
	if _, rest, ok := strings.Cut(text, "status code "); ok {
		if n, rest, ok := strings.Cut(rest, " and description: "); ok {
			status, _ = strconv.Atoi(n)
			description = firstLine(rest)
			if c, _, ok := strings.Cut(description, ": "); ok && isWord(c) {
				code = c
			}
			return status, code, description
		}
	}
	// The management client's "error code: 401, Details: ..." (older
	// azservicebus, KEDA): the status is its code.
	if _, rest, ok := strings.Cut(text, "error code: "); ok {
		if n, rest, ok := strings.Cut(rest, ", Details: "); ok && safe.IsDigits(n) {
			status, _ = strconv.Atoi(n)
			return status, n, firstLine(rest)
		}
	}
	return 0, "", ""
}

// isWord reports whether s is a code word: letters and digits only.
func isWord(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdent(s[i]) {
			return false
		}
	}
	return true
}
