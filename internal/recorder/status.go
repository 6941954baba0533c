package recorder

import (
	"strconv"

	"github.com/azauthtrace/azauthtrace"
)

// StatusDescription is the span status description of a failure, such as
// "403 permission: AuthorizationFailed" or "401 authentication:
// AADSTS7000215": the status (when there was a response), the class, and
// the AADSTS code or the service's error code. It never holds a service's
// message, which may name the caller or hold a secret.
func StatusDescription(status int, f azauthtrace.Failure) string {
	s := string(f.Class)
	if s == "" {
		s = "failed"
	}
	if status != 0 {
		s = strconv.Itoa(status) + " " + s
	}
	switch {
	case f.AADSTS != 0:
		s += ": AADSTS" + strconv.Itoa(f.AADSTS)
	case f.ErrorCode != "":
		s += ": " + f.ErrorCode
	}
	return s
}
