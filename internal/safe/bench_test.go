package safe

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkFromRequest measures listing what a request carried, for a
// request with a typical 1.5 KB access token and a SAS-signed query.
func BenchmarkFromRequest(b *testing.B) {
	enc := base64.RawURLEncoding
	token := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(strings.Repeat(`{"claim":"value-0123456789"}`, 40))) + "." +
		strings.Repeat("s", 342)
	req, err := http.NewRequest(http.MethodGet, "https://account.blob.core.windows.net/c/b?sv=2022-11-02&se=2030-01-01&sp=r&sig=c2lnbmF0dXJlLXZhbHVlLTAxMjM0NTY3ODk%3D", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	for b.Loop() {
		if FromRequest(req).IsZero() {
			b.Fatal("no value listed")
		}
	}
}
