package azauthtrace_test

import (
	"net/http"
	"testing"

	"github.com/azauthtrace/azauthtrace"
)

func TestParseChallenge(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []string
		want   azauthtrace.Challenge
	}{
		{name: "none"},
		{
			name:   "Bearer and PoP in one value, padded claims",
			values: []string{`Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ==", PoP realm="", nonce="ey=="`},
			want:   azauthtrace.Challenge{Scheme: "Bearer", Error: "insufficient_claims", ClaimsPresent: true, ClaimsReason: "authentication_context", AuthorizationURI: "https://login.microsoftonline.com/common/oauth2/authorize"},
		},
		{
			name:   "unpadded claims",
			values: []string{`Bearer authorization_uri="https://login.windows.net/", error="invalid_token", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjEwNTYzMDA2In19fQ"`},
			want:   azauthtrace.Challenge{Scheme: "Bearer", Error: "invalid_token", ClaimsPresent: true, ClaimsReason: "token_revoked", AuthorizationURI: "https://login.windows.net/"},
		},
		{
			name:   "unquoted, space separated",
			values: []string{`Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize resource_id=https://storage.azure.com`},
			want:   azauthtrace.Challenge{Scheme: "Bearer", AuthorizationURI: "https://login.microsoftonline.com/t/oauth2/authorize", Resource: "https://storage.azure.com"},
		},
		{
			name:   "the Bearer challenge of several header values",
			values: []string{`Basic realm="x"`, `Bearer authorization="https://login.windows.net/tid", resource="https://vault.azure.net"`},
			want:   azauthtrace.Challenge{Scheme: "Bearer", AuthorizationURI: "https://login.windows.net/tid", Resource: "https://vault.azure.net"},
		},
		{
			// Azure Maps leaves the realm's quote open, as its 401s show;
			// https://learn.microsoft.com/azure/azure-maps/azure-maps-authentication
			name:   "a realm whose closing quote is missing",
			values: []string{`SharedKey realm="https://atlas.microsoft.com/, error="InvalidKey", error_description="The provided key was incorrect or the account resource does not exist."`},
			want:   azauthtrace.Challenge{Scheme: "SharedKey", Error: "InvalidKey", Description: "The provided key was incorrect or the account resource does not exist."},
		},
		{
			name:   "an HMAC challenge",
			values: []string{`HMAC-SHA256 error="invalid_token", error_description="Invalid Signature"`},
			want:   azauthtrace.Challenge{Scheme: "HMAC-SHA256", Error: "invalid_token", Description: "Invalid Signature"},
		},
		{
			name:   "escaped quote",
			values: []string{`Bearer error_description="say \"hi\""`},
			want:   azauthtrace.Challenge{Scheme: "Bearer", Description: `say "hi"`},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range c.values {
				h.Add("WWW-Authenticate", v)
			}
			if got := azauthtrace.ParseChallenge(h); got != c.want {
				t.Errorf("ParseChallenge =\n%+v, want\n%+v", got, c.want)
			}
		})
	}
}

// TestHeaderKeysCanonical guards the classifier's header lookups, which
// skip canonicalization: every key it reads must be in canonical form.
func TestHeaderKeysCanonical(t *testing.T) {
	h := http.Header{}
	h.Add("www-authenticate", `Bearer error="insufficient_claims", claims="e30="`)
	if c := azauthtrace.ParseChallenge(h); !c.ClaimsPresent {
		t.Fatalf("challenge added under a lower-case key not found: %+v", c)
	}
}
