package safe

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// secretKeys are the names of parameters whose values are secrets, in
// query strings, connection strings, form bodies and JSON ("name=value",
// "name:value"), lower case.
var secretKeys = []string{
	"sig", "signature", "accountkey", "sharedaccesskey", "sharedaccesssignature",
	"password", "passwd", "pwd", "secret", "client_secret", "clientsecret",
	"client_assertion", "assertion", "access_token", "refresh_token", "id_token",
	"token", "apikey", "api_key", "api-key", "x-api-key", "subscription-key",
	"ocp-apim-subscription-key", "key", "claims",
}

// schemes are the HTTP authentication schemes whose credential follows
// them as the next word, lower case.
var schemes = []string{
	"bearer", "basic", "sharedkey", "sharedkeylite", "sharedaccesssignature",
	"pop", "digest", "negotiate", "ntlm", "hmac-sha256",
}

// redact applies the word rules to s, a normalized line: words that hold
// a value sc knows or the shape of a secret are replaced by Redacted, or
// the secret part of them is; emails says whether e-mail addresses and
// user principal names are redacted too. It returns s itself when no
// rule applies.
func (sc Scrubber) redact(s string, emails bool) string {
	var (
		b       strings.Builder // written from the first word that changes
		changed bool
		prev    string
	)
	shortest := sc.shortest()
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], ' ')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		w := s[start:end]
		out := w
		if !plainWord(prev, w, shortest) {
			out = sc.redactWord(prev, w, emails)
		}
		if out != w && !changed {
			changed = true
			b.Grow(len(s))
			b.WriteString(s[:start])
		}
		if changed {
			b.WriteString(out)
			if end < len(s) {
				b.WriteByte(' ')
			}
		}
		prev, start = w, end+1
	}
	if !changed {
		return s
	}
	return b.String()
}

// plainWord reports whether no rule can apply to w: it is shorter than
// the shortest shape a rule finds (16 bytes) and than shortest, the
// shortest value the scrubber knows, holds none of the bytes the rules on
// parameters, e-mail addresses, URLs and escapes look for, and does not
// follow an authentication scheme. Most words of a description are plain.
func plainWord(prev, w string, shortest int) bool {
	if len(w) >= 16 || len(w) >= shortest || strings.ContainsAny(w, "=:@%") {
		return false
	}
	// Only a word of 8 bytes or more after a scheme is its credential.
	return len(w) < minNeedle || !isScheme(prev)
}

// shortest returns the length of the shortest value sc knows, or a length
// no word reaches.
func (sc Scrubber) shortest() int {
	n := int(^uint(0) >> 1)
	for _, nd := range sc.needles {
		n = min(n, len(nd))
	}
	return n
}

// redactWord returns w with what the rules find redacted; prev is the
// word before it.
func (sc Scrubber) redactWord(prev, w string, emails bool) string {
	decoded := percentDecode(percentDecode(w))
	if len(sc.needles) > 0 {
		norm := stripQuotes(decoded)
		for _, n := range sc.needles {
			if strings.Contains(norm, n) {
				return Redacted
			}
		}
	}
	switch {
	case isScheme(prev) && len(stripQuotes(w)) >= minNeedle:
		return Redacted // the credential after "Bearer", "Basic", "SharedKey", ...
	case hasJWT(decoded), hasClientSecret(decoded), hasRefreshToken(decoded), hasRandomRun(decoded), quotedOpaque(w):
		return Redacted
	}
	if strings.Contains(w, "://") {
		w = cleanURLs(w)
		decoded = percentDecode(percentDecode(w))
	}
	if strings.ContainsAny(decoded, "=:") {
		var found bool
		w, found = redactParams(w)
		if !found && hasSecretParam(LowerASCII(stripQuotes(decoded))) {
			return Redacted // a secret parameter that only its decoding shows
		}
	}
	if emails && strings.IndexByte(w, '@') >= 0 {
		w = redactEmails(w)
	}
	return w
}

