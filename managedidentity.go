package azauthtrace

import (
	"cmp"
	"net/http"
	"strings"
)

// classifyManagedIdentity diagnoses a managed identity endpoint failure.
func classifyManagedIdentity(f *Failure, bd *errorBody, h http.Header, k miKind) {
	bd.addEmbedded()
	desc := cmp.Or(bd.description, bd.message, bd.text)
	// Managed identity endpoints name AADSTS codes in their text when they
	// pass Entra ID's errors on, but only an error_codes array says which
	// one decided (the corpus's rule).
	f.AADSTS = mostSpecificCode(bd.codes)
	f.ErrorCode = cmp.Or(bd.oauthError, bd.code)
	f.CorrelationID = cmp.Or(bd.correlation, h.Get("X-Correlation-Id"))
	f.RequestID = bd.traceID
	f.Description = firstLine(desc)
	if f.AADSTS != 0 {
		f.Description = aadstsMessage(desc)
	}
	s := f.StatusCode
	if who := impostor(h, bd); k == miIMDS && who != "" {
		// Whoever answered at IMDS's address is not IMDS: there is no
		// managed identity here.
		f.Class = ClassCredentialUnavailable
		f.Description = who + " answered at the IMDS address: " + f.Description
		f.Mitigation = "Not IMDS here: " + who + " answered at 169.254.169.254, so this host has no Azure managed identity. Use another credential, or send 169.254.169.254 past the proxy (NO_PROXY)."
		return
	}
	code, known := aadstsClass(f.AADSTS)
	switch {
	case known:
		// An Entra ID error the endpoint passed on (the workload identity
		// proxy, AKS pod identity's NMI): the code decides.
		f.Class = code
	case s == http.StatusTooManyRequests || s == http.StatusGone || s >= 500:
		f.Class = ClassTransient
	case k == miIMDS && s == http.StatusNotFound:
		// IMDS is updating, or AAD Pod Identity's NMI has no binding for
		// the pod yet.
		f.Class = ClassTransient
	case k == miIMDS && s == http.StatusForbidden && bd.oauthError == "" && bd.description == "":
		// Not IMDS's own error: Docker Desktop, an egress proxy or a
		// firewall answers at its address. There is no managed identity
		// here.
		f.Class = ClassCredentialUnavailable
	case k == miArc && s == http.StatusUnauthorized:
		// Arc's key-file challenge: the process could not read the key.
		f.Class = ClassConfiguration
		if f.Description == "" {
			f.Description = "Azure Arc key file challenge"
		}
	default:
		// IMDS's own errors (identity not found, several identities, a
		// missing header), also behind another status, and the other
		// endpoints' errors of configuration.
		f.Class = ClassConfiguration
	}
}

// impostor names whoever answered at the IMDS address that is not IMDS,
// from its headers and body: another cloud's metadata service, a proxy or
// a service mesh sidecar, a web server; "" when it may be IMDS (or AKS pod
// identity's NMI, or the workload identity proxy, which stand in for it).
func impostor(h http.Header, bd *errorBody) string {
	server := strings.ToLower(h.Get("Server"))
	text := strings.ToLower(bd.text)
	switch {
	case strings.Contains(server, "ec2ws") || h.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") != "":
		return "AWS EC2 instance metadata"
	case strings.EqualFold(h.Get("Metadata-Flavor"), "Google") || strings.Contains(server, "metadata server for vm"):
		return "Google Cloud's metadata server"
	case strings.Contains(server, "envoy") || strings.Contains(text, "rbac: access denied"):
		return "A service mesh sidecar (Envoy)"
	case strings.Contains(server, "squid") || h.Get("X-Squid-Error") != "" || strings.Contains(strings.ToLower(h.Get("Via")), "squid"):
		return "A proxy (Squid)"
	case strings.Contains(text, "unreachable network"):
		return "Docker Desktop"
	case strings.Contains(text, "denied destination") || strings.Contains(text, "resolve_deny"):
		return "An egress proxy"
	case bd.html:
		return "A web server"
	}
	return ""
}
