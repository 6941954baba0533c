package azauthtrace_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/azauthtrace/azauthtrace"
)

// TestFromErrorLaterSuccessDoesNotHideFailure: an error text that goes
// on after a failed response (a retry, or the next request, printed
// "RESPONSE 200 OK") is still the failure it printed first.
func TestFromErrorLaterSuccessDoesNotHideFailure(t *testing.T) {
	const dashes = "--------------------------------------------------------------------------------"
	for _, tc := range []struct {
		name, text string
		status     int
		class      azauthtrace.Class
	}{
		{
			name:   "azcore text, then a 200",
			text:   "PUT https://acct.blob.core.windows.net/c/b\n" + dashes + "\nRESPONSE 401: 401 Server failed to authenticate the request.\nERROR CODE: InvalidAuthenticationInfo\n" + dashes + "\n<Error><Code>InvalidAuthenticationInfo</Code><Message>Server failed to authenticate the request.</Message></Error>\n" + dashes + "\nRESPONSE 200 OK",
			status: 401, class: azauthtrace.ClassTokenRejected,
		},
		{
			name:   "a put-token reply's 401, then a 200",
			text:   "negotiate claims: rpc: failed, status code 401 and description: ExpiredToken: The token is expired\nRESPONSE 200 OK",
			status: 401, class: azauthtrace.ClassTokenRejected,
		},
		{
			name:   "a text that starts with the failure",
			text:   "RESPONSE 403: 403 Forbidden\nERROR CODE: AuthorizationFailed\nRESPONSE 200 OK",
			status: 403, class: azauthtrace.ClassPermission,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := azauthtrace.FromError(errors.New(tc.text))
			if !ok || f.StatusCode != tc.status || f.Class != tc.class {
				t.Errorf("FromError = %q, status %d, %v; want %q, %d", f.Class, f.StatusCode, ok, tc.class, tc.status)
			}
		})
	}
}

// TestFromErrorTextIsLinear: the cost of an error text grows with its
// length, not its square: a long first line full of "Credential" (which
// the credential's name is looked for in), and a chain whose source
// printed many lines.
func TestFromErrorTextIsLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations and time under the race detector are not a program's")
	}
	inputs := map[string]func(n int) string{
		"first line of Credential": func(n int) string {
			return "wrapped: " + strings.Repeat("Credential", n/10) + ": message"
		},
		"chain source of many lines": func(n int) string {
			return "DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\n\tAzureCLICredential: ERROR: x" +
				strings.Repeat("\n\t\tline", n/7)
		},
	}
	for name, make := range inputs {
		t.Run(name, func(t *testing.T) {
			small, large := errors.New(make(8<<10)), errors.New(make(64<<10))
			cost := func(err error) (time.Duration, uint64) {
				best := time.Duration(1 << 62)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for range 5 {
					start := time.Now()
					azauthtrace.FromError(err)
					best = min(best, time.Since(start))
				}
				runtime.ReadMemStats(&after)
				return best, (after.TotalAlloc - before.TotalAlloc) / 5
			}
			cost(small) // what the first call sets up once
			ts, as := cost(small)
			tl, al := cost(large)
			// 8 times the input: linear work is about 8 times the cost;
			// quadratic, 64 times.
			if tl > 24*ts+10*time.Millisecond {
				t.Errorf("8 KiB: %v, 64 KiB: %v", ts, tl)
			}
			if al > 24*as+64<<10 || al > 16*azauthtrace.MaxErrorText {
				t.Errorf("8 KiB: %d bytes allocated, 64 KiB: %d", as, al)
			}
		})
	}
}

// TestFailureHoldsCopies: a Failure keeps copies of what it took from an
// error's text, so that keeping it does not keep the (possibly huge)
// error alive.
func TestFailureHoldsCopies(t *testing.T) {
	text := "ClientSecretCredential: authentication failed. AADSTS7000215: Invalid client secret provided.\nTrace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\nTimestamp: 2024-01-01 00:00:00Z" +
		strings.Repeat(" ", 1<<20)
	f, ok := azauthtrace.FromError(errors.New(text))
	if !ok || f.Credential != "ClientSecretCredential" || f.CorrelationID == "" {
		t.Fatalf("FromError = %+v, %v", f, ok)
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	hi := lo + uintptr(len(text))
	for name, v := range map[string]string{
		"Credential": f.Credential, "Description": f.Description, "ErrorCode": f.ErrorCode,
		"CorrelationID": f.CorrelationID, "RequestID": f.RequestID, "Timestamp": f.Timestamp,
		"Mitigation": f.Mitigation, "TroubleshootingURL": f.TroubleshootingURL,
	} {
		if v == "" {
			continue
		}
		if p := uintptr(unsafe.Pointer(unsafe.StringData(v))); lo <= p && p < hi {
			t.Errorf("Failure.%s = %q points into the error's text", name, v)
		}
	}
}

// panicky is an error whose methods panic.
type panicky struct{ in string }

func (e panicky) Error() string {
	if e.in == "Error" {
		panic("secret-from-Error")
	}
	return "ClientSecretCredential: authentication failed"
}

func (e panicky) Unwrap() error {
	if e.in == "Unwrap" {
		panic("secret-from-Unwrap")
	}
	return nil
}

func (e panicky) ErrorType() string {
	if e.in == "ErrorType" {
		panic("secret-from-ErrorType")
	}
	return "x"
}

// TestFromErrorPanickingMethods: an error whose Error, Unwrap or
// ErrorType panics does not make FromError panic, and nothing of the
// panic reaches the Failure.
func TestFromErrorPanickingMethods(t *testing.T) {
	for _, in := range []string{"Error", "Unwrap", "ErrorType"} {
		t.Run(in, func(t *testing.T) {
			f, _ := azauthtrace.FromError(panicky{in: in})
			if strings.Contains(f.String(), "secret-from") || strings.Contains(f.Description, "secret-from") {
				t.Errorf("the panic value reached the Failure: %+v", f)
			}
			// Wrapped, the panic happens while FromError walks the chain.
			f, _ = azauthtrace.FromError(errors.Join(errors.New("outer"), panicky{in: in}))
			if strings.Contains(f.String(), "secret-from") {
				t.Errorf("the panic value reached the Failure: %+v", f)
			}
		})
	}
}

// TestFromErrorUnrelatedTexts: a text that says nothing about
// authentication is not recognised, whatever statuses and words the
// clients' texts share with it.
func TestFromErrorUnrelatedTexts(t *testing.T) {
	for _, s := range []string{
		"rpc error: code = Unavailable desc = transport is closing",
		"json: cannot unmarshal string into Go value of type int",
		"405 Method Not Allowed",
		"failed to create dnsprovider: bad config",
		"status code 404: not found",
		"StatusCode=500 -- Original Error: internal error",
		"x509: certificate signed by unknown authority",
	} {
		if f, ok := azauthtrace.FromError(errors.New(s)); ok {
			t.Errorf("FromError(%q) = %q, recognised", s, f.Class)
		}
	}
}