// LowerASCII returns s with its ASCII letters in lower case, byte for
// byte: the same length, so that offsets in one are offsets in the other.
func LowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// isScheme reports whether w is an authentication scheme, such as
// "Bearer" or "Authorization: Bearer".
func isScheme(w string) bool {
	w = strings.Trim(w, "\"'`:=,;(){}[]<>")
	if len(w) < 3 || len(w) > 21 {
		return false
	}
	for _, s := range schemes {
		if strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}

// stripQuotes removes quote characters from w.
func stripQuotes(w string) string {
	if !hasAnyByte(w, "\"'`") {
		return w
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if c := w[i]; c != '"' && c != '\'' && c != '`' {
			b = append(b, c)
		}
	}
	return string(b)
}

// hasAnyByte reports whether s holds one of the bytes of set, an ASCII
// set of a few bytes: like strings.ContainsAny, with a vectorised
// strings.IndexByte per byte of set, which is many times faster on the
// long values (an access token) the scrubber lists.
func hasAnyByte(s, set string) bool {
	for i := 0; i < len(set); i++ {
		if strings.IndexByte(s, set[i]) >= 0 {
			return true
		}
	}
	return false
}

// percentDecode decodes the %XX escapes of s that are valid and leaves
// the rest as it is.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func isBase64(c byte) bool { return base64Bytes[c] }

// base64Bytes marks the bytes of base64 and base64url, padding included.
var base64Bytes = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_") {
		t[c] = true
	}
	return t
}()

// runs calls f for each maximal run of bytes of s that ok accepts.
func runs(s string, ok func(byte) bool, f func(run string) bool) bool {
	for i := 0; i < len(s); {
		if !ok(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && ok(s[j]) {
			j++
		}
		if f(s[i:j]) {
			return true
		}
		i = j
	}
	return false
}

// hasJWT reports whether s holds a JWT or a base64 JSON object: "eyJ"
// (the encoding of `{"`) and at least 16 more base64url characters.
func hasJWT(s string) bool {
	for rest := s; ; {
		i := strings.Index(rest, "eyJ")
		if i < 0 {
			return false
		}
		rest = rest[i+3:]
		n := 0
		for n < len(rest) && (isBase64(rest[n]) || rest[n] == '.') {
			n++
		}
		if n >= 16 {
			return true
		}
	}
}

// hasClientSecret reports whether s holds an Entra ID client secret: a
// run of at least 30 characters of [A-Za-z0-9_.~-] with a tilde in it
// (secrets look like "xxx8Q~..." with 40 characters).
func hasClientSecret(s string) bool {
	if strings.IndexByte(s, '~') < 0 {
		return false
	}
	return runs(s, func(c byte) bool { return isBase64(c) && c != '+' && c != '/' && c != '=' || c == '.' || c == '~' }, func(r string) bool {
		return len(r) >= 30 && strings.IndexByte(r, '~') >= 0
	})
}

// hasRefreshToken reports whether s holds an Entra ID refresh token
// ("0.A" or "1.A" and at least 30 base64url characters) or a Microsoft
// account token ("M.C" or "M.R" and as many), not inside a longer run.
func hasRefreshToken(s string) bool {
	for _, prefix := range [...]string{"0.A", "1.A", "M.C", "M.R"} {
		for from := 0; ; {
			i := strings.Index(s[from:], prefix)
			if i < 0 {
				break
			}
			i += from
			from = i + 1
			if i > 0 && isBase64(s[i-1]) {
				continue // inside a longer run
			}
			n := 0
			for j := i + len(prefix); j < len(s) && (isBase64(s[j]) || strings.IndexByte(".!*$", s[j]) >= 0); j++ {
				n++
			}
			if n >= 30 {
				return true
			}
		}
	}
	return false
}

// hasRandomRun reports whether s holds a long run of base64 or hex that
// looks random: a key, a signature, an opaque token. GUIDs are not.
func hasRandomRun(s string) bool {
	if len(s) < 20 {
		return false
	}
	return runs(s, isBase64, func(run string) bool {
		return len(run) >= 20 && nonGUIDs(run, func(part string) bool {
			return looksRandom(part, 20, 3, 0.4) || looksRandom(part, 32, 2, 0.4) || isHexKey(part)
		})
	})
}

// quotedOpaque reports whether w holds a quoted value (', " or `) that
// looks like a secret: at least 16 characters of base64, base64url or
// percent escapes, in at least two classes of characters mixed as
// randomly as a key's, that is neither a GUID nor a path.
func quotedOpaque(w string) bool {
	for {
		i := strings.IndexAny(w, "\"'`")
		if i < 0 {
			return false
		}
		inner := w[i+1:]
		if j := strings.IndexByte(inner, w[i]); j >= 0 {
			inner, w = inner[:j], inner[j+1:]
		} else {
			w = ""
		}
		if opaque(percentDecode(inner)) {
			return true
		}
	}
}

// opaque reports whether a quoted value looks like a secret: random
// looking from 16 characters, or at least 32 in two classes of characters
// without a dash (which names have).
func opaque(v string) bool {
	if len(v) < 16 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isBase64(v[i]) {
			return false
		}
	}
	if strings.Contains(v, "/") {
		return false // a path, such as a resource ID or an action
	}
	if strings.Contains(v, "-") && strings.Trim(v, "0123456789abcdefABCDEF-") == "" {
		return false // a GUID, or a part of one
	}
	return nonGUIDs(v, func(part string) bool {
		return looksRandom(part, 16, 2, 0.3) || isHexKey(part) ||
			len(part) >= 32 && !strings.Contains(part, "-") && looksRandom(part, 32, 2, 0)
	})
}

