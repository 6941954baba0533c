package scenario

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
)

// fromCase returns the expectation of a corpus case's failure, met by
// the credential type cred.
func fromCase(name, cred string) Expectation {
	c := corpus.MustGet(name)
	v := c.Expected.Values()
	return Expectation{Class: azauthtrace.Class(v.Class), Credential: cred, StatusCode: c.Status(),
		AADSTS: v.AADSTS, ErrorCode: v.ErrorCode, CorrelationID: v.CorrelationID}
}

func (e Expectation) with(f func(*Expectation)) Expectation { f(&e); return e }

// appServiceUnassigned is App Service's answer when the managed identity
// a client asks for is not assigned to the app (corpus README, managed
// identity endpoint table).
var appServiceUnassigned = fakeentra.Response{
	Status: http.StatusBadRequest,
	Header: http.Header{"Server": {"Kestrel"}},
	Body:   `{"statusCode":400,"message":"Unable to load the proper Managed Identity.","correlationId":"5b9d0c3e-8f2a-4c71-9e44-1d2f3a4b5c6d"}`,
}

// userAssignedClientID is the client ID of the user-assigned managed
// identity the managed identity scenario asks for.
const userAssignedClientID = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"

// tokenIssuing is what the fake Entra ID answers in the scenarios where
// authentication works: a token for the scenarios' principal, and one
// with the claims a challenge asked for.
var tokenIssuing = fakeentra.Response{Token: AccessToken(false), ChallengeToken: AccessToken(true)}

// secretCredential returns a ClientSecretCredential against a fake Entra
// ID answering resp.
func secretCredential(p *play, resp fakeentra.Response) (azcore.TokenCredential, error) {
	e := p.entra(resp)
	return azidentity.NewClientSecretCredential(TenantID, ClientID, Secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            e.ClientOptions(),
		DisableInstanceDiscovery: true,
	})
}

// listResourceGroups lists the resource groups of the scenarios'
// subscription with cred: the call through which a token failure
// surfaces, as it does in a program.
func listResourceGroups(p *play, cred azcore.TokenCredential, err error) error {
	if err != nil {
		return err
	}
	c, err := p.arm(cred)
	if err != nil {
		return err
	}
	_, err = c.ListResourceGroups(p.ctx, subscriptionID)
	return err
}

// secretScenario is a ClientSecretCredential meeting the corpus case's
// failure at the token endpoint.
func secretScenario(name, title, caseName string) Scenario {
	return Scenario{
		Name: name, Title: title,
		Expect: fromCase(caseName, "ClientSecretCredential"),
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, fakeentra.Failure(corpus.MustGet(caseName)))
			return listResourceGroups(p, cred, err)
		},
	}
}

