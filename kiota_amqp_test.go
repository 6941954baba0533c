package azauthtrace_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/azauthtrace/azauthtrace"
)

// The shapes of Kiota's errors (kiota-abstractions-go's ApiError and
// ResponseHeaders, msgraph-sdk-go's ODataError), with the same methods and
// pointer receivers: FromError knows them by those.
type (
	kiotaHeaders  struct{ h map[string][]string }
	kiotaAPIError struct {
		Message            string
		ResponseStatusCode int
		ResponseHeaders    *kiotaHeaders
	}
	odataError struct {
		kiotaAPIError
		main *mainError
	}
	mainError struct {
		code, message *string
		inner         *innerError
	}
	innerError struct{ requestID, clientRequestID *string }
)

func (h *kiotaHeaders) ListKeys() []string {
	var keys []string
	for k := range h.h {
		keys = append(keys, k)
	}
	return keys
}
func (h *kiotaHeaders) Get(k string) []string              { return h.h[k] }
func (e *kiotaAPIError) Error() string                     { return e.Message }
func (e *kiotaAPIError) GetStatusCode() int                { return e.ResponseStatusCode }
func (e *kiotaAPIError) GetResponseHeaders() *kiotaHeaders { return e.ResponseHeaders }
func (e *odataError) Error() string                        { return *e.main.message } // panics without a message, as Kiota's does
func (e *odataError) GetErrorEscaped() *mainError          { return e.main }
func (m *mainError) GetCode() *string                      { return m.code }
func (m *mainError) GetMessage() *string                   { return m.message }
func (m *mainError) GetInnerError() *innerError            { return m.inner }
func (i *innerError) GetRequestId() *string                { return i.requestID }
func (i *innerError) GetClientRequestId() *string          { return i.clientRequestID }
func ptr(s string) *string                                 { return &s }
func graphHeaders(extra map[string][]string) *kiotaHeaders {
	h := map[string][]string{"x-ms-ags-diagnostic": {`{"ServerInfo":{"DataCenter":"West Europe"}}`}}
	for k, v := range extra {
		h[k] = v
	}
	return &kiotaHeaders{h}
}

// TestFromErrorKiota reads Kiota's API errors: the status and headers of
// any, and the code, message and IDs of an ODataError, also wrapped, also
// when its Error method panics.
func TestFromErrorKiota(t *testing.T) {
	denied := &odataError{
		kiotaAPIError: kiotaAPIError{ResponseStatusCode: 403, ResponseHeaders: graphHeaders(map[string][]string{
			"request-id": {"5e5c6a1b-1111-2222-3333-444455556666"}, "client-request-id": {"0d3c2b1a-9999-8888-7777-666655554444"},
		})},
		main: &mainError{code: ptr("Authorization_RequestDenied"), message: ptr("Insufficient privileges to complete the operation."),
			inner: &innerError{requestID: ptr("5e5c6a1b-1111-2222-3333-444455556666"), clientRequestID: ptr("0d3c2b1a-9999-8888-7777-666655554444")}},
	}
	expired := &odataError{
		kiotaAPIError: kiotaAPIError{ResponseStatusCode: 401, ResponseHeaders: graphHeaders(nil)},
		main: &mainError{code: ptr("InvalidAuthenticationToken"), message: ptr("Access token has expired or is not yet valid."),
			inner: &innerError{requestID: ptr("1740feb8-b33a-4c08-a6ee-ab5cfc5a18c4")}},
	}
	noMessage := &odataError{kiotaAPIError: kiotaAPIError{ResponseStatusCode: 403, ResponseHeaders: graphHeaders(nil)}, main: &mainError{code: ptr("Forbidden")}}
	noBody := &kiotaAPIError{Message: "The server returned an unexpected status code with no response body: 401", ResponseStatusCode: 401,
		ResponseHeaders: graphHeaders(map[string][]string{"request-id": {"0000aaaa-11bb-22cc-33dd-444444eeeeee"}})}
	for _, tc := range []struct {
		name                  string
		err                   error
		class                 azauthtrace.Class
		code, requestID, corr string
	}{
		{"ODataError 403", denied, azauthtrace.ClassPermission, "Authorization_RequestDenied", "5e5c6a1b-1111-2222-3333-444455556666", "0d3c2b1a-9999-8888-7777-666655554444"},
		{"wrapped ODataError 401", fmt.Errorf("listing users: %w", expired), azauthtrace.ClassTokenRejected, "InvalidAuthenticationToken", "1740feb8-b33a-4c08-a6ee-ab5cfc5a18c4", ""},
		{"ODataError without a message", noMessage, azauthtrace.ClassPermission, "Forbidden", "", ""},
		{"ApiError without a body", noBody, azauthtrace.ClassTokenRejected, "", "0000aaaa-11bb-22cc-33dd-444444eeeeee", ""},
	} {
		f, ok := azauthtrace.FromError(tc.err)
		if !ok || f.Class != tc.class || f.ErrorCode != tc.code || f.RequestID != tc.requestID || f.CorrelationID != tc.corr || f.StatusCode == 0 || f.Service != "Microsoft Graph" {
			t.Errorf("%s: %v, %+v", tc.name, ok, f)
		}
	}
	if _, ok := azauthtrace.FromError(&kiotaAPIError{ResponseStatusCode: 404}); ok {
		t.Error("a Kiota 404 recognised as an auth failure")
	}
	var typedNil *kiotaAPIError
	if _, ok := azauthtrace.FromError(fmt.Errorf("x: %w", typedNil)); ok {
		t.Error("a typed nil Kiota error recognised")
	}
}

