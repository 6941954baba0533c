package core

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// TestURLFull checks the url.full the policy records: the request's URL
// without user information, fragment or query, but a version-shaped
// api-version, and without the values the request carried.
func TestURLFull(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01&$filter=x", "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01"},
		{"https://a.blob.core.windows.net/c/b?sv=2024-01-01&sig=c2VjcmV0&se=2030", "https://a.blob.core.windows.net/c/b"},
		{"https://a.blob.core.windows.net/c/b?sig=x&api-version=7.5", "https://a.blob.core.windows.net/c/b?api-version=7.5"},
		{"https://user:password@vault.vault.azure.net:8443/secrets/a%20b#frag", "https://vault.vault.azure.net:8443/secrets/a%20b"},
		{"https://h/p?api-version=2022-09-01;sig=c2VjcmV0c2lnbmF0dXJl", "https://h/p?api-version=2022-09-01"},
		{"https://h/p?api-version=a%26b%3Dc", "https://h/p"},
		{"https://h/p?api-version=%zz", "https://h/p"},
		{"https://h/p?api-versionx=1&xapi-version=2", "https://h/p"},
		{"https://h/c/" + "c2VjcmV0c2lnbmF0dXJlc2VjcmV0c2lnbmF0dXJl" + "?code=c2VjcmV0c2lnbmF0dXJlc2VjcmV0c2lnbmF0dXJl", "https://h/c/" + safe.Redacted},
		{"https://h", "https://h"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
		attrs := requestAttributes(Try{Request: req, Response: &http.Response{StatusCode: 403}})
		got := ""
		for _, kv := range attrs {
			if kv.Key == otelx.URLFullKey {
				got = kv.Value.AsString()
			}
		}
		if got != tt.want {
			t.Errorf("url.full of %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}
