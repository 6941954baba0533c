package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// canary is in the access token and in every URL's query string; it must
// appear nowhere in the telemetry.
const canary = "canary-7d2e41"

// The claims of the test principal's access token.
const (
	tenantID = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	objectID = "00000000-0000-0000-0000-0000000000c0"
	appID    = "00001111-aaaa-2222-bbbb-3333cccc4444"
)

// accessToken is a JWT for the test principal with the canary in its
// header, in a claim nobody reads and in its signature.
var accessToken = oteltest.JWT(canary, map[string]any{
	"aud": "https://storage.azure.com", "tid": tenantID, "oid": objectID, "appid": appID,
	"idtyp": "app", "xms_canary": canary,
}, canary)

// workloadCredential stands for a real credential: it issues the test
// principal's token.
var workloadCredential = oteltest.Issuing(accessToken, accessToken)

// fakeStorage answers every container and blob request with Storage's 403
// AuthorizationPermissionMismatch.
func fakeStorage() *fakeservice.Server {
	denied := fakeservice.Case("storage_403_authorization_permission_mismatch")
	return fakeservice.Start(
		fakeservice.Route{Pattern: "PUT " + fakeservice.StorageHost + "/{container}", Response: denied},
		fakeservice.Route{Pattern: "GET " + fakeservice.StorageHost + "/{container}/{blob}", Response: denied},
	)
}

