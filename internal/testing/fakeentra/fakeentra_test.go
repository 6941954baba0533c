package fakeentra_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
)

const tenant = "aaaabbbb-0000-cccc-1111-dddd2222eeee"

var scopes = policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}}

func TestEntraIssuesToken(t *testing.T) {
	e := fakeentra.NewEntra(t, fakeentra.Response{Token: "tok-1", ExpiresIn: 2 * time.Hour})
	cred, err := azidentity.NewClientSecretCredential(tenant, "client", "secret", &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            e.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := cred.GetToken(t.Context(), scopes)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Token != "tok-1" {
		t.Errorf("token = %q", tk.Token)
	}
	if d := time.Until(tk.ExpiresOn); d < time.Hour || d > 2*time.Hour {
		t.Errorf("expires in %v, want about 2h", d)
	}
	if n := e.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestEntraFailure(t *testing.T) {
	c := corpus.MustGet("aadsts7000215_invalid_client_secret_v2")
	e := fakeentra.NewEntra(t, fakeentra.Failure(c))
	cred, err := azidentity.NewClientSecretCredential(tenant, "client", "secret", &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            e.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(t.Context(), scopes)
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil {
		t.Fatalf("err = %v, want an AuthenticationFailedError with a response", err)
	}
	if afe.RawResponse.StatusCode != c.Status() {
		t.Errorf("status = %d, want %d", afe.RawResponse.StatusCode, c.Status())
	}
	if !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Errorf("error does not carry the body: %v", err)
	}
}

func TestAppService(t *testing.T) {
	a := fakeentra.NewAppService(t, "identity-header", fakeentra.Token("mi-token"))
	a.Setenv(t)
	cred, err := azidentity.NewManagedIdentityCredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://fakeentra-appservice.example/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Token != "mi-token" || time.Until(tk.ExpiresOn) < 50*time.Minute {
		t.Errorf("token = %q expiring %v", tk.Token, tk.ExpiresOn)
	}

	a.SetResponse(fakeentra.Response{Status: http.StatusBadRequest, Body: `{"statusCode":400,"message":"Unable to load the proper Managed Identity."}`})
	_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://fakeentra-appservice-2.example/.default"}})
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != http.StatusBadRequest {
		t.Fatalf("err = %v, want an AuthenticationFailedError with a 400 response", err)
	}
}

func TestAzureCLI(t *testing.T) {
	for _, tc := range []struct {
		name    string
		install func(t *testing.T)
		token   string
		errText string
	}{
		{"logged in", func(t *testing.T) { fakeentra.AzureCLI(t, fakeentra.Token("cli-token")) }, "cli-token", ""},
		{"not logged in", func(t *testing.T) { fakeentra.AzureCLI(t, fakeentra.AzureCLINotLoggedIn) }, "", "Please run 'az login'"},
		{"missing", func(t *testing.T) { fakeentra.EmptyPath(t) }, "", "executable not found on path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.install(t)
			cred, err := azidentity.NewAzureCLICredential(nil)
			if err != nil {
				t.Fatal(err)
			}
			tk, err := cred.GetToken(t.Context(), scopes)
			if tc.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("err = %v, want %q", err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tk.Token != tc.token || time.Until(tk.ExpiresOn) < 50*time.Minute {
				t.Errorf("token = %q expiring %v", tk.Token, tk.ExpiresOn)
			}
		})
	}
}

func TestEntraUsernamePassword(t *testing.T) {
	c := corpus.MustGet("aadsts50126_invalid_username_password")
	e := fakeentra.NewEntra(t, fakeentra.Token("user-token"))
	// UsernamePasswordCredential is deprecated, and the troubleshooting
	// guide still covers it. The fake answers the user realm discovery
	// that precedes its token request.
	cred, err := azidentity.NewUsernamePasswordCredential(tenant, "client", "user@contoso.com", "password", &azidentity.UsernamePasswordCredentialOptions{
		ClientOptions:            e.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := cred.GetToken(t.Context(), scopes)
	if err != nil || tk.Token != "user-token" {
		t.Fatalf("token %q, err %v", tk.Token, err)
	}
	e.SetResponse(fakeentra.Failure(c))
	_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://fakeentra-user.example/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS50126") {
		t.Fatalf("err = %v, want AADSTS50126", err)
	}
}

func TestEntraChallengeToken(t *testing.T) {
	e := fakeentra.StartEntra(fakeentra.Response{Token: "plain", ChallengeToken: "for-claims"})
	defer e.Close()
	cred, err := azidentity.NewClientSecretCredential(tenant, "client", "secret", &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            e.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts policy.TokenRequestOptions
		want string
	}{
		{policy.TokenRequestOptions{Scopes: scopes.Scopes}, "plain"},
		{policy.TokenRequestOptions{Scopes: scopes.Scopes, EnableCAE: true}, "plain"},
		{policy.TokenRequestOptions{Scopes: scopes.Scopes, EnableCAE: true, Claims: `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`}, "for-claims"},
	} {
		tk, err := cred.GetToken(t.Context(), tc.opts)
		if err != nil || tk.Token != tc.want {
			t.Errorf("%+v: token %q, err %v; want %q", tc.opts, tk.Token, err, tc.want)
		}
	}
}

func TestWriteAzureCLI(t *testing.T) {
	dir := t.TempDir()
	if err := fakeentra.WriteAzureCLI(dir, fakeentra.AzureCLINotLoggedIn); err != nil {
		if errors.Is(err, fakeentra.ErrNoShell) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	cred, err := azidentity.NewAzureCLICredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cred.GetToken(t.Context(), scopes); err == nil || !strings.Contains(err.Error(), "az login") {
		t.Fatalf("err = %v, want the not-logged-in message", err)
	}
}

func TestStartAppServiceEnv(t *testing.T) {
	a := fakeentra.StartAppService("h", fakeentra.Token("t"))
	defer a.Close()
	env := a.Env()
	if env["IDENTITY_ENDPOINT"] != a.Endpoint() || env["IDENTITY_HEADER"] != "h" || env["MSI_ENDPOINT"] != "" {
		t.Errorf("Env() = %v", env)
	}
}
