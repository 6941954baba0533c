package azauthtrace

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCodeWords splits codes as the services spell them.
func TestCodeWords(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"InvalidAuthenticationTokenTenant", "invalid authentication token tenant"},
		{"AuthorizationPermissionMismatch", "authorization permission mismatch"},
		{"Authorization_RequestDenied", "authorization request denied"},
		{"RBACAccessDenied", "rbac access denied"},
		{"KeyBasedAuthenticationNotPermitted", "key based authentication not permitted"},
		{"AKV10032", "akv10032"},
		{"403.600.000.001", "403 600 000 001"},
		{"", ""},
	} {
		if got := codeWords(tc.code); got != tc.want {
			t.Errorf("codeWords(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

// TestRequestPresented reads the credential a request carried from the
// Authorization schemes Azure services document, their API key headers
// and a SAS's sig parameter.
func TestRequestPresented(t *testing.T) {
	req := func(header, value, rawURL string) *http.Request {
		u, _ := url.Parse(rawURL)
		r := &http.Request{URL: u, Header: http.Header{}}
		if header != "" {
			r.Header.Set(header, value)
		}
		return r
	}
	const plain = "https://example.invalid/x"
	for _, tc := range []struct {
		name string
		req  *http.Request
		want presented
	}{
		{"no request", nil, presentedUnknown},
		{"nothing shown", req("", "", plain), presentedUnknown},
		{"bearer", req("Authorization", "Bearer eyJ0eXAi", plain), presentedBearer},
		{"pop", req("Authorization", "PoP eyJ0eXAi", plain), presentedBearer},
		// https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key
		{"storage shared key", req("Authorization", "SharedKey acct:c2ln", plain), presentedKey},
		{"storage shared key lite", req("Authorization", "SharedKeyLite acct:c2ln", plain), presentedKey},
		// https://learn.microsoft.com/azure/azure-app-configuration/rest-api-authentication-hmac
		{"app configuration hmac", req("Authorization", "HMAC-SHA256 Credential=id&SignedHeaders=host&Signature=c2ln", plain), presentedKey},
		// https://learn.microsoft.com/rest/api/cosmos-db/access-control-on-cosmosdb-resources
		{"cosmos master key", req("Authorization", "type%3Dmaster%26ver%3D1.0%26sig%3Dc2ln", plain), presentedKey},
		{"cosmos entra token", req("Authorization", "type%3Daad%26ver%3D1.0%26sig%3DeyJ0", plain), presentedBearer},
		// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas
		{"service bus sas", req("Authorization", "SharedAccessSignature sr=x&sig=c2ln&se=1&skn=k", plain), presentedKey},
		// https://learn.microsoft.com/azure/ai-services/authentication
		{"ai services api-key", req("Api-Key", "k", plain), presentedKey},
		{"apim subscription key", req("Ocp-Apim-Subscription-Key", "k", plain), presentedKey},
		// https://learn.microsoft.com/azure/azure-functions/function-keys-how-to
		{"functions key", req("X-Functions-Key", "k", plain), presentedKey},
		// https://learn.microsoft.com/rest/api/storageservices/create-service-sas
		{"sas query", req("", "", "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=c2ln"), presentedKey},
	} {
		if got := requestPresented(tc.req); got != tc.want {
			t.Errorf("%s: requestPresented = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestWeighUnknownService: a service no table knows, behind a host no
// table knows, is classified by the evidence every response carries.
func TestWeighUnknownService(t *testing.T) {
	type resp struct {
		status     int
		reqHeader  http.Header
		respHeader http.Header
		body       string
	}
	bearer := http.Header{"Authorization": {"Bearer eyJ0eXAi"}}
	sharedKey := http.Header{"Authorization": {"SharedKey acct:c2ln"}}
	for _, tc := range []struct {
		name string
		r    resp
		want Class
	}{
		{"401 whose words say not authorized, for a valid token",
			resp{401, bearer, nil, `{"error":{"code":"Unauthorized","message":"The principal is not authorized to perform this operation."}}`}, ClassPermission},
		{"403 whose words say the token expired",
			resp{403, bearer, nil, `{"code":"Forbidden","message":"The access token is expired."}`}, ClassTokenRejected},
		{"a gateway passing Entra ID's AADSTS700016 on",
			resp{401, bearer, nil, `{"statusCode":401,"message":"AADSTS700016: Application with identifier 'x' was not found in the directory 'y'."}`}, ClassConfiguration},
		{"a refused signature with a shared key",
			resp{403, sharedKey, nil, `<Error><Code>AuthenticationFailed</Code><Message>The MAC signature found in the HTTP request is not the same as any computed signature.</Message></Error>`}, ClassAuthentication},
		// https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent
		{"key-based authentication disabled",
			resp{403, sharedKey, nil, `{"error":{"code":"KeyBasedAuthenticationNotPermitted","message":"Key based authentication is not permitted on this storage account."}}`}, ClassConfiguration},
		{"local authentication disabled, said in words only",
			resp{401, sharedKey, nil, `{"message":"Local authentication is disabled for this resource."}`}, ClassConfiguration},
		// https://datatracker.ietf.org/doc/html/rfc7807
		{"RFC 7807 problem whose detail names a missing role",
			resp{403, bearer, nil, `{"type":"about:blank","title":"Forbidden","detail":"Caller does not have the required role assignment."}`}, ClassPermission},
		// https://datatracker.ietf.org/doc/html/rfc6750#section-3.1
		{"bearer challenge invalid_token, empty body",
			resp{401, bearer, http.Header{"Www-Authenticate": {`Bearer error="invalid_token"`}}, ``}, ClassTokenRejected},
		{"bearer challenge insufficient_scope",
			resp{403, bearer, http.Header{"Www-Authenticate": {`Bearer error="insufficient_scope"`}}, ``}, ClassPermission},
		{"only a key scheme challenged, request not shown",
			resp{401, http.Header{}, http.Header{"Www-Authenticate": {`HMAC-SHA256 error="invalid_token", error_description="Invalid Signature"`}}, ``}, ClassAuthentication},
		{"no credential received",
			resp{401, http.Header{}, nil, `{"statusCode":401,"message":"Access denied due to missing subscription key."}`}, ClassTokenRejected},
		{"CamelCase code alone",
			resp{403, bearer, nil, `{"error":{"code":"InsufficientAccountPermissionsForOperation"}}`}, ClassPermission},
		{"empty 401 for a key",
			resp{401, http.Header{"Api-Key": {"k"}}, nil, ``}, ClassAuthentication},
		{"empty 401 for a token",
			resp{401, bearer, nil, ``}, ClassTokenRejected},
		{"empty 403",
			resp{403, bearer, nil, ``}, ClassPermission},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse("https://api.contoso.example/items")
			r := &http.Response{StatusCode: tc.r.status, Header: tc.r.respHeader, Body: io.NopCloser(strings.NewReader(tc.r.body)),
				Request: &http.Request{Method: "GET", URL: u, Header: tc.r.reqHeader}}
			if r.Header == nil {
				r.Header = http.Header{}
			}
			f, ok := FromResponse(r)
			if !ok || f.Class != tc.want {
				t.Errorf("FromResponse = %q, %v; want %q (%s)", f.Class, ok, tc.want, f.Description)
			}
		})
	}
}

// TestRequestIDFromAnyHeader: a request ID is taken from any header whose
// name says it is one, and a routing hop's is not.
func TestRequestIDFromAnyHeader(t *testing.T) {
	for _, tc := range []struct {
		h           http.Header
		corr, reqID string
	}{
		{http.Header{"X-Request-Id": {"11112222-bbbb-3333-cccc-4444dddd5555"}}, "", "11112222-bbbb-3333-cccc-4444dddd5555"},
		{http.Header{"X-Correlation-Id": {"aaaa0000-bb11-2222-33cc-444444dddddd"}}, "aaaa0000-bb11-2222-33cc-444444dddddd", ""},
		{http.Header{"X-Ms-Routing-Request-Id": {"WESTEUROPE:20240101T000000Z:aaaa0000-bb11-2222-33cc-444444dddddd"}}, "", ""},
	} {
		corr, reqID := idHeaders(tc.h)
		if corr != tc.corr || reqID != tc.reqID {
			t.Errorf("idHeaders(%v) = %q, %q; want %q, %q", tc.h, corr, reqID, tc.corr, tc.reqID)
		}
	}
}
