// Package principal reads who an access token was issued to, and what it
// may do, from the payload of a bearer token: identifiers, the identity
// type, the application roles and delegated scopes. The token itself is
// never kept.
package principal

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// MaxTokenLen bounds the Authorization header values the policy decodes.
// Entra ID access tokens are a few kilobytes; anything longer is not one.
const MaxTokenLen = 16 << 10

// MaxClaimLen bounds each recorded claim value. Managed identity resource
// IDs (xms_mirid) are the longest legitimate values, a few hundred bytes.
const MaxClaimLen = 1024

// Principal is who an access token was issued to, as its payload says.
// It holds identifiers only; the token itself is never kept.
type Principal struct {
	TenantID          string // tid
	ObjectID          string // oid
	AppID             string // appid (v1 tokens) or azp (v2 tokens)
	Type              string // idtyp: app, user, device
	ManagedIdentityID string // xms_mirid
	// Name is the user principal name, preferred user name, e-mail
	// address or display name, the first the token holds. It is personal
	// data, filled only when the caller asked for names.
	Name string
	// Roles are the application roles the token holds (roles),
	// space-separated: an app-only token's permissions.
	Roles string
	// Scopes are the delegated scopes the token holds (scp),
	// space-separated: a user's token's permissions.
	Scopes string
}

// claims are the claims of an access token's payload that FromAuthorization reads.
type claims struct {
	TenantID          string   `json:"tid"`
	ObjectID          string   `json:"oid"`
	AppID             string   `json:"appid"`
	AuthorizedParty   string   `json:"azp"`
	IdentityType      string   `json:"idtyp"`
	ManagedIdentityID string   `json:"xms_mirid"`
	UPN               string   `json:"upn"`
	UniqueName        string   `json:"unique_name"`
	PreferredUsername string   `json:"preferred_username"`
	Email             string   `json:"email"`
	Name              string   `json:"name"`
	Roles             []string `json:"roles"`
	Scopes            string   `json:"scp"`
}

// FromAuthorization decodes the payload of the bearer token in an
// Authorization header value. It checks no signature: the result says who
// the caller claimed to be, which is what a service that denied the call
// saw. ok is false when the value is not a bearer JWT with a JSON object
// payload naming someone. withNames fills Name. The token never leaves this
// function.
func FromAuthorization(authorization string, withNames bool) (p Principal, ok bool) {
	scheme, token, _ := strings.Cut(authorization, " ")
	if !strings.EqualFold(scheme, "Bearer") || len(authorization) > MaxTokenLen {
		return Principal{}, false
	}
	// A signed JWT (JWS compact form) is header.payload.signature. An
	// encrypted one (JWE) has five parts and an unreadable payload.
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return Principal{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Principal{}, false
	}
	var c claims
	// A claim of another type than string is left out; the others are
	// still read.
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal(payload, &c); err != nil && !errors.As(err, &typeErr) {
		return Principal{}, false
	}
	p = Principal{
		TenantID:          bounded(c.TenantID),
		ObjectID:          bounded(c.ObjectID),
		AppID:             bounded(cmp.Or(c.AppID, c.AuthorizedParty)),
		Type:              bounded(c.IdentityType),
		ManagedIdentityID: bounded(c.ManagedIdentityID),
		Roles:             bounded(strings.Join(c.Roles, " ")),
		Scopes:            bounded(c.Scopes),
	}
	if withNames {
		p.Name = bounded(cmp.Or(c.UPN, c.UniqueName, c.PreferredUsername, c.Email, c.Name))
	}
	return p, p != Principal{}
}

// bounded returns a claim value, or "" when it is too long to be one.
func bounded(v string) string {
	if len(v) > MaxClaimLen {
		return ""
	}
	return v
}
