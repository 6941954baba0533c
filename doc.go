// Package azauthtrace diagnoses Azure authentication and authorization
// failures: it turns an HTTP response from Microsoft Entra ID, a managed
// identity endpoint or an Azure service, or an error from azidentity or
// azcore, into a [Failure] that says what kind of failure it was, the
// Entra ID AADSTS code, the IDs to give to support, who was denied what,
// and what to do.
//
// What each exported name is for:
//
//   - [FromResponse] diagnoses an HTTP response, [FromError] an error (also
//     one reduced to text, from a log line); [Recognizes] tells, without
//     reading the body, whether FromResponse would diagnose a response, for
//     code that sees every response.
//   - [ParseChallenge] summarises a response's WWW-Authenticate challenges,
//     without their claims.
//   - [Failure], [Class], [Source] and [Challenge] are the diagnosis;
//     [Classes] lists the classes in the order they are decided.
//   - [MaxBodyRead] and [MaxDescription] are the bounds the classifier keeps
//     to; [Version] is this module's version.
//
// Neither function imports OpenTelemetry: the subpackages credential,
// policy and record record the diagnosis as spans and metrics, with the
// vocabulary of package otelx.
//
// # Classes
//
// Every failure is one [Class], decided top-down, the first that matches:
//
//   - credential_unavailable: the credential could not even try here (no
//     environment variables, no CLI login, no managed identity endpoint).
//   - claims_challenge: a service rejected a valid token with a claims
//     challenge (Continuous Access Evaluation, Conditional Access step-up).
//   - transient: expected to clear on retry (throttling, a managed identity
//     endpoint that is updating, an Entra ID outage).
//   - token_rejected: a service rejected or did not get the bearer token
//     itself (expired, wrong tenant, issuer or audience, missing).
//   - permission: authentication succeeded but authorization was denied (a
//     role assignment, access policy, firewall rule, Conditional Access
//     block or consent is missing).
//   - configuration: the identity's wiring is wrong (unknown tenant,
//     application not in the tenant, federated credential mismatch,
//     managed identity not assigned).
//   - authentication: the credential was refused (wrong or expired secret,
//     bad assertion, wrong password, MFA or interaction needed).
//
// # How the evidence is weighed
//
// FromResponse reads who answered (the request's host and path, then the
// response's headers), the response's headers, its WWW-Authenticate
// challenge and its body in whichever envelope it comes ({"error":{"code",
// "message"}}, {"code","message"}, {"Message"}, {"errors":[...]}, OData,
// RFC 7807, XML <Error>, an OAuth error, plain text). At Entra ID's token
// endpoint and at managed identity endpoints the AADSTS code decides, not
// the HTTP status or the OAuth error value. For any other service, one
// function weighs the evidence every response carries, in this order; the
// first that decides wins:
//
//  1. A claims challenge (claims or insufficient_claims in the challenge,
//     Continuous Access Evaluation in the message): claims_challenge.
//  2. An AADSTS code anywhere in the body: a gateway or service that
//     passes Entra ID's error on keeps its class (code beats transport).
//  3. An error code whose words do not tell its class (the known codes),
//     then the service's own discriminator (Cosmos DB's x-ms-substatus).
//  4. A 401 from the service's own token endpoint: authentication.
//  5. The words of the authentication detail, of the challenge's
//     description, of the message, then of the error code split into
//     words (InvalidAuthenticationTokenTenant: "invalid authentication
//     token tenant"), each by the word families in order: key-based access
//     disabled (configuration); no credential received (token_rejected);
//     a key, signature or SAS refused, unless a bearer token was
//     presented (authentication); authorization denied (permission, also
//     on a 401); a token rejected (token_rejected, or authentication when
//     the request presented a key); the identity's wiring (configuration);
//     throttling (transient).
//  6. The challenge's error: invalid_token (token_rejected),
//     insufficient_scope (permission).
//  7. The status and what the request presented: a 401 for a key
//     (shared key, HMAC, SAS, API key) is authentication, any other 401
//     token_rejected, a 403 permission.
//
// What the request presented is read from its Authorization header's
// scheme, its API key headers and its query (sig=); when the request does
// not show it, a challenge for a key scheme only (SharedKey, HMAC-SHA256)
// says the service takes keys. The service table adds what these rules
// cannot know: a service's hosts, its discriminator and its guide.
//
// FromError reads the same evidence from an error: the response an
// azidentity or azcore error carries, else its text as azidentity,
// azcore, MSAL, go-autorest, adal, go-azure-sdk, go-mssqldb, client-go and
// the other Azure SDKs print it (a status, a code, a message, a JSON body,
// an endpoint's URL, printed headers), and weighs it the same way. A text
// that says nothing about authentication is not recognised: FromError
// returns false.
//
// # What is never kept
//
// A Failure never holds an access token, a secret, a client assertion, a
// password, a claims value or a SAS signature. Every field taken from a
// response or an error text is cleaned on the way out: valid UTF-8 without
// control or invisible characters, bounded by its kind (a description is
// one line of at most [MaxDescription] bytes), IDs and codes that do not
// have an ID's or a code's shape dropped, and in free text every word that
// is not of a shape known to be harmless, every secret parameter's value,
// every e-mail address and every value the request carried (its
// Authorization header, its keys, its query) redacted. docs/redaction.md
// in the repository lists the rules.
//
// # Grants
//
// A permission failure's [Grant] says what access the principal lacks
// and gives the Azure CLI command that grants it: the least-privileged
// built-in role for the denied action at the narrowest sensible scope
// (for Azure RBAC), or the least-privileged Microsoft Graph permission for
// the request and the kind of token sent. It is chosen from Azure's
// built-in role definitions and Microsoft's Graph permissions map,
// embedded and decoded on the first permission failure; see
// docs/grant-rbac.md and docs/grant-graph.md in the repository.
package azauthtrace
