// Package fakeentra runs local stand-ins for the endpoints azidentity's
// credentials talk to, so that tests and examples can exercise real
// credentials without a network: a TLS Microsoft Entra ID (OpenID discovery
// and the v2.0 token endpoint), an App Service managed identity endpoint and
// an Azure CLI executable. Each answers with a [Response]: a token, or a
// failure such as one of the corpus cases.
package fakeentra

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/azauthtrace/azauthtrace/internal/corpus"
)

// DefaultLifetime is the lifetime of a token whose Response has no
// ExpiresIn.
const DefaultLifetime = time.Hour

// Response is what a fake endpoint answers. When Token is set the endpoint
// answers 200 with a token in the format of that endpoint; otherwise it
// answers Status (400 when zero) with Header and Body.
type Response struct {
	// Token is the access token to issue.
	Token string
	// ExpiresIn is the issued token's lifetime; DefaultLifetime when zero.
	ExpiresIn time.Duration

	// Status is the status of a failure.
	Status int
	// Header holds the failure's response headers.
	Header http.Header
	// Body is the failure's response body.
	Body string
}

// Token returns a Response that issues token.
func Token(token string) Response { return Response{Token: token} }

// Failure returns a Response that answers with the status, headers and body
// of a corpus case.
func Failure(c corpus.Case) Response {
	return Response{Status: c.Status(), Header: c.Header(), Body: c.Body}
}

func (r Response) lifetime() time.Duration {
	if r.ExpiresIn <= 0 {
		return DefaultLifetime
	}
	return r.ExpiresIn
}

// writeFailure writes r's status, headers and body.
func (r Response) writeFailure(w http.ResponseWriter) {
	for k, vs := range r.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := r.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	if w.Header().Get("Content-Type") == "" && json.Valid([]byte(r.Body)) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(r.Body))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// responder holds the current Response of a fake endpoint and counts the
// requests it answered.
type responder struct {
	mu       sync.Mutex
	resp     Response
	requests atomic.Int64
}

func (r *responder) get() Response {
	r.requests.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resp
}

func (r *responder) set(resp Response) {
	r.mu.Lock()
	r.resp = resp
	r.mu.Unlock()
}

// Entra is a fake Microsoft Entra ID: a TLS server answering OpenID
// discovery (GET /{tenant}/v2.0/.well-known/openid-configuration) and token
// requests (POST /{tenant}/oauth2/v2.0/token). Its methods are safe for
// concurrent use.
type Entra struct {
	srv *httptest.Server
	tok responder
}

// NewEntra starts a fake Entra ID whose token endpoint answers with r. The
// server is closed when tb's test ends.
func NewEntra(tb testing.TB, r Response) *Entra {
	tb.Helper()
	e := &Entra{}
	e.tok.set(r)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.discovery)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.token)
	e.srv = httptest.NewTLSServer(mux)
	tb.Cleanup(e.srv.Close)
	return e
}

// AuthorityHost is the server's URL with a trailing slash, the value for
// cloud.Configuration.ActiveDirectoryAuthorityHost.
func (e *Entra) AuthorityHost() string { return e.srv.URL + "/" }

// Client returns an HTTP client that trusts the server's certificate.
func (e *Entra) Client() *http.Client { return e.srv.Client() }

// ClientOptions returns the azcore client options that send a credential's
// requests to this server.
func (e *Entra) ClientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: e.AuthorityHost()},
		Transport: e.Client(),
	}
}

// SetResponse changes the token endpoint's answer.
func (e *Entra) SetResponse(r Response) { e.tok.set(r) }

// TokenRequests reports how many token requests the server has answered.
func (e *Entra) TokenRequests() int { return int(e.tok.requests.Load()) }

func (e *Entra) discovery(w http.ResponseWriter, r *http.Request) {
	base := e.srv.URL + "/" + r.PathValue("tenant")
	writeJSON(w, map[string]string{
		"issuer":                 base + "/v2.0",
		"authorization_endpoint": base + "/oauth2/v2.0/authorize",
		"token_endpoint":         base + "/oauth2/v2.0/token",
	})
}

func (e *Entra) token(w http.ResponseWriter, _ *http.Request) {
	resp := e.tok.get()
	if resp.Token == "" {
		resp.writeFailure(w)
		return
	}
	secs := int(resp.lifetime() / time.Second)
	writeJSON(w, map[string]any{
		"token_type":     "Bearer",
		"access_token":   resp.Token,
		"expires_in":     secs,
		"ext_expires_in": secs,
	})
}

// AppService is a fake App Service managed identity endpoint, the kind
// azidentity uses when IDENTITY_ENDPOINT and IDENTITY_HEADER are set. It is
// plain HTTP on the loopback interface, as App Service's is. Its methods
// are safe for concurrent use.
type AppService struct {
	srv    *httptest.Server
	header string
	tok    responder
}

// NewAppService starts a fake App Service managed identity endpoint that
// expects header as the X-IDENTITY-HEADER value and answers with r. The
// server is closed when tb's test ends. Call Setenv to point azidentity at
// it.
func NewAppService(tb testing.TB, header string, r Response) *AppService {
	tb.Helper()
	a := &AppService{header: header}
	a.tok.set(r)
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	tb.Cleanup(a.srv.Close)
	return a
}

// Endpoint is the value for IDENTITY_ENDPOINT.
func (a *AppService) Endpoint() string { return a.srv.URL + "/msi/token" }

// Setenv sets IDENTITY_ENDPOINT and IDENTITY_HEADER for the rest of tb's
// test, and clears the variables that would select another managed
// identity source.
func (a *AppService) Setenv(tb testing.TB) {
	tb.Helper()
	for _, k := range []string{"IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT"} {
		tb.Setenv(k, "")
	}
	tb.Setenv("IDENTITY_ENDPOINT", a.Endpoint())
	tb.Setenv("IDENTITY_HEADER", a.header)
}

// SetResponse changes the endpoint's answer.
func (a *AppService) SetResponse(r Response) { a.tok.set(r) }

// TokenRequests reports how many token requests the endpoint has answered.
func (a *AppService) TokenRequests() int { return int(a.tok.requests.Load()) }

func (a *AppService) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.Method != http.MethodGet || r.URL.Path != "/msi/token":
		http.NotFound(w, r)
		return
	case r.Header.Get("X-IDENTITY-HEADER") != a.header:
		Response{Status: http.StatusUnauthorized, Body: `{"statusCode":401,"message":"Unauthorized request."}`}.writeFailure(w)
		return
	case q.Get("api-version") != "2019-08-01" || q.Get("resource") == "":
		Response{Status: http.StatusBadRequest, Body: `{"statusCode":400,"message":"Invalid request parameters."}`}.writeFailure(w)
		return
	}
	resp := a.tok.get()
	if resp.Token == "" {
		resp.writeFailure(w)
		return
	}
	writeJSON(w, map[string]string{
		"access_token": resp.Token,
		"expires_on":   strconv.FormatInt(time.Now().Add(resp.lifetime()).Unix(), 10),
		"resource":     q.Get("resource"),
		"token_type":   "Bearer",
	})
}
