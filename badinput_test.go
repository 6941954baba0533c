package azauthtrace_test

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
)

func serviceResponse(status int, header http.Header, body io.ReadCloser) *http.Response {
	u, _ := url.Parse("https://management.azure.com/subscriptions/x/resourcegroups?api-version=2022-09-01")
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: body, ContentLength: -1, Request: &http.Request{Method: "GET", URL: u, Header: http.Header{}}}
}

// TestFromResponseBadInput feeds responses a gateway, a proxy or a broken
// service could send: each gets a sensible diagnosis or ok == false, never
// a panic, and the body stays as it was.
func TestFromResponseBadInput(t *testing.T) {
	token := corpus.MustGet("aadsts7000215_invalid_client_secret_v2")
	huge := http.Header{}
	huge.Set("Www-Authenticate", "Bearer "+strings.Repeat(`a="b", `, 20000)+`error="insufficient_claims", claims="e30="`)
	huge.Set("X-Ms-Request-Id", strings.Repeat("r", 1<<20))
	cases := []struct {
		name   string
		resp   *http.Response
		ok     bool
		class  azauthtrace.Class
		status int
	}{
		{name: "nil", resp: nil},
		{name: "200", resp: serviceResponse(200, nil, io.NopCloser(strings.NewReader("{}")))},
		{name: "service 404", resp: serviceResponse(404, nil, io.NopCloser(strings.NewReader("{}")))},
		{name: "service 500", resp: serviceResponse(500, nil, io.NopCloser(strings.NewReader("<html>oops</html>")))},
		{name: "nil body 403", resp: serviceResponse(403, nil, nil), ok: true, class: azauthtrace.ClassPermission},
		{name: "NoBody 401", resp: serviceResponse(401, nil, http.NoBody), ok: true, class: azauthtrace.ClassTokenRejected},
		{name: "empty 403", resp: serviceResponse(403, nil, io.NopCloser(strings.NewReader(""))), ok: true, class: azauthtrace.ClassPermission},
		{name: "html 403 from a gateway", resp: serviceResponse(403, http.Header{"Content-Type": {"text/html"}},
			io.NopCloser(strings.NewReader("<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>nginx</body></html>"))),
			ok: true, class: azauthtrace.ClassPermission},
		{name: "truncated json 403", resp: serviceResponse(403, nil, io.NopCloser(strings.NewReader(`{"error":{"code":"AuthorizationFai`))),
			ok: true, class: azauthtrace.ClassPermission},
		{name: "json with wrong content type", resp: serviceResponse(403, http.Header{"Content-Type": {"text/plain"}},
			io.NopCloser(strings.NewReader(`{"error":{"code":"AuthorizationFailed","message":"m"}}`))), ok: true, class: azauthtrace.ClassPermission},
		{name: "deeply nested json", resp: serviceResponse(401, nil, io.NopCloser(strings.NewReader(strings.Repeat("[", 100000)))),
			ok: true, class: azauthtrace.ClassTokenRejected},
		{name: "huge headers", resp: serviceResponse(401, huge, http.NoBody), ok: true, class: azauthtrace.ClassClaimsChallenge},
		{name: "letters that lower-case longer before a secret parameter", resp: serviceResponse(403, nil,
			io.NopCloser(strings.NewReader(`{"error":{"code":"AuthorizationFailed","message":"`+strings.Repeat("Ⱥ", 20)+`&key=a"}}`))),
			ok: true, class: azauthtrace.ClassPermission},
		{name: "no request", resp: &http.Response{StatusCode: 403, Header: http.Header{}, Body: http.NoBody}, ok: true, class: azauthtrace.ClassPermission},
		{name: "token endpoint html 500", resp: func() *http.Response {
			r := token.Response()
			r.StatusCode = 500
			r.Body = io.NopCloser(strings.NewReader("<html><title>Service Unavailable</title></html>"))
			return r
		}(), ok: true, class: azauthtrace.ClassTransient},
		{name: "token endpoint non-json 400", resp: func() *http.Response {
			r := token.Response()
			r.StatusCode = 400
			r.Body = io.NopCloser(strings.NewReader("Bad Request"))
			return r
		}(), ok: true, class: azauthtrace.ClassConfiguration},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before []byte
			if c.resp != nil && c.resp.Body != nil && c.resp.Body != http.NoBody {
				before, _ = io.ReadAll(c.resp.Body)
				c.resp.Body = io.NopCloser(bytes.NewReader(before))
			}
			f, ok := azauthtrace.FromResponse(c.resp)
			if ok != c.ok || f.Class != c.class {
				t.Fatalf("FromResponse = %q, %v; want %q, %v", f.Class, ok, c.class, c.ok)
			}
			if len(f.Description) > azauthtrace.MaxDescription || strings.ContainsAny(f.Description, "\r\n") {
				t.Errorf("Description is not one short line: %q", f.Description)
			}
			if before != nil {
				after, err := io.ReadAll(c.resp.Body)
				if err != nil || !bytes.Equal(after, before) {
					t.Errorf("body changed: %d bytes, %v; want %d bytes", len(after), err, len(before))
				}
			}
		})
	}
}

