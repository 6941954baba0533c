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
	var b strings.Builder
	path := u.EscapedPath()
	v, hasVersion := apiVersion(u.RawQuery)
	b.Grow(len(u.Scheme) + 3 + len(u.Host) + len(path) + len("?api-version=") + len(v))
	if u.Scheme != "" {
		b.WriteString(u.Scheme)
		b.WriteString("://")
	}
	b.WriteString(u.Host)
	b.WriteString(path)
	if hasVersion {
		b.WriteString("?api-version=")
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
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
		if uv, err := url.QueryUnescape(v); err == nil {
			return uv, true
		}
		return "", false
	}
	return "", false
}
