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
	v, hasVersion := apiVersion(u.RawQuery)
	return joinURL(u.Scheme, u.Host, u.EscapedPath(), v, hasVersion)
}

// joinURL returns scheme://host/path, with ?api-version=version when
// hasVersion.
func joinURL(scheme, host, escapedPath, version string, hasVersion bool) string {
	var b strings.Builder
	b.Grow(len(scheme) + 3 + len(host) + len(escapedPath) + len("?api-version=") + len(version))
	if scheme != "" {
		b.WriteString(scheme)
		b.WriteString("://")
	}
	b.WriteString(host)
	b.WriteString(escapedPath)
	if hasVersion {
		b.WriteString("?api-version=")
		b.WriteString(url.QueryEscape(version))
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
