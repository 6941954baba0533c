package safe

import (
	"strings"
	"testing"
)

// TestCommand checks the Command kind: a command built of names, GUIDs
// and resource IDs is kept whole; one with a secret's shape anywhere in
// it, a control character or a value the request carried is dropped.
func TestCommand(t *testing.T) {
	const assign = `az role assignment create --assignee-object-id 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' --assignee-principal-type ServicePrincipal --role '4633458b-17de-408a-b874-0445c86b69e6' --scope "$(az keyvault show --name 'myvault' --query id -o tsv)"`
	sc := Scrubber{}.With("hunter2-canary-value")
	for _, tc := range []struct {
		in   string
		keep bool
	}{
		{assign, true},
		{`az ad app permission add --id 00001111-aaaa-2222-bbbb-3333cccc4444 --api 00000003-0000-0000-c000-000000000000 --api-permissions df021288-bdef-4463-88db-98f22de89214=Role && az ad app permission admin-consent --id 00001111-aaaa-2222-bbbb-3333cccc4444`, true},
		{strings.Replace(assign, "myvault", "eyJhbGciOiJSUzI1NiJ9", 1), false},
		{strings.Replace(assign, "myvault", "8kQ3xZ9mLp2VwR7tYb4NcJ6hFd1sGa5eUq0iKo3X", 1), false},
		{strings.Replace(assign, "myvault", "hunter2-canary-value", 1), false},
		{strings.Replace(assign, "myvault", "my\nvault", 1), false},
		{strings.Replace(assign, "myvault", "mÿvault", 1), false},
		{strings.Repeat("az ", 400), false},
		{strings.Replace(assign, "myvault", "x?sig=c2lnbmF0dXJl", 1), false},
		{strings.Replace(assign, "myvault", "Password=correct horse", 1), false},
		{strings.Replace(assign, "myvault", "Bearer abc.def", 1), false},
		{strings.Replace(assign, "myvault", "0123456789abcdef0123456789abcdef", 1), false},
		{strings.Replace(assign, "myvault", "jq4kztvmwx7nrhpfy2dlocbsg5zqxjaeiuqvwtz3krmnpx6dflhy", 1), false},
	} {
		got := sc.Clean(Command, tc.in).String()
		if tc.keep && got != tc.in || !tc.keep && got != "" {
			t.Errorf("Clean(Command, %q) = %q; want it %s", tc.in, got, map[bool]string{true: "kept", false: "dropped"}[tc.keep])
		}
	}
}

// TestParameterBeforeScheme checks a secret parameter whose value is a
// scheme and its credential, or another parameter: both go, as the fuzz
// target found they must.
func TestParameterBeforeScheme(t *testing.T) {
	for _, in := range []string{
		"sig= Bearer canaryTokenValue 0000",
		"sig= Authorization:Basic canaryTokenValue 0000",
		"sig= Password='canaryTokenValue staple' 0000",
	} {
		if got := Clean(Text, in).String(); strings.Contains(got, "canaryTokenValue") {
			t.Errorf("Clean(Text, %q) = %q", in, got)
		}
	}
}
