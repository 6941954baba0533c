package policy

import (
	"context"
	"fmt"
	"hash/maphash"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/otelx"
)

// Policy is an azcore pipeline policy that records the authentication and
// authorization failures of a client's requests. Create one with [New]; it
// is safe for concurrent use by any number of clients.
type Policy struct {
	tracer    trace.Tracer
	failures  metric.Int64Counter
	withNames bool

	// setsMu guards sets, the counter's attribute sets by class, status
	// and host.
	setsMu sync.RWMutex
	sets   map[failureKey][]metric.AddOption

	// principals holds the principal of the last token decoded, by a hash
	// of the Authorization header: a client sends the same token for up
	// to an hour. The token itself is not kept.
	seed       maphash.Seed
	principals memo[tokenHash, decodedPrincipal]
	// names and statuses hold the last span name and status description:
	// a client's failures mostly repeat the last one.
	names    memo[nameKey, string]
	statuses memo[statusKey, string]
	// urls holds the last URL recorded, sanitized.
	urls memo[urlKey, string]
}

type decodedPrincipal struct {
	p  principal
	ok bool
}

// tokenHash is the hash of an Authorization header value.
type tokenHash uint64

func (k tokenHash) owned() tokenHash { return k }

type nameKey struct{ method, host string }

func (k nameKey) owned() nameKey { return nameKey{strings.Clone(k.method), strings.Clone(k.host)} }

// urlKey is what sanitizedURL keeps of a URL. It holds the api-version
// and not the query, which may hold a secret such as a SAS signature.
type urlKey struct {
	scheme, host, path, rawPath, version string
	hasVersion                           bool
}

func (k urlKey) owned() urlKey {
	return urlKey{strings.Clone(k.scheme), strings.Clone(k.host), strings.Clone(k.path),
		strings.Clone(k.rawPath), strings.Clone(k.version), k.hasVersion}
}

type statusKey struct {
	status int
	class  azauthtrace.Class
	code   string
}

func (k statusKey) owned() statusKey {
	return statusKey{k.status, azauthtrace.Class(strings.Clone(string(k.class))), strings.Clone(k.code)}
}

// memoKey is a key of a memo. owned returns the key with copies of its
// strings: a key's strings may point into a request's URL, whose query
// may hold a secret that the memo must not keep alive.
type memoKey[K any] interface {
	comparable
	owned() K
}

// memo is a cache of one value, the last one built.
type memo[K memoKey[K], V any] struct {
	last atomic.Pointer[memoEntry[K, V]]
}

type memoEntry[K memoKey[K], V any] struct {
	key K
	val V
}

// get returns the value for key, calling build unless key is the last
// key asked for. The value build returns must not hold a slice of the
// request's URL.
func (m *memo[K, V]) get(key K, build func(K) V) V {
	if e := m.last.Load(); e != nil && e.key == key {
		return e.val
	}
	v := build(key)
	m.last.Store(&memoEntry[K, V]{key.owned(), v})
	return v
}

// Span start options, made once: converting them to an interface
// allocates.
var (
	clientKind   = trace.WithSpanKind(trace.SpanKindClient)
	internalKind = trace.WithSpanKind(trace.SpanKindInternal)
)

var _ azpolicy.Policy = (*Policy)(nil)

// New returns a Policy. Pass nil to accept the default values.
func New(opts *Options) *Policy {
	var o Options
	if opts != nil {
		o = *opts
	}
	p := &Policy{
		tracer:    otelx.Tracer(o.TracerProvider),
		withNames: o.RecordPrincipalNames,
		sets:      make(map[failureKey][]metric.AddOption),
		seed:      maphash.MakeSeed(),
	}
	var err error
	p.failures, err = otelx.Meter(o.MeterProvider).Int64Counter(otelx.FailuresMetric,
		metric.WithDescription("Authentication and authorization failures of Azure service calls."),
		metric.WithUnit("{failure}"))
	if err != nil {
		otel.Handle(err)
	}
	if p.failures == nil {
		p.failures = metricnoop.Int64Counter{}
	}
	return p
}

