// Package fakeservice runs local fakes of Azure resource services (Azure
// Resource Manager, Blob Storage, Key Vault, Microsoft Graph) over TLS, for
// tests and examples that need real SDK clients to meet real failure
// responses.
//
// One [Server] serves every service under its real host name (see
// [ARMHost] and the others): a client built with [Server.Client] as its
// transport trusts the fake's certificate and reaches the fake whatever
// host it dials, so URLs, server.address and the SDK's host-based logic
// look as they do against Azure. Each [Route] answers with a corpus case
// ([Case]) or [OK], and the server records the [Request]s it saw.
package fakeservice

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
)

// The host names the fake serves. Any subdomain of the Storage and Key
// Vault domains works too.
const (
	ARMHost      = "management.azure.com"
	StorageHost  = "fakeaccount.blob.core.windows.net"
	KeyVaultHost = "fakevault.vault.azure.net"
	GraphHost    = "graph.microsoft.com"
)

// Response is what a route answers.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Case returns the response of the corpus case with the given name. It
// panics if there is no such case or the case has no HTTP response.
func Case(name string) Response {
	c := corpus.MustGet(name)
	if c.Status() == 0 {
		panic("fakeservice: corpus case " + name + " has no HTTP response")
	}
	return Response{Status: c.Status(), Header: c.Header(), Body: c.Body}
}

// OK returns a 200 response with a JSON body and the request ID headers
// Azure services send.
func OK(body string) Response {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("x-ms-request-id", "00000000-0000-0000-0000-0000000000aa")
	return Response{Status: http.StatusOK, Header: h, Body: body}
}

// Route says how the server answers the requests that match Pattern.
type Route struct {
	// Pattern is an [http.ServeMux] pattern with the host, such as
	// "GET management.azure.com/subscriptions/{id}/resourcegroups".
	Pattern string
	// Response is the answer to the requests on the route.
	Response Response
	// Accept, when not nil, is asked first: the requests it accepts are
	// answered with Accepted instead of Response. A fake of Continuous
	// Access Evaluation answers a claims challenge until the client
	// presents a token obtained for the claims.
	Accept func(Request) bool
	// Accepted answers the accepted requests; the zero value means
	// OK("{}").
	Accepted Response
}

// Request is a request the server received.
type Request struct {
	Method string
	Host   string
	Path   string
	// TokenClaims are the payload claims of the request's bearer token,
	// nil when it had none.
	TokenClaims map[string]any
}

// HasClaim returns an Accept function that accepts the requests whose
// bearer token carries the claim.
func HasClaim(claim string) func(Request) bool {
	return func(r Request) bool {
		_, ok := r.TokenClaims[claim]
		return ok
	}
}

// Server is a running fake. It is safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	client *http.Client

	mu       sync.Mutex
	requests []Request
}

// FailureRoutes are the corpus failures the end-to-end tests meet, one per
// service: ARM's 403 AuthorizationFailed on a subscription's resource
// groups and its 401 expired token on its providers, Storage's 403 on any
// blob, Key Vault's 403 on any secret, and Graph's claims challenge on
// /v1.0/me until the token carries the xms_cc claim.
func FailureRoutes() []Route {
	return []Route{
		{Pattern: "GET " + ARMHost + "/subscriptions/{sub}/resourcegroups", Response: Case("arm_403_authorization_failed")},
		{Pattern: "GET " + ARMHost + "/subscriptions/{sub}/providers", Response: Case("arm_401_expired_authentication_token")},
		{Pattern: "GET " + StorageHost + "/{container}/{blob}", Response: Case("storage_403_authorization_permission_mismatch")},
		{Pattern: "GET " + KeyVaultHost + "/secrets/{name}", Response: Case("keyvault_403_forbidden_by_rbac")},
		{Pattern: "GET " + GraphHost + "/v1.0/me", Response: Case("graph_401_cae_insufficient_claims_location"), Accept: HasClaim("xms_cc")},
	}
}

// Start starts a server answering on routes; other requests get a 404.
// Close it when done.
func Start(routes ...Route) *Server {
	s := &Server{}
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.Pattern, func(w http.ResponseWriter, r *http.Request) {
			resp := rt.Response
			if rt.Accept != nil && rt.Accept(requestOf(r)) {
				resp = rt.Accepted
				if resp.Status == 0 {
					resp = OK("{}")
				}
			}
			write(w, r, resp)
		})
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		mux.ServeHTTP(w, r)
	})
	s.srv = httptest.NewUnstartedServer(handler)
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{certificate()}}
	s.srv.StartTLS()
	addr := s.srv.Listener.Addr().String()
	tr := s.srv.Client().Transport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	s.client = &http.Client{Transport: tr}
	return s
}

// Close shuts the server down.
func (s *Server) Close() {
	s.client.CloseIdleConnections()
	s.srv.Close()
}

// Client returns an HTTP client that sends every request to the server
// and trusts its certificate. It satisfies azcore's policy.Transporter:
// set it as ClientOptions.Transport.
func (s *Server) Client() *http.Client { return s.client }

// URL returns the base URL of a host the server serves, such as
// "https://management.azure.com".
func (s *Server) URL(host string) string { return "https://" + host }

// Requests returns the requests the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) record(r *http.Request) {
	req := requestOf(r)
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
}

func requestOf(r *http.Request) Request {
	return Request{
		Method:      r.Method,
		Host:        r.Host,
		Path:        r.URL.Path,
		TokenClaims: tokenClaims(r.Header.Get("Authorization")),
	}
}

// write sends resp, compressing the body when its headers say it is.
func write(w http.ResponseWriter, r *http.Request, resp Response) {
	body := []byte(resp.Body)
	for k, vs := range resp.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Transfer-Encoding", "Connection":
			continue // the server sets these for the bytes it sends
		}
		w.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if strings.EqualFold(w.Header().Get("Content-Encoding"), "gzip") {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = b.Bytes()
	}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	if r.Method != http.MethodHead {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(resp.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// tokenClaims decodes the payload of a bearer JWT, without checking it.
func tokenClaims(authorization string) map[string]any {
	token, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok {
		return nil
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return map[string]any{}
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return map[string]any{}
	}
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	return m
}

var (
	certOnce sync.Once
	cert     tls.Certificate
)

// certificate returns a self-signed certificate for every host the fake
// serves, made once per process.
func certificate() tls.Certificate {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{Organization: []string{"azauthtrace fake services"}},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			IsCA:         true,

			BasicConstraintsValid: true,
			DNSNames: []string{
				ARMHost, GraphHost,
				"*.blob.core.windows.net", "*.vault.azure.net",
				"localhost",
			},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			panic(err)
		}
		cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return cert
}
