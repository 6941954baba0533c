package azauthtrace

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"Caller is not authorized.\r\nCaller: appid=x":                                "Caller is not authorized. Caller: appid=x",
		"token Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJl was rejected":  "token " + redacted + " was rejected",
		"url ?sv=1&sig=abcDEF123%2B&se=2":                                             "url ?sv=1&" + redacted + "&se=2",
		"MAC signature 'bWFjLXNpZ25hdHVyZS1jYW5hcnktdmFsdWUtMTIzNDU2Nzg5MA=' differs": "MAC signature " + redacted + " differs",
		"The client 'alice@contoso.com' with object id 'o'":                           "The client '" + redacted + "' with object id 'o'",
		"short 'abc' quoted": "short 'abc' quoted",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("word ", 200)
	if got := sanitize(long); len(got) > MaxDescription || !strings.HasSuffix(got, "…") {
		t.Errorf("sanitize of %d bytes = %d bytes %q", len(long), len(got), got[len(got)-10:])
	}
}

// TestSanitizeAtTheCut puts secrets across the place where a long
// description is cut: none of them may show, even in part.
func TestSanitizeAtTheCut(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVQifQ.U0VDUkVUU0lHTkFUVVJF"
	for _, secret := range []string{
		jwt,
		"sig=SECRETSIGNATURE%2B",
		"Bearer " + jwt[:40],
		"SECRETUSER@contoso.com",
		"'U0VDUkVUU0VDUkVUU0VDUkVUU0VDUkVUU0VDUkVU'",
	} {
		for at := MaxDescription - 40; at <= MaxDescription+5; at++ {
			s := strings.Repeat("x", at-1) + ":" + secret + " and then more words follow the secret"
			got := sanitize(s)
			if strings.Contains(got, "SECRET") || strings.Contains(got, "U0VDUkVU") || strings.Contains(got, "eyJzdWIi") {
				t.Fatalf("secret %q at %d: sanitize gives %q", secret, at, got)
			}
			if len(got) > MaxDescription {
				t.Fatalf("secret %q at %d: %d bytes", secret, at, len(got))
			}
		}
	}
}

// FuzzSanitize checks that the fast path agrees with the slow one: trimmed
// text that clean accepts is text redact would not change, and when clean
// reads only what truncation keeps, redact would not change that part.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain text", "a  b", "x@y.z", "'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY='", "eyJhbGciOiJub25lIn0.eyJ4Ijp5fQ.c2ln", "sig=abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == strings.TrimSpace(s) && clean(s, len(s)) && redact(s) != s {
			t.Fatalf("clean(%q) but redact gives %q", s, redact(s))
		}
		if s == strings.TrimSpace(s) && clean(s, cleanLimit(s)) {
			kept := strings.TrimRight(s[:min(len(s), MaxDescription)], " ")
			if !strings.HasPrefix(redact(s), kept) {
				t.Fatalf("clean(%q) up to %d, but redact gives %q", s, cleanLimit(s), redact(s))
			}
		}
		if got := sanitize(s); len(got) > MaxDescription || strings.ContainsAny(got, "\r\n") {
			t.Fatalf("sanitize(%q) = %q", s, got)
		}
	})
}
