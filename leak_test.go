package azauthtrace_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/tracing/azotel"

	"github.com/azauthtrace/azauthtrace/credential"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeentra"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	authpolicy "github.com/azauthtrace/azauthtrace/policy"
)

// leak is a secret a hostile server puts in a response: value is what it
// sends ("{auth}", "{token}" and "{sig}" are replaced by what the request
// carried: its Authorization header, its access token and its SAS
// signature; "{form:name}" by a field of a token request's form), marks
// what must then appear nowhere in the telemetry.
type leak struct {
	name, value string
	marks       []string
}

// leakToken is the access token of the policy's requests: the mark
// LeakTokenKid in its header, LeakTokenClaim in a claim nobody reads,
// LeakTokenSignature in its signature.
var leakToken = oteltest.JWT("LeakTokenKid", map[string]any{
	"aud": "https://management.azure.com", "tid": "aaaabbbb-0000-cccc-1111-dddd2222eeee",
	"oid": "00000000-0000-0000-0000-0000000000b0", "xms_leak": "LeakTokenClaim",
}, "LeakTokenSignature")

// leakSAS is the SAS signature of the policy's requests.
const leakSAS = "LeakQuerySigQ9w8E7r6T5y4U3i2O1pA0sD9fG8h="

// leakSecret is the client secret of the decorator's credential, in the
// shape of Entra ID's client secrets.
const leakSecret = "Ab18Q~LeakClientSecretZ9y8x7w6v5u4t3s2r1q"

// leakJWT is a JWT a server sends of its own.
var leakJWT = oteltest.JWT("", map[string]any{"leak": "LeakServerJWT"}, "LeakServerJWTSignature")

// b64 returns s in base64url without padding, as JWT parts are.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// jwtMarks are what shows of a JWT made by oteltest.JWT with these marks.
func jwtMarks(jwt string, marks ...string) []string {
	out := []string{jwt}
	for _, part := range strings.Split(jwt, ".") {
		out = append(out, part)
	}
	for _, m := range marks {
		out = append(out, m)
	}
	return out
}

