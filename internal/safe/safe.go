// Package safe is the one place where a string taken from a response, an
// error text or a request becomes a value fit for telemetry: valid UTF-8,
// without control or invisible characters, bounded in length by its kind,
// and made only of shapes it can name as harmless. Free text keeps the
// words, numbers, IDs, paths and links whose every part has such a shape
// and redacts the rest; values of a fixed shape (IDs, codes, URIs, hosts,
// times, methods) are kept whole or not at all. docs/redaction.md lists
// the rules.
//
// Every such string goes through [Scrubber.Clean] (or [Clean]), which
// returns a [Value]. The recording packages build their attributes from
// Values only; the classifier stores Values' strings in a Failure.
package safe

import (
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
	// Text is a description: one line of at most TextBound bytes, with
	// the values of secret parameters, the credentials after
	// authentication schemes, e-mail addresses, links to hosts that are
	// neither Microsoft's nor the request's, and every word that is not
	// of a harmless shape redacted.
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
	// ID is a correlation or request ID, at most 64 bytes, whose whole
	// value has one of the documented shapes, or nothing: a GUID (with
	// braces, or without dashes: 32 hex digits), hex groups of at most 12
	// digits (a part of a GUID), Service Bus's "<GUID>_G<n>", IoT Hub's
	// "<GUID>-G:<n>", Kusto's "<word>;<GUID>", ARM's
	// "<region>:<yyyymmddThhmmssZ>:<GUID>"; or the placeholder of a pasted
	// error ("<traceId>", "xxxx", "REDACTED").
	ID
	// URI is a URL on a Microsoft or Azure host, a host reserved for
	// examples, a platform address (IMDS, the loopback), or the host of
	// the request the Scrubber knows: scheme://host/path with each path
	// segment that is not a harmless word redacted, no user information,
	// no query parameter but api-version (and a numeric code on Entra ID's
	// error page), no fragment but a page's anchor; 512 bytes; or nothing.
	// A value that is not a URL is taken as a Code.
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
	// secret's shape: a JSON Web Token, a run of 20 or more letters and
	// digits that mixes upper case, lower case and digits, a run of 40 or
	// more (32 of hex digits), a secret parameter's value or a scheme's credential as free
	// text's rules find them, or a value the Scrubber knows.
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

// Clean returns s made fit for telemetry as a value of kind k by the zero
// Scrubber.
func Clean(k Kind, s string) Value { return Scrubber{}.Clean(k, s) }

// Clean returns s made fit for telemetry as a value of kind k: valid
// UTF-8 without control or invisible characters, within the kind's bound,
// and with every word that holds a value sc knows or is not of a harmless
// shape redacted (docs/redaction.md lists the rules). IDs, codes, timestamps,
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
		return sc.uri(s)
	}
	return Value{truncate(sc.redact(s, k != Name), bound)}
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
		if len(run) >= 40 || len(run) >= 20 && mixed {
			return Value{}
		}
	}
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return r >= 0x80 || !isHex(byte(r)) }) {
		if len(run) >= 32 {
			return Value{} // a key's or a hash's hex
		}
	}
	// The parameter and scheme rules of free text, and the secrets'
	// shapes: a command that holds one is dropped whole.
	if hasSecretParam(s) || redactSchemes(s) != s || hasClientSecret(s) || hasRefreshToken(s) {
		return Value{}
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
