package recorder

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/grant"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
	"github.com/azauthtrace/azauthtrace/internal/safe"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Config configures a Recorder: the options of package policy.
type Config struct {
	TracerProvider       trace.TracerProvider
	MeterProvider        metric.MeterProvider
	RecordPrincipalNames bool
	// Attributes are added to every span and event the Recorder records.
	Attributes []attribute.KeyValue
	// Filter, when set, leaves a response unrecorded when it returns
	// false.
	Filter func(*http.Request, *http.Response) bool
	// SpanName, when set, names the Recorder's own spans.
	SpanName func(*http.Request) string
	// CustomRoles are role definitions to choose a grant's role among,
	// beside the built-in ones (az role definition list JSON).
	CustomRoles []byte
}

// Recorder records the tries of HTTP requests that fail on auth, and the
// failures read from errors. It is safe for concurrent use.
type Recorder struct {
	tracer     trace.Tracer
	failures   metric.Int64Counter
	challenges metric.Int64Counter
	withNames  bool
	attrs      []attribute.KeyValue
	filter     func(*http.Request, *http.Response) bool
	spanName   func(*http.Request) string
	// roles holds the custom role definitions, decoded with the built-in
	// roles on the first permission failure; nil without any.
	roles func() *rbac.Catalog
}

// New returns a Recorder.
func New(c Config) *Recorder {
	meter := Meter(c.MeterProvider)
	return &Recorder{
		tracer: Tracer(c.TracerProvider),
		failures: Counter(meter, otelx.FailuresMetric, "{failure}",
			"Authentication and authorization failures of Azure service calls."),
		challenges: Counter(meter, otelx.ChallengesMetric, "{challenge}",
			"Authentication challenges of Azure services that the client answered by itself."),
		withNames: c.RecordPrincipalNames,
		attrs:     slices.Clone(c.Attributes),
		filter:    c.Filter,
		spanName:  c.SpanName,
		roles:     customRoles(c.CustomRoles),
	}
}

// customRoles returns a function that returns the built-in roles with the
// definitions of azJSON, decoded once, on its first call; nil when there
// are none.
func customRoles(azJSON []byte) func() *rbac.Catalog {
	if len(azJSON) == 0 {
		return nil
	}
	defs, err := rbac.ParseDefinitions(azJSON)
	if err != nil {
		otel.Handle(fmt.Errorf("azauthtrace: custom roles: %w", err))
		return nil
	}
	return sync.OnceValue(func() *rbac.Catalog { return rbac.Builtin().With(defs...) })
}

// Try is one try of an HTTP request whose response the classifier
// recognises, or the try that answers a challenge.
type Try struct {
	// Request is the request as it was sent: its context, its
	// Authorization header.
	Request *http.Request
	// Response is the try's response, whose Request is the one the
	// transport saw. Its body is read only when it is buffered (azcore's
	// pipeline buffers it); the transport passes a copy whose body holds
	// what the caller read.
	Response *http.Response
	// Start is when the try started.
	Start time.Time
	// end is when its response arrived, and host the request's host
	// cleaned: Diagnose sets them.
	end  time.Time
	host string
	// AfterChallenge is the kind of the challenge this try answers (the
	// previous try's response), or "". Such a try is recorded whatever its
	// status.
	AfterChallenge string
	// Operation says that the try is one of an azcore pipeline's, whose
	// diagnosis may go on the SDK's operation span (see placement.go).
	Operation *Operation
}

// Diagnosis is the diagnosis of one try, made when its response arrives
// and recorded once: at once for a failure, or, for a challenge the
// client may answer, when the operation shows whether it did.
type Diagnosis struct {
	r        *Recorder
	t        Try
	f        azauthtrace.Failure
	failed   bool
	kind     string
	recorded atomic.Bool
}

// Diagnose diagnoses a try, without recording it. It returns nil when the
// filter leaves the try alone, or when nothing in it is to be recorded.
// A panic in diagnosing is reported to otel.Handle: telemetry never
// crashes the call.
func (r *Recorder) Diagnose(t Try) (d *Diagnosis) {
	defer func() {
		if p := recover(); p != nil {
			otel.Handle(fmt.Errorf("azauthtrace: diagnosing a %d response: %v", t.Response.StatusCode, p))
			d = nil
		}
	}()
	if r.filter != nil && !r.filter(t.Request, t.Response) {
		return nil
	}
	t.end = time.Now()
	t.host = safe.Clean(safe.Host, t.Request.URL.Hostname()).String()
	d = &Diagnosis{r: r, t: t}
	// The classifier redacts the values the request carried. It reads
	// them from the request as this layer sent it: the response's
	// Request may be nil, or a clone without a header.
	resp := *t.Response
	resp.Request = t.Request
	d.f, d.failed = azauthtrace.FromResponse(&resp)
	t.Response.Body = resp.Body // a body not buffered is read ahead and put back
	if r.roles != nil && d.f.Class == azauthtrace.ClassPermission {
		d.f.Grant = r.grant(d.f, t)
	}
	if !d.failed && t.AfterChallenge == "" {
		return nil
	}
	if d.failed && d.f.StatusCode == http.StatusUnauthorized {
		d.kind = challengeKind(t, d.f.Challenge)
	}
	return d
}

