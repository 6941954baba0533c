// Package scenario holds the scenarios of the azauthtrace example: Azure
// authentication and authorization failures, and one success, played by
// real azidentity credentials and real azcore pipelines against local
// fakes (package fakeentra for Entra ID, the App Service managed identity
// endpoint and az; package fakeservice for ARM, Storage, Key Vault and
// Graph) that answer with corpus cases. Each scenario runs in its own
// trace, under a root span named "scenario <name>", with the credential
// decorator and the policy recording into the providers the [Runner] is
// given. The Runner then reads the diagnosis back from the recorded spans
// and compares it with the scenario's [Expectation].
//
// The example (go run ./example) and the end-to-end tests use this
// package; the end-to-end tests compare what a backend received with each
// scenario's Expectation.
package scenario

import (
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"github.com/azauthtrace/azauthtrace"
)

// ScenarioKey is the attribute azauth.example.scenario, set to the
// scenario's name on the scenario's root span.
const ScenarioKey = attribute.Key("azauth.example.scenario")

// ScopeName is the instrumentation scope of the scenarios' root spans.
const ScopeName = "github.com/azauthtrace/azauthtrace/example"

// SpanName returns the name of a scenario's root span: "scenario <name>".
func SpanName(name string) string { return "scenario " + name }

// The identity the fakes issue tokens to: the claims of every access token
// (tid, oid, appid), so the principal a service denied.
const (
	TenantID = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	ClientID = "00001111-aaaa-2222-bbbb-3333cccc4444"
	ObjectID = "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a"
)

// Canaries: the secrets the scenarios present and the tokens the fakes
// issue. They must appear in no span, metric or report line.
const (
	// Secret is the client secret, the password, the federated token and
	// the managed identity header of every scenario.
	Secret = "canary-secret-do-not-log-7f3a"
	// TokenCanary is in the header and the signature of every access
	// token the fakes issue (see [AccessToken]).
	TokenCanary = "canary-token-do-not-log-2b9d"
)

// Expectation is what a user looks for in the telemetry of a scenario:
// the diagnosis its failure must get. Zero fields expect nothing there.
type Expectation struct {
	// Class is the failure's class; "" for a scenario that succeeds.
	Class azauthtrace.Class
	// AADSTS is the Entra ID error code.
	AADSTS int
	// ErrorCode is the service's error code or the OAuth error.
	ErrorCode string
	// Credential is the credential type on the GetToken span
	// (azauth.credential.type).
	Credential string
	// CorrelationID is the correlation ID to give to support, when the
	// corpus case has one.
	CorrelationID string
	// PrincipalID is the object ID of the denied principal, for
	// permission failures and the claims challenge: the oid of the token
	// the fake issued.
	PrincipalID string
	// DeniedObjectID is the object ID the service named as denied, when
	// it is not the token's.
	DeniedObjectID string
	// StatusCode is the HTTP status of the failure, or of the successful
	// call; 0 when there was no HTTP response (a CLI, a chain).
	StatusCode int
	// Challenge is the kind of challenge the client answers on the way
	// (azauth.challenge.kind: claims, discovery); "" for none.
	Challenge string
	// Grant is the role (azauth.grant.role) or, for Microsoft Graph, the
	// permission (azauth.grant.permission) that would allow what was
	// denied: Microsoft Learn's least-privileged answer.
	Grant string
}

// Scenario is one failure (or success) the example plays.
type Scenario struct {
	// Name identifies the scenario: the -scenario flag's value and the
	// ScenarioKey attribute.
	Name string
	// Title says in a few words what goes wrong.
	Title string
	// Expect is the diagnosis the scenario must get.
	Expect Expectation

	// play runs the scenario under ctx, the root span's context.
	play func(r *Runner, p *play) error
}

// All returns every scenario, in the order the example runs them.
func All() []Scenario {
	return []Scenario{
		clientSecretInvalid,
		clientSecretExpired,
		appNotFound,
		certificateInvalidSignature,
		usernamePasswordInvalid,
		workloadIdentityNoFIC,
		managedIdentityNotAssigned,
		cliNotInstalled,
		cliNotLoggedIn,
		defaultCredentialChain,
		armAuthorizationFailed,
		storagePermissionMismatch,
		keyVaultForbiddenByRBAC,
		graphInsufficientPrivileges,
		caeClaimsChallenge,
		success,
	}
}

// Names returns the names of All, in order.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}

// Select returns the scenarios with the given names, in the given order;
// every scenario when names is empty. It fails on an unknown name.
func Select(names []string) ([]Scenario, error) {
	if len(names) == 0 {
		return All(), nil
	}
	byName := map[string]Scenario{}
	for _, s := range All() {
		byName[s.Name] = s
	}
	var out []Scenario
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown scenario %q; the scenarios are: %s", n, strings.Join(Names(), ", "))
		}
		out = append(out, s)
	}
	return out, nil
}
