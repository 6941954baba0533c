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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
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
	// ChallengeToken, when set, is issued by the fake Entra ID instead of
	// Token to a token request whose claims parameter asks for more than
	// the client capabilities (xms_cc): a request that answers a claims
	// challenge. The other endpoints ignore it.
	ChallengeToken string
	// ExpiresIn is the issued token's lifetime; DefaultLifetime when zero.
	ExpiresIn time.Duration

	// Status is the status of a failure.
	Status int
	// Header holds the failure's response headers.
	Header http.Header
	// Body is the failure's response body.
	Body string

	// Echo, when set, makes the answer to each token request from the
	// request's form (client_secret, client_assertion, ...): the
	// failure's body and headers with every "{form:name}" replaced by
	// that form value, as a server that echoes what it was sent would.
	Echo bool
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

// echo returns r with every "{form:name}" in its body and headers
// replaced by the value of the request's form field name.
func (r Response) echo(req *http.Request) Response {
	if err := req.ParseForm(); err != nil {
		return r
	}
	replace := func(s string) string {
		for name, vs := range req.PostForm {
			if len(vs) > 0 {
				s = strings.ReplaceAll(s, "{form:"+name+"}", vs[0])
			}
		}
		return s
	}
	out := r
	out.Body = replace(r.Body)
	out.Header = http.Header{}
	for k, vs := range r.Header {
		for _, v := range vs {
			out.Header.Add(k, replace(v))
		}
	}
	return out
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
	e := StartEntra(r)
	tb.Cleanup(e.Close)
	return e
}

// StartEntra starts a fake Entra ID whose token endpoint answers with r,
// outside a test. Close it when done.
func StartEntra(r Response) *Entra {
	e := &Entra{}
	e.tok.set(r)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.discovery)
	mux.HandleFunc("GET /common/UserRealm/{user}", e.userRealm)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.token)
	e.srv = httptest.NewTLSServer(mux)
	return e
}

// Close shuts the server down.
func (e *Entra) Close() { e.srv.Close() }

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

// userRealm answers MSAL's user realm discovery, which precedes a
// username and password token request: every user is a managed (cloud)
// account.
func (e *Entra) userRealm(w http.ResponseWriter, r *http.Request) {
	domain := "contoso.onmicrosoft.com"
	if _, d, ok := strings.Cut(r.PathValue("user"), "@"); ok && d != "" {
		domain = d
	}
	writeJSON(w, map[string]string{
		"ver":                 "1.0",
		"account_type":        "Managed",
		"domain_name":         domain,
		"cloud_instance_name": "microsoftonline.com",
		"cloud_audience_urn":  "urn:federation:MicrosoftOnline",
	})
}

func (e *Entra) token(w http.ResponseWriter, r *http.Request) {
	resp := e.tok.get()
	if resp.Echo {
		resp = resp.echo(r)
	}
	if resp.Token == "" {
		resp.writeFailure(w)
		return
	}
	token := resp.Token
	if resp.ChallengeToken != "" && answersChallenge(r.PostFormValue("claims")) {
		token = resp.ChallengeToken
	}
	secs := int(resp.lifetime() / time.Second)
	writeJSON(w, map[string]any{
		"token_type":     "Bearer",
		"access_token":   token,
		"expires_in":     secs,
		"ext_expires_in": secs,
	})
}

// answersChallenge reports whether the claims parameter of a token request
// asks for access token claims other than the client capabilities
// (xms_cc), which MSAL sends with every request when CAE is enabled.
func answersChallenge(claims string) bool {
	var c struct {
		AccessToken map[string]json.RawMessage `json:"access_token"`
	}
	if claims == "" || json.Unmarshal([]byte(claims), &c) != nil {
		return false
	}
	for k := range c.AccessToken {
		if k != "xms_cc" {
			return true
		}
	}
	return false
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
	a := StartAppService(header, r)
	tb.Cleanup(a.Close)
	return a
}

// StartAppService starts a fake App Service managed identity endpoint, as
// NewAppService does, outside a test. Close it when done.
func StartAppService(header string, r Response) *AppService {
	a := &AppService{header: header}
	a.tok.set(r)
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	return a
}

// Close shuts the endpoint down.
func (a *AppService) Close() { a.srv.Close() }

// Endpoint is the value for IDENTITY_ENDPOINT.
func (a *AppService) Endpoint() string { return a.srv.URL + "/msi/token" }

// AzureEnv lists the environment variables that steer azidentity's
// credentials: a test or program playing a credential against the fakes
// starts with all of them unset.
var AzureEnv = []string{
	"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
	"AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
	"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "AZURE_USERNAME", "AZURE_PASSWORD",
	"AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST", "AZURE_TOKEN_CREDENTIALS",
	"AZURE_ADDITIONALLY_ALLOWED_TENANTS", "AZURE_REGIONAL_AUTHORITY_NAME",
	"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
	"MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT",
}

// Env returns the environment that points azidentity at the endpoint:
// IDENTITY_ENDPOINT and IDENTITY_HEADER set, and the variables that would
// select another managed identity source set to "".
func (a *AppService) Env() map[string]string {
	return map[string]string{
		"IDENTITY_SERVER_THUMBPRINT": "",
		"MSI_ENDPOINT":               "",
		"MSI_SECRET":                 "",
		"IMDS_ENDPOINT":              "",
		"IDENTITY_ENDPOINT":          a.Endpoint(),
		"IDENTITY_HEADER":            a.header,
	}
}

// Setenv sets the variables of Env for the rest of tb's test.
func (a *AppService) Setenv(tb testing.TB) {
	tb.Helper()
	for k, v := range a.Env() {
		tb.Setenv(k, v)
	}
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
