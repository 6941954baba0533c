package azauthtrace

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
)

// classifyToken diagnoses an Entra ID token or discovery endpoint failure.
// The AADSTS code decides the class; the OAuth error value only when the
// code is unknown.
func classifyToken(f *Failure, bd *errorBody, h http.Header) {
	desc := cmp.Or(bd.description, bd.message, bd.text)
	// The body's fields, and what the description says only when they are
	// missing.
	f.AADSTS, f.ErrorCode, f.Timestamp = mostSpecificCode(bd.codes), cmp.Or(bd.oauthError, bd.code), bd.timestamp
	f.CorrelationID, f.RequestID = bd.correlation, bd.traceID
	if f.AADSTS == 0 {
		f.AADSTS = codeFromText(desc)
	}
	if f.Timestamp == "" {
		f.Timestamp = timestampIn(desc)
	}
	if f.CorrelationID == "" {
		f.CorrelationID = cmp.Or(labelled(desc, "Correlation ID:"), h.Get("Client-Request-Id"))
	}
	if f.RequestID == "" {
		f.RequestID = cmp.Or(labelled(desc, "Trace ID:", "Request ID:"), h.Get("X-Ms-Request-Id"))
	}
	f.ErrorURI = bd.errorURI
	f.Description = aadstsMessage(desc)
	if c, ok := aadstsClass(f.AADSTS); ok {
		f.Class = c
		if isWrapper(f.AADSTS) && containsAny(strings.ToLower(desc), requestShapeSignals) {
			// A wrapper code ("error validating credentials") says only
			// that some credential failed; its words say the request
			// lacked one.
			f.Class = ClassConfiguration
		}
		return
	}
	f.Class = oauthClass(bd.oauthError, bd.suberror, f.StatusCode, desc)
}

// oauthClass classifies an OAuth error response whose AADSTS code is in
// no table, or missing: by its suberror, its wording when it says the
// request is malformed, its OAuth error value, then its status.
func oauthClass(oauthErr, suberror string, status int, desc string) Class {
	if suberror == "consent_required" {
		return ClassPermission
	}
	if containsAny(strings.ToLower(desc), requestShapeSignals) {
		return ClassConfiguration
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

// mostSpecificCode returns the last AADSTS code that does not wrap
// another (70002, 50012), or a wrapper when it is all there is.
func mostSpecificCode(codes []int) int {
	best := 0
	for _, c := range codes {
		if !isWrapper(c) || best == 0 {
			best = c
		}
	}
	return best
}

// maxTextCodes bounds the AADSTS codes codeFromText reads.
const maxTextCodes = 4

// codeFromText returns the most specific AADSTS code named in s.
func codeFromText(s string) int {
	var codes []int
	for len(codes) < maxTextCodes {
		_, after, ok := strings.Cut(s, "AADSTS")
		if !ok {
			break
		}
		n := 0
		for n < len(after) && n < 9 && '0' <= after[n] && after[n] <= '9' {
			n++
		}
		if c, err := strconv.Atoi(after[:n]); err == nil && c > 0 {
			codes = append(codes, c)
		}
		s = after[n:]
	}
	return mostSpecificCode(codes)
}

// aadstsMessage returns the message of an error_description: without its
// "AADSTS<code>: " prefixes and its trailing Trace ID, Correlation ID and
// Timestamp lines.
func aadstsMessage(desc string) string {
	for _, l := range []string{"\r\nTrace ID:", "\nTrace ID:", " Trace ID:"} {
		if before, _, ok := strings.Cut(desc, l); ok {
			desc = before
			break
		}
	}
	for strings.HasPrefix(desc, "AADSTS") {
		i := strings.Index(desc, ": ")
		if i < 0 || i > 16 {
			break
		}
		desc = strings.TrimSpace(desc[i+2:])
	}
	return strings.TrimSpace(desc)
}

// timestampIn returns the value of a "Timestamp: 2024-01-01 00:00:00Z" line.
func timestampIn(s string) string {
	_, s, ok := strings.Cut(s, "Timestamp: ")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(s, "\r\n\""); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s[:min(len(s), 40)])
}