var leaks = []leak{
	{"the request's Authorization header", "{auth}", jwtMarks(leakToken, b64("LeakTokenSignature"))},
	{"the request's token", "token={token}", jwtMarks(leakToken, b64("LeakTokenSignature"))},
	{"the request's SAS signature", "the signature {sig} is invalid", []string{leakSAS, "LeakQuerySig"}},
	{"the request's SAS signature, URL-encoded", "sig%3D{sigq}", []string{"LeakQuerySig"}},
	{"a JWT", "token " + leakJWT + " rejected", jwtMarks(leakJWT, b64(`{"leak":"LeakServerJWT"}`), b64("LeakServerJWTSignature"))},
	{"a client secret", "secret " + leakSecret + " expired", []string{leakSecret, "LeakClientSecret"}},
	{"a refresh token", "refresh 0.ARLeakRefreshAAAAv_i1uGRqJUqzQ2l7Z1JIaWcAAQxyz", []string{"LeakRefresh"}},
	{"sig=", "url ?sv=2024-01-01&sig=LeakSig9Xq2Wz7Pa4Lm1Rt8&se=2030", []string{"LeakSig9"}},
	{"SIG=", "url ?SIG=LeakUpperSig5x", []string{"LeakUpperSig"}},
	{"%73ig=", "url ?%73ig=LeakEncodedSig6x", []string{"LeakEncodedSig"}},
	{"%26sig%3D", "url%3Fsv%3D1%26sig%3DLeakEncodedSig7x%26se%3D2", []string{"LeakEncodedSig"}},
	{"signature=", "signature=LeakSignatureParam3", []string{"LeakSignatureParam"}},
	{"AccountKey=", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=LeakAccountKey4Q9zWv8sP3tR7uY2xL4m==;EndpointSuffix=core.windows.net", []string{"LeakAccountKey"}},
	{"SharedAccessKey=", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=LeakSharedAccessKey5=", []string{"LeakSharedAccessKey"}},
	{"password=", "grant_type=password&username=u&password=LeakPassword42", []string{"LeakPassword"}},
	{"client_secret=", "client_id=c&client_secret=LeakClientSecretParam7&scope=s", []string{"LeakClientSecretParam"}},
	{"lower-case bearer", "authorization: bearer LeakBearerLower8", []string{"LeakBearerLower"}},
	{"bearer after a tab", "Bearer\tLeakBearerTab9x", []string{"LeakBearerTab"}},
	{"Basic", "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("LeakBasicUser:LeakBasicPassword")), []string{base64.StdEncoding.EncodeToString([]byte("LeakBasicUser:LeakBasicPassword"))[:16]}},
	{"SharedKey", "Authorization: SharedKey acct:LeakSharedKeySig11=", []string{"LeakSharedKeySig"}},
	{"quoted base64url", "the value 'LeakQuoted-_12Ab3Cd4Ef' differs", []string{"LeakQuoted"}},
	{"quoted percent-encoded", "the value 'LeakPct13%2Fx9Y8z7W6v5%3D' differs", []string{"LeakPct13"}},
	{"backtick-quoted", "run `LeakTick14x9Y8z7W6` again", []string{"LeakTick14"}},
	{"short quoted", "MAC 'Lk15Ab3Cd4Ef5Gh6' differs", []string{"Lk15Ab3Cd4Ef5Gh6"}},
	{"control character inside sig=", "url ?s\x01ig=LeakControl16x", []string{"LeakControl16"}},
	{"zero-width space inside sig=", "url ?s\u200big=LeakZeroWidth17", []string{"LeakZeroWidth17"}},
	{"user and password in a URL", "https://user:LeakUserPass18@login.microsoftonline.com/common/oauth2/authorize", []string{"LeakUserPass18"}},
	{"an e-mail address", "the user leak.user19@contoso.com was denied", []string{"leak.user19"}},
	{"invalid UTF-8", "bad \xff\xfe bytes sig=LeakInvalidUTF8x20", []string{"LeakInvalidUTF8"}},
}

// serviceField places a value in one field of a service's 401 or 403.
type serviceField struct {
	name  string
	plant func(v string) (http.Header, string)
}

func jsonString(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func armError(code, message string) string {
	return `{"error":{"code":` + jsonString(code) + `,"message":` + jsonString(message) + `}}`
}

func inHeader(name string) serviceField {
	return serviceField{"header " + name, func(v string) (http.Header, string) {
		return http.Header{name: {v}}, armError("AuthorizationFailed", "denied")
	}}
}

func inChallenge(param string) serviceField {
	return serviceField{"challenge " + param, func(v string) (http.Header, string) {
		return http.Header{"Www-Authenticate": {`Bearer authorization_uri="https://login.windows.net/", ` + param + `="` + strings.ReplaceAll(v, `"`, `\"`) + `"`}}, ""
	}}
}

var serviceFields = []serviceField{
	{"JSON error.code", func(v string) (http.Header, string) { return nil, armError(v, "denied") }},
	{"JSON error.message", func(v string) (http.Header, string) { return nil, armError("AuthorizationFailed", v) }},
	{"JSON innererror", func(v string) (http.Header, string) {
		return nil, `{"error":{"code":"Forbidden","message":"m","innererror":{"code":` + jsonString(v) + `,"request-id":` + jsonString(v) + `,"client-request-id":` + jsonString(v) + `}}}`
	}},
	{"JSON message", func(v string) (http.Header, string) {
		return nil, `{"code":"Forbidden","message":` + jsonString(v) + `}`
	}},
	{"XML Code", func(v string) (http.Header, string) {
		return nil, `<?xml version="1.0" encoding="utf-8"?><Error><Code>` + html.EscapeString(v) + `</Code><Message>m</Message></Error>`
	}},
	{"XML Message", func(v string) (http.Header, string) {
		return nil, `<Error><Code>AuthorizationFailure</Code><Message>` + html.EscapeString(v) + "\nRequestId:" + html.EscapeString(v) + `</Message></Error>`
	}},
	{"XML AuthenticationErrorDetail", func(v string) (http.Header, string) {
		return http.Header{"X-Ms-Error-Code": {"AuthenticationFailed"}}, `<Error><Code>AuthenticationFailed</Code><Message>m</Message><AuthenticationErrorDetail>` + html.EscapeString(v) + `</AuthenticationErrorDetail></Error>`
	}},
	{"text body", func(v string) (http.Header, string) { return http.Header{"Content-Type": {"text/plain"}}, v }},
	{"ARM denied scope", func(v string) (http.Header, string) {
		return nil, armError("AuthorizationFailed", "The client 'c' with object id '00000000-0000-0000-0000-0000000000b1' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write' over scope '"+v+"' or the scope is invalid.")
	}},
	{"ARM denied action and client", func(v string) (http.Header, string) {
		return nil, armError("AuthorizationFailed", "The client '"+v+"' with object id '"+v+"' does not have authorization to perform action '"+v+"' over scope '/subscriptions/s'.")
	}},
	{"Key Vault caller", func(v string) (http.Header, string) {
		return nil, `{"error":{"code":"Forbidden","message":` + jsonString("Caller is not authorized.\r\nCaller: appid="+v+";oid="+v+";iss=x\r\nAction: '"+v+"'\r\nResource: '"+v+"'") + `,"innererror":{"code":"ForbiddenByRbac"}}}`
	}},
	inHeader("X-Ms-Request-Id"),
	inHeader("X-Ms-Correlation-Request-Id"),
	inHeader("X-Ms-Client-Request-Id"),
	inHeader("Request-Id"),
	inHeader("Client-Request-Id"),
	inHeader("Apim-Request-Id"),
	inHeader("X-Ms-Activity-Id"),
	inHeader("X-Ms-Error-Code"),
	inChallenge("error"),
	inChallenge("error_description"),
	inChallenge("authorization_uri"),
	inChallenge("resource"),
	inChallenge("claims"),
}

// hostileService answers every request with the response plant makes of
// value, after replacing what value echoes of the request.
func hostileService(t *testing.T) (*httptest.Server, func(value string, field serviceField)) {
	var (
		value string
		field serviceField
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		_, token, _ := strings.Cut(auth, " ")
		sig := r.URL.Query().Get("sig")
		v := strings.NewReplacer("{auth}", auth, "{token}", token, "{sig}", sig, "{sigq}", url.QueryEscape(sig)).Replace(value)
		h, body := field.plant(v)
		for k, vs := range h {
			for _, hv := range vs {
				w.Header().Add(k, strings.NewReplacer("\r", " ", "\n", " ").Replace(hv))
			}
		}
		status := http.StatusForbidden
		if strings.HasPrefix(field.name, "challenge") {
			status = http.StatusUnauthorized
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, func(v string, f serviceField) { value, field = v, f }
}

// TestPolicyLeaks sends requests that carry a token and a SAS signature
// to a hostile service, which puts each secret shape in each field of its
// 401 or 403, echoing what the request carried, through real azcore
// pipelines with and without azcore tracing: no secret reaches a span,
// event, status or metric, and every attribute is valid UTF-8 within its
// bound (oteltest checks that of every attribute).
func TestPolicyLeaks(t *testing.T) {
	srv, set := hostileService(t)
	cred := oteltest.Issuing(leakToken, leakToken)
	for _, traced := range []bool{false, true} {
		for _, f := range serviceFields {
			for _, l := range leaks {
				name := f.name + "/" + l.name
				if traced {
					name = "azotel/" + name
				}
				t.Run(name, func(t *testing.T) {
					set(l.value, f)
					tel := oteltest.New(t)
					opts := &azcore.ClientOptions{
						Transport:        srv.Client(),
						Retry:            azpolicy.RetryOptions{MaxRetries: -1},
						PerRetryPolicies: []azpolicy.Policy{authpolicy.New(&authpolicy.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})},
					}
					if traced {
						opts.TracingProvider = azotel.NewTracingProvider(tel.TracerProvider, nil)
					}
					c, err := azcore.NewClient("azauthtrace.leakClient", "v1.0.0", runtime.PipelineOptions{
						PerRetry: []azpolicy.Policy{runtime.NewBearerTokenPolicy(cred, []string{"https://management.azure.com/.default"}, nil)},
						Tracing:  runtime.TracingOptions{Namespace: "Microsoft.Test"},
					}, opts)
					if err != nil {
						t.Fatal(err)
					}
					ctx, span := c.Tracer().Start(t.Context(), "leakClient.Get", nil)
					req, err := runtime.NewRequest(ctx, http.MethodGet, srv.URL+"/c/b?sv=2024-01-01&sig="+url.QueryEscape(leakSAS))
					if err != nil {
						t.Fatal(err)
					}
					resp, err := c.Pipeline().Do(req)
					if err == nil {
						resp.Body.Close()
					}
					span.End()
					tel.AssertNoneOf(t, l.marks...)
					tel.AssertNoneOf(t, jwtMarks(leakToken, b64("LeakTokenSignature"))...)
					tel.AssertNoneOf(t, leakSAS)
				})
			}
		}
	}
}

// tokenField places a value in one field of Entra ID's token error.
type tokenField struct {
	name  string
	plant func(v string) (http.Header, string)
}

func tokenError(fields map[string]any) string {
	b, _ := json.Marshal(fields)
	return string(b)
}

func tokenBody(key string) tokenField {
	return tokenField{"body " + key, func(v string) (http.Header, string) {
		f := map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": []int{7000215}}
		f[key] = v
		return nil, tokenError(f)
	}}
}

func tokenHeader(name string) tokenField {
	return tokenField{"header " + name, func(v string) (http.Header, string) {
		return http.Header{name: {strings.NewReplacer("\r", " ", "\n", " ").Replace(v)}}, tokenError(map[string]any{"error": "invalid_client", "error_codes": []int{7000215}})
	}}
}

var tokenFields = []tokenField{
	tokenBody("error"),
	tokenBody("error_description"),
	tokenBody("timestamp"),
	tokenBody("trace_id"),
	tokenBody("correlation_id"),
	tokenBody("error_uri"),
	tokenBody("suberror"),
	{"description's IDs", func(v string) (http.Header, string) {
		return nil, tokenError(map[string]any{"error": "invalid_grant", "error_description": "AADSTS50126: Error validating credentials.\r\nTrace ID: " + v + "\r\nCorrelation ID: " + v + "\r\nTimestamp: " + v})
	}},
	{"text body", func(v string) (http.Header, string) { return http.Header{"Content-Type": {"text/plain"}}, v }},
	tokenHeader("X-Ms-Request-Id"),
	tokenHeader("Client-Request-Id"),
}

// TestCredentialLeaks has a real ClientSecretCredential ask a hostile
// Entra ID for a token with claims: it answers with each secret shape in
// each field of its error, and with the secret the request's form carried
// echoed back. No secret, and not the claims, reaches the decorator's
// span, its events, its status or the metrics.
func TestCredentialLeaks(t *testing.T) {
	const claims = `{"access_token":{"xms_leak":{"value":"LeakClaimsValue"}}}`
	echo := leak{"the client secret the request carried", "{form:client_secret}", []string{leakSecret, "LeakClientSecret"}}
	echoClaims := leak{"the claims the request carried", "{form:claims}", []string{"LeakClaimsValue"}}
	for _, f := range tokenFields {
		for _, l := range append([]leak{echo, echoClaims}, leaks...) {
			if strings.Contains(l.value, "{auth}") || strings.Contains(l.value, "{token}") || strings.Contains(l.value, "{sig") {
				continue // the policy's echoes
			}
			t.Run(f.name+"/"+l.name, func(t *testing.T) {
				h, body := f.plant(l.value)
				e := fakeentra.NewEntra(t, fakeentra.Response{Status: http.StatusUnauthorized, Header: h, Body: body, Echo: true})
				inner, err := azidentity.NewClientSecretCredential("aaaabbbb-0000-cccc-1111-dddd2222eeee", "00001111-aaaa-2222-bbbb-3333cccc4444", leakSecret,
					&azidentity.ClientSecretCredentialOptions{ClientOptions: e.ClientOptions(), DisableInstanceDiscovery: true})
				if err != nil {
					t.Fatal(err)
				}
				tel := oteltest.New(t)
				cred := credential.New(inner, &credential.Options{TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider})
				_, err = cred.GetToken(context.Background(), azpolicy.TokenRequestOptions{
					Scopes: []string{"https://management.azure.com/.default"}, Claims: claims, EnableCAE: true,
				})
				if err == nil {
					t.Fatal("GetToken succeeded")
				}
				tel.AssertNoneOf(t, l.marks...)
				tel.AssertNoneOf(t, leakSecret, "LeakClaimsValue", b64(claims), base64.StdEncoding.EncodeToString([]byte(claims)))
			})
		}
	}
}
