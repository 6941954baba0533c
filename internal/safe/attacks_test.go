package safe

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// adoPAT has the shape of an Azure DevOps personal access token: 52
// characters of lower-case base32.
const adoPAT = "jq4kztvmwx7nrhpfy2dlocbsg5aeiuqvwtz3krmnpx6dflhybceg"

// TestCleanRedactsParameterValues: the value of a secret parameter is
// redacted to its real end, however it is written. Connection strings
// (https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring),
// ODBC's braces (https://learn.microsoft.com/en-us/sql/odbc/reference/syntax/sqldriverconnect-function),
// JSON bodies and HTTP headers are where they occur.
func TestCleanRedactsParameterValues(t *testing.T) {
	for _, tc := range []struct {
		in     string
		secret []string // what must not remain
		kept   []string // what must remain
	}{
		{"Login failed: Password='Summer2024!' for user", []string{"Summer2024"}, []string{"Login failed:", "for user"}},
		{`request {"user": "app", "password": "Hunter2Passw0rd!"} rejected`, []string{"Hunter2"}, []string{"rejected"}},
		{"config client_secret = TopSecretValue42 was read", []string{"TopSecretValue42"}, []string{"config", "was read"}},
		{"header Ocp-Apim-Subscription-Key: SubKeyValue42 sent", []string{"SubKeyValue42"}, []string{"header", "sent"}},
		{"Driver={ODBC Driver 18};Server=db;Pwd={P@ss;w0rdXyz!};Encrypt=yes", []string{"P@ss", "w0rdXyz"}, []string{"Server=db", "Encrypt=yes"}},
		{"Server=tcp:db.example.net;User ID=admin;Password=correct horse battery staple;Encrypt=True", []string{"correct", "horse", "battery", "staple"}, []string{"Encrypt=True"}},
		{`body {\"password\":\"EscapedSecret9\"} sent`, []string{"EscapedSecret9"}, []string{"sent"}},
		{"query password%3DEncodedSecret9%26x%3D1", []string{"EncodedSecret9"}, nil},
		{`"Authorization":"Basic b3BzOnBhc3N3b3JkMQ=="`, []string{"b3BzOnBhc3N3b3JkMQ"}, nil},
		{"Authorization:Basic b3BzOnBhc3N3b3JkMQ== sent", []string{"b3BzOnBhc3N3b3JkMQ"}, []string{"sent"}},
		{"Authorization=Basic%20b3BzOnBhc3N3b3JkMQ%3D%3D sent", []string{"b3BzOnBhc3N3b3JkMQ"}, []string{"sent"}},
		{"Authorization: Bearer shorttok then", []string{"shorttok"}, []string{"Bearer", "then"}},
		{"the token " + adoPAT + " was rejected", []string{adoPAT[:20]}, []string{"the token", "was rejected"}},
		{"user someone%40contoso.com not found", []string{"someone"}, []string{"not found"}},
		{"GET https://graph.microsoft.com/v1.0/users/someone%40contoso.com failed", []string{"someone"}, []string{"graph.microsoft.com", "failed"}},
		{"guest john.doe_contoso.com#EXT#@fabrikam.onmicrosoft.com denied", []string{"john.doe", "EXT"}, []string{"guest", "denied"}},
	} {
		got := Clean(Text, tc.in).String()
		for _, s := range tc.secret {
			if strings.Contains(got, s) {
				t.Errorf("Clean(Text, %q) = %q: %q remains", tc.in, got, s)
			}
		}
		for _, s := range tc.kept {
			if !strings.Contains(got, s) {
				t.Errorf("Clean(Text, %q) = %q: %q lost", tc.in, got, s)
			}
		}
	}
}

// TestCleanURIParts: a URI keeps an allow-listed host, and no part of it
// may carry a token or a key (error_uri and troubleshooting links:
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response).
func TestCleanURIParts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://" + jwt[:36] + ".evil.example/x", ""},
		{"https://eyJhbGciOiJSUzI1NiJ9.login.microsoftonline.com/error", ""},
		{"https://login.microsoftonline.com/error#" + adoPAT, "https://login.microsoftonline.com/error"},
		{"https://login.microsoftonline.com/error#eyJhbGciOiJSUzI1NiJ9eyJzdWIiOiJ4In0", "https://login.microsoftonline.com/error"},
		{"https://attacker.contoso.net/" + adoPAT, ""},
		{"https://login.microsoftonline.com/common/" + adoPAT + "/x", "https://login.microsoftonline.com/common/" + Redacted + "/x"},
		{"https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes", "https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes"},
		{"https://graph.microsoft.com/v1.0/users/someone%40contoso.com/memberOf", "https://graph.microsoft.com/v1.0/users/" + Redacted + "/memberOf"},
		{"https://graph.microsoft.com/v1.0/users/john.doe_contoso.com%23EXT%23%40fabrikam.onmicrosoft.com", "https://graph.microsoft.com/v1.0/users/" + Redacted},
		{"api://AzureADTokenExchange", "api://AzureADTokenExchange"},
		{"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com", "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"},
		{"https://storage.azure.com/", "https://storage.azure.com/"},
		{"https://vault.azure.net", "https://vault.azure.net"},
	} {
		if got := Clean(URI, tc.in).String(); got != tc.want {
			t.Errorf("Clean(URI, %q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCleanIDShapes: an ID is kept only as a whole value of a documented
// shape, never for the hex it contains.
func TestCleanIDShapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"c2VjcmV0a2V5dmFsdWU9PQ;deadbeefdeadbeefdeadbeefdeadbeef", ""},
		{strings.Repeat("0123456789abcdef", 4), ""},
		{"c2VjcmV0a2V5dmFsdWU9PQ:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11", ""},
		{"WESTUS2:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11", "WESTUS2:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"},
		{"KD2RunQuery;11112222-bbbb-3333-cccc-4444dddd5555", "KD2RunQuery;11112222-bbbb-3333-cccc-4444dddd5555"},
	} {
		if got := Clean(ID, tc.in).String(); got != tc.want {
			t.Errorf("Clean(ID, %q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestScrubberWithSpaces: a value given to With that holds spaces is
// redacted as a whole, also percent-encoded and JSON-escaped.
func TestScrubberWithSpaces(t *testing.T) {
	sc := Scrubber{}.With(`my "secret" pass phrase`)
	for _, in := range []string{
		`the value my "secret" pass phrase leaked`,
		`the value my%20%22secret%22%20pass%20phrase leaked`,
		`{"v":"my \"secret\" pass phrase"} leaked`,
		`the value my+%22secret%22+pass+phrase leaked`,
	} {
		got := sc.Clean(Text, in).String()
		if strings.Contains(got, "phrase") {
			t.Errorf("Clean(%q) = %q", in, got)
		}
		if !strings.Contains(got, "leaked") {
			t.Errorf("Clean(%q) = %q: the words around it lost", in, got)
		}
	}
}

// TestFromRequestKnowsHost: the host a request was sent to is kept in a
// URI, as the allow-listed ones are; another host is not.
func TestFromRequestKnowsHost(t *testing.T) {
	u, _ := url.Parse("https://contoso-search.search.example.net/indexes/docs")
	sc := FromRequest(&http.Request{URL: u, Header: http.Header{}})
	if got := sc.Clean(URI, "https://contoso-search.search.example.net/indexes/docs").String(); got != "https://contoso-search.search.example.net/indexes/docs" {
		t.Errorf("the request's own host: %q", got)
	}
	if got := sc.Clean(URI, "https://other.contoso.net/indexes/docs").String(); got != "" {
		t.Errorf("another host: %q", got)
	}
}
