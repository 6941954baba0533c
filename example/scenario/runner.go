package scenario

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
)

// Options configures a [Runner].
type Options struct {
	// TracerProvider records the scenarios' spans. Required: the Runner
	// adds a span processor to it to read each scenario's diagnosis back.
	TracerProvider *sdktrace.TracerProvider
	// Credential wraps the credential of each scenario's SDK clients, as
	// an application does with credential.New. Nil leaves credentials as
	// they are.
	Credential func(azcore.TokenCredential) azcore.TokenCredential
	// ClientOptions are the options of every SDK client the scenarios
	// create, as an application sets them: the policy in
	// PerRetryPolicies, azcore tracing in TracingProvider. The Runner sets
	// Transport to reach the fakes (but for the live run).
	ClientOptions azcore.ClientOptions
}

// Runner plays scenarios against local fakes. It is not safe for
// concurrent use: scenarios set process environment variables.
type Runner struct {
	tp       *sdktrace.TracerProvider
	wrap     func(azcore.TokenCredential) azcore.TokenCredential
	opts     azcore.ClientOptions
	tracer   trace.Tracer
	rec      *recorder
	services *fakeservice.Server
}

// NewRunner starts the fake Azure services the scenarios call. Close it
// when done.
func NewRunner(opts Options) (*Runner, error) {
	if opts.TracerProvider == nil {
		return nil, errors.New("scenario: Options.TracerProvider is required")
	}
	r := &Runner{
		tp:     opts.TracerProvider,
		wrap:   opts.Credential,
		opts:   opts.ClientOptions,
		tracer: opts.TracerProvider.Tracer(ScopeName, trace.WithInstrumentationVersion(azauthtrace.Version)),
		rec:    newRecorder(),
	}
	r.tp.RegisterSpanProcessor(r.rec)
	return r, nil
}

// Close stops the fakes and stops reading spans.
func (r *Runner) Close() {
	if r.services != nil {
		r.services.Close()
	}
	r.tp.UnregisterSpanProcessor(r.rec)
}

// Run plays s in a trace of its own, under a root span named
// "scenario <name>", and returns what the telemetry says about it.
func (r *Runner) Run(ctx context.Context, s Scenario) Result {
	if r.services == nil {
		r.services = startServices()
	}
	return r.run(ctx, s)
}

func (r *Runner) run(ctx context.Context, s Scenario) Result {
	p := &play{runner: r}
	defer p.cleanup()
	ctx, root := r.tracer.Start(ctx, SpanName(s.Name),
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithNewRoot(),
		trace.WithAttributes(ScenarioKey.String(s.Name)))
	p.ctx = ctx
	err := s.play(r, p)
	// The spans under the root have ended: read the diagnosis, then end
	// the root with a status that says whether the call failed.
	res := Result{Scenario: s, Err: err, Diagnosis: diagnose(r.rec.take(root.SpanContext().TraceID()))}
	if err != nil {
		desc := "failed"
		if res.Diagnosis.Class != "" {
			desc = string(res.Diagnosis.Class) + " failure"
		}
		root.SetStatus(codes.Error, desc)
	}
	root.End()
	res.Diagnosis.Spans++
	if res.Diagnosis.TraceID == "" {
		res.Diagnosis.TraceID = root.SpanContext().TraceID().String()
	}
	r.rec.take(root.SpanContext().TraceID())
	if s.Name != LiveName {
		res.Mismatches = res.compare()
	}
	return res
}

// play is the state of one scenario being played: its context and what
// to undo when it ends.
type play struct {
	runner   *Runner
	ctx      context.Context
	cleanups []func()
}

func (p *play) defer_(f func()) { p.cleanups = append(p.cleanups, f) }

func (p *play) cleanup() {
	for i := len(p.cleanups) - 1; i >= 0; i-- {
		p.cleanups[i]()
	}
}

// setenv sets (or, for "", unsets) the variables until the scenario ends,
// after clearing every variable that steers azidentity.
func (p *play) setenv(vars map[string]string) error {
	all := map[string]string{}
	for _, k := range fakeentra.AzureEnv {
		all[k] = ""
	}
	for k, v := range vars {
		all[k] = v
	}
	for k, v := range all {
		old, had := os.LookupEnv(k)
		p.defer_(func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		})
		var err error
		if v == "" {
			err = os.Unsetenv(k)
		} else {
			err = os.Setenv(k, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tempDir returns a new directory, removed when the scenario ends.
func (p *play) tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "azauthtrace-example-")
	if err != nil {
		return "", err
	}
	p.defer_(func() { _ = os.RemoveAll(dir) })
	return dir, nil
}

// entra starts a fake Entra ID answering resp, stopped when the scenario
// ends.
func (p *play) entra(resp fakeentra.Response) *fakeentra.Entra {
	e := fakeentra.StartEntra(resp)
	p.defer_(e.Close)
	return e
}

// wrap returns cred wrapped as Options.Credential says.
func (p *play) wrap(cred azcore.TokenCredential) azcore.TokenCredential {
	if p.runner.wrap == nil {
		return cred
	}
	return p.runner.wrap(cred)
}

// clientOptions returns Options.ClientOptions with a transport that
// reaches the fake services.
func (p *play) clientOptions() azcore.ClientOptions {
	o := p.runner.opts
	o.Transport = p.runner.services.Client()
	return o
}

// arm returns an ARM client of the fake ARM for cred, which it wraps.
func (p *play) arm(cred azcore.TokenCredential) (*armClient, error) {
	c, err := arm.NewClient("azauthtrace/example", "v"+azauthtrace.Version, p.wrap(cred), &arm.ClientOptions{ClientOptions: p.clientOptions()})
	if err != nil {
		return nil, err
	}
	return &armClient{c}, nil
}

// data returns a data-plane client of the fake service at endpoint, for
// tokens of the resource's scope, for cred, which it wraps.
func (p *play) data(endpoint, scope, namespace string, cred azcore.TokenCredential) (*dataClient, error) {
	return newDataClient(endpoint, scope, namespace, p.wrap(cred), p.clientOptions())
}

// AccessToken returns the access token the fakes issue: a JWT (unsigned,
// with TokenCanary in its header and signature) whose claims name the
// scenarios' principal. forClaims adds the xms_cc claim, which the fake
// Graph takes as proof that the token was requested for a claims
// challenge.
func AccessToken(forClaims bool) string {
	claims := map[string]any{
		"aud":   "https://management.azure.com",
		"iss":   "https://sts.windows.net/" + TenantID + "/",
		"tid":   TenantID,
		"oid":   ObjectID,
		"appid": ClientID,
		"idtyp": "app",
		"ver":   "1.0",
	}
	if forClaims {
		claims["xms_cc"] = []string{"cp1"}
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	enc := base64.RawURLEncoding
	header := fmt.Sprintf(`{"alg":"RS256","typ":"JWT","kid":%q}`, TokenCanary)
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte(TokenCanary+"-signature"))
}
