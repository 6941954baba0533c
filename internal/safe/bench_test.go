package safe

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkFromRequest measures listing what a request carried, for a
// request with a typical 1.5 KB access token and a SAS-signed query.
func BenchmarkFromRequest(b *testing.B) {
	enc := base64.RawURLEncoding
	token := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(strings.Repeat(`{"claim":"value-0123456789"}`, 40))) + "." +
		strings.Repeat("s", 342)
	req, err := http.NewRequest(http.MethodGet, "https://account.blob.core.windows.net/c/b?sv=2022-11-02&se=2030-01-01&sp=r&sig=c2lnbmF0dXJlLXZhbHVlLTAxMjM0NTY3ODk%3D", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	for b.Loop() {
		if FromRequest(req).IsZero() {
			b.Fatal("no value listed")
		}
	}
}

// benchTexts are descriptions of the shapes Clean meets: Entra ID's with
// its trace lines, ARM's with a scope, an error text holding a JSON body,
// and one with secrets to redact.
var benchTexts = map[string]string{
	"entra":  "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00001111-aaaa-2222-bbbb-3333cccc4444'. Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2024-05-01 10:00:00Z",
	"arm":    "The client 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' with object id 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope '/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourceGroups/rg-prod-01/providers/Microsoft.Storage/storageAccounts/stprod01' or the scope is invalid. If access was recently granted, please refresh your credentials.",
	"json":   `ClientSecretCredential authentication failed. POST https://login.microsoftonline.com/tenant/oauth2/v2.0/token RESPONSE 401: 401 Unauthorized {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215],"timestamp":"2024-05-01 10:00:00Z","trace_id":"0000aaaa-11bb-cccc-dd22-eeeeee333333","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`,
	"secret": `login failed: Server=tcp:db.example.net;Database=app;User ID=admin;Password=correct horse battery staple; Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl and sig=c2lnbmF0dXJl%3D`,
}

// BenchmarkClean measures cleaning each of benchTexts as a Text value.
func BenchmarkClean(b *testing.B) {
	for _, name := range []string{"entra", "arm", "json", "secret"} {
		s := benchTexts[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				Clean(Text, s)
			}
		})
	}
}

// BenchmarkCleanShapes measures the kinds of exact shape: an ID and a URI.
func BenchmarkCleanShapes(b *testing.B) {
	for _, tc := range []struct {
		name string
		k    Kind
		s    string
	}{
		{"id", ID, "WESTUS2:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"},
		{"uri", URI, "https://login.microsoftonline.com/error?code=7000215"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Clean(tc.k, tc.s)
			}
		})
	}
}
