package policy

import (
	"net/url"
	"testing"
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
