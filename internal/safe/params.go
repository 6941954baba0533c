package safe

import "strings"

// The parameter rule: the value of a parameter whose name says it holds a
// secret is redacted to its real end, however the parameter is written:
// "name=value" (query strings, form bodies, connection strings),
// "name: value" (headers, YAML, prose), "name = value", JSON's
// "\"name\": \"value\"" and its escaped form inside a JSON string, with
// the value quoted by ', " or ` or in ODBC's braces.

// secretNameParts are the words that make a parameter's name a secret's
// (https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring,
// https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string,
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
// "AccountKey", "client_secret", "Ocp-Apim-Subscription-Key",
// "refresh_token", "client_assertion", "x-functions-key"...
var secretNameParts = []string{
	"password", "passwd", "pwd", "passphrase", "secret", "token", "assertion", "signature", "apikey", "api_key", "api-key", "authorization",
	"cookie", "claims", "privatekey", "private_key", "sharedaccess",
}

// secretNames are the names that are a secret's only as a whole: SAS's
// "sig", a "key", a "pw", a "credential" ("EnvironmentCredential:" starts
// an azidentity message).
var secretNames = []string{"sig", "key", "pw", "pass", "auth", "credential", "credentials"}

// describingSuffixes end the names of parameters that describe a secret
// rather than hold it: "SharedAccessKeyName", "token_type", "secretId",
// "client_assertion_type", "AZURE_FEDERATED_TOKEN_FILE".
var describingSuffixes = []string{
	"name", "id", "type", "version", "uri", "url", "endpoint", "file", "path",
	"hint", "expiry", "expires", "expires_in", "expiresin", "length", "count",
	"format", "source", "kind", "status",
}

// isSecretName reports whether a parameter named name holds a secret: a
// name made with one of secretNameParts, one of secretNames, or one that
// ends with "key", unless it ends with a word that describes the secret.
func isSecretName(name string) bool {
	n := LowerASCII(name)
	for _, s := range describingSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	for _, s := range secretNames {
		if n == s {
			return true
		}
	}
	if strings.HasSuffix(n, "key") {
		return true
	}
	for _, p := range secretNameParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// isPasswordName reports whether a parameter named name holds a password,
// whose unquoted value may hold spaces ("Password=correct horse battery
// staple;"): it runs to ";", "&", a double quote or the end of the line.
func isPasswordName(name string) bool {
	n := LowerASCII(name)
	return n == "pw" || n == "pass" || strings.Contains(n, "password") ||
		strings.Contains(n, "passwd") || strings.Contains(n, "pwd") || strings.Contains(n, "passphrase")
}

// maxName is the longest parameter name the rule reads back from its
// separator.
const maxName = 64

// nameBefore returns the name of the parameter whose separator is at i in
// s, or "": letters, digits and _ . - before it, past one space, a
// closing quote and the backslash that escapes it in a JSON string.
func nameBefore(s string, i int) string {
	j := i
	if j > 0 && s[j-1] == ' ' {
		j--
	}
	if j > 0 && (s[j-1] == '"' || s[j-1] == '\'' || s[j-1] == '`') {
		j--
		if j > 0 && s[j-1] == '\\' {
			j--
		}
	}
	end := j
	for j > 0 && end-j <= maxName && isNameByte(s[j-1]) {
		j--
	}
	if end-j > maxName || j == end {
		return ""
	}
	return s[j:end]
}

func isNameByte(c byte) bool { return isAlnum(rune(c)) || c == '_' || c == '.' || c == '-' }

// valueAfter returns where the value that starts at k in s (past one
// space) starts and ends: inside its quotes or braces (a doubled closing
// quote or brace is part of it, as in connection strings), else up to
// the first of ends, or the end of s. quoted says whether it was.
func valueAfter(s string, k int, ends string) (start, end int, quoted bool) {
	if k < len(s) && s[k] == ' ' {
		k++
	}
	if k >= len(s) {
		return k, k, false
	}
	if strings.HasPrefix(s[k:], `\"`) {
		start = k + 2
		if e := strings.Index(s[start:], `\"`); e >= 0 {
			return start, start + e, true
		}
		return start, len(s), true
	}
	var closer byte
	switch s[k] {
	case '"', '\'', '`':
		closer = s[k]
	case '{':
		closer = '}'
	default:
		end = k
		for end < len(s) && strings.IndexByte(ends, s[end]) < 0 {
			end++
		}
		return k, end, false
	}
	for j := k + 1; j < len(s); j++ {
		if s[j] != closer {
			continue
		}
		if j+1 < len(s) && s[j+1] == closer {
			j++ // a doubled closer is part of the value
			continue
		}
		return k + 1, j, true
	}
	return k + 1, len(s), true
}

// The ends of unquoted values: a password's runs over spaces.
const (
	passwordEnds = ";&\""
	valueEnds    = " ;&,\"'`)]}<>\\"
)

// redactParams returns s with the values of its secret parameters
// redacted; s itself when it has none.
func redactParams(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is written to b
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '=' && c != ':' || strings.HasPrefix(s[i:], "://") {
			continue
		}
		name := nameBefore(s, i)
		if name == "" || !isSecretName(name) {
			continue
		}
		ends := valueEnds
		if isPasswordName(name) {
			ends = passwordEnds
		}
		start, end, quoted := valueAfter(s, i+1, ends)
		v := s[start:end]
		if r := start + len(Redacted); v == "" || v == Redacted ||
			!quoted && strings.HasPrefix(s[start:], Redacted) && (r == len(s) || strings.IndexByte(ends, s[r]) >= 0) {
			continue // already redacted
		}
		if !quoted && strings.Contains(LowerASCII(name), "authorization") && isScheme(v) {
			continue // "Authorization: Bearer x": the scheme rule redacts x
		}
		if !quoted && end < len(s) && s[end] == ' ' && endsWithScheme(v) {
			// "sig= Bearer x", "key=Authorization:Basic x": the value is
			// a scheme and its credential; both go.
			_, end, _ = valueAfter(s, end, valueEnds)
		}
		if !quoted && s[i] == ':' && s[i+1] == ' ' && ends == valueEnds && isPlainWord(v) {
			// "ExpiredToken: The token is expired.": prose puts a colon
			// and a space after its labels, and a key, a token or a signature is made
			// by a machine, never a word of letters. (A password may be,
			// and is redacted all the same.)
			continue
		}
		b.Grow(len(s))
		b.WriteString(s[last:start])
		b.WriteString(Redacted)
		last, i = end, end-1
		if strings.HasSuffix(s[start:end], "=") || strings.HasSuffix(s[start:end], ":") {
			// "sig= Password='x'": the value ends as a parameter's name
			// does, and that parameter's value follows: read it too.
			i = end - 2
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// endsWithScheme reports whether v is, or ends with after a : or =, an
// authentication scheme's name.
func endsWithScheme(v string) bool {
	if i := strings.LastIndexAny(v, ":="); i >= 0 {
		v = v[i+1:]
	}
	return isScheme(v)
}

// hasSecretParam reports whether s holds a secret parameter with a
// value.
func hasSecretParam(s string) bool { return redactParams(s) != s }

// isPlainWord reports whether w, without the punctuation around words, is
// a word of ASCII letters that the word rules keep.
func isPlainWord(w string) bool {
	w = strings.Trim(w, ".,;:!?()")
	for i := 0; i < len(w); i++ {
		if !isUpper(w[i]) && (w[i] < 'a' || w[i] > 'z') {
			return false
		}
	}
	return w != "" && isLetters(w)
}