// stream is a deterministic body of n bytes that counts what was read.
type stream struct {
	n, read int64
	closed  bool
}

func (s *stream) Read(p []byte) (int, error) {
	if s.read >= s.n {
		return 0, io.EOF
	}
	if rem := s.n - s.read; int64(len(p)) > rem {
		p = p[:rem]
	}
	for filled := 0; filled < len(p); {
		filled += copy(p[filled:], pattern[(s.read+int64(filled))%251:])
	}
	s.read += int64(len(p))
	return len(p), nil
}

// pattern repeats a 251-byte cycle, so that a shifted body reads differently.
var pattern = func() []byte {
	b := make([]byte, 251*256)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}()

func (s *stream) Close() error { s.closed = true; return nil }

// TestRecognizesAgreesWithFromResponse checks Recognizes, which reads no
// body, against FromResponse on statuses and origins that are and are not
// auth failures.
func TestRecognizesAgreesWithFromResponse(t *testing.T) {
	for _, rawURL := range []string{
		"https://management.azure.com/subscriptions/s",
		"https://127.0.0.1:8443/unknown",
		"http://169.254.169.254/metadata/identity/oauth2/token?resource=r",
		"https://login.microsoftonline.com/t/oauth2/v2.0/token",
	} {
		for _, status := range []int{200, 204, 301, 400, 401, 403, 404, 429, 500, 503, 600} {
			u, err := url.Parse(rawURL)
			if err != nil {
				t.Fatal(err)
			}
			resp := func() *http.Response {
				return &http.Response{
					StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
					Body:    io.NopCloser(strings.NewReader(`{"error":"invalid_request","error_description":"AADSTS90002: Tenant not found."}`)),
					Request: &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}},
				}
			}
			_, ok := azauthtrace.FromResponse(resp())
			if got := azauthtrace.Recognizes(resp()); got != ok {
				t.Errorf("%d from %s: Recognizes = %v, FromResponse ok = %v", status, rawURL, got, ok)
			}
		}
	}
	if azauthtrace.Recognizes(nil) {
		t.Error("Recognizes(nil) = true")
	}
}

// TestFromResponseStreamingBody reads at most MaxBodyRead of a 1 GiB
// streaming 403 body, and leaves the whole stream readable, byte for byte.
func TestFromResponseStreamingBody(t *testing.T) {
	const size = 1 << 30
	if testing.Short() {
		t.Skip("reads 1 GiB")
	}
	body := &stream{n: size}
	resp := serviceResponse(403, http.Header{"X-Ms-Error-Code": {"AuthorizationPermissionMismatch"}}, body)
	f, ok := azauthtrace.FromResponse(resp)
	if !ok || f.Class != azauthtrace.ClassPermission || f.ErrorCode != "AuthorizationPermissionMismatch" {
		t.Fatalf("FromResponse = %+v, %v", f, ok)
	}
	if body.read > azauthtrace.MaxBodyRead {
		t.Fatalf("FromResponse read %d bytes, more than MaxBodyRead %d", body.read, azauthtrace.MaxBodyRead)
	}
	want := crc32.NewIEEE()
	if _, err := io.Copy(want, &stream{n: size}); err != nil {
		t.Fatal(err)
	}
	got := crc32.NewIEEE()
	n, err := io.Copy(got, resp.Body)
	if err != nil || n != size || got.Sum32() != want.Sum32() {
		t.Fatalf("body after FromResponse: %d bytes, %v, crc %x; want %d bytes, crc %x", n, err, got.Sum32(), size, want.Sum32())
	}
	if err := resp.Body.Close(); err != nil || !body.closed {
		t.Fatalf("Close = %v, closed the original body: %v", err, body.closed)
	}
}

