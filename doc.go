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
// Neither function imports OpenTelemetry: the subpackages credential and
// policy record the diagnosis as spans and metrics, with the vocabulary of
// package otelx.
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
// At the token endpoint the AADSTS code decides the class, not the HTTP
// status or the OAuth error value. For a service, its specific codes (Key
// Vault's innererror code, Storage's x-ms-error-code and
// AuthenticationErrorDetail, Cosmos DB's x-ms-substatus) decide before the
// status.
//
// # What is never kept
//
// A Failure never holds an access token, a secret, a client assertion, a
// password, a claims value or a SAS signature. Every field taken from a
// response or an error text is cleaned on the way out: valid UTF-8 without
// control or invisible characters, bounded by its kind (a description is
// one line of at most [MaxDescription] bytes), IDs and codes that do not
// have an ID's or a code's shape dropped, and words holding a secret's
// shape, an e-mail address or a value the request carried (its
// Authorization header, its query) redacted. The README lists the rules.
package azauthtrace
