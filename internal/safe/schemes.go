package safe

import "strings"

// The scheme rule: the word after an HTTP authentication scheme is its
// credential (RFC 9110 section 11: credentials = auth-scheme [ 1*SP (
// token68 / #auth-param ) ]), also when the scheme is glued to its header
// name ("Authorization:Basic x", "\"Authorization\":\"Basic x\"").

// schemes are the HTTP authentication schemes, lower case
// (https://www.iana.org/assignments/http-authschemes, and Azure Storage's
// https://learn.microsoft.com/en-us/rest/api/storageservices/authorize-with-shared-key).
var schemes = []string{
	"bearer", "basic", "sharedkey", "sharedkeylite", "sharedaccesssignature",
	"pop", "digest", "negotiate", "ntlm", "hmac-sha256", "hoba", "mutual",
	"scram-sha-256", "vapid",
}

// schemeOf reports whether w names a scheme, alone or glued to its
// header's name ("Authorization:Basic", "\"Authorization\":\"Basic"), and
// whether the header is named (an Authorization header's value is always
// a credential). It reads w's last run of letters, digits and dashes,
// inside the quotes and punctuation around words.
func schemeOf(w string) (scheme, named bool) {
	end := len(w)
	for end > 0 && strings.IndexByte(wordPunct, w[end-1]) >= 0 {
		end--
	}
	start := end
	for start > 0 && (isAlnum(rune(w[start-1])) || w[start-1] == '-') {
		start--
	}
	if !isScheme(w[start:end]) {
		return false, false
	}
	before := strings.TrimRight(w[:start], "\"'`\\")
	switch {
	case before == "" || strings.Trim(before, wordPunct) == "":
		return true, false
	case before[len(before)-1] == ':' || before[len(before)-1] == '=':
		return true, true
	}
	return false, false
}

// wordPunct is the punctuation around a word.
const wordPunct = "\"'`,;(){}[]<>\\"

// isHeader reports whether w is a header's name that an authentication
// scheme and its credential follow: "Authorization:",
// "Proxy-Authorization:".
func isHeader(w string) bool {
	for w != "" && strings.IndexByte(quotes, w[len(w)-1]) >= 0 {
		w = w[:len(w)-1]
	}
	const name = "authorization:"
	if w == "" || w[len(w)-1] != ':' {
		return false
	}
	return len(w) >= len(name) && strings.EqualFold(w[len(w)-len(name):], name)
}

// isScheme reports whether w is an authentication scheme.
func isScheme(w string) bool {
	if len(w) < 3 || len(w) > 21 {
		return false
	}
	for _, s := range schemes {
		if len(w) == len(s) && strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}

// isProse reports whether w, after a scheme that no header names, is a
// word of prose ("Bearer token", "Basic authentication") rather than a
// credential: lower-case letters, with the punctuation that ends a word.
func isProse(w string) bool {
	w = strings.TrimRight(w, ".,;:!?)")
	if w == "" || len(w) > 24 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// isAuthParam reports whether w is an auth-param ("realm=\"x\"",
// "error=invalid_token,"), which a challenge has after its scheme, and
// not a token68 (whose "=" are padding at its end).
func isAuthParam(w string) bool {
	i := strings.IndexByte(w, '=')
	if i <= 0 || i+1 >= len(w) || w[i+1] == '=' {
		return false
	}
	for j := 0; j < i; j++ {
		if !isNameByte(w[j]) {
			return false
		}
	}
	return true
}

// redactSchemes returns s with the credential after each scheme
// redacted; s itself when there is none.
func redactSchemes(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is written to b
	pending, named, header := false, false, false
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], ' ')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		w := s[start:end]
		if pending {
			pending = false
			if w != Redacted && !isAuthParam(w) && (named || !isProse(w)) {
				b.Grow(len(s))
				b.WriteString(s[last:start])
				b.WriteString(Redacted)
				last = end
			}
		} else if scheme, glued := schemeOf(w); scheme {
			pending, named = true, glued || header
		}
		header = isHeader(w)
		start = end + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
