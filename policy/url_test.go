package policy

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unsafe"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

func TestSanitizedURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01&$filter=x", "https://management.azure.com/subscriptions/s/resourcegroups?api-version=2022-09-01"},
		{"https://a.blob.core.windows.net/c/b?sv=2024-01-01&sig=c2VjcmV0&se=2030", "https://a.blob.core.windows.net/c/b"},
		{"https://a.blob.core.windows.net/c/b?sig=x&api-version=7.5", "https://a.blob.core.windows.net/c/b?api-version=7.5"},
		{"https://user:password@vault.vault.azure.net:8443/secrets/a%20b#frag", "https://vault.vault.azure.net:8443/secrets/a%20b"},
		{"https://h/p?api-version=a%26b%3Dc", "https://h/p?api-version=a%26b%3Dc"},
		{"https://h/p?api-version=%zz", "https://h/p"},
		{"https://h/p?api-versionx=1&xapi-version=2", "https://h/p"},
		{"https://h", "https://h"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := sanitizedURL(u); got != tt.want {
			t.Errorf("sanitizedURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := sanitizedURL(nil); got != "" {
		t.Errorf("sanitizedURL(nil) = %q", got)
	}
}

// TestRecordedURLKeepsNoQuery checks both the attribute and what the
// policy remembers of the last URL: the query may hold a SAS signature.
func TestRecordedURLKeepsNoQuery(t *testing.T) {
	p := New(nil)
	for _, raw := range []string{
		"https://a.blob.core.windows.net/c/b?sv=2024-01-01&sig=canarySignature&se=2030",
		"https://a.blob.core.windows.net/c/b?api-version=7.5&sig=canarySignature",
	} {
		req, err := runtime.NewRequest(t.Context(), http.MethodGet, raw)
		if err != nil {
			t.Fatal(err)
		}
		attrs := p.appendRequestAttributes(nil, req, &http.Response{StatusCode: 403}, "a.blob.core.windows.net", false)
		remembered := fmt.Sprintf("%+v", *p.urls.last.Load())
		if got := fmt.Sprint(attrs); strings.Contains(got, "canary") || strings.Contains(remembered, "canary") {
			t.Errorf("%s: attributes %s, remembered %s", raw, got, remembered)
		}
		if !strings.Contains(remembered, "a.blob.core.windows.net") {
			t.Errorf("remembered %s, want the URL without its query", remembered)
		}
	}
}

// TestRememberedStringsAreCopies checks that what the policy keeps after a
// failure (the last URL and span name, the counter's attribute sets) does
// not point into the request's URL, which holds a SAS signature: keeping a
// slice of it would keep the signature in memory.
func TestRememberedStringsAreCopies(t *testing.T) {
	raw := "https://a.blob.core.windows.net/c/b?api-version=2024-01-01&sig=canarySignature"
	req, err := runtime.NewRequest(t.Context(), http.MethodGet, raw)
	if err != nil {
		t.Fatal(err)
	}
	rawURL := req.Raw().URL.String()
	p := New(nil)
	host := req.Raw().URL.Hostname()
	p.appendRequestAttributes(nil, req, &http.Response{StatusCode: 403}, host, false)
	p.names.get(nameKey{http.MethodGet, host}, spanName)
	p.failureSet("permission", 403, host)
	within := func(s, in string) bool {
		if len(s) == 0 || len(in) == 0 {
			return false
		}
		p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(in)))
		return p >= base && p < base+uintptr(len(in))
	}
	u := p.urls.last.Load().key
	n := p.names.last.Load().key
	kept := []string{u.scheme, u.host, u.path, u.rawPath, u.version, n.host}
	for k := range p.sets {
		kept = append(kept, k.host)
	}
	for _, in := range []string{raw, rawURL, req.Raw().URL.Host, req.Raw().URL.RawQuery} {
		for i, s := range kept {
			if within(s, in) {
				t.Errorf("remembered string %d (%q) points into the request's %q", i, s, in)
			}
		}
	}
	if !within(host, req.Raw().URL.Host) {
		t.Skip("the URL's host is not a slice of it here: nothing to check")
	}
}
