package azauthtrace_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
)

const replayTenant = "aaaabbbb-0000-cccc-1111-dddd2222eeee"

// TestFromErrorReplaysAzidentity serves every corpus token endpoint failure
// from a local Entra ID to a real ClientSecretCredential, and diagnoses the
// error azidentity returns: as it is, wrapped, and reduced to its text.
func TestFromErrorReplaysAzidentity(t *testing.T) {
	n := 0
	for _, c := range corpusCases(t) {
		if c.Kind != corpus.KindTokenEndpoint || c.HTTPStatus == nil || strings.Contains(c.RequestURL, "openid-configuration") {
			continue
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			entra := fakeentra.NewEntra(t, fakeentra.Failure(c))
			opts := &azidentity.ClientSecretCredentialOptions{ClientOptions: entra.ClientOptions(), DisableInstanceDiscovery: true}
			opts.Retry.MaxRetries = -1
			cred, err := azidentity.NewClientSecretCredential(replayTenant, "11111111-2222-3333-4444-555555555555", "replay-secret", opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
			var afe *azidentity.AuthenticationFailedError
			if !errors.As(err, &afe) {
				t.Fatalf("GetToken error = %v, want an AuthenticationFailedError", err)
			}
			w := wantOf(c.Expected)
			for view, e := range map[string]error{
				"error":   err,
				"wrapped": fmt.Errorf("listing resource groups: %w", err),
				"text":    errors.New(err.Error()),
			} {
				f, ok := azauthtrace.FromError(e)
				check(t, view, f, ok, w)
				if f.Credential != "ClientSecretCredential" {
					t.Errorf("%s: Credential = %q, want ClientSecretCredential", view, f.Credential)
				}
				if f.Source != azauthtrace.SourceIdentityProvider || f.StatusCode != c.Status() {
					t.Errorf("%s: Source, StatusCode = %q, %d; want identity_provider, %d", view, f.Source, f.StatusCode, c.Status())
				}
				if !strings.HasSuffix(f.TroubleshootingURL, "#client-secret") {
					t.Errorf("%s: TroubleshootingURL = %q, want the client-secret section", view, f.TroubleshootingURL)
				}
				if strings.Contains(fmt.Sprintf("%+v", f), "replay-secret") {
					t.Errorf("%s: the secret reached the Failure", view)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no token endpoint cases")
	}
}
