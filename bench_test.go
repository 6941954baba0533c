package azauthtrace_test

import (
	"bytes"
	"encoding/json"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
)

// resetBody points resp at a fresh reader over body, as a new response
// from the transport would be.
type resetBody struct {
	bytes.Reader
}

func (*resetBody) Close() error { return nil }

func benchResponse(b *testing.B, c corpus.Case) (*http.Response, func()) {
	b.Helper()
	resp := c.Response()
	body := &resetBody{}
	data := []byte(c.Body)
	return resp, func() {
		body.Reset(data)
		resp.Body = body
	}
}

// BenchmarkFromResponse compares FromResponse on a success, on a service
// error that is not an auth failure, and on ARM's 403 AuthorizationFailed,
// with the floor of decoding that 403's body into a two-field struct with
// encoding/json.
func BenchmarkFromResponse(b *testing.B) {
	arm := corpus.MustGet("arm_403_authorization_failed")

	// The 403's body under statuses that are not auth failures.
	for _, nf := range []struct {
		status int
		why    string
	}{
		{200, "a 200 is not a failure"},
		{404, "a service 404 is not an auth failure"},
	} {
		b.Run(strconv.Itoa(nf.status), func(b *testing.B) {
			c := arm
			c.HTTPStatus = &nf.status
			resp, reset := benchResponse(b, c)
			b.ReportAllocs()
			for b.Loop() {
				reset()
				if _, ok := azauthtrace.FromResponse(resp); ok {
					b.Fatal(nf.why)
				}
			}
		})
	}
	// Kept apart from the loop above: using the failure it returns is part
	// of what this measures.
	b.Run("arm_403", func(b *testing.B) {
		resp, reset := benchResponse(b, arm)
		b.ReportAllocs()
		for b.Loop() {
			reset()
			f, ok := azauthtrace.FromResponse(resp)
			if !ok || f.ErrorCode != "AuthorizationFailed" || f.Action == "" {
				b.Fatalf("%+v", f)
			}
		}
	})
	b.Run("arm_403_buffered", func(b *testing.B) {
		// azcore has already buffered the body, as it has for a pipeline
		// policy: runtime.Payload leaves azcore's own buffered body in
		// place.
		resp := arm.Response()
		if _, err := runtime.Payload(resp); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			f, ok := azauthtrace.FromResponse(resp)
			if !ok || f.ErrorCode != "AuthorizationFailed" || f.Action == "" {
				b.Fatalf("%+v", f)
			}
		}
	})
	b.Run("json_floor", func(b *testing.B) {
		resp, reset := benchResponse(b, arm)
		b.ReportAllocs()
		for b.Loop() {
			reset()
			var v struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			data, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(data, &v); err != nil || v.Error.Code == "" {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFromError measures the text path on a DefaultAzureCredential
// aggregate error.
func BenchmarkFromError(b *testing.B) {
	err := errorString(corpus.MustGet("dac_stopped_on_workload_identity_70021_agc_doc").ErrorText)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := azauthtrace.FromError(err); !ok {
			b.Fatal("not recognised")
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
