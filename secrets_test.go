package azauthtrace_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace"
)

// Canaries planted where services and errors are known to echo secrets.
const (
	canaryJWT       = "eyJhbGciOiJSUzI1NiJ9.eyJjYW5hcnkiOiJ0b2tlbiJ9.Y2FuYXJ5LXNpZ25hdHVyZS12YWx1ZQ"
	canarySig       = "Q2FuYXJ5U2FzU2lnbmF0dXJlVmFsdWUxMjM0NTY3OA"
	canaryClaims    = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjAwIn19fQ"
	canaryMAC       = "bWFjLXNpZ25hdHVyZS1jYW5hcnktdmFsdWUtMTIzNDU2Nzg5MA="
	canaryUserEmail = "alice.canary@contoso.com"
)

// TestFailureHoldsNoSecrets plants tokens, SAS signatures, claims, shared
// key signatures and user names in responses and error texts, and checks
// that none reaches any field of the Failure.
func TestFailureHoldsNoSecrets(t *testing.T) {
	u, _ := url.Parse("https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=" + canarySig)
	req := &http.Request{Method: "GET", URL: u, Header: http.Header{"Authorization": {"Bearer " + canaryJWT}}}
	responses := []struct {
		name   string
		status int
		header http.Header
		body   string
	}{
		{"claims challenge", 401, http.Header{"Www-Authenticate": {`Bearer error="insufficient_claims", claims="` + canaryClaims + `"`}}, ""},
		{"token echoed in a message", 401, nil, `{"error":{"code":"InvalidAuthenticationToken","message":"The token Bearer ` + canaryJWT + ` is invalid"}}`},
		{"SAS echoed in a message", 403, nil, `{"error":{"code":"AuthenticationFailed","message":"Signature did not match. sig=` + canarySig + ` was used"}}`},
		{"shared key MAC signature", 403, http.Header{"X-Ms-Error-Code": {"AuthenticationFailed"}},
			`<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message><AuthenticationErrorDetail>The MAC signature found in the HTTP request '` + canaryMAC + `' is not the same as any computed signature.</AuthenticationErrorDetail></Error>`},
		{"user principal name", 403, nil, `{"error":{"code":"AuthorizationFailed","message":"The client '` + canaryUserEmail + `' with object id 'o' does not have authorization to perform action 'a' over scope 's'."}}`},
	}
	for _, r := range responses {
		resp := &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(strings.NewReader(r.body)), Request: req}
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		f, ok := azauthtrace.FromResponse(resp)
		if !ok {
			t.Fatalf("%s: not recognised", r.name)
		}
		noCanary(t, r.name, f, canaryUserEmail)
	}
	for _, text := range []string{
		"AzureCLICredential: ERROR: run `az login --claims-challenge " + canaryClaims + "` to sign in again",
		"ClientSecretCredential: request failed: Authorization: Bearer " + canaryJWT,
		"GET https://acct.blob.core.windows.net/c/b\n" + strings.Repeat("-", 80) + "\nRESPONSE 403: 403 Forbidden\nERROR CODE: AuthenticationFailed\n" + strings.Repeat("-", 80) +
			"\n<Error><Code>AuthenticationFailed</Code><Message>m</Message><AuthenticationErrorDetail>The MAC signature found in the HTTP request '" + canaryMAC + "' is not the same.</AuthenticationErrorDetail></Error>\n" + strings.Repeat("-", 80),
	} {
		f, ok := azauthtrace.FromError(errors.New(text))
		if !ok {
			t.Fatalf("FromError(%.40q): not recognised", text)
		}
		noCanary(t, text[:30], f, "")
	}
}

func noCanary(t *testing.T, name string, f azauthtrace.Failure, allowed string) {
	t.Helper()
	// PrincipalName may hold a user principal name the service named: it
	// is the one field callers must opt in to record.
	f.PrincipalName = strings.ReplaceAll(f.PrincipalName, allowed, "")
	dump := fmt.Sprintf("%+v", f)
	for _, c := range []string{canaryJWT, canarySig, canaryClaims, canaryMAC, canaryUserEmail, "Y2FuYXJ5"} {
		if strings.Contains(dump, c) {
			t.Errorf("%s: %q reached the Failure: %s", name, c, dump)
		}
	}
}
