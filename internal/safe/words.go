package safe

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// redact applies the rules of free text to s, a normalized line: the
// values sc knows, the parameter rule and the scheme rule first, then
// each word is kept only when it has a shape the word rules name as
// harmless, else replaced by Redacted. emails says whether e-mail
// addresses and user principal names are redacted too. It returns s
// itself when no rule applies.
func (sc Scrubber) redact(s string, emails bool) string {
	s = sc.redactKnown(s)
	if strings.Contains(s, "://") {
		s = sc.cleanURLs(s)
	}
	s = redactSchemes(redactParams(s))
	var (
		b       strings.Builder // written from the first word that changes
		changed bool
	)
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], ' ')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		w := s[start:end]
		out := sc.redactWord(w, emails)
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
		start = end + 1
	}
	if !changed {
		return s
	}
	return b.String()
}

// redactWord returns w, a word without spaces, as the word rules leave
// it: itself, with its URLs and e-mail addresses cleaned, or Redacted.
func (sc Scrubber) redactWord(w string, emails bool) string {
	if w == Redacted {
		return w
	}
	decoded := decode(w)
	if sc.knowsWord(decoded) {
		return Redacted
	}
	if strings.Contains(w, "://") {
		w = sc.cleanURLs(w)
		decoded = decode(w)
	}
	if decoded != w {
		// What the escapes hide is judged as if it were written out.
		if redactSchemes(redactParams(decoded)) != decoded || emails && redactEmails(decoded) != decoded ||
			strings.Contains(decoded, "://") && sc.cleanURLs(decoded) != decoded {
			return Redacted
		}
	} else if emails && strings.IndexByte(w, '@') >= 0 {
		w = redactEmails(w)
		decoded = w
	}
	if hasJWT(decoded) || hasClientSecret(decoded) || hasRefreshToken(decoded) || !harmless(decoded) {
		return Redacted
	}
	return w
}

// decode returns w with its percent escapes (twice: a value encoded in a
// query that was encoded again) and HTML's character references decoded:
// what a word says, whichever way it was written.
func decode(w string) string {
	w = percentDecode(percentDecode(w))
	if strings.IndexByte(w, '&') >= 0 && strings.IndexByte(w, ';') >= 0 {
		w = html.UnescapeString(w)
	}
	return w
}

// harmless reports whether every segment of w (a run of letters and
// digits between other characters) has a harmless shape: see
// asciiSegment. Segments of other scripts than ASCII are words: the
// encodings of secrets are ASCII.
func harmless(w string) bool {
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if !isAlnum(rune(c)) {
				i++
				continue
			}
			j := i + 1
			for j < len(w) && isAlnum(rune(w[j])) {
				j++
			}
			if j == len(w) || w[j] < utf8.RuneSelf {
				if !asciiSegment(w[i:j]) {
					return false
				}
				i = j
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		if !isSegmentRune(r) {
			i += n
			continue
		}
		// A run of ASCII letters and digits, or of other letters.
		ascii := r < utf8.RuneSelf
		j := i
		for j < len(w) {
			r, n := utf8.DecodeRuneInString(w[j:])
			if !isSegmentRune(r) || (r < utf8.RuneSelf) != ascii {
				break
			}
			j += n
		}
		if ascii && !asciiSegment(w[i:j]) {
			return false
		}
		i = j
	}
	return true
}

func isSegmentRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// The bounds of the word rules.
const (
	maxSegment = 64 // letters and digits in one segment
	maxPart    = 24 // letters in a part of a word, digits in a number
	maxRuns    = 3  // runs of letters and of digits in a segment ("KD2RunQuery")
	shortMix   = 10 // a segment this short may have up to 5 runs ("x509v3")
	hexGroup   = 12 // the longest group of a GUID
	hexKey     = 32 // hex of a key's length (128 bits or more)
)

// asciiSegment reports whether s, a run of ASCII letters and digits, has
// a harmless shape: a number of at most 24 digits, a group of at most 12
// hex digits in one case (a GUID's), or a word whose parts are words and numbers: at
// most three runs of letters and digits ("AADSTS7000215", "T100000Z",
// "KD2RunQuery", "v2"; five when the segment has at most 10 characters),
// each run of letters a word, or camel-case words of at most 24 letters
// each (see isLetters). A key, a signature, a base32 or base64 token
// alternates letters and digits too often, or is too long, to pass.
func asciiSegment(s string) bool {
	if len(s) > maxSegment || len(s) >= hexKey && isHexRun(s) {
		return false
	}
	if len(s) <= hexGroup && isHexRun(s) && (strings.ToLower(s) == s || strings.ToUpper(s) == s) {
		return true // a GUID's group, in one case as GUIDs are written
	}
	runs := 0
	for i := 0; i < len(s); {
		digit := isDigit(s[i])
		j := i
		for j < len(s) && isDigit(s[j]) == digit {
			j++
		}
		switch {
		case digit && j-i > maxPart, !digit && !isLetters(s[i:j]):
			return false
		}
		runs++
		i = j
	}
	return runs <= maxRuns || runs <= 5 && len(s) <= shortMix
}

// isLetters reports whether s, a run of ASCII letters, is a word: its
// camel-case parts ("getSecret", "HTTPRequest") of at most 24 letters
// each, and when it has three parts or more, of two and a half letters or
// more on average ("DcrArmId"): random mixed case ("kQzWpLmNxR") breaks
// into parts of one or two letters.
func isLetters(s string) bool {
	parts, from := 0, 0
	for i := 1; i <= len(s); i++ {
		if i < len(s) && !(isUpper(s[i]) && (!isUpper(s[i-1]) || i+1 < len(s) && !isUpper(s[i+1]))) {
			continue
		}
		if i-from > maxPart {
			return false
		}
		parts++
		from = i
	}
	return parts < 3 || 2*len(s) >= 5*parts
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

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

// stripQuotes removes quote characters from w.
func stripQuotes(w string) string {
	if !strings.ContainsAny(w, "\"'`") {
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