// The shapes of go-amqp's errors: Error, and LinkError, which unwraps to
// its RemoteErr.
type (
	amqpCond  string
	amqpError struct {
		Condition   amqpCond
		Description string
		Info        map[string]any
	}
	amqpLinkError struct{ RemoteErr *amqpError }
)

func (e *amqpError) Error() string {
	return fmt.Sprintf("*Error{Condition: %s, Description: %s, Info: %v}", e.Condition, e.Description, e.Info)
}
func (e *amqpLinkError) Error() string { return e.RemoteErr.Error() }
func (e *amqpLinkError) Unwrap() error { return e.RemoteErr }

// TestFromErrorAMQP reads Service Bus and Event Hubs errors: AMQP errors
// by their condition and description, the texts azservicebus and
// azeventhubs print, and their put-token failures.
func TestFromErrorAMQP(t *testing.T) {
	const sendDenied = "Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: 'sb://contoso-sb.servicebus.windows.net/orders'. TrackingId:0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12, SystemTracker:gateway5, Timestamp:2024-05-01T10:00:00"
	for _, tc := range []struct {
		name          string
		err           error
		class         azauthtrace.Class
		code, request string
		action, scope string
		service       string
	}{
		{"a link's AMQP error", &amqpLinkError{&amqpError{Condition: "amqp:unauthorized-access", Description: sendDenied}},
			azauthtrace.ClassPermission, "amqp:unauthorized-access", "0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12", "Send", "sb://contoso-sb.servicebus.windows.net/orders", "Azure Service Bus"},
		{"azservicebus's text", errors.New("(unauthorized): " + (&amqpError{Condition: "amqp:unauthorized-access", Description: sendDenied}).Error()),
			azauthtrace.ClassPermission, "amqp:unauthorized-access", "0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12", "Send", "sb://contoso-sb.servicebus.windows.net/orders", "Azure Service Bus"},
		{"Event Hubs without Listen", &amqpError{Condition: "amqp:unauthorized-access", Description: "Unauthorized access. 'Listen' claim(s) are required to perform this operation. Resource: 'sb://ns.servicebus.windows.net/hub/consumergroups/$default/partitions/0'. TrackingId:c0ffee00-1111-2222-3333-444455556666_G2, SystemTracker:gateway5, Timestamp:2024-05-01T10:00:00"},
			azauthtrace.ClassPermission, "amqp:unauthorized-access", "c0ffee00-1111-2222-3333-444455556666_G2", "Listen", "sb://ns.servicebus.windows.net/hub/consumergroups/$default/partitions/0", "Azure Event Hubs"},
		{"the description alone", errors.New(sendDenied),
			azauthtrace.ClassPermission, "", "0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12", "Send", "sb://contoso-sb.servicebus.windows.net/orders", "Azure Service Bus"},
		{"a caller's text around it", fmt.Errorf("sending order 'o-17' to 'orders' failed: (Unauthorized) %s", sendDenied),
			azauthtrace.ClassPermission, "", "0a1b2c3d4e5f60718293a4b5c6d7e8f9_G12", "Send", "sb://contoso-sb.servicebus.windows.net/orders", "Azure Service Bus"},
		{"several claims", errors.New("(Unauthorized) Unauthorized access. 'Listen,Manage,SubscriptionRuleRead' claim(s) are required to perform this operation. Resource: 'sb://contoso-sb.servicebus.windows.net/orders/subscriptions/s1/$management'."),
			azauthtrace.ClassPermission, "", "", "Listen,Manage,SubscriptionRuleRead", "sb://contoso-sb.servicebus.windows.net/orders/subscriptions/s1/$management", "Azure Service Bus"},
		{"expired token at CBS", errors.New("(unauthorized): rpc: failed, status code 401 and description: ExpiredToken: The token is expired. TrackingId:73d93f10-867c-441e-a4c8-3fe390e34722, SystemTracker:NoSystemTracker, Timestamp:2022-03-19T19:01:58"),
			azauthtrace.ClassTokenRejected, "ExpiredToken", "73d93f10-867c-441e-a4c8-3fe390e34722", "", "", "Azure Service Bus"},
		{"wrong audience at CBS", errors.New("(unauthorized): rpc: failed, status code 401 and description: InvalidAudience: Invalid authorization token audience."),
			azauthtrace.ClassTokenRejected, "InvalidAudience", "", "", "", "Azure Service Bus"},
		{"a SAS signed wrong", errors.New("(unauthorized): rpc: failed, status code 401 and description: InvalidSignature: The token has an invalid signature."),
			azauthtrace.ClassAuthentication, "InvalidSignature", "", "", "", "Azure Service Bus"},
		{"SAS disabled", errors.New("(unauthorized): rpc: failed, status code 401 and description: LocalAuthDisabled: Authorization failed because SAS authentication has been disabled for the namespace."),
			azauthtrace.ClassConfiguration, "LocalAuthDisabled", "", "", "", "Azure Service Bus"},
		{"a token not renewed", &amqpError{Condition: "amqp:link:detach-forced", Description: "The link 'x' is force detached. Code: RenewToken. Details: Unauthorized access. 'Listen' claim(s) are required to perform this operation."},
			azauthtrace.ClassTokenRejected, "amqp:link:detach-forced", "", "", "", "Azure Service Bus"},
	} {
		f, ok := azauthtrace.FromError(tc.err)
		if !ok || f.Class != tc.class || f.ErrorCode != tc.code || f.RequestID != tc.request || f.Action != tc.action || f.Scope != tc.scope || f.Service != tc.service || f.Source != azauthtrace.SourceService {
			t.Errorf("%s: %v %+v", tc.name, ok, f)
		}
	}
	for _, err := range []error{
		&amqpError{Condition: "amqp:internal-error", Description: "The service was unable to process the request; please retry the operation."},
		errors.New("(connlost): *Error{Condition: amqp:connection:forced, Description: The connection was inactive for more than the allowed 300000 milliseconds and is closed by container 'LinkTracker'., Info: map[]}"),
	} {
		if f, ok := azauthtrace.FromError(err); ok {
			t.Errorf("%v: recognised as %s", err, f.Class)
		}
	}
}

