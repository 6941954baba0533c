package azauthtrace_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/aadsts"
)

// tokenFailure is Entra ID's answer to a token request naming codes, with
// an OAuth error value that says something else.
func tokenFailure(oauthErr, desc string, codes ...int) *http.Response {
	u, _ := url.Parse("https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee/oauth2/v2.0/token")
	list := make([]string, len(codes))
	for i, c := range codes {
		list[i] = fmt.Sprint(c)
	}
	body := fmt.Sprintf(`{"error":%q,"error_description":%q,"error_codes":[%s]}`, oauthErr, desc, strings.Join(list, ","))
	return &http.Response{StatusCode: http.StatusBadRequest, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)),
		Request: &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{}}}
}

// TestEveryDocumentedCode answers a token request with each code of
// Microsoft's reference, under an OAuth error value that would mislead:
// the class is the one the code's meaning maps to, also when a wrapper
// code (70002, 50012) comes first, and also when the code is only in the
// description.
func TestEveryDocumentedCode(t *testing.T) {
	all := aadsts.All()
	if len(all) < 300 {
		t.Fatalf("%d codes in the table", len(all))
	}
	for _, e := range all {
		want := azauthtrace.Class(e.Class)
		for _, oauthErr := range []string{"invalid_client", "invalid_request", "interaction_required"} {
			desc := fmt.Sprintf("AADSTS%d: %s", e.Code, e.Summary)
			if f, _ := azauthtrace.FromResponse(tokenFailure(oauthErr, desc, e.Code)); f.Class != want || f.AADSTS != e.Code {
				t.Errorf("AADSTS%d (%s) with %s: %s %d, want %s", e.Code, e.Name, oauthErr, f.Class, f.AADSTS, want)
			}
			if f, _ := azauthtrace.FromResponse(tokenFailure(oauthErr, desc)); f.Class != want || f.AADSTS != e.Code {
				t.Errorf("AADSTS%d (%s) in the description only: %s %d, want %s", e.Code, e.Name, f.Class, f.AADSTS, want)
			}
			if e.Wrapper {
				continue
			}
			for _, wrapper := range []int{70002, 50012} {
				desc := fmt.Sprintf("AADSTS%d: Error validating credentials. AADSTS%d: %s", wrapper, e.Code, e.Summary)
				if f, _ := azauthtrace.FromResponse(tokenFailure(oauthErr, desc, wrapper, e.Code)); f.Class != want || f.AADSTS != e.Code {
					t.Errorf("AADSTS%d wrapped in %d: %s %d, want %s %d", e.Code, wrapper, f.Class, f.AADSTS, want, e.Code)
				}
			}
		}
	}
}

// TestUnknownCodes classifies codes in no table by the OAuth error value,
// unless the description says the request is malformed.
func TestUnknownCodes(t *testing.T) {
	for _, tc := range []struct {
		oauthErr, desc string
		want           azauthtrace.Class
	}{
		{"invalid_client", "AADSTS9999901: The client credential was rejected.", azauthtrace.ClassAuthentication},
		{"invalid_grant", "AADSTS9999902: The refresh grant is no longer valid.", azauthtrace.ClassAuthentication},
		{"invalid_request", "AADSTS9999903: Something went wrong.", azauthtrace.ClassConfiguration},
		{"invalid_grant", "AADSTS9999904: The request is malformed: the code_verifier is not valid.", azauthtrace.ClassConfiguration},
		{"invalid_client", "AADSTS9999905: The provided value for 'redirect_uri' is not a valid URL.", azauthtrace.ClassConfiguration},
		{"invalid_client", "AADSTS9999906: Invalid scope 'x' requested.", azauthtrace.ClassConfiguration},
		{"temporarily_unavailable", "AADSTS9999907: The service is busy.", azauthtrace.ClassTransient},
		{"consent_required", "AADSTS9999908: The user has not consented.", azauthtrace.ClassPermission},
	} {
		if f, _ := azauthtrace.FromResponse(tokenFailure(tc.oauthErr, tc.desc)); f.Class != tc.want {
			t.Errorf("%s %q: %s, want %s", tc.oauthErr, tc.desc, f.Class, tc.want)
		}
	}
}
