package safe

import "strings"

// The shapes of secrets that a word is redacted for even when its parts
// are each harmless: a token or key cut by the separators base64url and
// secrets have.

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
