package azauthtrace

import "net/http"

// FromResponse diagnoses resp. ok is false when resp is not an
// authentication or authorization failure.
func FromResponse(resp *http.Response) (f Failure, ok bool) { return Failure{}, false }

// FromError diagnoses err.
func FromError(err error) (f Failure, ok bool) { return Failure{}, false }
