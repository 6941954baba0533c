package credential_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Canaries: a secret given to every credential (client secret, federated
// token, managed identity header), the token every fake endpoint issues,
// and a claims value passed to GetToken. None may reach telemetry.
const (
	canarySecret = "canary-secret-7f3a"
	canaryToken  = "canary-token-2b9d.eyJjYW5hcnkiOnRydWV9.c2ln"
	canaryClaims = `{"access_token":{"nbf":{"essential":true,"value":"1700000000"},"xms_canary":{"value":"canary-claims-5d2b"}}}`
	testTenant   = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	testClient   = "00001111-aaaa-2222-bbbb-3333cccc4444"
)

// clearAzureEnv unsets fakeentra.AzureEnv for the rest of the test.
func clearAzureEnv(t *testing.T) {
	t.Helper()
	for _, k := range fakeentra.AzureEnv {
		t.Setenv(k, "")
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
}

// appServiceUnassigned is App Service's answer when the requested managed
// identity is not assigned to the app (corpus README, managed identity
// endpoint table).
var appServiceUnassigned = fakeentra.Response{
	Status: http.StatusBadRequest,
	Header: http.Header{"Server": {"Kestrel"}},
	Body:   `{"statusCode":400,"message":"Unable to load the proper Managed Identity.","correlationId":"5b9d0c3e-8f2a-4c71-9e44-1d2f3a4b5c6d"}`,
}

// expect is the telemetry a real credential's GetToken must produce.
type expect struct {
	span    string // span name
	class   string // "" on success
	errType string
	status  int
	aadsts  int
	errCode string
	corrID  string
	reqID   string
	tsg     string
	failed  string // the credential the failure came from
	// client and tenant are the IDs the failing token request showed.
	client, tenant string
	// chain lists "<credential>:<class>" per chain attempt event.
	chain []string
}

func fromCase(span string, c corpus.Case) expect {
	v := c.Expected.Values()
	return expect{span: span, class: v.Class, errType: "*azidentity.AuthenticationFailedError", status: c.Status(),
		aadsts: v.AADSTS, errCode: v.ErrorCode, corrID: v.CorrelationID, reqID: v.RequestID}
}

func (e expect) with(f func(*expect)) expect { f(&e); return e }

func TestAzidentityCredentials(t *testing.T) {
	armScopes := []string{armScope}
	withClaims := policy.TokenRequestOptions{Scopes: armScopes, EnableCAE: true, Claims: canaryClaims}

	secretCred := func(t *testing.T, r fakeentra.Response) azcore.TokenCredential {
		e := fakeentra.NewEntra(t, r)
		c, err := azidentity.NewClientSecretCredential(testTenant, testClient, canarySecret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions:            e.ClientOptions(),
			DisableInstanceDiscovery: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	workloadCred := func(t *testing.T, r fakeentra.Response) azcore.TokenCredential {
		e := fakeentra.NewEntra(t, r)
		file := filepath.Join(t.TempDir(), "token")
		if err := os.WriteFile(file, []byte(canarySecret), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientID:                 testClient,
			TenantID:                 testTenant,
			TokenFilePath:            file,
			ClientOptions:            e.ClientOptions(),
			DisableInstanceDiscovery: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	appServiceCred := func(t *testing.T, r fakeentra.Response) azcore.TokenCredential {
		fakeentra.NewAppService(t, canarySecret, r).Setenv(t)
		c, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
			ClientOptions: azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cliCred := func(t *testing.T) azcore.TokenCredential {
		c, err := azidentity.NewAzureCLICredential(nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	defaultCred := func(t *testing.T, selected string) azcore.TokenCredential {
		t.Setenv("AZURE_TOKEN_CREDENTIALS", selected)
		c, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	badSecret := corpus.MustGet("aadsts7000215_invalid_client_secret_v2")
	noFIC := corpus.MustGet("aadsts70021_no_matching_fic_401_invalid_client")
	const tsg = "https://aka.ms/azsdk/go/identity/troubleshoot"

	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) azcore.TokenCredential
		opts  policy.TokenRequestOptions
		want  expect
	}{
		{
			name:  "ClientSecretCredential/success",
			setup: func(t *testing.T) azcore.TokenCredential { return secretCred(t, fakeentra.Token(canaryToken)) },
			opts:  withClaims,
			want:  expect{span: "ClientSecretCredential.GetToken"},
		},
		{
			name:  "ClientSecretCredential/invalid secret",
			setup: func(t *testing.T) azcore.TokenCredential { return secretCred(t, fakeentra.Failure(badSecret)) },
			opts:  withClaims,
			want: fromCase("ClientSecretCredential.GetToken", badSecret).with(func(e *expect) {
				e.tsg, e.failed = tsg+"#client-secret", "ClientSecretCredential"
				e.client, e.tenant = testClient, testTenant
			}),
		},
		{
			name:  "WorkloadIdentityCredential/success",
			setup: func(t *testing.T) azcore.TokenCredential { return workloadCred(t, fakeentra.Token(canaryToken)) },
			opts:  withClaims,
			want:  expect{span: "WorkloadIdentityCredential.GetToken"},
		},
		{
			name:  "WorkloadIdentityCredential/no matching federated credential",
			setup: func(t *testing.T) azcore.TokenCredential { return workloadCred(t, fakeentra.Failure(noFIC)) },
			opts:  withClaims,
			want: fromCase("WorkloadIdentityCredential.GetToken", noFIC).with(func(e *expect) {
				e.tsg = tsg + "#workload"
				e.client, e.tenant = testClient, testTenant
			}),
		},
		{
			name:  "ManagedIdentityCredential/App Service success",
			setup: func(t *testing.T) azcore.TokenCredential { return appServiceCred(t, fakeentra.Token(canaryToken)) },
			opts:  policy.TokenRequestOptions{Scopes: []string{"https://canary-mi-success.example/.default"}, EnableCAE: true, Claims: canaryClaims},
			want:  expect{span: "ManagedIdentityCredential.GetToken"},
		},
		{
			name:  "ManagedIdentityCredential/App Service identity not assigned",
			setup: func(t *testing.T) azcore.TokenCredential { return appServiceCred(t, appServiceUnassigned) },
			opts:  policy.TokenRequestOptions{Scopes: []string{"https://canary-mi-failure.example/.default"}, Claims: canaryClaims},
			want: expect{
				span: "ManagedIdentityCredential.GetToken", class: "configuration", errType: "*azidentity.AuthenticationFailedError",
				status: 400, corrID: "5b9d0c3e-8f2a-4c71-9e44-1d2f3a4b5c6d", tsg: tsg + "#managed-id",
			},
		},
		{
			name: "AzureCLICredential/success",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.Token(canaryToken))
				return cliCred(t)
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes, EnableCAE: true},
			want: expect{span: "AzureCLICredential.GetToken"},
		},
		{
			name: "AzureCLICredential/not logged in",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.AzureCLINotLoggedIn)
				return cliCred(t)
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes},
			want: expect{span: "AzureCLICredential.GetToken", class: "credential_unavailable", errType: "*azidentity.AuthenticationFailedError", tsg: tsg + "#azure-cli"},
		},
		{
			name: "AzureCLICredential/missing",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.EmptyPath(t)
				return cliCred(t)
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes},
			want: expect{span: "AzureCLICredential.GetToken", class: "credential_unavailable", errType: "*azidentity.credentialUnavailableError", tsg: tsg + "#azure-cli"},
		},
		{
			name: "AzureCLICredential/claims",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.Token(canaryToken))
				return cliCred(t)
			},
			opts: withClaims,
			want: expect{span: "AzureCLICredential.GetToken", class: "credential_unavailable", errType: "*errors.errorString"},
		},
		{
			name: "AzureCLICredential/short claims",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.Token(canaryToken))
				return cliCred(t)
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes, Claims: `{"c":"k9"}`},
			want: expect{span: "AzureCLICredential.GetToken", class: "credential_unavailable", errType: "*errors.errorString"},
		},
		{
			name: "EnvironmentCredential/missing tenant",
			setup: func(t *testing.T) azcore.TokenCredential {
				t.Setenv("AZURE_CLIENT_ID", testClient)
				t.Setenv("AZURE_CLIENT_SECRET", canarySecret)
				return defaultCred(t, "EnvironmentCredential")
			},
			opts: withClaims,
			want: expect{
				span: "DefaultAzureCredential.GetToken", class: "credential_unavailable", errType: "*azidentity.credentialUnavailableError",
				chain: []string{"EnvironmentCredential:credential_unavailable"},
			},
		},
		{
			name: "EnvironmentCredential/incomplete",
			setup: func(t *testing.T) azcore.TokenCredential {
				t.Setenv("AZURE_TENANT_ID", testTenant)
				t.Setenv("AZURE_CLIENT_ID", testClient)
				return defaultCred(t, "EnvironmentCredential")
			},
			opts: withClaims,
			want: expect{
				span: "DefaultAzureCredential.GetToken", class: "credential_unavailable", errType: "*azidentity.credentialUnavailableError",
				chain: []string{"EnvironmentCredential:credential_unavailable"},
			},
		},
		{
			name: "DefaultAzureCredential/prod stops at managed identity",
			setup: func(t *testing.T) azcore.TokenCredential {
				t.Setenv("AZURE_CLIENT_SECRET", canarySecret)
				fakeentra.NewAppService(t, canarySecret, appServiceUnassigned).Setenv(t)
				return defaultCred(t, "prod")
			},
			opts: policy.TokenRequestOptions{Scopes: []string{"https://canary-dac-prod.example/.default"}, Claims: canaryClaims},
			want: expect{
				span: "DefaultAzureCredential.GetToken", class: "configuration", errType: "*azidentity.AuthenticationFailedError",
				status: 400, corrID: "5b9d0c3e-8f2a-4c71-9e44-1d2f3a4b5c6d", tsg: tsg + "#managed-id", failed: "ManagedIdentityCredential",
				chain: []string{
					"EnvironmentCredential:credential_unavailable",
					"WorkloadIdentityCredential:credential_unavailable",
					"ManagedIdentityCredential:configuration",
				},
			},
		},
		{
			name: "DefaultAzureCredential/dev nothing logged in",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.AzureCLINotLoggedIn)
				return defaultCred(t, "dev")
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes, EnableCAE: true},
			want: expect{
				span: "DefaultAzureCredential.GetToken", class: "credential_unavailable", errType: "*azidentity.credentialUnavailableError",
				chain: []string{
					"AzureCLICredential:credential_unavailable",
					"AzureDeveloperCLICredential:credential_unavailable",
					"AzurePowerShellCredential:credential_unavailable",
				},
			},
		},
		{
			name: "DefaultAzureCredential/dev through the CLI",
			setup: func(t *testing.T) azcore.TokenCredential {
				fakeentra.AzureCLI(t, fakeentra.Token(canaryToken))
				return defaultCred(t, "dev")
			},
			opts: policy.TokenRequestOptions{Scopes: armScopes, EnableCAE: true},
			want: expect{span: "DefaultAzureCredential.GetToken"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearAzureEnv(t)
			tel := newTelemetry(t)
			cred := tel.wrap(tc.setup(t))
			tk, err := cred.GetToken(t.Context(), tc.opts)
			checkRealCredential(t, tel, tc.opts, tc.want, tk, err)
			secrets := []string{canarySecret, canaryToken, "canary-claims-5d2b"}
			if c := tc.opts.Claims; c != "" {
				secrets = append(secrets, c,
					base64.RawStdEncoding.EncodeToString([]byte(c)),
					base64.RawURLEncoding.EncodeToString([]byte(c)))
			}
			tel.AssertNoneOf(t, secrets...)
		})
	}
}

