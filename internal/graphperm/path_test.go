package graphperm

import (
	"slices"
	"strings"
	"testing"
)

// TestNormalize checks request paths against the forms the map's extractor
// gives them (normalize_path with request=True, described in the map's
// README).
func TestNormalize(t *testing.T) {
	tests := []struct {
		raw  string
		want string // segments joined by "/"
	}{
		{"/v1.0/users", "users"},
		{"/beta/users/", "users"},
		{"/V1.0/Users/John@Contoso.com", "users/john@contoso.com"},
		{"https://graph.microsoft.com/v1.0/me/messages?$top=1#x", "me/messages"},
		{"/v1.0/users/{user-id}/messages/{message-id}", "users/{id}/messages/{id}"},
		{"/v1.0/users('a@b.c')", "users({id})"},
		{"/v1.0/applications(appId='x')", "applications(appid={id})"},
		{"/v1.0/reports/getOffice365ActiveUserDetail(period='D7')", "reports/getoffice365activeuserdetail(period={id})"},
		{"/v1.0/x/getByUserIdAndRole(userId='a,b', role='c')", "x/getbyuseridandrole(userid={id},role={id})"},
		{"/v1.0/x/ingest('abc')", "x/ingest({id})"},
		{"/v1.0/users/delta()", "users/delta"},
		{"/v1.0/me/drive/root:/a/b/c.txt:/content", "me/drive/root:/{id}:/content"},
		{"/v1.0/me/drive/root:/a/b/c.txt", "me/drive/root:/{id}"},
		{"/v1.0/me/drive/root:/a.txt:", "me/drive/root:/{id}:"},
		{"/v1.0/users/$count", "users/$count"},
		// Kiota URL templates (RFC 6570), as msgraph-sdk-go's request builders hold them
		{"{+baseurl}/users/{user%2Did}/messages{?%24top,%24select}", "users/{id}/messages"},
		{"{+baseurl}/groups/{group%2Did}/members/$ref", "groups/{id}/members/$ref"},
		{"/v1.0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(normalize(tt.raw), "/"); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestNormalizeRejectsHugePaths(t *testing.T) {
	if got := normalize("/v1.0/" + strings.Repeat("a/", maxSegments+1)); got != nil {
		t.Errorf("too many segments: %v", got)
	}
	if got := normalize("/" + strings.Repeat("a", maxPathBytes)); got != nil {
		t.Errorf("too many bytes: %d segments", len(got))
	}
}

func TestNormalizeOddSegments(t *testing.T) {
	// Unbalanced or nested parentheses and braces are kept as literal
	// segments, which match nothing, rather than misread.
	for _, raw := range []string{"/a(", "/a)", "/a(b", "/(", "/a((b))", "/{", "/{}}", "/:", "/::", "/a(b):c"} {
		segs := normalize(raw)
		if len(segs) != 1 || slices.Contains(segs, "") {
			t.Errorf("normalize(%q) = %q", raw, segs)
		}
	}
}
