package azauthtrace

import (
	"cmp"
	"net/http"
)

// classifyManagedIdentity diagnoses a managed identity endpoint failure.
func classifyManagedIdentity(f *Failure, bd *errorBody, h http.Header, k miKind) {
	f.AADSTS = mostSpecificCode(bd.codes)
	f.ErrorCode = cmp.Or(bd.oauthError, bd.code)
	f.CorrelationID = cmp.Or(bd.correlation, h.Get("X-Correlation-Id"))
	f.Description = firstLine(cmp.Or(bd.description, bd.message, bd.text))
	s := f.StatusCode
	switch {
	case s == http.StatusTooManyRequests || s == http.StatusGone || s >= 500:
		f.Class = ClassTransient
	case k == miIMDS && s == http.StatusForbidden:
		// Not IMDS: Docker Desktop, an egress proxy or a firewall answers
		// at its address. There is no managed identity here.
		f.Class = ClassCredentialUnavailable
	case k == miIMDS && s == http.StatusNotFound:
		// IMDS is updating, or AAD Pod Identity's NMI has no binding for
		// the pod yet.
		f.Class = ClassTransient
	case k == miArc && s == http.StatusUnauthorized:
		// Arc's key-file challenge: the process could not read the key.
		f.Class = ClassConfiguration
		if f.Description == "" {
			f.Description = "Azure Arc key file challenge"
		}
	default:
		f.Class = ClassConfiguration
	}
}
