package azauthtrace

import (
	"strings"
	"testing"
)

// parseChain splits s as FromError does a chain's text: ok is false when
// s is not one.
func parseChain(s string) (entries []string, ok bool) {
	i := strings.Index(s, chainMarker)
	if i < 0 {
		return nil, false
	}
	return chainEntries(s[:i], s[i+len(chainMarker):]), true
}

// TestParseChain splits chain texts of the layouts azidentity printed.
func TestParseChain(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{
			text: "DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\n\tAzureCLICredential: line one\n\t\tline two",
			want: []string{"EnvironmentCredential: missing environment variable AZURE_TENANT_ID", "AzureCLICredential: line one\nline two"},
		},
		{
			// Older versions printed the deciding source's error first.
			text: "ManagedIdentityCredential: no response\nDefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tEnvironmentCredential: missing",
			want: []string{"ManagedIdentityCredential: no response", "EnvironmentCredential: missing"},
		},
		{text: "DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:"},
	} {
		got, ok := parseChain(tc.text)
		if !ok || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("parseChain(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
	if _, ok := parseChain("AzureCLICredential: executable not found on path"); ok {
		t.Error("parseChain took a single error for a chain")
	}
}

// FuzzParseChain checks that every entry parseChain returns comes from the
// text it was given.
func FuzzParseChain(f *testing.F) {
	f.Add("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tA: x\n\t\ty\n\tB: z")
	f.Fuzz(func(t *testing.T, s string) {
		entries, ok := parseChain(s)
		if !ok {
			return
		}
		for _, e := range entries {
			if !strings.Contains(s, strings.SplitN(e, "\n", 2)[0]) {
				t.Fatalf("entry %q is not from the text", e)
			}
		}
	})
}
