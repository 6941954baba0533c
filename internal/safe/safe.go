// Package safe is the one place where a string taken from a response, an
// error text or a request becomes a value fit for telemetry: valid UTF-8,
// without control or invisible characters, bounded in length by its kind,
// and without anything that looks like a secret.
//
// Every such string goes through [Scrubber.Clean] (or [Clean]), which
// returns a [Value]. The recording packages build their attributes from
// Values only; the classifier stores Values' strings in a Failure.
package safe

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces what the rules redact.
const Redacted = "[REDACTED]"

// Kind is what a value is. It decides the value's bound and its rules.
type Kind uint8

// The kinds of value.
const (
	// Text is a description: one line of at most TextBound bytes, words
	// that look secret or personal redacted.
	Text Kind = iota
	// Name is a principal's name, which the user asked to record: Text's
	// rules but e-mail addresses and user principal names are kept; 256
	// bytes.
	Name
	// Path is a denied action or scope, a resource ID, a list of scopes:
	// Text's rules, 512 bytes.
	Path
	// Code is an error code or a credential type: at most 128 bytes of
	// letters, digits and _ . : / -, or nothing.
	Code
	// ID is a correlation or request ID of a known shape, at most 64
	// bytes, or nothing: hex digits in groups (a GUID, with braces or
	// without dashes, or a part of one), with Service Bus's "_G<n>" or
	// IoT Hub's "-G:<n>" after it, a word and ";" before it (Kusto's
	// "KD2RunQuery;<GUID>"), or ARM's "<region>:<time>Z:" routing prefix;
	// or the placeholder of a pasted error ("<traceId>", "xxxx",
	// "REDACTED").
	ID
	// URI is a URL: scheme://host/path, without user information, with no
	// query parameter but api-version and a numeric code, and no fragment
	// but a page's anchor; 512 bytes. A value that is not a URL is taken as
	// a Code.
	URI
	// Timestamp is a time as a service wrote it: at most 40 bytes of
	// letters, digits, spaces and : . + - , with at least four digits,
	// or nothing.
	Timestamp
	// Host is a host name or address: at most 253 bytes of letters,
	// digits and . - : [ ], or nothing.
	Host
	// Method is an HTTP method: at most 16 upper-case letters, or nothing.
	Method
	// Command is a command the library built to fix a failure (an az role
	// assignment, an API permission's consent) from names, GUIDs and
	// resource IDs it validated: at most 1024 bytes of printable ASCII,
	// kept whole or not at all. It is dropped when any part of it has a
	// secret's shape: a JSON Web Token, a run of 20 or more letters and digits that mixes upper case,
	// lower case and digits, a run of more than 64, or a value the
	// Scrubber knows.
	Command
)

// TextBound is the most bytes a Text value holds.
const TextBound = 300

// bounds are the most bytes a value of each kind holds.
var bounds = [...]int{
	Text: TextBound, Name: 256, Path: 512, Code: 128, ID: 64,
	URI: 512, Timestamp: 40, Host: 253, Method: 16, Command: 1024,
}

// Value is a string made fit for telemetry by Clean. The zero Value is
// the empty string.
type Value struct{ s string }

// String returns the value.
func (v Value) String() string { return v.s }

// Scrubber cleans values. Beside the shapes of secrets, it redacts exact
// values it was given: what a request carried (its Authorization header,
// the values of its query), which a server may echo. The zero Scrubber
// knows no such value.
type Scrubber struct {
	needles []string // the values, as needle makes them
}

// IsZero reports whether sc knows no value to redact.
func (sc Scrubber) IsZero() bool { return len(sc.needles) == 0 }

// minNeedle is the shortest exact value a Scrubber redacts: shorter ones
// would redact ordinary words.
const minNeedle = 8

// With returns a Scrubber that also redacts each of values (and the parts
// of each between spaces, dots, ampersands, semicolons and colons, such
// as the three parts of a JWT), ignoring what is shorter than 8 bytes.
func (sc Scrubber) With(values ...string) Scrubber {
	out := Scrubber{needles: append([]string(nil), sc.needles...)}
	add := func(v string) {
		if len(v) < minNeedle {
			return // a needle is never longer than its value
		}
		v = needle(v)
		if len(v) >= minNeedle && !hasAnyByte(v, " \t\r\n") {
			out.needles = append(out.needles, v)
		}
	}
	for _, v := range values {
		add(v)
		for rest := v; rest != ""; {
			part := rest
			if i := strings.IndexAny(rest, " .&;:,"); i >= 0 {
				part, rest = rest[:i], rest[i+1:]
			} else {
				rest = ""
			}
			add(part)
			if _, after, ok := strings.Cut(part, "="); ok {
				add(after)
			}
		}
	}
	return out
}

