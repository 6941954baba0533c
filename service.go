package azauthtrace

import (
	"cmp"
	"net/http"
	"strings"
)

// classifyService diagnoses a resource service's 401 or 403: it reads the
// response (headers, challenge, body), weighs the evidence, and lets the
// service's row refine it.
func classifyService(f *Failure, bd *errorBody, h http.Header, req *http.Request) {
	if f.Service == "" {
		f.Service = serviceFromBody(bd)
	}
	f.Challenge = ParseChallenge(h)
	f.ErrorCode = serviceErrorCode(bd, h, f.Challenge)
	msg := cmp.Or(bd.message, bd.description, bd.detail, bd.text)
	serviceIDs(f, bd, h, msg)
	// Storage's AuthenticationErrorDetail says more than its message.
	f.Description = cmp.Or(firstLine(cmp.Or(bd.authDetail, msg)), f.Challenge.Description)
	deniedPrincipal(f, cmp.Or(bd.detail, msg))
	f.AADSTS = mostSpecificCode(bd.codes)
	if f.AADSTS == 0 {
		// A service or gateway that passes Entra ID's error on in its own
		// envelope still names the code in its message.
		f.AADSTS = cmp.Or(codeFromText(msg), codeFromText(bd.detail))
	}
	ev := evidence{
		status:     f.StatusCode,
		presented:  requestPresented(req),
		challenge:  f.Challenge,
		code:       f.ErrorCode,
		aadsts:     f.AADSTS,
		authDetail: bd.authDetail,
		message:    msg,
		detail:     bd.detail,
		row:        serviceByName(f.Service),
		header:     h,
	}
	if req != nil {
		ev.method = req.Method
	}
	ev.ownTokenEndpoint = f.StatusCode == http.StatusUnauthorized && req != nil && req.URL != nil && ownTokenEndpoint(req.URL.Path)
	f.Class, _ = weigh(&ev) // "" only for an error text with no status
}

// serviceIDs fills the correlation and request IDs of a service's
// response: from the headers the services document, then from any header
// whose name says it carries a request, activity, tracking or correlation
// ID, then from the body and the text of messages that name them.
func serviceIDs(f *Failure, bd *errorBody, h http.Header, msg string) {
	f.CorrelationID = cmp.Or(header(h, "X-Ms-Correlation-Request-Id"), header(h, "X-Ms-Client-Request-Id"), header(h, "Client-Request-Id"),
		bd.innerCorrID, bd.correlation)
	f.RequestID = cmp.Or(header(h, "X-Ms-Request-Id"), header(h, "Request-Id"), header(h, "Apim-Request-Id"), header(h, "X-Ms-Activity-Id"), bd.innerReqID)
	if f.CorrelationID == "" || f.RequestID == "" {
		corr, reqID := idHeaders(h)
		f.CorrelationID = cmp.Or(f.CorrelationID, corr)
		f.RequestID = cmp.Or(f.RequestID, reqID)
	}
	if f.CorrelationID == "" || f.RequestID == "" {
		text := msg + "\n" + bd.detail
		f.CorrelationID = cmp.Or(f.CorrelationID, labelled(text, "Correlation ID:", "CorrelationId:"))
		f.RequestID = cmp.Or(f.RequestID, labelled(text, "RequestId:", "Request ID:", "ActivityId:", "Activity ID:", "TrackingId:", "Tracking ID:"))
	}
}

// idHeaders returns the values of the headers, other than those the
// services document, whose names say they carry a correlation ID (a
// client-chosen or correlation ID) or a request ID (a request, activity,
// tracking or trace ID), the first name in sorted order of each; a
// routing header (ARM's x-ms-routing-request-id) names a hop, not the
// request. Whether a value has an ID's shape is for cleaning to decide.
func idHeaders(h http.Header) (corr, reqID string) {
	var corrName, reqName string
	for name, v := range h {
		if len(v) == 0 || containsFold(name, "routing") {
			continue
		}
		switch {
		case nameEnds(name, "id") && (containsFold(name, "correlation") || containsFold(name, "client")):
			if corrName == "" || name < corrName {
				corrName, corr = name, v[0]
			}
		case nameEnds(name, "requestid", "activityid", "trackingid", "traceid"):
			if reqName == "" || name < reqName {
				reqName, reqID = name, v[0]
			}
		}
	}
	return corr, reqID
}

// nameEnds reports whether the header name ends with one of words (lower
// case, without separators), ignoring case and the separators '-' and
// '_': "X-Request-ID" ends with "requestid".
func nameEnds(name string, words ...string) bool {
	for _, w := range words {
		i, j := len(name)-1, len(w)-1
		for ; i >= 0 && j >= 0; i-- {
			c := lowerByte(name[i])
			if c == '-' || c == '_' {
				continue
			}
			if c != w[j] {
				break
			}
			j--
		}
		if j < 0 {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case word, ignoring
// ASCII case.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// serviceErrorCode picks the most specific error code: the innererror's
// code (Key Vault's under its generic Forbidden, Log Analytics' under its
// class of error, Kusto's @type), the error code headers, the body's
// code, a key scheme's challenge error when the code is generic or
// missing, an RFC 7807 problem's type.
func serviceErrorCode(bd *errorBody, h http.Header, ch Challenge) string {
	code := cmp.Or(bd.innerCode, header(h, "X-Ms-Error-Code"), header(h, "Iothub-Errorcode"), bd.code)
	if (code == "" || genericCode(code)) && ch.Error != "" && !strings.EqualFold(ch.Scheme, "Bearer") {
		// A key scheme's challenge (SharedKey, HMAC-SHA256) carries the
		// service's own code; a Bearer challenge's error is the OAuth
		// protocol's word, kept in Failure.Challenge.
		code = ch.Error
	}
	return cmp.Or(code, bd.problemType)
}

// genericCode reports whether a service's error code says no more than its
// status.
func genericCode(code string) bool {
	for _, g := range [...]string{"forbidden", "unauthorized", "accessdenied", "badrequest", "unknown", "401", "403"} {
		if strings.EqualFold(code, g) {
			return true
		}
	}
	return false
}

// header returns the first value of h's header key, which must be in
// canonical form (as http.Header keeps its keys): h.Get without the cost
// of canonicalizing key on every call.
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ownTokenEndpoint reports whether path is a service's own token
// endpoint, where it exchanges credentials for its tokens (Container
// Registry's /oauth2/token and /oauth2/exchange).
func ownTokenEndpoint(path string) bool {
	return hasSuffixFold(path, "/oauth2/token") || hasSuffixFold(path, "/oauth2/exchange")
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
