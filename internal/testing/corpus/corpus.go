// Package corpus loads the cases of the Azure authentication error corpus:
// real and reconstructed error responses from Entra ID, managed identity
// endpoints, azidentity and Azure resource services, each with its expected
// diagnosis. The cases are embedded, so tests and the example need no files
// at run time; Load reads another directory of cases in the same format.
package corpus

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The cases, in one place: cases holds a copy of the shared corpus, whose
// README is the classifier's specification; more the repository's own
// cases; heldout the cases kept out of the classifier's tuning (see its
// README).
//
//go:embed cases/*.json more/*.json heldout/*.json
var embedded embed.FS

// Case is one corpus file.
type Case struct {
	Name       string            `json:"name"`
	Source     string            `json:"source"`
	Fidelity   string            `json:"fidelity"`
	Kind       string            `json:"kind"`
	Service    string            `json:"service"`
	Endpoint   string            `json:"endpoint"`
	RequestURL string            `json:"request_url"`
	HTTPStatus *int              `json:"http_status"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
	// ErrorText is the error string a Go program would see.
	ErrorText string `json:"error_text"`
	// AzidentityError is the exact Error() text azidentity v1.15.0
	// produces for this response.
	AzidentityError string   `json:"azidentity_error"`
	Expected        Expected `json:"expected"`
	OAuthError      string   `json:"oauth_error"`
	Meaning         string   `json:"meaning"`
	Mitigation      string   `json:"mitigation"`
	Notes           string   `json:"notes"`
}

// Expected is a case's expected diagnosis. Nil pointers are JSON nulls.
type Expected struct {
	Class         string  `json:"class"`
	AADSTSCode    *int    `json:"aadsts_code"`
	ErrorCode     *string `json:"error_code"`
	CorrelationID *string `json:"correlation_id"`
	RequestID     *string `json:"request_id"`
}

// Values is Expected with its optional fields as values: 0 or "" where
// the case expects none.
type Values struct {
	Class                               string
	AADSTS                              int
	ErrorCode, CorrelationID, RequestID string
}

// Values returns e's fields as values.
func (e Expected) Values() Values {
	v := Values{Class: e.Class}
	if e.AADSTSCode != nil {
		v.AADSTS = *e.AADSTSCode
	}
	if e.ErrorCode != nil {
		v.ErrorCode = *e.ErrorCode
	}
	if e.CorrelationID != nil {
		v.CorrelationID = *e.CorrelationID
	}
	if e.RequestID != nil {
		v.RequestID = *e.RequestID
	}
	return v
}

// The kinds of case.
const (
	KindTokenEndpoint         = "token_endpoint"
	KindManagedIdentity       = "managed_identity"
	KindCredentialUnavailable = "credential_unavailable"
	KindServiceResponse       = "service_response"
)

// All returns the cases of the shared corpus, sorted by name.
func All() []Case { return mustLoad("cases") }

// More returns the repository's own cases, sorted by name.
func More() []Case { return mustLoad("more") }

// HeldOut returns the cases kept out of the classifier's tuning, sorted
// by name.
func HeldOut() []Case { return mustLoad("heldout") }

// mustLoad loads the embedded cases of dir.
func mustLoad(dir string) []Case {
	cs, err := load(embedded, dir)
	if err != nil {
		panic(err) // the embedded files are part of the build
	}
	return cs
}

// Get returns the case with the given name, of the shared corpus or the
// repository's own.
func Get(name string) (Case, bool) {
	for _, c := range append(All(), More()...) {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

// MustGet returns the embedded case with the given name, or panics.
func MustGet(name string) Case {
	c, ok := Get(name)
	if !ok {
		panic("corpus: no case " + name)
	}
	return c
}

// Load reads every *.json case in dir, sorted by name.
func Load(dir string) ([]Case, error) {
	return load(os.DirFS(dir), ".")
}

func load(fsys fs.FS, dir string) ([]Case, error) {
	names, err := fs.Glob(fsys, filepath.ToSlash(filepath.Join(dir, "*.json")))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	cases := make([]Case, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var c Case
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("corpus: %s: %w", n, err)
		}
		if c.Name == "" {
			c.Name = strings.TrimSuffix(filepath.Base(n), ".json")
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// Status returns the case's HTTP status, 0 when it has none.
func (c Case) Status() int {
	if c.HTTPStatus == nil {
		return 0
	}
	return *c.HTTPStatus
}

// Header returns the case's response headers as an http.Header.
func (c Case) Header() http.Header {
	h := make(http.Header, len(c.Headers))
	for k, v := range c.Headers {
		h.Add(k, v)
	}
	return h
}

// Request returns the request the case's response answers: the case's
// request_url when it has one, else a request of the kind the case
// describes (a token request to Entra ID, a managed identity request to the
// endpoint it names, a call to the service it names).
func (c Case) Request() *http.Request {
	method, raw := c.requestLine()
	u, err := url.Parse(raw)
	if err != nil {
		u = &url.URL{Scheme: "https", Host: "example.invalid", Path: "/"}
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}}
	if c.Kind == KindManagedIdentity {
		switch ep := strings.ToLower(c.Endpoint); {
		case strings.Contains(ep, "app service") || strings.Contains(ep, "functions"):
			req.Header.Set("X-Identity-Header", "header")
		case strings.Contains(ep, "service fabric"):
			req.Header.Set("Secret", "secret")
		case strings.Contains(ep, " ml") || strings.Contains(ep, "machine learning"):
			req.Header.Set("Secret", "secret")
		default:
			req.Header.Set("Metadata", "true")
		}
	}
	return req
}

// Response returns the case's HTTP response, with its Request set, or nil
// when the case has no HTTP status.
func (c Case) Response() *http.Response {
	if c.HTTPStatus == nil {
		return nil
	}
	return &http.Response{
		StatusCode:    *c.HTTPStatus,
		Status:        fmt.Sprintf("%d %s", *c.HTTPStatus, http.StatusText(*c.HTTPStatus)),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        c.Header(),
		Body:          io.NopCloser(bytes.NewReader([]byte(c.Body))),
		ContentLength: int64(len(c.Body)),
		Request:       c.Request(),
	}
}

func (c Case) requestLine() (method, raw string) {
	if c.RequestURL != "" {
		if m, u, ok := strings.Cut(c.RequestURL, " "); ok && strings.ToUpper(m) == m {
			return m, u
		}
		return http.MethodGet, c.RequestURL
	}
	switch c.Kind {
	case KindTokenEndpoint:
		return http.MethodPost, "https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee/oauth2/v2.0/token"
	case KindManagedIdentity:
		return managedIdentityURL(c.Endpoint)
	default:
		return http.MethodGet, serviceURL(c.Service)
	}
}

func managedIdentityURL(endpoint string) (method, raw string) {
	const resource = "resource=https%3A%2F%2Fmanagement.azure.com"
	if i := strings.Index(endpoint, "http"); i >= 0 {
		u, _, _ := strings.Cut(endpoint[i:], " ")
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		return http.MethodGet, u + sep + "api-version=2018-02-01&" + resource
	}
	switch ep := strings.ToLower(endpoint); {
	case strings.Contains(ep, "app service") || strings.Contains(ep, "functions") || strings.Contains(ep, "container apps"):
		return http.MethodGet, "http://127.0.0.1:41741/msi/token?api-version=2019-08-01&" + resource
	case strings.Contains(ep, "arc"):
		return http.MethodGet, "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&" + resource
	case strings.Contains(ep, "service fabric"):
		return http.MethodGet, "https://10.0.0.4:2377/metadata/identity/oauth2/token?api-version=2019-07-01-preview&" + resource
	case strings.Contains(ep, " ml") || strings.Contains(ep, "machine learning"):
		return http.MethodGet, "http://127.0.0.1:46808/MSI/auth?api-version=2017-09-01&" + resource
	case strings.Contains(ep, "cloud shell"):
		return http.MethodPost, "http://localhost:50342/oauth2/token"
	default: // IMDS, and whatever intercepts its address
		return http.MethodGet, "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&" + resource
	}
}

func serviceURL(service string) string {
	switch s := strings.ToLower(service); {
	case strings.Contains(s, "resource manager"):
		return "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups?api-version=2022-09-01"
	case strings.Contains(s, "storage") && strings.Contains(s, "table"):
		return "https://account.table.core.windows.net/Tables"
	case strings.Contains(s, "storage") && strings.Contains(s, "queue"):
		return "https://account.queue.core.windows.net/queue/messages"
	case strings.Contains(s, "storage") && strings.Contains(s, "file"):
		return "https://account.file.core.windows.net/share/file"
	case strings.Contains(s, "storage"):
		return "https://account.blob.core.windows.net/container/blob"
	case strings.Contains(s, "key vault"):
		return "https://vault.vault.azure.net/secrets/name?api-version=7.5"
	case strings.Contains(s, "graph"):
		return "https://graph.microsoft.com/v1.0/me"
	case strings.Contains(s, "cosmos"):
		return "https://account.documents.azure.com/dbs"
	case strings.Contains(s, "service bus"):
		return "https://namespace.servicebus.windows.net/queue/messages"
	case strings.Contains(s, "event hubs"):
		return "https://namespace.servicebus.windows.net/hub/messages"
	case strings.Contains(s, "openai"):
		return "https://resource.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21"
	case strings.Contains(s, "foundry") || strings.Contains(s, "cognitive"):
		return "https://resource.cognitiveservices.azure.com/language/:analyze-text?api-version=2023-04-01"
	default:
		return "https://service.azure.com/"
	}
}
