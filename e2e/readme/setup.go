package main

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

func main() {
	ctx := context.Background()

	// Spans and metrics over OTLP/HTTP, to OTEL_EXPORTER_OTLP_ENDPOINT
	// (http://localhost:4318 when unset).
	spans, err := otlptracehttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(spans))
	defer tp.Shutdown(ctx)
	metrics, err := otlpmetrichttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)))
	defer mp.Shutdown(ctx)
	otel.SetTracerProvider(tp) // azauthtrace uses the global providers
	otel.SetMeterProvider(mp)

	// The credential: every token request is a span, a failure diagnosed.
	azCred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	cred := credential.New(azCred, nil)

	// Every azcore client: the policy once per try, and azcore's own
	// tracing (optional: see "azcore tracing" below).
	clientOptions := azcore.ClientOptions{
		PerRetryPolicies: []policy.Policy{authpolicy.New(nil)},
		TracingProvider:  azotel.NewTracingProvider(tp, nil),
	}
	groups, err := armresources.NewResourceGroupsClient(os.Getenv("AZURE_SUBSCRIPTION_ID"), cred,
		&arm.ClientOptions{ClientOptions: clientOptions})
	if err != nil {
		log.Fatal(err)
	}
	secrets, err := azsecrets.NewClient("https://my-vault.vault.azure.net/", cred,
		&azsecrets.ClientOptions{ClientOptions: clientOptions})
	if err != nil {
		log.Fatal(err)
	}

	// net/http (and Kiota clients such as msgraph-sdk-go): the transport.
	httpClient := &http.Client{Transport: authpolicy.NewTransport(http.DefaultTransport, nil)}

	if _, err := groups.Get(ctx, "my-group", nil); err != nil {
		log.Print(err) // and on the trace: the class, who was denied what, what to do
	}
	if _, err := secrets.GetSecret(ctx, "my-secret", "", nil); err != nil {
		log.Print(err)
	}
	if resp, err := httpClient.Get("https://management.azure.com/subscriptions?api-version=2022-12-01"); err == nil {
		resp.Body.Close()
	}
}