// challenged marks an operation in which the policy saw a claims
// challenge. It has no size, so looking it up on the success path does not
// allocate; the state lives in *challengeState.
type challenged struct{}

// challengeState says whether the next try of an operation is the one sent
// again after a claims challenge.
type challengeState struct {
	pending bool
}

// Do implements [azpolicy.Policy]. It sends the request on and returns the
// response and error it receives, unchanged. On success it records
// nothing. See the package documentation for what it records on failure.
func (p *Policy) Do(req *azpolicy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	afterChallenge := req.OperationValue(&challenged{}) && takeChallenge(req)
	if !afterChallenge && !azauthtrace.Recognizes(resp) {
		return resp, err
	}
	p.record(req, resp, start, afterChallenge)
	return resp, err
}

// takeChallenge reports whether the operation's last try met a claims
// challenge, and clears that.
func takeChallenge(req *azpolicy.Request) bool {
	var st *challengeState
	if !req.OperationValue(&st) || st == nil || !st.pending {
		return false
	}
	st.pending = false
	return true
}

// record records one try's response: one the classifier recognises, or
// the try after a claims challenge. Telemetry must never fail or crash the
// call, so a panic here is reported to otel.Handle.
func (p *Policy) record(req *azpolicy.Request, resp *http.Response, start time.Time, afterChallenge bool) {
	defer func() {
		if r := recover(); r != nil {
			otel.Handle(fmt.Errorf("azauthtrace/policy: recording a %d response: %v", resp.StatusCode, r))
		}
	}()
	raw := req.Raw()
	ctx := raw.Context()
	host := ""
	if raw.URL != nil {
		host = raw.URL.Hostname()
	}
	enclosing := trace.SpanFromContext(ctx)
	downstream, hasDownstream := downstreamSpan(ctx, resp)
	if hasDownstream && enclosing.IsRecording() {
		// The SDK (azcore's HTTP tracing, or an instrumented transport)
		// already recorded a span for this try, and it has ended. Add the
		// diagnosis to the span that encloses it: the SDK operation's.
		f, failed := p.classify(ctx, req, resp, host)
		if failed || afterChallenge {
			p.annotate(enclosing, req, resp, f, failed, afterChallenge, host)
		}
		return
	}
	kind := clientKind
	if hasDownstream {
		// No recording span encloses the HTTP span: nest the diagnosis
		// under it rather than start a second client span beside it.
		ctx = trace.ContextWithSpanContext(ctx, downstream)
		kind = internalKind
	}
	name := p.names.get(nameKey{raw.Method, host}, spanName)
	_, span := p.tracer.Start(ctx, name, kind, trace.WithTimestamp(start))
	defer span.End()
	if !span.IsRecording() && !p.failures.Enabled(ctx) {
		return // nothing would record the diagnosis: don't make it
	}
	f, failed := p.classify(ctx, req, resp, host)
	if !span.IsRecording() {
		return
	}
	attrs := getAttrs()
	defer putAttrs(attrs)
	*attrs = p.appendRequestAttributes(*attrs, req, resp, host, afterChallenge)
	if failed {
		*attrs = p.appendFailure(*attrs, req, f)
	}
	span.SetAttributes(*attrs...) // copies them
	if failed {
		span.SetStatus(codes.Error, p.statuses.get(statusKey{resp.StatusCode, f.Class, f.ErrorCode}, statusDescription))
	}
}

// classify diagnoses resp, counts the failure, and marks the operation
// when the response carries a claims challenge, so that the next try is
// recorded too.
func (p *Policy) classify(ctx context.Context, req *azpolicy.Request, resp *http.Response, host string) (azauthtrace.Failure, bool) {
	f, failed := azauthtrace.FromResponse(resp)
	if !failed {
		return f, false
	}
	if f.Challenge.ClaimsPresent {
		req.SetOperationValue(challenged{})
		req.SetOperationValue(&challengeState{pending: true})
	}
	p.count(ctx, f.Class, resp.StatusCode, host)
	return f, true
}

