package azauthtrace_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/corpus"
)

// checkFailure asserts what holds of every diagnosis, whatever the input.
func checkFailure(t *testing.T, f azauthtrace.Failure) {
	t.Helper()
	if !slices.Contains(azauthtrace.Classes(), f.Class) {
		t.Fatalf("class %q is not one of the classes", f.Class)
	}
	if len(f.Description) > azauthtrace.MaxDescription || strings.ContainsAny(f.Description, "\r\n") {
		t.Fatalf("Description is not one short line: %q", f.Description)
	}
	if f.Mitigation == "" {
		t.Fatal("no mitigation")
	}
	for _, c := range f.Chain {
		checkFailure(t, c)
	}
}

// fuzzResponse classifies a response of the kind of c with the given body,
// and checks the body survives.
func fuzzResponse(t *testing.T, c corpus.Case, status int, body []byte) {
	c.HTTPStatus = &status
	resp := c.Response()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = -1
	f, ok := azauthtrace.FromResponse(resp)
	if ok {
		checkFailure(t, f)
	}
	after, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(after, body) {
		t.Fatalf("body changed: %q, %v", after, err)
	}
}

// FuzzTokenBody fuzzes the Entra ID token endpoint body parser.
func FuzzTokenBody(f *testing.F) {
	for _, c := range corpus.All() {
		if c.Kind == corpus.KindTokenEndpoint || c.Kind == corpus.KindManagedIdentity {
			f.Add(c.Status(), []byte(c.Body))
		}
	}
	tokenCase := corpus.MustGet("aadsts7000215_invalid_client_secret_v2")
	imdsCase := corpus.MustGet("imds_400_identity_not_found_system_assigned")
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + abs(status)%200
		fuzzResponse(t, tokenCase, status, body)
		fuzzResponse(t, imdsCase, status, body)
	})
}

// FuzzServiceBody fuzzes the service error body parsers (JSON and XML).
func FuzzServiceBody(f *testing.F) {
	for _, c := range corpus.All() {
		if c.Kind == corpus.KindServiceResponse {
			f.Add(c.Status() == 401, []byte(c.Body), c.Header().Get("X-Ms-Error-Code"))
		}
	}
	arm := corpus.MustGet("arm_403_authorization_failed")
	storage := corpus.MustGet("storage_403_authorization_permission_mismatch")
	f.Fuzz(func(t *testing.T, unauthorized bool, body []byte, errorCode string) {
		status := 403
		if unauthorized {
			status = 401
		}
		fuzzResponse(t, arm, status, body)
		storage.Headers = map[string]string{"x-ms-error-code": errorCode}
		fuzzResponse(t, storage, status, body)
	})
}

// FuzzChallenge fuzzes the WWW-Authenticate parser: it never panics and
// never keeps the claims value.
func FuzzChallenge(f *testing.F) {
	for _, c := range corpus.All() {
		if v := c.Header().Get("Www-Authenticate"); v != "" {
			f.Add(v)
		}
	}
	f.Add(`Bearer claims="c2VjcmV0LWNsYWltcy12YWx1ZQ", error="insufficient_claims"`)
	f.Add(`Basic realm=/var/opt/azcmagent/tokens/x.key`)
	const canary = "Q0FOQVJZY2xhaW1zdmFsdWU"
	f.Fuzz(func(t *testing.T, v string) {
		if strings.Contains(v, canary) {
			return
		}
		// Whatever comes before it, a claims value never reaches a field.
		h := http.Header{"Www-Authenticate": {v + `, claims="` + canary + `"`, v}}
		ch := azauthtrace.ParseChallenge(h)
		for _, field := range []string{ch.Scheme, ch.Error, ch.Description, ch.AuthorizationURI, ch.Resource, ch.ClaimsReason} {
			if strings.Contains(field, canary) {
				t.Fatalf("the claims value reached %q", field)
			}
		}
	})
}

// FuzzErrorText fuzzes the error text parsers: azidentity's and azcore's
// error formats and the credential chains' aggregate errors.
func FuzzErrorText(f *testing.F) {
	for _, c := range corpus.All() {
		for _, s := range []string{c.ErrorText, c.AzidentityError} {
			if s != "" {
				f.Add(s)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fl, ok := azauthtrace.FromError(errors.New(s)); ok {
			checkFailure(t, fl)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}