// WithClaims returns a Scrubber that also redacts the claims of a token
// request, raw and in the base64 encodings credentials use when they
// print them, whatever their length.
func (sc Scrubber) WithClaims(claims string) Scrubber {
	if len(claims) < 2 {
		return sc // a Scrubber's values are never changed in place
	}
	out := Scrubber{needles: append([]string(nil), sc.needles...)}
	raw := []byte(claims)
	// The unpadded encodings are prefixes of the padded ones.
	for _, v := range []string{claims, base64.RawStdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)} {
		out.needles = append(out.needles, needle(v))
	}
	return out
}

// needle returns v as redactWord compares words: percent-decoded, without
// quotes. Exact values are matched as they are, in their case: a server
// that echoes a token or a signature echoes its bytes.
func needle(v string) string { return stripQuotes(percentDecode(v)) }

// Clean returns s made fit for telemetry as a value of kind k by the zero
// Scrubber.
func Clean(k Kind, s string) Value { return Scrubber{}.Clean(k, s) }

// Clean returns s made fit for telemetry as a value of kind k: valid
// UTF-8 without control or invisible characters, within the kind's bound,
// and with every word that holds a value sc knows or the shape of a
// secret redacted (the README lists the rules). IDs, codes, timestamps,
// hosts and methods that break their kind's shape come out empty. Clean
// takes time and memory linear in the part of s it reads, at most four
// times the kind's bound, and Clean(k, Clean(k, s)) is Clean(k, s).
func (sc Scrubber) Clean(k Kind, s string) Value {
	if int(k) >= len(bounds) {
		k = Text
	}
	bound := bounds[k]
	if k == Command {
		return sc.command(s, bound) // whole or nothing: not normalized
	}
	s = normalize(s, 4*bound)
	switch k {
	case Method:
		return shaped(s, bound, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	case Host:
		return sc.token(s, bound, func(r rune) bool { return isAlnum(r) || strings.ContainsRune(".-:[]", r) })
	case Timestamp:
		v := sc.token(s, bound, func(r rune) bool { return isAlnum(r) || strings.ContainsRune(" :.+-,", r) })
		if digits := len(s) - len(strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return -1
			}
			return r
		}, v.s)); v.s == "" || digits < 4 {
			return Value{} // a time has digits
		}
		return v
	case Code:
		return sc.token(s, bound, func(r rune) bool { return isAlnum(r) || strings.ContainsRune("_.:/-", r) })
	case ID:
		if len(s) > bound || !isID(s) || sc.knows(s) {
			return Value{}
		}
		return Value{s}
	case URI:
		return sc.uri(s, bound)
	}
	return Value{truncate(sc.redact(s, k != Name), bound)}
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

// isID reports whether s has the shape of a correlation or request ID:
// see [ID].
func isID(s string) bool {
	if isPlaceholder(s) {
		return true
	}
	if i := strings.IndexByte(s, ';'); i > 0 {
		// Kusto's client request IDs: "<word>;<GUID>".
		if !isWord(s[:i]) {
			return false
		}
		s = s[i+1:]
	} else if parts := strings.SplitN(s, ":", 3); len(parts) == 3 && isWord(parts[0]) && isRoutingTime(parts[1]) {
		// ARM's routing request IDs: "WESTUS2:20240501T100000Z:<GUID>".
		s = parts[2]
	}
	s = strings.Trim(s, "{}")
	if i := strings.LastIndex(s, "_G"); i > 0 && IsDigits(strings.ReplaceAll(s[i+2:], "S", "")) {
		s = s[:i] // Service Bus's tracking IDs: "<hex>_G12", "<hex>_G9S2"
	} else if i := strings.LastIndex(s, "-G:"); i > 0 && IsDigits(s[i+3:]) {
		s = s[:i] // IoT Hub's: "<hex>-G:4"
	}
	return isHexGroups(s)
}

// isHexGroups reports whether s is at least 8 hex digits in groups
// separated by single dashes.
func isHexGroups(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch {
		case isHex(s[i]):
			digits++
		case s[i] != '-':
			return false
		}
	}
	return digits >= 8
}