// A Kiota-shaped error whose GetErrorEscaped returns an interface (as
// msgraph's ODataError returns MainErrorable) that holds a nil pointer.
type (
	oddMainErrorable interface{ GetCode() *string }
	oddMainError     struct{ code *string }
	oddODataError    struct {
		status int
		main   oddMainErrorable
	}
)

func (m *oddMainError) GetCode() *string                   { return m.code }
func (e *oddODataError) Error() string                     { return "odata error" }
func (e *oddODataError) GetStatusCode() int                { return e.status }
func (e *oddODataError) GetErrorEscaped() oddMainErrorable { return e.main }

// An AMQP-shaped error whose fields are promoted through a nil pointer.
type oddLinkError struct{ *amqpError }

func (oddLinkError) Error() string { return "amqp:unauthorized-access link detached" }

// oddStatusError promotes GetStatusCode through a nil embedded pointer: the
// method panics when called.
type oddStatusError struct{ *oddInner }

type oddInner struct{ status int }

func (e *oddInner) GetStatusCode() int { return e.status }
func (oddStatusError) Error() string   { return "api error" }

// TestFromErrorOddTypes gives FromError errors of the shapes it reads by
// reflection, made odd: it must not panic, and reads what it can.
func TestFromErrorOddTypes(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
	}{
		{"Kiota: an interface holding a nil pointer", fmt.Errorf("listing users: %w", &oddODataError{status: 403, main: (*oddMainError)(nil)}), true},
		{"AMQP: fields behind a nil embedded pointer (its text names the condition)", oddLinkError{}, true},
		{"a method promoted through a nil pointer", oddStatusError{}, false},
		{"AMQP inside errors.Join", errors.Join(errors.New("closing"), &amqpLinkError{&amqpError{Condition: "amqp:unauthorized-access", Description: "Unauthorized access. 'Send' claim(s) are required to perform this operation."}}), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := azauthtrace.FromError(tc.err)
			if ok != tc.ok {
				t.Errorf("FromError = %+v, %v; want ok %v", f, ok, tc.ok)
			}
		})
	}
	f, _ := azauthtrace.FromError(errors.Join(errors.New("closing"), &amqpLinkError{&amqpError{Condition: "amqp:unauthorized-access", Description: "Unauthorized access. 'Send' claim(s) are required to perform this operation."}}))
	if f.ErrorCode != "amqp:unauthorized-access" || f.Action != "Send" {
		t.Errorf("joined AMQP error: %+v; want its condition and the claim", f)
	}
}
