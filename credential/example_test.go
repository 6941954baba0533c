package credential_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// ExampleNew wraps the credential an application passes to its Azure SDK
// clients. Here the client is a bare azcore pipeline.
func ExampleNew() {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		panic(err)
	}
	traced := credential.New(cred, nil) // global tracer and meter providers

	pl := runtime.NewPipeline("example", "v1.0.0", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(traced, []string{"https://management.azure.com/.default"}, nil)},
	}, nil)
	req, err := runtime.NewRequest(context.Background(), http.MethodGet, "https://management.azure.com/subscriptions?api-version=2022-12-01")
	if err != nil {
		panic(err)
	}
	if _, err := pl.Do(req); err != nil {
		fmt.Println(err)
	}
}

// unavailableSource is a chain source that cannot authenticate here.
type unavailableSource struct{ message string }

func (u unavailableSource) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, azidentity.NewCredentialUnavailableError(u.message)
}

// Wrapping a credential chain records one event per source it tried.
func ExampleNew_chain() {
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))

	chain, err := azidentity.NewChainedTokenCredential([]azcore.TokenCredential{
		unavailableSource{"EnvironmentCredential: missing environment variable AZURE_TENANT_ID"},
		unavailableSource{"AzureCLICredential: executable not found on path"},
	}, nil)
	if err != nil {
		panic(err)
	}
	cred := credential.New(chain, &credential.Options{
		TracerProvider: tp,
		MeterProvider:  metricnoop.NewMeterProvider(),
	})
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{
		Scopes: []string{"https://management.azure.com/.default"},
	})
	fmt.Println("error returned:", err != nil)

	span := recorder.Ended()[0]
	fmt.Println(span.Name(), span.Status().Code)
	for _, kv := range span.Attributes() {
		if kv.Key == otelx.ClassKey || kv.Key == otelx.ErrorTypeKey {
			fmt.Printf("  %s=%s\n", kv.Key, kv.Value.Emit())
		}
	}
	for _, e := range span.Events() {
		fmt.Print("  event ", e.Name)
		for _, kv := range e.Attributes {
			if kv.Key == otelx.CredentialTypeKey || kv.Key == otelx.ClassKey {
				fmt.Printf(" %s=%s", kv.Key, kv.Value.Emit())
			}
		}
		fmt.Println()
	}
	// Output:
	// error returned: true
	// ChainedTokenCredential.GetToken Error
	//   error.type=*azidentity.credentialUnavailableError
	//   azauth.class=credential_unavailable
	//   event azauth.chain.attempt azauth.credential.type=EnvironmentCredential azauth.class=credential_unavailable
	//   event azauth.chain.attempt azauth.credential.type=AzureCLICredential azauth.class=credential_unavailable
}