func checkRealCredential(t *testing.T, tel *telemetry, opts policy.TokenRequestOptions, want expect, tk azcore.AccessToken, err error) {
	t.Helper()
	span := tel.onlySpan(t)
	if span.Name() != want.span {
		t.Errorf("span name %q, want %q", span.Name(), want.span)
	}
	m := oteltest.Attrs(span.Attributes())
	wantAttr(t, m, otelx.CredentialTypeKey, strings.TrimSuffix(want.span, ".GetToken"))
	wantAttr(t, m, otelx.TokenScopesKey, strings.Join(opts.Scopes, " "))
	wantAttr(t, m, otelx.TokenCAEKey, opts.EnableCAE)
	wantAttr(t, m, otelx.TokenClaimsKey, opts.Claims != "")
	outcomes := tel.outcomes(t)
	credType := strings.TrimSuffix(want.span, ".GetToken")

	if want.class == "" {
		if err != nil {
			t.Fatalf("GetToken: %v", err)
		}
		if tk.Token != canaryToken || time.Until(tk.ExpiresOn) < 30*time.Minute {
			t.Errorf("token %q expiring %v", tk.Token, tk.ExpiresOn)
		}
		if span.Status().Code == codes.Error {
			t.Errorf("status %v", span.Status())
		}
		wantAttr(t, m, otelx.TokenExpiresOnKey, tk.ExpiresOn.UTC().Format(time.RFC3339))
		noAttr(t, m, otelx.ErrorTypeKey, otelx.ClassKey)
		if outcomes[credType+"/success"] != 1 {
			t.Errorf("outcomes %v, want one success", outcomes)
		}
		return
	}

	if err == nil {
		t.Fatal("GetToken succeeded")
	}
	if got := reflect.TypeOf(err).String(); got != want.errType {
		t.Errorf("error type %s, want %s: the decorator must return the credential's own error", got, want.errType)
	}
	if want.errType == "*azidentity.AuthenticationFailedError" {
		var afe *azidentity.AuthenticationFailedError
		if !errors.As(err, &afe) {
			t.Error("errors.As does not find the AuthenticationFailedError")
		}
	}
	if span.Status().Code != codes.Error {
		t.Errorf("status %v, want error", span.Status())
	}
	if d := span.Status().Description; d == "" || strings.Contains(d, "\n") || len(d) > 300 {
		t.Errorf("status description %q is not short and sanitized", d)
	}
	wantAttr(t, m, otelx.ErrorTypeKey, want.errType)
	wantAttr(t, m, otelx.ClassKey, want.class)
	if _, ok := m[otelx.MitigationKey]; !ok {
		t.Error("no mitigation")
	}
	for k, v := range map[attribute.Key]any{
		otelx.HTTPStatusCodeKey:     want.status,
		otelx.AADSTSKey:             want.aadsts,
		otelx.ErrorCodeKey:          want.errCode,
		otelx.CorrelationIDKey:      want.corrID,
		otelx.ServiceRequestIDKey:   want.reqID,
		otelx.TroubleshootingURLKey: want.tsg,
		otelx.FailedCredentialKey:   want.failed,
		otelx.CredentialClientIDKey: want.client,
		otelx.CredentialTenantIDKey: want.tenant,
	} {
		if v != 0 && v != "" {
			wantAttr(t, m, k, v)
		}
	}
	if want.status == 0 {
		noAttr(t, m, otelx.HTTPStatusCodeKey)
	}
	var chain []string
	for _, e := range span.Events() {
		if e.Name != otelx.ChainAttemptEvent {
			t.Errorf("unexpected event %q", e.Name)
			continue
		}
		em := oteltest.Attrs(e.Attributes)
		chain = append(chain, em[otelx.CredentialTypeKey].AsString()+":"+em[otelx.ClassKey].AsString())
		if em[otelx.DescriptionKey].AsString() == "" {
			t.Errorf("chain event without a description: %v", e.Attributes)
		}
	}
	if strings.Join(chain, " ") != strings.Join(want.chain, " ") {
		t.Errorf("chain events %v, want %v", chain, want.chain)
	}
	if outcomes[credType+"/"+want.class] != 1 {
		t.Errorf("outcomes %v, want one %s", outcomes, want.class)
	}
}
