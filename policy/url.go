package policy

import (
	"net/url"
	"strings"
)

// sanitizedURL returns u without user information, fragment or query
// string, except for the api-version parameter: scheme://host/path, or
// scheme://host/path?api-version=V. Every other query parameter may be a
// secret (a SAS signature, a key) or personal data, so none is kept.
func sanitizedURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	s := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
	if v, ok := apiVersion(u.RawQuery); ok {
		s += "?api-version=" + url.QueryEscape(v)
	}
	return s
}

// apiVersion returns the first api-version value of a raw query string.
func apiVersion(rawQuery string) (string, bool) {
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != "api-version" {
			continue
		}
		uv, err := url.QueryUnescape(v)
		return uv, err == nil
	}
	return "", false
}
