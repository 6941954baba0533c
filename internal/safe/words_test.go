package safe

import (
	"strings"
	"testing"
)

// TestWordRules: a word of free text is kept when each run of letters and
// digits in it has a harmless shape, and redacted whole otherwise.
func TestWordRules(t *testing.T) {
	for _, tc := range []struct {
		word string
		kept bool
	}{
		// Error codes and messages as Microsoft documents them:
		// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
		{"AADSTS7000215:", true},
		{"AuthorizationFailed", true},
		{"invalid_client", true},
		{"getSecret()", true},
		{"HTTPRequest", true},
		{"DcrArmId:", true},
		{"don't", true},
		{"(UTC):", true},
		{"x509v3", true},
		{"AZURE_FEDERATED_TOKEN_FILE", true},
		// Actions and scopes:
		// https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting
		{"'Microsoft.Storage/storageAccounts/listKeys/action'", true},
		{"'/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourceGroups/rg-prod-01/providers/Microsoft.KeyVault/vaults/kv-prod-01'", true},
		{"contoso-search", true},
		{"2024-05-01T10:00:00.1234567Z", true},
		{"RequestId:6d0f5e1e-101e-0041-4d2f-1e4a7a000000", true},
		{"169.254.169.254", true},
		{"Ünïcödé", true},
		{"日本語のテキスト", true},
		{`\"trace_id\":\"0000aaaa-11bb-cccc-dd22-eeeeee333333\",`, true},
		// Secrets' encodings: base32 (an Azure DevOps personal access
		// token: https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate),
		// base64, hex keys, random mixed case.
		{adoPAT, false},
		{"b3BzOnBhc3N3b3JkMQ==", false},
		{"Nv0YIi2YUldDWu0YPQAXsYwXQ4ttyr7ded6Waf8xyCc=", false},
		{"0123456789abcdef0123456789abcdef", false},
		{strings.Repeat("0123456789abcdef", 4), false},
		{"'LeakQuoted-_12Ab3Cd4Ef'", false},
		{"kQzWpLmNxRtY", false},
		{"abcdefghijklmnopqrstuvwxyzabcd", false},
		{"e5ea01bb7ec44523acf8749ba9203f3c_G1", false},
	} {
		in := "before " + tc.word + " after"
		want := in
		if !tc.kept {
			want = "before " + Redacted + " after"
		}
		if got := Clean(Text, in).String(); got != want {
			t.Errorf("Clean(Text, %q) = %q, want %q", in, got, want)
		}
	}
}

// TestSchemeRule: the word after an authentication scheme is its
// credential, unless it is prose or an auth-param of a challenge
// (RFC 9110 section 11.4; Azure Storage's schemes:
// https://learn.microsoft.com/en-us/rest/api/storageservices/authorize-with-shared-key).
func TestSchemeRule(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Bearer token expired", "Bearer token expired"},
		{"Basic authentication is disabled", "Basic authentication is disabled"},
		{"Authorization: Bearer shorttok then", "Authorization: Bearer " + Redacted + " then"},
		{"Authorization:Bearer shorttok then", "Authorization:Bearer " + Redacted + " then"},
		{"Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1 was refused", "Negotiate " + Redacted + " was refused"},
		{"Authorization: SharedKey myaccount:ctzMq410TV3wS7upTBcunJTDLEJwMAZuFPfr0mrrA08= ok", "Authorization: SharedKey " + Redacted + " ok"},
		{`Bearer realm="", error="invalid_token"`, `Bearer realm="", error="invalid_token"`},
		{`Bearer authorization_uri="https://login.microsoftonline.com/common", error="insufficient_claims"`, `Bearer authorization_uri="https://login.microsoftonline.com/common", error="insufficient_claims"`},
	} {
		if got := Clean(Text, tc.in).String(); got != tc.want {
			t.Errorf("Clean(Text, %q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestParameterRuleKeeps: parameters that describe a secret, and prose
// labels followed by words, are not secrets' values (connection string
// keywords: https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-sas).
func TestParameterRuleKeeps(t *testing.T) {
	for _, in := range []string{
		"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;EntityPath=q",
		"token_type=Bearer",
		"client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
		"ExpiredToken: The token is expired.",
		"Attempted credentials: EnvironmentCredential: missing environment variable AZURE_TENANT_ID",
		"Caller is not authorized. Caller: appid=x",
	} {
		if got := Clean(Text, in).String(); got != in {
			t.Errorf("Clean(Text, %q) = %q, want it kept", in, got)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"secret=TopSecret", "secret=" + Redacted},
		{"client_secret = TopSecret", "client_secret = " + Redacted},
		{"AccountKey=abc+def/ghi==;EndpointSuffix=core.windows.net", "AccountKey=" + Redacted + ";EndpointSuffix=core.windows.net"},
		{"x-functions-key: abcdEFGH1234 ok", "x-functions-key: " + Redacted + " ok"},
		{`{'password': 'x y', 'user': 'u'}`, `{'password': '` + Redacted + `', 'user': 'u'}`},
		{"Pwd={a}}b};x=1", "Pwd={" + Redacted + "};x=1"},
		{"Password='it''s';x=1", "Password='" + Redacted + "';x=1"},
		{`&quot;password&quot;:&quot;Hunter2&quot;`, Redacted},
	} {
		if got := Clean(Text, tc.in).String(); got != tc.want {
			t.Errorf("Clean(Text, %q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestURLsInText: a URL in text keeps an allow-listed host and a path of
// harmless segments; another host redacts it.
func TestURLsInText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"see https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes now", "see https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes now"},
		{"see https://login.microsoftonline.com/common/oauth2/authorize?state=x&code=y now", "see https://login.microsoftonline.com/common/oauth2/authorize now"},
		{"call http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01 failed", "call http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01 failed"},
		{"audience 'api://AzureADTokenExchange'.", "audience 'api://AzureADTokenExchange'."},
		{"see https://attacker.contoso.net/x now", "see " + Redacted + " now"},
		{"see https://eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.login.microsoftonline.com/x now", "see " + Redacted + " now"},
		{"see https://graph.microsoft.com/v1.0/users/someone%40contoso.com now", "see https://graph.microsoft.com/v1.0/users/" + Redacted + " now"},
		{"redirect_uri=https%3A%2F%2Fattacker.contoso.net%2Fcb sent", Redacted + " sent"},
		{"resource=https%3A%2F%2Fmanagement.azure.com%2F sent", "resource=https%3A%2F%2Fmanagement.azure.com%2F sent"},
	} {
		if got := Clean(Text, tc.in).String(); got != tc.want {
			t.Errorf("Clean(Text, %q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestEmails: addresses and user principal names, guests' and
// percent-encoded ones included, are redacted from text and kept in a
// Name (https://learn.microsoft.com/en-us/entra/external-id/user-properties).
func TestEmails(t *testing.T) {
	for _, upn := range []string{"someone@contoso.com", "someone%40contoso.com", "john.doe_contoso.com#EXT#@fabrikam.onmicrosoft.com"} {
		if got := Clean(Text, "user "+upn+" denied").String(); got != "user "+Redacted+" denied" {
			t.Errorf("Clean(Text, %q) = %q", upn, got)
		}
		if got := Clean(Name, upn).String(); got != upn {
			t.Errorf("Clean(Name, %q) = %q, want it kept", upn, got)
		}
	}
	if got := Clean(Name, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0@contoso.com").String(); got != Redacted {
		t.Errorf("a token as a name's local part = %q", got)
	}
}
