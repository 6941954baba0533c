package azauthtrace

import (
	"io"
	"net/http"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// MaxBodyRead is the most FromResponse reads of a response body: 64 KiB.
// Error bodies are far smaller; a longer body is classified on its prefix.
const MaxBodyRead = 64 << 10

// Recognizes reports whether FromResponse would diagnose resp, without
// reading its body: a 401 or 403 from a service, a service failure whose
// x-ms-error-code is an authorization failure's, or any failure status
// from Entra ID or a managed identity endpoint. It allocates nothing, so that a
// policy or transport can call it on every response.
func Recognizes(resp *http.Response) bool {
	switch {
	case resp == nil || resp.StatusCode < 400 || resp.StatusCode > 599:
		return false
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return true // whoever answered: no need to find out who
	}
	if _, ok := knownCode(header(resp.Header, "X-Ms-Error-Code")); ok {
		// A service's code of an auth failure under another status
		// (Storage's 409 PublicAccessNotPermitted).
		return true
	}
	return detectOrigin(resp.Request, resp.Header).source != SourceService
}

// FromResponse diagnoses resp. ok is false when resp is not an
// authentication or authorization failure: nil, a success, or a service
// response other than 401 and 403 whose x-ms-error-code is no
// authorization failure's (a service's 404 or 500 is not an auth failure;
// Entra ID's and managed identity endpoints' are).
//
// FromResponse reads at most [MaxBodyRead] bytes of the body, and leaves
// resp.Body readable with the identical bytes: a body that azcore has
// already buffered is not read at all, and the prefix read from any other
// body is put back in front of the rest. It decides who answered from
// resp.Request (the host and path) and from the response headers.
func FromResponse(resp *http.Response) (f Failure, ok bool) {
	if !Recognizes(resp) {
		return Failure{}, false
	}
	f = classifyResponse(resp, detectOrigin(resp.Request, resp.Header), peekBody(resp))
	f.Grant = grantFor(&f, resp.Request, resp.Header)
	sc := safe.FromRequest(resp.Request)
	f.clean(sc)
	f.Grant.clean(sc)
	return f, true
}

// peekBody returns up to MaxBodyRead bytes of resp.Body and leaves the body
// readable from its start.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	// azcore's buffered bodies (and bytes.Buffer) expose their bytes.
	if bb, ok := resp.Body.(interface{ Bytes() []byte }); ok {
		b := bb.Bytes()
		return b[:min(len(b), MaxBodyRead)]
	}
	prefix, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyRead))
	if err == nil && len(prefix) < MaxBodyRead {
		err = io.EOF // the errorBody ended within the prefix
	}
	resp.Body = &splicedBody{prefix: prefix, err: err, rest: resp.Body}
	return prefix
}

// splicedBody replays the prefix the classifier read, then the rest of the
// original body. The error that ended the reading of the prefix (io.EOF
// when the whole body fit in it) is returned after the prefix.
type splicedBody struct {
	prefix []byte
	off    int
	err    error
	rest   io.ReadCloser
}

// Read reads the prefix, then the rest of the original body.
func (b *splicedBody) Read(p []byte) (int, error) {
	if b.off < len(b.prefix) {
		n := copy(p, b.prefix[b.off:])
		b.off += n
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.rest.Read(p)
}

// Close closes the original body.
func (b *splicedBody) Close() error { return b.rest.Close() }

// classifyResponse diagnoses a failed response from o whose body starts
// with b.
func classifyResponse(resp *http.Response, o origin, b []byte) Failure {
	bd := parseBody(b)
	return classifyBody(resp, o, &bd)
}

// classifyBody diagnoses a failed response from o whose body has been
// read into bd.
func classifyBody(resp *http.Response, o origin, bd *errorBody) Failure {
	f := Failure{StatusCode: resp.StatusCode, Source: o.source, Service: o.service}
	switch o.source {
	case SourceIdentityProvider:
		classifyToken(&f, bd, resp.Header)
	case SourceManagedIdentity:
		classifyManagedIdentity(&f, bd, resp.Header, o.mi)
	default:
		classifyService(&f, bd, resp.Header, resp.Request)
	}
	advise(&f)
	return f
}
