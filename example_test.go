package azauthtrace_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/azauthtrace/azauthtrace"
)

func ExampleFromResponse() {
	u, _ := url.Parse("https://management.azure.com/subscriptions/0000/resourcegroups?api-version=2022-09-01")
	resp := &http.Response{
		StatusCode: http.StatusForbidden,
		Header:     http.Header{"X-Ms-Correlation-Request-Id": {"5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"}},
		Body: io.NopCloser(strings.NewReader(`{"error":{"code":"AuthorizationFailed","message":"The client ` +
			`'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' with object id 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' does not ` +
			`have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope ` +
			`'/subscriptions/0000' or the scope is invalid."}}`)),
		Request: &http.Request{Method: http.MethodGet, URL: u},
	}
	f, ok := azauthtrace.FromResponse(resp)
	fmt.Println(ok, f.Class, f.ErrorCode, f.Service)
	fmt.Println("denied:", f.PrincipalID, f.Action, f.Scope)
	fmt.Println("correlation:", f.CorrelationID)
	// Output:
	// true permission AuthorizationFailed Azure Resource Manager
	// denied: b9bc1545-a684-4e50-9a4d-2e2ee90bed6a Microsoft.Resources/subscriptions/resourcegroups/read /subscriptions/0000
	// correlation: 5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11
}

func ExampleFromError() {
	err := errors.New("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n" +
		"\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\n" +
		"\tAzureCLICredential: ERROR: Please run 'az login' to setup account.")
	f, _ := azauthtrace.FromError(err)
	fmt.Println(f.Class)
	for _, attempt := range f.Chain {
		fmt.Println(attempt.Credential, attempt.Class)
	}
	// Output:
	// credential_unavailable
	// EnvironmentCredential credential_unavailable
	// AzureCLICredential credential_unavailable
}
