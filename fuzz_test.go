package azauthtrace_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/graphperm"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
)

// fuzzCanaries are secrets the fuzz targets plant in their inputs: none
// may reach a Failure. Each holds ZQXJ, which the inputs may not.
var fuzzCanaries = []string{
	"eyJhbGciOiJSUzI1NiJ9.eyJaUVhKIjoxfQ.WlFYSi1zaWduYXR1cmU",
	"sig=ZQXJfuzzSignature",
	"Xk18Q~ZQXJa1b2c3d4e5f6g7h8i9j0kLmNoPqRsT",
	"Bearer ZQXJfuzzToken",
	"password=ZQXJfuzzPassword",
}

// planted reports whether s holds what a fuzz canary marks.
func planted(s string) bool {
	return strings.Contains(s, "ZQXJ") || strings.Contains(s, "WlFYS") || strings.Contains(s, "eyJaUVhK")
}

// checkFailure asserts what holds of every diagnosis, whatever the input:
// a class, a mitigation, and every string valid UTF-8, within its bound,
// on one line, without a planted canary.
func checkFailure(t *testing.T, f azauthtrace.Failure) {
	t.Helper()
	if !slices.Contains(azauthtrace.Classes(), f.Class) {
		t.Fatalf("class %q is not one of the classes", f.Class)
	}
	if f.Mitigation == "" {
		t.Fatal("no mitigation")
	}
	for _, v := range []struct {
		name  string
		value string
		bound int
	}{
		{"ErrorCode", f.ErrorCode, 128}, {"CorrelationID", f.CorrelationID, 64}, {"RequestID", f.RequestID, 64},
		{"Credential", f.Credential, 128}, {"Description", f.Description, azauthtrace.MaxDescription},
		{"Timestamp", f.Timestamp, 40}, {"ErrorURI", f.ErrorURI, 512}, {"TroubleshootingURL", f.TroubleshootingURL, 512},
		{"PrincipalID", f.PrincipalID, 64}, {"PrincipalName", f.PrincipalName, 256}, {"Action", f.Action, 512}, {"Scope", f.Scope, 512},
		{"Challenge.Error", f.Challenge.Error, 128}, {"Challenge.Description", f.Challenge.Description, azauthtrace.MaxDescription},
		{"Challenge.AuthorizationURI", f.Challenge.AuthorizationURI, 512}, {"Challenge.Resource", f.Challenge.Resource, 512},
	} {
		switch {
		case !utf8.ValidString(v.value), len(v.value) > v.bound, strings.ContainsAny(v.value, "\r\n"):
			t.Fatalf("%s is not one valid line of at most %d bytes: %q", v.name, v.bound, v.value)
		case planted(v.value):
			t.Fatalf("a planted secret reached %s: %q", v.name, v.value)
		}
	}
	for _, c := range f.Chain {
		checkFailure(t, c)
	}
}

// plant returns b with each fuzz canary inserted, at the middle of b and
// at its end.
func plant(b []byte) []byte {
	mid := len(b) / 2
	out := append([]byte{}, b[:mid]...)
	for _, c := range fuzzCanaries {
		out = append(out, " "+c+" "...)
	}
	out = append(out, b[mid:]...)
	return append(out, " "+strings.Join(fuzzCanaries, " ")...)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	warmGrants()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// warmGrants decodes the grants' tables, which the first permission
// failure of a process decodes once, so that allocations are measured in
// the steady state.
var warmGrants = sync.OnceFunc(func() {
	rbac.Builtin().Least("Microsoft.Storage/storageAccounts/read", false)
	graphperm.Lookup("GET", "/v1.0/users", graphperm.Token{AppOnly: true})
})

// checkLinear fails the test when work on n bytes of input allocated more
// than a small multiple of them.
func checkLinear(t *testing.T, n int, bytes uint64) {
	t.Helper()
	if limit := uint64(16*n + 256<<10); bytes > limit {
		t.Fatalf("%d bytes allocated for %d bytes of input (limit %d)", bytes, n, limit)
	}
}

// fuzzResponse classifies a response of the kind of c with the given body,
// as it is and with canaries planted, and checks the diagnosis, the work
// and that the body survives.
func fuzzResponse(t *testing.T, c corpus.Case, status int, body []byte) {
	if planted(string(body)) {
		return
	}
	c.HTTPStatus = &status
	for _, b := range [][]byte{body, plant(body)} {
		resp := c.Response()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = -1
		var (
			f  azauthtrace.Failure
			ok bool
		)
		checkLinear(t, len(b), allocated(func() { f, ok = azauthtrace.FromResponse(resp) }))
		if ok {
			checkFailure(t, f)
		}
		after, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(after, b) {
			t.Fatalf("body changed: %q, %v", after, err)
		}
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

// FuzzChallenge fuzzes the WWW-Authenticate parser: it never panics,
// never keeps the claims value nor a planted secret, and its work is
// linear in the header.
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
		if strings.Contains(v, canary) || planted(v) {
			return
		}
		// Whatever comes before it, a claims value never reaches a field.
		h := http.Header{"Www-Authenticate": {v + `, claims="` + canary + `"`, v, string(plant([]byte(v)))}}
		var ch azauthtrace.Challenge
		checkLinear(t, 3*len(v), allocated(func() { ch = azauthtrace.ParseChallenge(h) }))
		for _, field := range []string{ch.Scheme, ch.Error, ch.Description, ch.AuthorizationURI, ch.Resource, ch.ClaimsReason} {
			if strings.Contains(field, canary) || planted(field) || !utf8.ValidString(field) {
				t.Fatalf("a secret reached %q", field)
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
		if planted(s) {
			return
		}
		for _, text := range []string{s, string(plant([]byte(s)))} {
			var (
				fl azauthtrace.Failure
				ok bool
			)
			checkLinear(t, len(text), allocated(func() { fl, ok = azauthtrace.FromError(errors.New(text)) }))
			if ok {
				checkFailure(t, fl)
			}
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
