package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
)

// The clients below are built the way generated SDK clients are (one span
// per operation with runtime.StartSpan, the client's pipeline,
// runtime.NewResponseError for failures), so the example needs only
// azcore and not the armresources, armstorage, azblob and azsecrets
// modules.

// The resources the scenarios touch. The denied storage account is the one
// the corpus case's message names.
const (
	subscriptionID    = "00000000-0000-0000-0000-00000000e4a1"
	deniedAccountPath = "/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourceGroups/aro-6hwuovvq/providers/Microsoft.Storage/storageAccounts/clusterixgbq"
	blobPath          = "/reports/2025/q3.csv"
	secretPath        = "/secrets/db-password"
	graphMePath       = "/v1.0/me"
	graphUsersPath    = "/v1.0/users"
)

// startServices starts the fake ARM, Storage, Key Vault and Graph, each
// answering with its corpus case.
func startServices() *fakeservice.Server {
	return fakeservice.Start(
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.ARMHost + "/subscriptions/{sub}/resourcegroups",
			Response: fakeservice.OK(`{"value":[{"id":"/subscriptions/` + subscriptionID + `/resourceGroups/rg-example","name":"rg-example","location":"westeurope"}]}`),
		},
		fakeservice.Route{
			Pattern:  "PUT " + fakeservice.ARMHost + deniedAccountPath,
			Response: fakeservice.Case("arm_403_authorization_failed"),
		},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.StorageHost + "/{container}/{blob...}",
			Response: fakeservice.Case("storage_403_authorization_permission_mismatch"),
		},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.KeyVaultHost + "/secrets/{name}",
			Response: fakeservice.Case("keyvault_403_forbidden_by_rbac"),
		},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.GraphHost + graphUsersPath,
			Response: fakeservice.Case("graph_403_authorization_request_denied"),
		},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.GraphHost + graphMePath,
			Response: fakeservice.Case("graph_401_cae_insufficient_claims_location"),
			Accept:   fakeservice.HasClaim("xms_cc"),
			Accepted: fakeservice.OK(`{"id":"` + ObjectID + `","displayName":"azauthtrace example"}`),
		},
	)
}

// armClient calls Azure Resource Manager through arm.Client's pipeline
// (ARM's bearer token policy, RP registration, retries).
type armClient struct{ c *arm.Client }

// ListResourceGroups lists the subscription's resource groups, one page,
// and returns their names.
func (a *armClient) ListResourceGroups(ctx context.Context, subscription string) (names []string, err error) {
	ctx, end := runtime.StartSpan(ctx, "ResourceGroupsClient.NewListPager", a.c.Tracer(), nil)
	defer func() { end(err) }()
	req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(a.c.Endpoint(), "/subscriptions/"+subscription+"/resourcegroups"))
	if err != nil {
		return nil, err
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", "2021-04-01")
	req.Raw().URL.RawQuery = q.Encode()
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := a.c.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	var page struct {
		Value []struct {
			Name string `json:"name"`
		} `json:"value"`
	}
	if err := runtime.UnmarshalAsJSON(resp, &page); err != nil {
		return nil, err
	}
	for _, v := range page.Value {
		names = append(names, v.Name)
	}
	return names, nil
}

// CreateStorageAccount sends the first request of a storage account
// creation (the PUT that starts the long-running operation).
func (a *armClient) CreateStorageAccount(ctx context.Context, path string) (err error) {
	ctx, end := runtime.StartSpan(ctx, "AccountsClient.BeginCreate", a.c.Tracer(), nil)
	defer func() { end(err) }()
	req, err := runtime.NewRequest(ctx, http.MethodPut, runtime.JoinPaths(a.c.Endpoint(), path))
	if err != nil {
		return err
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", "2023-05-01")
	req.Raw().URL.RawQuery = q.Encode()
	req.Raw().Header.Set("Accept", "application/json")
	body, _ := json.Marshal(map[string]any{"kind": "StorageV2", "location": "eastus", "sku": map[string]string{"name": "Standard_LRS"}})
	if err := req.SetBody(streaming.NopCloser(bytes.NewReader(body)), "application/json"); err != nil {
		return err
	}
	resp, err := a.c.Pipeline().Do(req)
	if err != nil {
		return err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusAccepted) {
		return runtime.NewResponseError(resp)
	}
	return nil
}

// dataClient calls a data-plane service (Storage, Key Vault, Graph) with a
// bearer token policy for the service's scope, which answers CAE claims
// challenges.
type dataClient struct {
	c        *azcore.Client
	endpoint string
}

func newDataClient(endpoint, scope, namespace string, cred azcore.TokenCredential, opts azcore.ClientOptions) (*dataClient, error) {
	bearer := runtime.NewBearerTokenPolicy(cred, []string{scope}, nil)
	c, err := azcore.NewClient("azauthtrace/example", "v"+azauthtrace.Version, runtime.PipelineOptions{
		PerRetry: []azpolicy.Policy{bearer},
		Tracing:  runtime.TracingOptions{Namespace: namespace},
	}, &opts)
	if err != nil {
		return nil, err
	}
	return &dataClient{c: c, endpoint: endpoint}, nil
}

// Get calls GET path in an operation span named op and returns the body.
func (d *dataClient) Get(ctx context.Context, op, path string, header http.Header) (body []byte, err error) {
	ctx, end := runtime.StartSpan(ctx, op, d.c.Tracer(), nil)
	defer func() { end(err) }()
	req, err := runtime.NewRequest(ctx, http.MethodGet, d.endpoint+path)
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Raw().Header.Add(k, v)
		}
	}
	resp, err := d.c.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