// annotate adds a try's diagnosis to the span that encloses the try.
func (p *Policy) annotate(span trace.Span, req *azpolicy.Request, resp *http.Response, f azauthtrace.Failure, failed, afterChallenge bool, host string) {
	attrs := getAttrs()
	defer putAttrs(attrs)
	event := p.appendRequestAttributes(*attrs, req, resp, host, afterChallenge)
	if !failed {
		span.AddEvent(otelx.ChallengeRetryEvent, trace.WithAttributes(event...))
		*attrs = event
		return
	}
	status := len(event) - 1 // appendRequestAttributes ends with the status code
	event = p.appendFailure(event, req, f)
	// The span carries the diagnosis of the operation's last failure and
	// its status code, so that a row for the operation (an Application
	// Insights dependency) says class, code and status; the other request
	// attributes stay on the event, as the HTTP span has its own, and the
	// method would make exporters rename the operation after it. The calls
	// copy the attributes.
	span.SetAttributes(event[status:]...)
	span.AddEvent(otelx.FailureEvent, trace.WithAttributes(event...))
	*attrs = event
}

// attrPool holds the attribute slices of failures being recorded; the
// tracing SDK copies the attributes it is given.
var attrPool = sync.Pool{New: func() any {
	s := make([]attribute.KeyValue, 0, 40)
	return &s
}}

func getAttrs() *[]attribute.KeyValue { return attrPool.Get().(*[]attribute.KeyValue) }

func putAttrs(s *[]attribute.KeyValue) {
	if cap(*s) > 256 {
		return
	}
	clear(*s) // drop references to strings
	*s = (*s)[:0]
	attrPool.Put(s)
}

// appendRequestAttributes appends the attributes of the HTTP request and
// response that describe one try, the status code last; afterChallenge
// marks the try after a claims challenge.
func (p *Policy) appendRequestAttributes(attrs []attribute.KeyValue, req *azpolicy.Request, resp *http.Response, host string, afterChallenge bool) []attribute.KeyValue {
	raw := req.Raw()
	u := ""
	if raw.URL != nil {
		v, hasVersion := apiVersion(raw.URL.RawQuery)
		u = p.urls.get(urlKey{raw.URL.Scheme, raw.URL.Host, raw.URL.Path, raw.URL.RawPath, v, hasVersion}, func(k urlKey) string {
			path := (&url.URL{Path: k.path, RawPath: k.rawPath}).EscapedPath()
			return joinURL(k.scheme, k.host, path, k.version, k.hasVersion)
		})
	}
	attrs = append(attrs,
		otelx.HTTPMethodKey.String(raw.Method),
		otelx.ServerAddressKey.String(host),
		otelx.URLFullKey.String(u),
	)
	if resp.StatusCode >= http.StatusBadRequest {
		attrs = append(attrs, otelx.HTTPErrorType(resp.StatusCode))
	}
	if afterChallenge {
		attrs = append(attrs, otelx.ChallengeRetryKey.Bool(true))
	}
	return append(attrs, otelx.HTTPStatusCodeKey.Int(resp.StatusCode))
}