// errReader fails after its data, as a reset connection does.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

// TestFromResponseKeepsReadError hands the caller the error the body
// returned while FromResponse read it, after the bytes read before it.
func TestFromResponseKeepsReadError(t *testing.T) {
	boom := errors.New("connection reset")
	resp := serviceResponse(403, nil, io.NopCloser(&errReader{r: strings.NewReader(`{"error":{"code":"AuthorizationFailed"`), err: boom}))
	if _, ok := azauthtrace.FromResponse(resp); !ok {
		t.Fatal("not recognised")
	}
	got, err := io.ReadAll(resp.Body)
	if string(got) != `{"error":{"code":"AuthorizationFailed"` || !errors.Is(err, boom) {
		t.Fatalf("ReadAll = %q, %v; want the prefix and %v", got, err, boom)
	}
}

// TestFromErrorBadInput gives FromError errors that say nothing about
// authentication, or say it badly.
func TestFromErrorBadInput(t *testing.T) {
	for _, c := range []struct {
		err   error
		ok    bool
		class azauthtrace.Class
	}{
		{err: nil},
		{err: errors.New("")},
		{err: errors.New("disk full")},
		{err: errors.New("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:"), ok: true, class: azauthtrace.ClassCredentialUnavailable},
		{err: errors.New("ClientSecretCredential authentication failed. \nPOST https://login.microsoftonline.com/t/oauth2/v2.0/token\n" + strings.Repeat("-", 80) + "\nRESPONSE 401"), ok: true, class: azauthtrace.ClassAuthentication},
		{err: errors.New("RESPONSE 999999999999999999999"), ok: false},
		{err: errors.New(strings.Repeat("AADSTS", 10000)), ok: false},
	} {
		f, ok := azauthtrace.FromError(c.err)
		if ok != c.ok || f.Class != c.class {
			t.Errorf("FromError(%.60q) = %q, %v; want %q, %v", errText(c.err), f.Class, ok, c.class, c.ok)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestFromErrorNamesTheCredential finds the credential type wherever
// azidentity's wording puts it.
func TestFromErrorNamesTheCredential(t *testing.T) {
	for text, want := range map[string]string{
		"AzureCLICredential: executable not found on path":                                               "AzureCLICredential",
		"listing groups: AzureCLICredential: executable not found on path":                               "AzureCLICredential",
		"AzureCLICredential.GetToken(): ERROR: run az login --claims-challenge <claims> --scope x":       "AzureCLICredential",
		"InteractiveBrowserCredential can't acquire a token without user interaction. Call Authenticate": "InteractiveBrowserCredential",
	} {
		f, ok := azauthtrace.FromError(errors.New(text))
		if !ok || f.Credential != want {
			t.Errorf("FromError(%q).Credential = %q, %v; want %q", text, f.Credential, ok, want)
		}
	}
}

// TestParsersAreLinear feeds the parsers the inputs that cost the most
// per byte (escaped quoted strings, entities, nesting, many short
// strings), at two sizes: the memory a response costs is a small multiple
// of its size, read once.
func TestParsersAreLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations under the race detector are not a program's; test.sh runs this test without it")
	}
	inputs := map[string]func(n int) *http.Response{
		"WWW-Authenticate of escaped quoted strings": func(n int) *http.Response {
			h := http.Header{"Www-Authenticate": {"Bearer " + strings.Repeat(`a="\"x\"", `, n/10)}}
			return serviceResponse(401, h, http.NoBody)
		},
		"WWW-Authenticate of one long escaped string": func(n int) *http.Response {
			h := http.Header{"Www-Authenticate": {`Bearer error_description="` + strings.Repeat(`\"`, n/2) + `"`}}
			return serviceResponse(401, h, http.NoBody)
		},
		"XML of entities": func(n int) *http.Response {
			body := "<Error><Code>AuthorizationFailure</Code><Message>" + strings.Repeat("&amp;&lt;&#39;", n/14) + "</Message></Error>"
			return serviceResponse(403, nil, io.NopCloser(strings.NewReader(body)))
		},
		"JSON nesting": func(n int) *http.Response {
			return serviceResponse(403, nil, io.NopCloser(strings.NewReader(strings.Repeat(`{"error":`, n/9))))
		},
		"JSON of short strings": func(n int) *http.Response {
			return serviceResponse(403, nil, io.NopCloser(strings.NewReader(`{"a":[`+strings.Repeat(`"x",`, n/4)+`"x"]}`)))
		},
		"JSON of escapes": func(n int) *http.Response {
			return serviceResponse(403, nil, io.NopCloser(strings.NewReader(`{"error":{"message":"`+strings.Repeat(`\u00e9`, n/6)+`"}}`)))
		},
		"huge request ID": func(n int) *http.Response {
			return serviceResponse(403, http.Header{"X-Ms-Request-Id": {strings.Repeat("r", n)}}, http.NoBody)
		},
	}
	for name, make := range inputs {
		t.Run(name, func(t *testing.T) {
			// One call first, so that what the first call of a process
			// sets up once (encoding/json's caches) is not counted.
			if _, ok := azauthtrace.FromResponse(make(64)); !ok {
				t.Fatal("not recognised")
			}
			for _, n := range []int{64 << 10, 1 << 20} {
				const calls = 3
				resps := []*http.Response{make(n), make(n), make(n)}
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for _, resp := range resps {
					if _, ok := azauthtrace.FromResponse(resp); !ok {
						t.Fatal("not recognised")
					}
				}
				runtime.ReadMemStats(&after)
				if got := (after.TotalAlloc - before.TotalAlloc) / calls; got > uint64(4*n+512<<10) {
					t.Errorf("%d bytes of input: %d bytes allocated per call", n, got)
				}
			}
		})
	}
}

// TestFromErrorTypedNil gives FromError wrapped errors that hold typed nil
// pointers of the types it looks for: it must not panic.
func TestFromErrorTypedNil(t *testing.T) {
	var (
		afe *azidentity.AuthenticationFailedError
		re  *azcore.ResponseError
		are *azidentity.AuthenticationRequiredError
	)
	for _, err := range []error{
		fmt.Errorf("getting a token: %w", afe),
		fmt.Errorf("calling ARM: %w", re),
		fmt.Errorf("signing in: %w", are),
		errors.Join(errors.New("x"), afe, re),
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("FromError(%T chain) panicked: %v", err, r)
				}
			}()
			azauthtrace.FromError(err)
		}()
	}
}

// TestFromErrorLongText reads at most MaxErrorText of an error's text: a
// 16 MiB text costs what its first 64 KiB cost.
func TestFromErrorLongText(t *testing.T) {
	head := "AzureCLICredential: ERROR: Please run 'az login' to setup account."
	long := errors.New(head + strings.Repeat(" lorem ipsum", 16<<20/12))
	f, ok := azauthtrace.FromError(long)
	if !ok || f.Class != azauthtrace.ClassCredentialUnavailable {
		t.Fatalf("FromError = %+v, %v", f, ok)
	}
	if raceEnabled {
		return // allocations under the race detector are not a program's
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	azauthtrace.FromError(long)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 16*azauthtrace.MaxErrorText {
		t.Errorf("a 16 MiB error text: %d bytes allocated", got)
	}
}