// Challenge returns the kind of the challenge the try's response is, when
// a client may answer it by itself (see challenge.go), or "".
func (d *Diagnosis) Challenge() string { return d.kind }

// Failed records the try as it is: a failure, or, for a try that answered
// a challenge and succeeded, the answer. It records nothing the second
// time, or after Answered.
func (d *Diagnosis) Failed() { d.record(false) }

// Answered records the try's challenge as one the client answered: an
// event and a count in azauth.challenges, no failure. It records nothing
// the second time, or after Failed.
func (d *Diagnosis) Answered() { d.record(true) }

// record records the try, once, and reports whether it did now.
func (d *Diagnosis) record(answered bool) bool {
	if d == nil || !d.recorded.CompareAndSwap(false, true) {
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			otel.Handle(fmt.Errorf("azauthtrace: recording a %d response: %v", d.t.Response.StatusCode, p))
		}
	}()
	kind := ""
	if answered {
		kind = d.kind
	}
	d.r.count(d.t, d.f, d.failed, kind)
	d.r.place(d.t, d.f, d.failed, kind)
	return true
}

// count counts a try: a failure by class, status and host, or an
// answered challenge by kind and host.
func (r *Recorder) count(t Try, f azauthtrace.Failure, failed bool, challenge string) {
	ctx := t.Request.Context()
	if !failed {
		return
	}
	host := otelx.ServerAddressKey.String(t.host)
	switch {
	case challenge != "":
		if r.challenges.Enabled(ctx) {
			r.challenges.Add(ctx, 1, metric.WithAttributes(host, otelx.ChallengeKindKey.String(challenge)))
		}
	case r.failures.Enabled(ctx):
		r.failures.Add(ctx, 1, metric.WithAttributes(
			otelx.ClassKey.String(string(f.Class)),
			otelx.HTTPStatusCodeKey.Int(t.Response.StatusCode),
			host,
		))
	}
}

// RecordFailure records a failure no HTTP try of the Recorder's showed
// (an error of an AMQP client, of Kiota, of anything), as record.Error
// documents: on the span in ctx, its attributes and an azauth.failure
// event, and status Error; and, for a service's failure, a count in
// azauth.failures. The count's attributes come from bounded sets only:
// the class; the status code only when it is a real HTTP status; the host
// only from the request, when the caller knows it (req may be nil).
func (r *Recorder) RecordFailure(ctx context.Context, f azauthtrace.Failure, req *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			otel.Handle(fmt.Errorf("azauthtrace: recording a failure: %v", p))
		}
	}()
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		attrs := FailureAttributes(slices.Clone(r.attrs), f, safe.Scrubber{})
		span.SetAttributes(attrs...)
		span.AddEvent(otelx.FailureEvent, trace.WithAttributes(attrs...))
		span.SetStatus(codes.Error, StatusDescription(f.StatusCode, f))
	}
	if f.Source != azauthtrace.SourceService || !r.failures.Enabled(ctx) {
		return
	}
	attrs := []attribute.KeyValue{otelx.ClassKey.String(string(f.Class))}
	if s := f.StatusCode; s == http.StatusUnauthorized || s == http.StatusForbidden {
		attrs = append(attrs, otelx.HTTPStatusCodeKey.Int(s))
	}
	if req != nil && req.URL != nil {
		attrs = append(attrs, String(safe.Scrubber{}, otelx.ServerAddressKey, req.URL.Hostname()))
	}
	r.failures.Add(ctx, 1, metric.WithAttributes(attrs...))
}

// keptURL returns the request's URL as url.full keeps it: scheme, host and
// path, with only the api-version parameter of the query.
func keptURL(raw *http.Request) url.URL {
	u := url.URL{Scheme: raw.URL.Scheme, Host: raw.URL.Host, Path: raw.URL.Path, RawPath: raw.URL.RawPath}
	if v := apiVersion(raw.URL.RawQuery); v != "" {
		u.RawQuery = "api-version=" + url.QueryEscape(v)
	}
	return u
}

// grant returns the grant of the permission failure f of the try, chosen
// among the built-in and custom roles, each field cleaned by its kind.
func (r *Recorder) grant(f azauthtrace.Failure, t Try) azauthtrace.Grant {
	in := grant.Input{
		Service: f.Service, Action: f.Action, Scope: f.Scope, PrincipalID: f.PrincipalID,
		Method: t.Request.Method, URL: t.Request.URL, Authorization: t.Request.Header.Get("Authorization"),
		Header: t.Response.Header,
	}
	g, ok := grant.For(in, r.roles())
	if !ok {
		return f.Grant
	}
	sc := safe.FromRequest(t.Request)
	for _, p := range []struct {
		key attribute.Key
		v   *string
	}{
		{otelx.GrantActionKey, &g.Action}, {otelx.GrantRoleKey, &g.Role}, {otelx.GrantRoleIDKey, &g.RoleID},
		{otelx.GrantScopeKey, &g.Scope}, {otelx.GrantPermissionKey, &g.Permission},
		{otelx.GrantPermissionTypeKey, &g.PermissionType}, {otelx.GrantCommandKey, &g.Command}, {otelx.GrantNoteKey, &g.Note},
	} {
		*p.v = String(sc, p.key, *p.v).Value.AsString()
	}
	return azauthtrace.Grant(g)
}
