package safe

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Scrubber cleans values. Beside the rules, it redacts exact values it
// was given: what a request carried (its Authorization header, the values
// of its query), which a server may echo; and it keeps the host the
// request was sent to in URIs. The zero Scrubber knows no such value and
// no host.
type Scrubber struct {
	needles []string // the values, as needle makes them
	hosts   []string // the request's host, with its port and without
}

// IsZero reports whether sc knows no value to redact.
func (sc Scrubber) IsZero() bool { return len(sc.needles) == 0 }

// minNeedle is the shortest exact value a Scrubber redacts: shorter ones
// would redact ordinary words.
const minNeedle = 8

// With returns a Scrubber that also redacts each of values, ignoring what
// is shorter than 8 bytes: each value as a whole, spaces and all, as it
// is, percent-decoded, form-encoded and escaped as in a JSON string; and the parts of
// each between dots, ampersands, semicolons, colons and commas (such as
// the three parts of a JWT), and after the "=" of a part.
func (sc Scrubber) With(values ...string) Scrubber {
	out := Scrubber{needles: append([]string(nil), sc.needles...), hosts: sc.hosts}
	add := func(v string) {
		if len(v) < minNeedle {
			return // shorter ones would redact ordinary words
		}
		forms := []string{v, jsonEscape(v)}
		if strings.IndexByte(v, ' ') >= 0 {
			forms = append(forms, url.QueryEscape(v)) // a form body's "+" for spaces
		}
		for _, n := range forms {
			if !slices.Contains(out.needles, n) {
				out.needles = append(out.needles, n)
			}
		}
	}
	for _, v := range values {
		if len(v) < minNeedle {
			continue // a needle is never longer than its value
		}
		v = needle(v)
		add(v)
		for rest := v; rest != ""; {
			part := rest
			if i := strings.IndexAny(rest, ".&;:,"); i >= 0 {
				part, rest = rest[:i], rest[i+1:]
			} else if part == v {
				break // v has no parts
			} else {
				rest = ""
			}
			part = strings.Trim(part, quotes)
			add(part)
			if _, after, ok := strings.Cut(part, "="); ok {
				add(strings.Trim(after, quotes))
			}
		}
	}
	return out
}

// jsonEscape returns v as it is written inside a JSON string.
func jsonEscape(v string) string {
	if !needsJSONEscape(v) {
		return v
	}
	b, err := json.Marshal(v)
	if err != nil || len(b) < 2 {
		return v
	}
	return string(b[1 : len(b)-1])
}

// needsJSONEscape reports whether a JSON string writes v, a needle (one
// line without control characters), otherwise than as it is: v holds a
// quote, a backslash, or what encoders escape for HTML (< > &) or for
// JavaScript (U+2028 and U+2029, whose UTF-8 starts with 0xE2).
func needsJSONEscape(v string) bool { return strings.ContainsAny(v, "\"\\<>&\xe2") }

// WithClaims returns a Scrubber that also redacts the claims of a token
// request, raw and in the base64 encodings credentials use when they
// print them, whatever their length.
func (sc Scrubber) WithClaims(claims string) Scrubber {
	if len(claims) < 2 {
		return sc // a Scrubber's values are never changed in place
	}
	out := Scrubber{needles: append([]string(nil), sc.needles...), hosts: sc.hosts}
	raw := []byte(claims)
	// The unpadded encodings are prefixes of the padded ones.
	for _, v := range []string{claims, base64.RawStdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)} {
		out.needles = append(out.needles, needle(v))
	}
	return out
}

// needle returns v as the rules compare text with it: percent-decoded,
// one line with single spaces (as Clean makes text), without the quotes
// around it. Exact values are matched as they are, in their case: a
// server that echoes a token or a signature echoes its bytes.
func needle(v string) string {
	return strings.Trim(normalize(percentDecode(v), len(v)), quotes)
}

// quotes are the quotes around a value, which are not part of it.
const quotes = "\"'`"

// redactKnown returns s with each value sc knows replaced by Redacted.
func (sc Scrubber) redactKnown(s string) string {
	for _, n := range sc.needles {
		if strings.Contains(s, n) {
			s = strings.ReplaceAll(s, n, Redacted)
		}
	}
	return s
}

// knows reports whether s holds a value sc knows.
func (sc Scrubber) knows(s string) bool {
	for _, n := range sc.needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// knowsWord reports whether w, a percent-decoded word, holds a value sc
// knows, with or without its quotes.
func (sc Scrubber) knowsWord(w string) bool {
	if len(sc.needles) == 0 {
		return false
	}
	return sc.knows(w) || sc.knows(stripQuotes(w))
}

// FromRequest returns a Scrubber that knows the secrets req carried: its
// Authorization header (and the credential after its scheme) and the
// other headers that carry keys, the password of its URL, and the values
// of its query parameters but api-version, those shaped like a version or
// a date, and plain words. It keeps req's host in URIs.
func FromRequest(req *http.Request) Scrubber {
	if req == nil {
		return Scrubber{}
	}
	var values []string
	for _, h := range credentialHeaders {
		for _, v := range req.Header.Values(h) {
			// The credential after a scheme is what a server echoes.
			if scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok && isScheme(scheme) {
				v = strings.TrimSpace(cred)
			}
			values = append(values, v)
		}
	}
	var hosts []string
	if u := req.URL; u != nil {
		if p, ok := u.User.Password(); ok {
			values = append(values, p)
		}
		for _, kv := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
			k, v, _ := strings.Cut(kv, "=")
			if k == "api-version" || IsVersion(v) || !secretQueryValue(k, v) {
				continue
			}
			values = append(values, v)
			if uv, err := url.QueryUnescape(v); err == nil && uv != v {
				values = append(values, uv)
			}
		}
		if u.Host != "" && harmless(u.Host) {
			hosts = []string{u.Host, u.Hostname()}
		}
	}
	sc := Scrubber{}.With(values...)
	sc.hosts = hosts
	return sc
}

// secretQueryValue reports whether the value of query parameter k may be
// a secret to look for: any value of a secret parameter (sig, code, key,
// token, ...), and values of others that are not plain words (a plain word
// such as restype=container would redact that word everywhere).
func secretQueryValue(k, v string) bool {
	if isSecretName(k) || strings.EqualFold(k, "code") {
		return true
	}
	return len(v) >= 16 || strings.IndexFunc(v, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) >= 0
}

// credentialHeaders are the request headers that carry a credential.
var credentialHeaders = []string{
	"Authorization", "Proxy-Authorization", "Api-Key", "Ocp-Apim-Subscription-Key", "X-Api-Key",
	"Secret", "X-Identity-Header", "X-Ms-Copy-Source-Authorization", "Cookie",
	"Servicebusauthorization", "X-Ms-Authorization-Auxiliary",
}
