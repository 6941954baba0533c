package recorder

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
		header   http.Header
	}{
		{"https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01&$filter=x", "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01", nil},
		{"https://a.blob.core.windows.net/c/b?sv=2024-01-01&sig=c2VjcmV0&se=2030", "https://a.blob.core.windows.net/c/b", nil},
		{"https://a.blob.core.windows.net/c/b?sig=x&api-version=7.5", "https://a.blob.core.windows.net/c/b?api-version=7.5", nil},
		{"https://user:password@vault.vault.azure.net:8443/secrets/a%20b#frag", "https://vault.vault.azure.net:8443/secrets/a%20b", nil},
		{"https://h/p?api-version=2022-09-01;sig=c2VjcmV0c2lnbmF0dXJl", "https://h/p?api-version=2022-09-01", nil},
		{"https://h/p?api-version=a%26b%3Dc", "https://h/p", nil},
		{"https://h/p?api-version=%zz", "https://h/p", nil},
		{"https://h/p?api-versionx=1&xapi-version=2", "https://h/p", nil},
		{"https://h/c/" + "c2VjcmV0c2lnbmF0dXJlc2VjcmV0c2lnbmF0dXJl" + "?code=c2VjcmV0c2lnbmF0dXJlc2VjcmV0c2lnbmF0dXJl", "https://h/c/" + safe.Redacted, nil},
		{"https://h", "https://h", nil},
		{"https://myfunc.azurewebsites.net/api/f?code=8675309123&api-version=2022-09-01", "https://myfunc.azurewebsites.net/api/f?api-version=2022-09-01", nil},
		{"https://example.azure-api.net/keys/correcthorsebatterystaple", "https://example.azure-api.net/keys/" + safe.Redacted,
			http.Header{"Ocp-Apim-Subscription-Key": {"correcthorsebatterystaple"}}},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
		if tt.header != nil {
			req.Header = tt.header
		}
		attrs := requestAttributes(Try{Request: req, Response: &http.Response{StatusCode: 403}}, true)
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

// TestMethod checks http.request.method and the span name's method: GET
// for none, as net/http sends it, and _OTHER (HTTP in the name) for a value
// that is no method name.
func TestMethod(t *testing.T) {
	u, _ := url.Parse("https://management.azure.com/x")
	r := New(Config{})
	for in, want := range map[string]string{"": "GET", "GET": "GET", "PATCH": "PATCH", "get": "_OTHER", "GET\r\nX: y": "_OTHER"} {
		req := &http.Request{Method: in, URL: u, Header: http.Header{}}
		if got := method(req); got != want {
			t.Errorf("method(%q) = %q, want %q", in, got, want)
		}
		wantName := want + " management.azure.com"
		if want == "_OTHER" {
			wantName = "HTTP management.azure.com"
		}
		if got := r.name(Try{Request: req, host: "management.azure.com"}); got != wantName {
			t.Errorf("name of a %q request = %q, want %q", in, got, wantName)
		}
	}
}
