package azauthtrace

import "testing"

// TestStatusInText reads the status as the clients print it.
func TestStatusInText(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{`autorest/azure: Service returned an error. Status=403 Code="AuthorizationFailed"`, 403},
		{`adal: Refresh request failed. Status Code = '401'. Response body: {}`, 401},
		{`unexpected status 403 (403 Forbidden) with error: AuthorizationFailed: x`, 403},
		{`error: You must be logged in to the server (Unauthorized)`, 401},
		{`Error from server (Forbidden): pods is forbidden`, 403},
		{"Service request failed.\nStatus: 401 (PermissionDenied)\nErrorCode: 401", 401},
		{`Response status code does not indicate success: Unauthorized (401); Substatus: 5202`, 401},
		{`error: You must be logged in to the server (the server has asked for the client to provide credentials)`, 401},
		// The first failure, not a later status.
		{`StatusCode=400 -- Original Error: adal: Refresh request failed. Status Code = '401'`, 400},
		{`Operation returned an invalid status 'Forbidden'`, 403},
		{`Operation returned an invalid status code 'Unauthorized'`, 401},
		{`Status=200 OK`, 0},
		{`no status here`, 0},
	} {
		if got := statusInText(tc.text); got != tc.want {
			t.Errorf("statusInText(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// TestTextCode reads the service's code as the clients print it.
func TestTextCode(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`autorest/azure: Service returned an error. Status=403 Code="AuthorizationFailed" Message="x"`, "AuthorizationFailed"},
		{"===== RESPONSE ERROR (ServiceCode=AuthenticationFailed) =====", "AuthenticationFailed"},
		{"Status: 401 (PermissionDenied)\nErrorCode: PermissionDenied\n", "PermissionDenied"},
		{"ERROR: (AccessDenied) Not authorized to access x\nCode: AccessDenied", "AccessDenied"},
		{"azure.core.exceptions.HttpResponseError: (BadRequest) Invalid key", "BadRequest"},
		{"unexpected status 403 (403 Forbidden) with error: AuthorizationFailed: The client", "AuthorizationFailed"},
		{"unexpected status 403 with OData error: Authorization_RequestDenied: Insufficient privileges to complete the operation.", "Authorization_RequestDenied"},
		{"##[error]TF400813: The user 'x' is not authorized to access this resource.", "TF400813"},
		{"Response status code does not indicate success: Unauthorized (401); Substatus: 5202", "Unauthorized"},
		{"Error from server (Forbidden): pods is forbidden", ""},
		{"something failed: no code", ""},
	} {
		if got := textCode(tc.text); got != tc.want {
			t.Errorf("textCode(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
