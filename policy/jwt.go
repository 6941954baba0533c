package policy

import (
	"encoding/base64"
	"encoding/json"
	"errors"
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

// claims are the JWT payload claims the policy reads.
type claims struct {
	TID               string `json:"tid"`
	OID               string `json:"oid"`
	AppID             string `json:"appid"`
	AZP               string `json:"azp"`
	IDType            string `json:"idtyp"`
	MIRID             string `json:"xms_mirid"`
	UPN               string `json:"upn"`
	UniqueName        string `json:"unique_name"`
	PreferredUsername string `json:"preferred_username"`
	Email             string `json:"email"`
	Name              string `json:"name"`
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
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil {
		// A claim of an unexpected type leaves the others decoded.
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return principal{}, false
		}
	}
	p = principal{
		TenantID:          bounded(c.TID),
		ObjectID:          bounded(c.OID),
		AppID:             bounded(firstNonEmpty(c.AppID, c.AZP)),
		Type:              bounded(c.IDType),
		ManagedIdentityID: bounded(c.MIRID),
	}
	if withNames {
		p.Name = bounded(firstNonEmpty(c.UPN, c.UniqueName, c.PreferredUsername, c.Email, c.Name))
	}
	return p, p != principal{}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// bounded drops values too long to be a claim the policy records.
func bounded(s string) string {
	if len(s) > maxClaimLen {
		return ""
	}
	return s
}
