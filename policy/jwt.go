package policy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// maxTokenLen bounds the Authorization header values the policy decodes.
// Entra ID access tokens are a few kilobytes; anything longer is not one.
const maxTokenLen = 16 << 10

// maxClaimLen bounds each recorded claim value. Managed identity resource
// IDs (xms_mirid) are the longest legitimate values, a few hundred bytes.
const maxClaimLen = 1024

// principal is who an access token was issued to, as its payload says.
// It holds identifiers only; the token itself is never kept.
type principal struct {
	TenantID          string // tid
	ObjectID          string // oid
	AppID             string // appid (v1 tokens) or azp (v2 tokens)
	Type              string // idtyp: app, user, device
	ManagedIdentityID string // xms_mirid
	// Name is the user principal name, preferred user name, e-mail
	// address or display name, the first the token holds. It is personal
	// data, filled only when the caller asked for names.
	Name string
}

// principalFromAuthorization decodes the payload of the bearer token in an
// Authorization header value. It checks no signature: the result says who
// the caller claimed to be, which is what a service that denied the call
// saw. ok is false when the value is not a bearer JWT with a JSON payload.
// withNames fills Name. The token never leaves this function.
func principalFromAuthorization(authorization string, withNames bool) (p principal, ok bool) {
	const scheme = "bearer "
	if len(authorization) <= len(scheme) || len(authorization) > maxTokenLen ||
		!strings.EqualFold(authorization[:len(scheme)], scheme) {
		return principal{}, false
	}
	token := strings.TrimSpace(authorization[len(scheme):])
	// A signed JWT (JWS compact form) is header.payload.signature. An
	// encrypted one (JWE) has five parts and an unreadable payload.
	header, rest, ok1 := strings.Cut(token, ".")
	payload, signature, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || header == "" || payload == "" || strings.Contains(signature, ".") {
		return principal{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return principal{}, false
	}
	var appID, azp, upn, uniqueName, preferred, email, name string
	ok = scanStringMembers(raw, func(key, quoted []byte) {
		value := func() string { return unquote(quoted) }
		switch string(key) {
		case "tid":
			p.TenantID = value()
		case "oid":
			p.ObjectID = value()
		case "appid":
			appID = value()
		case "azp":
			azp = value()
		case "idtyp":
			p.Type = value()
		case "xms_mirid":
			p.ManagedIdentityID = value()
		}
		if !withNames {
			return
		}
		switch string(key) {
		case "upn":
			upn = value()
		case "unique_name":
			uniqueName = value()
		case "preferred_username":
			preferred = value()
		case "email":
			email = value()
		case "name":
			name = value()
		}
	})
	if !ok {
		return principal{}, false
	}
	p.AppID = firstNonEmpty(appID, azp)
	p.Name = firstNonEmpty(upn, uniqueName, preferred, email, name)
	return p, p != principal{}
}

// scanStringMembers calls member for each member of the JSON object in b
// whose value is a string, with the raw key and the quoted value (see
// unquote). Members of other types are skipped. It reports whether b is a well-formed JSON object (it checks
// the structure, not every literal). It reads b once, without recursion,
// and never panics.
func scanStringMembers(b []byte, member func(key, quoted []byte)) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		// "key"
		if i >= len(b) || b[i] != '"' {
			return false
		}
		kEnd, ok := stringEnd(b, i)
		if !ok {
			return false
		}
		key := b[i+1 : kEnd]
		i = skipSpace(b, kEnd+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return false
		}
		// value
		if b[i] == '"' {
			vEnd, ok := stringEnd(b, i)
			if !ok {
				return false
			}
			member(key, b[i:vEnd+1])
			i = vEnd + 1
		} else {
			var ok bool
			if i, ok = skipValue(b, i); !ok {
				return false
			}
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index of the quote that closes the string whose
// opening quote is at b[i].
func stringEnd(b []byte, i int) (int, bool) {
	j := i + 1
	for j < len(b) {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, false
		}
		j += k
		// The quote is escaped if an odd number of backslashes precede it.
		n := 0
		for m := j - 1; m > i && b[m] == '\\'; m-- {
			n++
		}
		if n%2 == 0 {
			return j, true
		}
		j++
	}
	return 0, false
}

// skipValue skips the number, literal, object or array at b[i] and returns
// the index after it.
func skipValue(b []byte, i int) (int, bool) {
	start, depth := i, 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			end, ok := stringEnd(b, i)
			if !ok {
				return 0, false
			}
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, i > start // the end of the enclosing object
			}
			depth--
		case ',':
			if depth == 0 {
				return i, i > start
			}
		}
		i++
		if depth == 0 && i < len(b) && (b[i-1] == '}' || b[i-1] == ']') {
			return i, true
		}
	}
	return 0, false
}

// unquote decodes a quoted JSON string, "" when it is too long or invalid.
func unquote(quoted []byte) string {
	if len(quoted) > maxClaimLen+2 {
		return ""
	}
	inner := quoted[1 : len(quoted)-1]
	if !bytes.ContainsRune(inner, '\\') {
		return string(inner)
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil || len(s) > maxClaimLen {
		return ""
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
