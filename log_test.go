package azauthtrace_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace"
)

// TestFailureInLogs prints a diagnosis with String and through slog's
// JSON handler: the fields a user reads are there, and no secret put into
// a Failure built by hand comes out.
func TestFailureInLogs(t *testing.T) {
	f, ok := azauthtrace.FromError(errors.New("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n" +
		"\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\n" +
		"\tAzureCLICredential: ERROR: Please run 'az login' to setup account."))
	if !ok {
		t.Fatal("not recognised")
	}
	if s := f.String(); !strings.HasPrefix(s, "credential_unavailable") || !strings.Contains(s, "DefaultAzureCredential") {
		t.Errorf("String() = %q", s)
	}
	hand := azauthtrace.Failure{
		Class: azauthtrace.ClassPermission, StatusCode: 403, ErrorCode: "AuthorizationFailed",
		CorrelationID: "5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11",
		Description:   "denied sig=LeakLogSignature9 for alice@contoso.com, token eyJhbGciOiJub25lIn0.eyJMZWFrTG9nIjoxfQ.c2ln",
		PrincipalName: "alice@contoso.com",
		RequestID:     "not an id eyJhbGciOiJub25lIn0",
	}
	s := hand.String()
	for _, want := range []string{"permission (403 AuthorizationFailed)", "correlation 5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q, lacks %q", s, want)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("token request failed", "failure", hand)
	for _, out := range []string{s, buf.String()} {
		for _, leak := range []string{"LeakLogSignature9", "alice@contoso.com", "eyJMZWFrTG9nIjoxfQ", "not an id"} {
			if strings.Contains(out, leak) {
				t.Errorf("%q reached the log: %s", leak, out)
			}
		}
	}
	for _, want := range []string{`"class":"permission"`, `"http.response.status_code":403`, `"error_code":"AuthorizationFailed"`, `"correlation_id":"5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %s lacks %s", buf.String(), want)
		}
	}
}

// TestLogHandBuiltFailure cleans every field of a Failure built by hand,
// also those the classifier writes itself.
func TestLogHandBuiltFailure(t *testing.T) {
	const secret = "c4naryS3cretValueXq"
	f := azauthtrace.Failure{
		Class:              azauthtrace.ClassPermission,
		Service:            "svc password=" + secret,
		Mitigation:         "use sig=" + secret,
		TroubleshootingURL: "https://example.com/help?sig=" + secret,
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "f", f)
	if s := f.String() + " " + b.String(); strings.Contains(s, secret) {
		t.Errorf("secret in log output: %s", s)
	}
	if !strings.Contains(b.String(), "https://example.com/help") {
		t.Errorf("troubleshooting link lost: %s", b.String())
	}
}
