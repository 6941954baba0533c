// Command example shows what azauthtrace records for the Azure
// authentication and authorization failures of the Azure Identity
// troubleshooting guide, with no Azure account and no setup:
//
//	go run ./example
//
// It starts, in process and on the loopback interface, a fake Microsoft
// Entra ID, a fake App Service managed identity endpoint, a fake az and
// fake ARM, Storage, Key Vault and Graph services, all answering with real
// Azure error responses from the corpus. It then plays each scenario with
// real azidentity credentials and real azcore pipelines, wired as an
// application wires them (see play): the credential wrapped by package
// credential, the policy of package policy in the client's
// PerRetryPolicies. Each scenario runs in its own trace under a root span
// "scenario <name>".
//
// The report goes to standard output: one block per scenario with the
// class, the codes, the credential, the correlation ID, who was denied
// what, and the mitigation, all read back from the recorded spans. It
// shows no secret and no token, because the telemetry holds none.
//
// The spans and metrics are exported as the standard OTEL_* variables say
// (see otelenv.Setup). With none set they go to the console, on standard
// error, so that the report stays readable (go run ./example 2>/dev/null
// shows the report alone). With OTEL_EXPORTER_OTLP_ENDPOINT set they go
// to that OTLP endpoint (OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf, the
// default, or grpc):
//
//	OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 go run ./example
//
// The service name is azauthtrace-example unless OTEL_SERVICE_NAME says
// otherwise. The providers are flushed before the program exits.
//
// Flags:
//
//	-list            print the scenario names, one per line, and exit
//	-scenario a,b    play only the named scenarios
//	-live            list the resource groups of AZURE_SUBSCRIPTION_ID in
//	                 real Azure with DefaultAzureCredential instead (az
//	                 login, environment variables, managed identity, ...)
//
// The exit status is 0 when every scenario's diagnosis matched what the
// scenario expects (for -live: when the call succeeded), 1 otherwise, and
// 2 for bad flags or when the telemetry could not be set up.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/example/otelenv"
	"github.com/azauthtrace/azauthtrace/example/scenario"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// serviceName is the default service.name of the exported telemetry.
const serviceName = "azauthtrace-example"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program: it parses args, writes the report to stdout and
// the console telemetry and errors to stderr, and returns the exit
// status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(stderr)
	list := fs.Bool("list", false, "print the scenario names, one per line, and exit")
	only := fs.String("scenario", "", "comma-separated `names` of the scenarios to play (default all)")
	live := fs.Bool("live", false, "list the resource groups of "+scenario.SubscriptionEnv+" in real Azure with DefaultAzureCredential")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, n := range scenario.Names() {
			fmt.Fprintln(stdout, n)
		}
		return 0
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	scenarios, err := scenario.Select(names)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if *live && *only != "" {
		fmt.Fprintln(stderr, "-live and -scenario exclude each other")
		return 2
	}

	providers, err := otelenv.Setup(ctx,
		otelenv.WithServiceName(serviceName),
		otelenv.WithConsoleByDefault(),
		otelenv.WithConsoleWriter(stderr))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	status := play(ctx, providers, scenarios, *live, stdout)
	// Flush the telemetry before exiting; an unreachable backend must not
	// hold the program for long.
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := providers.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "exporting telemetry: %v\n", err)
	}
	return status
}

// play runs the scenarios (or the live call) and writes the report.
func play(ctx context.Context, providers *otelenv.Providers, scenarios []scenario.Scenario, live bool, stdout io.Writer) int {
	runner, err := scenario.NewRunner(instrumentation(providers.TracerProvider, providers.MeterProvider))
	if err != nil {
		fmt.Fprintln(stdout, err)
		return 2
	}
	defer runner.Close()
	fmt.Fprintf(stdout, "azauthtrace example: telemetry to %s\n\n", destination(providers))

	if live {
		res, groups := runner.RunLive(ctx)
		scenario.WriteBlock(stdout, res)
		if res.Err != nil {
			if res.Diagnosis.Class == "" {
				// Not an auth failure: say what it was, on one line.
				fmt.Fprintf(stdout, "error: %s\n", firstLine(res.Err.Error()))
			}
			return 1
		}
		fmt.Fprintf(stdout, "%d resource groups: %s\n", len(groups), strings.Join(groups, ", "))
		return 0
	}

	results := make([]scenario.Result, 0, len(scenarios))
	for _, s := range scenarios {
		res := runner.Run(ctx, s)
		results = append(results, res)
		scenario.WriteBlock(stdout, res)
	}
	scenario.WriteSummary(stdout, results)
	for _, r := range results {
		if !r.OK() {
			return 1
		}
	}
	return 0
}

// instrumentation is what an application does to see its Azure auth
// failures: wrap the credential it gives its SDK clients, and add the
// policy to their options. azotel turns on the SDK's own tracing, so that
// each operation is a span too, and the policy records a failure on the
// operation's span. Each scenario creates its credential, wraps it with
// Credential, and creates its SDK client with ClientOptions (and a
// transport to the fakes).
func instrumentation(tp *sdktrace.TracerProvider, mp metric.MeterProvider) scenario.Options {
	return scenario.Options{
		TracerProvider: tp,
		Credential: func(cred azcore.TokenCredential) azcore.TokenCredential {
			return credential.New(cred, &credential.Options{TracerProvider: tp, MeterProvider: mp})
		},
		ClientOptions: azcore.ClientOptions{
			TracingProvider:  azotel.NewTracingProvider(tp, nil),
			PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tp, MeterProvider: mp})},
		},
	}
}

// destination says where the telemetry goes, for the report's first line.
func destination(p *otelenv.Providers) string {
	describe := func(exporter, endpointVar string) string {
		switch exporter {
		case otelenv.ExporterConsole:
			return "the console (standard error)"
		case "otlp":
			ep := os.Getenv(endpointVar)
			if ep == "" {
				ep = os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
			}
			if ep == "" {
				ep = "the default endpoint"
			}
			proto := os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
			if proto == "" {
				proto = "http/protobuf"
			}
			return "OTLP " + proto + " at " + ep
		}
		return exporter
	}
	t := describe(p.TracesExporter, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	m := describe(p.MetricsExporter, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
	if t == m {
		return t
	}
	return "traces: " + t + "; metrics: " + m
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