var (
	clientSecretInvalid = secretScenario("client-secret-invalid", "Invalid client secret", "aadsts7000215_invalid_client_secret_v2")
	clientSecretExpired = secretScenario("client-secret-expired", "Expired client secret", "aadsts7000222_expired_client_secret")
	appNotFound         = secretScenario("app-not-found", "Application not found in the tenant", "aadsts700016_app_not_found_in_tenant_workload_identity")

	certificateInvalidSignature = Scenario{
		Name: "certificate-invalid-signature", Title: "Client assertion signed with a certificate the app does not know",
		Expect: fromCase("aadsts700027_invalid_client_assertion_signature", "ClientCertificateCredential"),
		play: func(_ *Runner, p *play) error {
			cert, key, err := selfSignedCertificate()
			if err != nil {
				return err
			}
			e := p.entra(fakeentra.Failure(corpus.MustGet("aadsts700027_invalid_client_assertion_signature")))
			cred, err := azidentity.NewClientCertificateCredential(TenantID, ClientID, []*x509.Certificate{cert}, key, &azidentity.ClientCertificateCredentialOptions{
				ClientOptions:            e.ClientOptions(),
				DisableInstanceDiscovery: true,
			})
			return listResourceGroups(p, cred, err)
		},
	}

	usernamePasswordInvalid = Scenario{
		Name: "username-password-invalid", Title: "Invalid username or password",
		Expect: fromCase("aadsts50126_invalid_username_password", "UsernamePasswordCredential"),
		play: func(_ *Runner, p *play) error {
			e := p.entra(fakeentra.Failure(corpus.MustGet("aadsts50126_invalid_username_password")))
			// UsernamePasswordCredential is deprecated (it cannot do MFA),
			// and the troubleshooting guide still covers it.
			cred, err := azidentity.NewUsernamePasswordCredential(TenantID, ClientID, "ana@contoso.onmicrosoft.com", Secret, &azidentity.UsernamePasswordCredentialOptions{
				ClientOptions:            e.ClientOptions(),
				DisableInstanceDiscovery: true,
			})
			return listResourceGroups(p, cred, err)
		},
	}

	workloadIdentityNoFIC = Scenario{
		Name: "workload-identity-no-federated-credential", Title: "Workload identity without a matching federated credential",
		Expect: fromCase("aadsts70021_no_matching_fic_401_invalid_client", "WorkloadIdentityCredential"),
		play: func(_ *Runner, p *play) error {
			dir, err := p.tempDir()
			if err != nil {
				return err
			}
			file := filepath.Join(dir, "azure-identity-token")
			if err := os.WriteFile(file, []byte(Secret), 0o600); err != nil {
				return err
			}
			e := p.entra(fakeentra.Failure(corpus.MustGet("aadsts70021_no_matching_fic_401_invalid_client")))
			cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
				ClientID:                 ClientID,
				TenantID:                 TenantID,
				TokenFilePath:            file,
				ClientOptions:            e.ClientOptions(),
				DisableInstanceDiscovery: true,
			})
			return listResourceGroups(p, cred, err)
		},
	}

	managedIdentityNotAssigned = Scenario{
		Name: "managed-identity-not-assigned", Title: "User-assigned managed identity not assigned to the App Service app",
		Expect: Expectation{
			Class: azauthtrace.ClassConfiguration, Credential: "ManagedIdentityCredential",
			CorrelationID: "5b9d0c3e-8f2a-4c71-9e44-1d2f3a4b5c6d", StatusCode: http.StatusBadRequest,
		},
		play: func(_ *Runner, p *play) error {
			a := fakeentra.StartAppService(Secret, appServiceUnassigned)
			p.defer_(a.Close)
			if err := p.setenv(a.Env()); err != nil {
				return err
			}
			cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
				ID: azidentity.ClientID(userAssignedClientID),
			})
			return listResourceGroups(p, cred, err)
		},
	}

	cliNotInstalled = Scenario{
		Name: "cli-not-installed", Title: "Azure CLI not installed",
		Expect: Expectation{Class: azauthtrace.ClassCredentialUnavailable, Credential: "AzureCLICredential"},
		play: func(_ *Runner, p *play) error {
			if err := p.emptyPath(); err != nil {
				return err
			}
			cred, err := azidentity.NewAzureCLICredential(nil)
			return listResourceGroups(p, cred, err)
		},
	}

	cliNotLoggedIn = Scenario{
		Name: "cli-not-logged-in", Title: "Azure CLI installed but not logged in",
		Expect: Expectation{Class: azauthtrace.ClassCredentialUnavailable, Credential: "AzureCLICredential"},
		play: func(_ *Runner, p *play) error {
			if err := p.fakeAzureCLI(fakeentra.AzureCLINotLoggedIn); err != nil {
				return err
			}
			cred, err := azidentity.NewAzureCLICredential(nil)
			return listResourceGroups(p, cred, err)
		},
	}

	defaultCredentialChain = Scenario{
		Name: "default-credential-chain", Title: "DefaultAzureCredential finds no signed-in developer tool",
		Expect: Expectation{Class: azauthtrace.ClassCredentialUnavailable, Credential: "DefaultAzureCredential"},
		play: func(_ *Runner, p *play) error {
			// AZURE_TOKEN_CREDENTIALS=dev keeps the chain to the developer
			// tools: the managed identity source would probe IMDS, at
			// 169.254.169.254, off this machine.
			if err := p.fakeAzureCLI(fakeentra.AzureCLINotLoggedIn); err != nil {
				return err
			}
			if err := p.setenv(map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev"}); err != nil {
				return err
			}
			cred, err := azidentity.NewDefaultAzureCredential(nil)
			return listResourceGroups(p, cred, err)
		},
	}

	armAuthorizationFailed = Scenario{
		Name: "arm-authorization-failed", Title: "No role assignment to create a storage account (ARM 403)",
		Expect: fromCase("arm_403_authorization_failed", "ClientSecretCredential").with(func(e *Expectation) {
			// ARM names the principal the token is for, as it does.
			e.PrincipalID = ObjectID
			// Microsoft Learn: Storage Account Contributor manages storage
			// accounts (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-account-contributor).
			e.Grant = "Storage Account Contributor"
		}),
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			if err != nil {
				return err
			}
			c, err := p.arm(cred)
			if err != nil {
				return err
			}
			return c.CreateStorageAccount(p.ctx, deniedAccountPath)
		},
	}

	storagePermissionMismatch = Scenario{
		Name: "storage-permission-mismatch", Title: "Blob read without a Storage Blob Data role",
		Expect: fromCase("storage_403_authorization_permission_mismatch", "ClientSecretCredential").with(func(e *Expectation) {
			e.PrincipalID = ObjectID
			// Microsoft Learn's least-privileged role to read blobs
			// (https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory).
			e.Grant = "Storage Blob Data Reader"
		}),
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			if err != nil {
				return err
			}
			c, err := p.data("https://"+fakeservice.StorageHost, "https://storage.azure.com/.default", "Microsoft.Storage", cred)
			if err != nil {
				return err
			}
			_, err = c.Get(p.ctx, "BlobClient.DownloadStream", blobPath, http.Header{"x-ms-version": {"2025-07-05"}})
			return err
		},
	}

	keyVaultForbiddenByRBAC = Scenario{
		Name: "keyvault-forbidden-by-rbac", Title: "Secret read without a Key Vault data role",
		Expect: fromCase("keyvault_403_forbidden_by_rbac", "ClientSecretCredential").with(func(e *Expectation) {
			// The Caller line of Key Vault's message names the principal,
			// but the corpus case's reporter masked it: no object ID.
			e.PrincipalID = ObjectID
			// Microsoft Learn: Key Vault Secrets User reads secret contents
			// (https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
			e.Grant = "Key Vault Secrets User"
		}),
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			if err != nil {
				return err
			}
			c, err := p.data("https://"+fakeservice.KeyVaultHost, "https://vault.azure.net/.default", "Microsoft.KeyVault", cred)
			if err != nil {
				return err
			}
			_, err = c.Get(p.ctx, "Client.GetSecret", secretPath+"?api-version=7.5", nil)
			return err
		},
	}

	graphInsufficientPrivileges = Scenario{
		Name: "graph-insufficient-privileges", Title: "Users listed by an application without a Graph permission",
		// An app-only token (the fakes' token is an application's) needs
		// an Application permission with admin consent: Microsoft Learn's
		// least privileged for listing users is User.Read.All
		// (https://learn.microsoft.com/graph/api/user-list).
		Expect: fromCase("graph_403_authorization_request_denied", "ClientSecretCredential").with(func(e *Expectation) {
			e.PrincipalID = ObjectID
			e.Grant = "User.Read.All"
		}),
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			if err != nil {
				return err
			}
			c, err := p.data("https://"+fakeservice.GraphHost, "https://graph.microsoft.com/.default", "Microsoft.Graph", cred)
			if err != nil {
				return err
			}
			_, err = c.Get(p.ctx, "UsersClient.Get", graphUsersPath, nil)
			return err
		},
	}

	caeClaimsChallenge = Scenario{
		Name: "cae-claims-challenge", Title: "Continuous Access Evaluation claims challenge, answered",
		// The bearer token policy answers the challenge with a token for
		// its claims, and Graph accepts it: a success, with a challenge on
		// the way, and no failure.
		Expect: Expectation{Credential: "ClientSecretCredential", StatusCode: http.StatusOK, Challenge: "claims"},
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			if err != nil {
				return err
			}
			c, err := p.data("https://"+fakeservice.GraphHost, "https://graph.microsoft.com/.default", "Microsoft.Graph", cred)
			if err != nil {
				return err
			}
			_, err = c.Get(p.ctx, "MeClient.Get", graphMePath, nil)
			return err
		},
	}

	success = Scenario{
		Name: "success", Title: "Resource groups listed",
		Expect: Expectation{Credential: "ClientSecretCredential", StatusCode: http.StatusOK},
		play: func(_ *Runner, p *play) error {
			cred, err := secretCredential(p, tokenIssuing)
			return listResourceGroups(p, cred, err)
		},
	}
)

// emptyPath makes PATH a new empty directory until the scenario ends, so
// that no developer tool (az, azd, pwsh) is found.
func (p *play) emptyPath() error {
	dir, err := p.tempDir()
	if err != nil {
		return err
	}
	return p.setenv(map[string]string{"PATH": dir})
}

// fakeAzureCLI makes PATH a new directory holding only a fake az that
// answers resp, until the scenario ends.
func (p *play) fakeAzureCLI(resp fakeentra.Response) error {
	dir, err := p.tempDir()
	if err != nil {
		return err
	}
	if err := fakeentra.WriteAzureCLI(dir, resp); err != nil {
		return err
	}
	return p.setenv(map[string]string{"PATH": dir})
}

// selfSignedCertificate returns a new certificate and its key, as an app
// registration's certificate credential that Entra ID does not know.
func selfSignedCertificate() (*x509.Certificate, crypto.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "azauthtrace-example"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, errors.Join(errors.New("scenario: parse the new certificate"), err)
	}
	return cert, key, nil
}
