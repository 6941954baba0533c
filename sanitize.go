package azauthtrace

import (
	"strings"
	"unicode/utf8"
)

// MaxDescription is the longest Failure.Description, in bytes.
const MaxDescription = 300

const redacted = "[REDACTED]"

// sanitize makes s fit for a span: one line, at most MaxDescription bytes,
// and without anything that looks like a secret or personal data: JWTs,
// SAS signatures, long opaque quoted values (signatures, keys), e-mail
// addresses and user principal names.
func sanitize(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 4*MaxDescription {
		s = s[:4*MaxDescription]
	}
	if clean(s, cleanLimit(s)) {
		return truncate(s)
	}
	return truncate(redact(s))
}

// cleanLimit is how much of s clean must read for sanitize: truncate keeps
// less than MaxDescription bytes of a longer s, and a secret that begins
// before the cut begins in the word that holds byte MaxDescription, at the
// latest.
func cleanLimit(s string) int {
	if len(s) <= MaxDescription {
		return len(s)
	}
	if sp := strings.IndexByte(s[MaxDescription:], ' '); sp >= 0 {
		return MaxDescription + sp
	}
	return len(s)
}

// redact collapses whitespace, drops control characters and replaces what
// secretAt finds.
func redact(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\r' || c == '\n' || c == '\t' || c == ' ':
			space = true
			i++
			continue
		case c < 0x20 || c == 0x7f:
			i++
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if n := secretAt(s, i); n > 0 {
			b.WriteString(redacted)
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// clean reports whether s[:limit] needs no change but truncation: no
// control characters, no double spaces, and nothing secretAt would redact
// starting there (secretAt reads on past limit). It is one pass that stops
// only at the bytes that can start something to redact.
func clean(s string, limit int) bool {
	n := len(s)
	head := s[:limit]
	for i := 0; i < len(head); i++ {
		c := head[i]
		if !cleanStop[c] {
			continue
		}
		switch c {
		case ' ':
			if i+1 < n && s[i+1] == ' ' {
				return false
			}
		case '@':
			return false
		case 'e':
			if i+2 < n && s[i+1] == 'y' && s[i+2] == 'J' {
				return false
			}
		case 's':
			if i+3 < n && s[i+1] == 'i' && s[i+2] == 'g' && s[i+3] == '=' {
				return false
			}
		case 'B':
			if i+7 <= n && s[i:i+7] == "Bearer " {
				return false
			}
		case '\'', '"':
			if secretAt(s, i) > 0 {
				return false
			}
		default: // a control character
			return false
		}
	}
	return true
}

// cleanStop marks the bytes at which clean looks closer.
var cleanStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range []byte{0x7f, ' ', '@', 'e', 's', 'B', '\'', '"'} {
		t[c] = true
	}
	return t
}()

// secretAt returns the length of the secret-looking text that starts at
// s[i], or 0.
func secretAt(s string, i int) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "eyJ"):
		// A JWT (header.payload.signature) or a base64 JSON blob.
		n := tokenLen(rest, isBase64URL)
		if n >= 16 {
			return n
		}
	case strings.HasPrefix(rest, "sig="):
		return 4 + tokenLen(rest[4:], func(c byte) bool { return c != '&' && c != ' ' && c != '\'' && c != '"' })
	case strings.HasPrefix(rest, "Bearer "):
		n := tokenLen(rest[7:], isBase64URL)
		if n >= 16 {
			return 7 + n
		}
	case rest[0] == '\'' || rest[0] == '"':
		// A long opaque quoted value: a signature, a key, a string to
		// sign. Quotes are not base64, so the value ends at the first
		// byte that is not.
		if n := tokenLen(rest[1:], isBase64Std); n >= 32 && n+1 < len(rest) && rest[n+1] == rest[0] {
			return n + 2
		}
	}
	if isEmailLocal(s[i]) && (i == 0 || !isEmailLocal(s[i-1])) {
		// user@domain: an e-mail address or a user principal name.
		n := tokenLen(rest, isEmailLocal)
		if n < len(rest) && rest[n] == '@' {
			m := tokenLen(rest[n+1:], isEmailDomain)
			if m > 0 && strings.Contains(rest[n+1:n+1+m], ".") {
				return n + 1 + m
			}
		}
	}
	return 0
}

func tokenLen(s string, ok func(byte) bool) int {
	n := 0
	for n < len(s) && ok(s[n]) {
		n++
	}
	return n
}

func isBase64URL(c byte) bool {
	return c == '-' || c == '_' || c == '.' || isBase64Std(c)
}

func isBase64Std(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

func isEmailLocal(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
}

func isEmailDomain(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-'
}

func truncate(s string) string {
	if len(s) <= MaxDescription {
		return s
	}
	cut := MaxDescription - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > MaxDescription/2 {
		cut = sp
	}
	return s[:cut] + "…"
}
