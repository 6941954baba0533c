package safe

import "strings"

// The shapes of secrets that a word is redacted for even when each of its
// segments is harmless: a token cut into short pieces by the separators
// base64url, JWTs and client secrets have.

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
	if strings.IndexByte(s, '.') < 0 {
		return false // every prefix has a dot
	}
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