// appendFailure appends the attributes of f and of the principal the
// request's access token names. It leaves out HTTPStatusCodeKey, which
// appendRequestAttributes sets.
func (p *Policy) appendFailure(attrs []attribute.KeyValue, req *azpolicy.Request, f azauthtrace.Failure) []attribute.KeyValue {
	status := f.StatusCode
	f.StatusCode = 0
	attrs = otelx.AppendFailureAttributes(attrs, f)
	f.StatusCode = status
	if p.withNames {
		if kv, ok := otelx.PrincipalName(f); ok {
			attrs = append(attrs, kv)
		}
	}
	pr, ok := p.principal(req.Raw().Header.Get("Authorization"))
	if !ok {
		return attrs
	}
	if f.PrincipalID != "" { // what the service named wins over the token
		pr.ObjectID = ""
	}
	if !p.withNames || f.PrincipalName != "" {
		pr.Name = ""
	}
	for _, kv := range []struct {
		key   attribute.Key
		value string
	}{
		{otelx.PrincipalTenantIDKey, pr.TenantID},
		{otelx.PrincipalObjectIDKey, pr.ObjectID},
		{otelx.PrincipalAppIDKey, pr.AppID},
		{otelx.PrincipalTypeKey, pr.Type},
		{otelx.PrincipalManagedIdentityKey, pr.ManagedIdentityID},
		{otelx.PrincipalNameKey, pr.Name},
	} {
		if kv.value != "" {
			attrs = append(attrs, kv.key.String(kv.value))
		}
	}
	return attrs
}

// principal returns the principal of the bearer token in an Authorization
// header value, decoding it unless it is the last one decoded.
func (p *Policy) principal(authorization string) (principal, bool) {
	if authorization == "" {
		return principal{}, false
	}
	d := p.principals.get(tokenHash(maphash.String(p.seed, authorization)), func(tokenHash) decodedPrincipal {
		pr, ok := principalFromAuthorization(authorization, p.withNames)
		return decodedPrincipal{pr, ok}
	})
	return d.p, d.ok
}

// count adds a failure to the failures counter.
func (p *Policy) count(ctx context.Context, class azauthtrace.Class, status int, host string) {
	if !p.failures.Enabled(ctx) {
		return
	}
	p.failures.Add(ctx, 1, p.failureSet(class, status, host)...)
}

// maxFailureSets bounds the cache of the counter's attribute sets; past it
// (a client calling very many hosts) sets are built per failure.
const maxFailureSets = 256

type failureKey struct {
	class  azauthtrace.Class
	status int
	host   string
}

// failureSet returns the counter's attributes for a failure, as the
// options of Add, built once per class, status and host.
func (p *Policy) failureSet(class azauthtrace.Class, status int, host string) []metric.AddOption {
	key := failureKey{class, status, host}
	p.setsMu.RLock()
	o, ok := p.sets[key]
	p.setsMu.RUnlock()
	if ok {
		return o
	}
	// The set and the map outlive the request: they get their own copy of
	// the host, not a slice of the request's URL.
	host = strings.Clone(host)
	key.host = host
	o = []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
		otelx.ClassKey.String(string(class)),
		otelx.HTTPStatusCodeKey.Int(status),
		otelx.ServerAddressKey.String(host),
	))}
	p.setsMu.Lock()
	if len(p.sets) < maxFailureSets {
		p.sets[key] = o
	}
	p.setsMu.Unlock()
	return o
}

// downstreamSpan returns the span that policies or a transport after this
// one recorded for the try: the span in the context of the request that
// was sent, when it differs from the span this policy was called in.
func downstreamSpan(ctx context.Context, resp *http.Response) (trace.SpanContext, bool) {
	if resp.Request == nil {
		return trace.SpanContext{}, false
	}
	sc := trace.SpanContextFromContext(resp.Request.Context())
	if !sc.IsValid() || sc.Equal(trace.SpanContextFromContext(ctx)) {
		return trace.SpanContext{}, false
	}
	return sc, true
}

// spanName names the policy's own span: the method and the host, such as
// "GET management.azure.com".
func spanName(k nameKey) string {
	if k.host == "" {
		return k.method
	}
	return k.method + " " + k.host
}

// statusDescription is the short span status description of a failure,
// such as "403 permission: AuthorizationFailed". It never holds the
// service's message, which may name the caller.
func statusDescription(k statusKey) string {
	s := strconv.Itoa(k.status) + " " + string(k.class)
	if k.code != "" {
		s += ": " + k.code
	}
	return s
}