// newBlobClient returns an azblob client against srv, as an application
// would set it up: the policy in PerRetryPolicies, the credential wrapped
// by the credential decorator, and azcore tracing through azotel or not.
func newBlobClient(t *testing.T, srv *fakeservice.Server, tel *oteltest.Telemetry, withPolicy, azotelOn bool) *azblob.Client {
	t.Helper()
	opts := &azblob.ClientOptions{}
	opts.Transport = srv.Client()
	opts.Retry = azpolicy.RetryOptions{MaxRetries: -1}
	if withPolicy {
		opts.PerRetryPolicies = []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})}
	}
	if azotelOn {
		opts.TracingProvider = azotel.NewTracingProvider(tel.TracerProvider, nil)
	}
	cred := credential.New(workloadCredential, &credential.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
	client, err := azblob.NewClient(srv.URL(fakeservice.StorageHost)+"/?sig="+canary, cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// operations are the azblob calls the tests make: a normal call, and a
// streaming download.
var operations = []struct {
	name   string
	method string
	path   string
	call   func(context.Context, *azblob.Client) error
}{
	{
		name: "CreateContainer", method: "PUT", path: "/container",
		call: func(ctx context.Context, c *azblob.Client) error {
			_, err := c.CreateContainer(ctx, "container", nil)
			return err
		},
	},
	{
		name: "DownloadStream", method: "GET", path: "/container/blob",
		call: func(ctx context.Context, c *azblob.Client) error {
			resp, err := c.DownloadStream(ctx, "container", "blob", nil)
			if err == nil {
				resp.Body.Close()
			}
			return err
		},
	},
}

// TestAzblob calls the real azblob client against a fake Storage account
// that denies it, and checks the trace: the GetToken span and the
// policy's span with the diagnosis, both children of the caller's span.
// azblob v1.8.3 starts no operation spans, so azcore's HTTP tracing makes
// no span either: with or without azotel, the policy's span is the only
// sign of the failure.
func TestAzblob(t *testing.T) {
	srv := fakeStorage()
	defer srv.Close()
	c := corpus.MustGet("storage_403_authorization_permission_mismatch")
	for _, azotelOn := range []bool{false, true} {
		for _, op := range operations {
			t.Run(fmt.Sprintf("azotel=%v/%s", azotelOn, op.name), func(t *testing.T) {
				tel := oteltest.New(t)
				client := newBlobClient(t, srv, tel, true, azotelOn)
				ctx, root := tel.TracerProvider.Tracer("test").Start(t.Context(), "root")
				err := op.call(ctx, client)
				root.End()
				if !bloberror.HasCode(err, bloberror.AuthorizationPermissionMismatch) {
					t.Fatalf("error %v, want AuthorizationPermissionMismatch", err)
				}

				spans := map[string]sdktrace.ReadOnlySpan{}
				for _, s := range tel.Recorder.Ended() {
					if _, dup := spans[s.Name()]; dup {
						t.Errorf("two spans named %q", s.Name())
					}
					spans[s.Name()] = s
				}
				if len(spans) != 3 {
					t.Errorf("spans %v; want root, GetToken and the policy's", keys(spans))
				}
				getToken, ok1 := spans["FakeCredential.GetToken"]
				failure, ok2 := spans[op.method+" "+fakeservice.StorageHost]
				if !ok1 || !ok2 {
					t.Fatalf("spans %v", keys(spans))
				}
				for _, s := range []sdktrace.ReadOnlySpan{getToken, failure} {
					if s.Parent().SpanID() != root.SpanContext().SpanID() {
						t.Errorf("%s is not a child of the caller's span", s.Name())
					}
				}
				if failure.SpanKind() != trace.SpanKindClient || failure.Status().Code != codes.Error ||
					failure.Status().Description != "403 permission: AuthorizationPermissionMismatch" {
					t.Errorf("failure span kind %v status %+v", failure.SpanKind(), failure.Status())
				}
				oteltest.CheckAttrs(t, "failure span", failure.Attributes(), map[attribute.Key]any{
					otelx.ClassKey:             "permission",
					otelx.ErrorCodeKey:         "AuthorizationPermissionMismatch",
					otelx.CorrelationIDKey:     *c.Expected.CorrelationID,
					otelx.ServiceRequestIDKey:  *c.Expected.RequestID,
					otelx.SourceKey:            "service",
					otelx.HTTPStatusCodeKey:    int64(403),
					otelx.ErrorTypeKey:         "403",
					otelx.HTTPMethodKey:        op.method,
					otelx.ServerAddressKey:     fakeservice.StorageHost,
					otelx.URLFullKey:           "https://" + fakeservice.StorageHost + op.path,
					otelx.PrincipalTenantIDKey: tenantID,
					otelx.PrincipalObjectIDKey: objectID,
					otelx.PrincipalAppIDKey:    appID,
					otelx.PrincipalTypeKey:     "app",
				})
				oteltest.CheckAttrs(t, "GetToken span", getToken.Attributes(), map[attribute.Key]any{
					otelx.TokenScopesKey: "https://storage.azure.com/.default",
					otelx.TokenCAEKey:    true,
				})
				tel.AssertNoneOf(t, canary, accessToken[:24])
			})
		}
	}
}

// TestAzblobErrorUnchanged checks that azblob's error reads the same with
// the policy as without, for the normal call and the streaming download.
func TestAzblobErrorUnchanged(t *testing.T) {
	srv := fakeStorage()
	defer srv.Close()
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			var texts []string
			for _, withPolicy := range []bool{true, false} {
				client := newBlobClient(t, srv, oteltest.New(t), withPolicy, false)
				err := op.call(t.Context(), client)
				var re *azcore.ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("error %v, want a ResponseError", err)
				}
				texts = append(texts, err.Error())
			}
			if texts[0] != texts[1] {
				t.Errorf("with the policy:\n%s\nwithout:\n%s", texts[0], texts[1])
			}
			if !strings.Contains(texts[0], "This request is not authorized to perform this operation using this permission.") {
				t.Errorf("the error lost the service's message:\n%s", texts[0])
			}
		})
	}
}

// TestAzblobMetrics checks the failures counter.
func TestAzblobMetrics(t *testing.T) {
	srv := fakeStorage()
	defer srv.Close()
	tel := oteltest.New(t)
	client := newBlobClient(t, srv, tel, true, false)
	for _, op := range operations {
		_ = op.call(t.Context(), client)
	}
	got := tel.Counts(t, otelx.FailuresMetric)
	want := map[string]int64{"azauth.class=permission http.response.status_code=403 server.address=" + fakeservice.StorageHost: 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", otelx.FailuresMetric, got, want)
	}
}

func keys(m map[string]sdktrace.ReadOnlySpan) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