// nonGUIDs calls f for each part of s around the GUIDs in it, and
// reports whether f did for one.
func nonGUIDs(s string, f func(part string) bool) bool {
	for i := 0; i+36 <= len(s); i++ {
		if s[i+8] == '-' && isGUID(s[i:i+36]) {
			if f(s[:i]) {
				return true
			}
			s, i = s[i+36:], -1
		}
	}
	return f(s)
}

// isGUID reports whether s is a GUID: 8-4-4-4-12 hex digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// IsGUID reports whether s is a GUID, 8-4-4-4-12 hex digits, also in
// braces.
func IsGUID(s string) bool {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	return isGUID(s)
}

// isHexKey reports whether s is at least 32 hex digits, letters and
// digits both, as API keys are.
func isHexKey(s string) bool {
	if len(s) < 32 {
		return false
	}
	letter, digit := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digit = true
		case isHex(c):
			letter = true
		default:
			return false
		}
	}
	return letter && digit
}

// looksRandom reports whether s, of at least min bytes, mixes at least
// classes of upper-case letters, lower-case letters and digits, with at
// least ratio changes of class per pair of neighbours: words, camel case
// and names change class far less often than random base64.
func looksRandom(s string, min, classes int, ratio float64) bool {
	if len(s) < min {
		return false
	}
	var has [4]bool
	changes, last := 0, -1
	for i := 0; i < len(s); i++ {
		c := charClass(s[i])
		has[c] = true
		if last >= 0 && c != last {
			changes++
		}
		last = c
	}
	n := 0
	for _, h := range has[:3] {
		if h {
			n++
		}
	}
	return n >= classes && float64(changes) >= ratio*float64(len(s)-1)
}

func charClass(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return 0
	case 'a' <= c && c <= 'z':
		return 1
	case '0' <= c && c <= '9':
		return 2
	}
	return 3
}

// hasSecretParam reports whether norm holds a secret parameter: one of
// secretKeys, at the start or after a character that is not a letter or
// a digit, followed by "=" or ":".
func hasSecretParam(norm string) bool {
	_, _, ok := secretParam(norm, 0)
	return ok
}

// secretParam finds the first secret parameter in s, ASCII case ignored,
// at or after from, and returns where its value starts and ends.
func secretParam(s string, from int) (start, end int, ok bool) {
	lower := LowerASCII(s) // the same offsets as s
	best := -1
	for _, k := range secretKeys {
		for off := from; ; {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			i += off
			j := i + len(k)
			off = i + 1
			if i > 0 && isAlnum(rune(lower[i-1])) || j >= len(lower) || lower[j] != '=' && lower[j] != ':' {
				continue
			}
			if best < 0 || j+1 < best {
				best = j + 1
			}
			break
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	end = best
	for end < len(s) && !strings.ContainsRune("&;,'\"`)]}<>", rune(s[end])) {
		end++
	}
	return best, end, true
}

// redactParams replaces the values of the secret parameters in w and
// reports whether it found one.
func redactParams(w string) (string, bool) {
	found := false
	for from := 0; ; {
		start, end, ok := secretParam(w, from)
		if !ok {
			return w, found
		}
		found = true
		switch {
		case strings.HasPrefix(w[start:], Redacted):
			end = start + len(Redacted)
		case end > start:
			w = w[:start] + Redacted + w[end:]
			end = start + len(Redacted)
		}
		from = end
	}
}

// cleanURLs replaces each URL in w that has user information, a query or
// a fragment by its scheme, host and path.
func cleanURLs(w string) string {
	var b strings.Builder
	for {
		i := strings.Index(w, "://")
		if i < 0 {
			b.WriteString(w)
			return b.String()
		}
		start := i
		for start > 0 && isSchemeChar(w[start-1]) {
			start--
		}
		end := i + 3
		for end < len(w) && !strings.ContainsRune("'\"`<>()[]{}", rune(w[end])) {
			end++
		}
		raw := strings.TrimRight(w[start:end], ".,;:")
		end = start + len(raw)
		b.WriteString(w[:start])
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
				raw = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
			}
		} else if strings.ContainsAny(raw, "@?#") {
			raw = Redacted // not a URL Go reads: nothing of it may hide a secret
		}
		b.WriteString(raw)
		w = w[end:]
	}
}

func isSchemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// redactEmails replaces the e-mail addresses and user principal names
// (local@domain.tld) in w.
func redactEmails(w string) string {
	for from := 0; ; {
		at := strings.IndexByte(w[from:], '@')
		if at < 0 {
			return w
		}
		at += from
		start := at
		for start > 0 && isEmailLocal(w[start-1]) {
			start--
		}
		end := at + 1
		for end < len(w) && isEmailDomain(w[end]) {
			end++
		}
		domain := strings.TrimRight(w[at+1:end], ".-")
		end = at + 1 + len(domain)
		if start < at && strings.Contains(domain, ".") {
			w = w[:start] + Redacted + w[end:]
			from = start + len(Redacted)
			continue
		}
		from = at + 1
	}
}

func isEmailLocal(c byte) bool {
	return isAlnum(rune(c)) || c == '.' || c == '_' || c == '-' || c == '+' || c == '%'
}

func isEmailDomain(c byte) bool { return isAlnum(rune(c)) || c == '.' || c == '-' }

// uri returns s as a URI value: see [URI].
func (sc Scrubber) uri(s string, bound int) Value {
	if s == "" || strings.Contains(s, " ") {
		return Value{}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return sc.token(s, bounds[Code], func(r rune) bool { return isAlnum(r) || strings.ContainsRune("_.:/-", r) })
	}
	return sc.URL(u)
}

// URL returns u as a URI value (see [URI]), without parsing it again:
// for the URL of a request.
func (sc Scrubber) URL(u *url.URL) Value {
	out := (&url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host}).String()
	if path := u.EscapedPath(); path != "" {
		// Each segment of the path is a word of its own: a secret in one
		// redacts that segment.
		segments := strings.Split(path, "/")
		shortest := sc.shortest()
		for i, seg := range segments {
			if !plainWord("", seg, shortest) && !IsGUID(seg) {
				segments[i] = sc.redactWord("", seg, true)
			}
		}
		out += strings.Join(segments, "/")
	}
	if q := keptQuery(u.RawQuery); q != "" {
		out += "?" + q
	}
	if isAnchor(u.Fragment) {
		out += "#" + u.Fragment
	}
	if len(out) > bounds[URI] || !utf8.ValidString(out) {
		return Value{}
	}
	return Value{out}
}

// isAnchor reports whether a URL's fragment is a page's anchor, such as
// "client-secret", and not data (an implicit flow puts tokens there).
func isAnchor(f string) bool {
	return f != "" && len(f) <= 40 && strings.IndexFunc(f, func(r rune) bool { return !isAlnum(r) && r != '-' }) < 0
}

// keptQuery returns the query parameters a URI value keeps: api-version
// with a version's shape, and code with digits (Entra ID's error pages).
func keptQuery(raw string) string {
	var kept []string
	for _, kv := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == "api-version" && IsVersion(v), k == "code" && v != "" && len(v) <= 10 && strings.Trim(v, "0123456789") == "":
			kept = append(kept, k+"="+v)
		}
	}
	return strings.Join(kept, "&")
}

// IsVersion reports whether v has the shape of an api-version: digits,
// dots and dashes, letters only after a dash ("2022-09-01", "7.5",
// "2024-05-01-preview").
func IsVersion(v string) bool {
	if v == "" || len(v) > 32 || v[0] < '0' || v[0] > '9' {
		return false
	}
	dash := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case '0' <= c && c <= '9', c == '.':
		case c == '-':
			dash = true
		case dash && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'):
		default:
			return false
		}
	}
	return true
}
