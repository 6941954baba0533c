package safe

import "strings"

// redactEmails replaces the e-mail addresses and user principal names in
// w (local@domain.tld), guests' included
// ("john.doe_contoso.com#EXT#@fabrikam.onmicrosoft.com":
// https://learn.microsoft.com/en-us/entra/external-id/user-properties).
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

// isEmailLocal reports whether c may be in the local part of an address:
// RFC 5322's atext but the quotes, slash, equals sign, braces and bar,
// which delimit the words around an address more often than they are in
// it.
func isEmailLocal(c byte) bool {
	return isAlnum(rune(c)) || strings.IndexByte(".!#$%&*+-?^_~", c) >= 0
}

func isEmailDomain(c byte) bool { return isAlnum(rune(c)) || c == '.' || c == '-' }