// isPlaceholder reports whether s is what people put in place of an ID in
// a pasted error: "<traceId>", "xxxx-xxxx", "REDACTED".
func isPlaceholder(s string) bool {
	switch {
	case len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>':
		return isWord(s[1 : len(s)-1])
	case strings.EqualFold(s, "redacted"):
		return true
	}
	return strings.Trim(s, "xX-") == "" && strings.ContainsAny(s, "xX")
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(rune(s[i])) && s[i] != '_' {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is a non-empty run of ASCII digits.
func IsDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// isRoutingTime reports whether s is a time as ARM writes it in its
// routing request IDs: "20240501T100000Z".
func isRoutingTime(s string) bool {
	return len(s) == 16 && IsDigits(s[:8]) && s[8] == 'T' && IsDigits(s[9:15]) && s[15] == 'Z'
}

// shaped returns s when it is within bound and every rune of it is ok,
// else nothing.
func shaped(s string, bound int, ok func(rune) bool) Value {
	if len(s) > bound || strings.IndexFunc(s, func(r rune) bool { return !ok(r) }) >= 0 {
		return Value{}
	}
	return Value{s}
}

// token returns s when it is a single word of the shape ok allows, within
// bound, that no rule would redact; else nothing.
func (sc Scrubber) token(s string, bound int, ok func(rune) bool) Value {
	v := shaped(s, bound, ok)
	if v.s == "" || sc.redact(v.s, true) != v.s {
		return Value{}
	}
	return v
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// normalize returns s as one line of valid UTF-8: invalid bytes, control
// and invisible characters (format characters such as zero-width spaces
// and bidirectional marks) removed, any run of white space made one
// space, trimmed. It reads at most limit bytes of s; when it stops inside
// a word, it drops that word, so that no part of a secret cut there
// remains.
func normalize(s string, limit int) string {
	cut := false
	if len(s) > limit {
		s, cut = s[:limit], true
	}
	if !cut && isNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			// An invalid byte, or a character cut at limit.
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || r == utf8.RuneError:
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	out := b.String()
	if cut && !space {
		// The cut fell inside a word: drop it.
		if i := strings.LastIndexByte(out, ' '); i >= 0 {
			out = out[:i]
		} else {
			out = ""
		}
	}
	return out
}

// isNormal reports whether normalize would leave s as it is: printable
// ASCII, single spaces between words and none at the ends. Other text
// takes the slow path.
func isNormal(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' || c > '~':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

// truncate cuts s to at most bound bytes, at the end of a word, with an
// ellipsis. Cutting inside a word could leave the start of a secret that
// only the whole word showed, so a single word longer than bound is
// redacted whole.
func truncate(s string, bound int) string {
	if len(s) <= bound {
		return s
	}
	const ellipsis = "…"
	sp := strings.LastIndexByte(s[:bound-len(ellipsis)+1], ' ')
	if sp <= 0 {
		return Redacted
	}
	return s[:sp] + ellipsis
}

// FromRequest returns a Scrubber that knows the secrets req carried: its
// Authorization header and the other headers that carry keys, the
// password of its URL, and the values of its query parameters but
// api-version, those shaped like a version or a date, and plain words.
func FromRequest(req *http.Request) Scrubber {
	if req == nil {
		return Scrubber{}
	}
	var values []string
	for _, h := range credentialHeaders {
		values = append(values, req.Header.Values(h)...)
	}
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
	}
	return Scrubber{}.With(values...)
}

// secretQueryValue reports whether the value of query parameter k may be
// a secret to look for: any value of a secret parameter (sig, code, key,
// token, ...), and values of others that are not plain words (a plain word
// such as restype=container would redact that word everywhere).
func secretQueryValue(k, v string) bool {
	if hasSecretParam(strings.ToLower(k)+"=") || strings.EqualFold(k, "code") {
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

// command returns s, a command the library built, when it is printable
// ASCII within bound and nothing in it has a secret's shape; else nothing.
func (sc Scrubber) command(s string, bound int) Value {
	if len(s) > bound || strings.Contains(s, "eyJ") {
		return Value{}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' {
			return Value{}
		}
	}
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !isASCIIAlnum(r) }) {
		mixed := strings.ContainsAny(run, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
			strings.ContainsAny(run, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(run, "0123456789")
		if len(run) > 64 || len(run) >= 20 && mixed {
			return Value{}
		}
	}
	for _, n := range sc.needles {
		if n != "" && strings.Contains(s, n) {
			return Value{}
		}
	}
	return Value{s}
}

// isASCIIAlnum reports whether r is an ASCII letter or digit.
func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}
