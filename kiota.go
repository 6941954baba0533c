package azauthtrace

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
)

// fromKiota diagnoses an API error of Kiota (the ApiError of
// kiota-abstractions-go, and msgraph-sdk-go's ODataError, which embeds
// it): the status and response headers it keeps, and the error code,
// message and IDs of an ODataError's body. It knows them by their methods,
// so that this module does not depend on Kiota.
func fromKiota(err error) (Failure, bool) {
	var ae interface{ GetStatusCode() int }
	if !errors.As(err, &ae) || isNilPointer(ae) {
		return Failure{}, false
	}
	status := ae.GetStatusCode()
	if status != http.StatusUnauthorized && status != http.StatusForbidden {
		return Failure{}, false
	}
	h := http.Header{}
	if hv := call(ae, "GetResponseHeaders"); hv != nil {
		if hb, ok := hv.(interface {
			ListKeys() []string
			Get(string) []string
		}); ok {
			for _, k := range hb.ListKeys() {
				for _, v := range hb.Get(k) {
					h.Add(k, v)
				}
			}
		}
	}
	var body []byte
	if me := call(ae, "GetErrorEscaped"); me != nil {
		e := map[string]any{"code": strField(me, "GetCode"), "message": strField(me, "GetMessage")}
		if inner := call(me, "GetInnerError"); inner != nil {
			e["innerError"] = map[string]any{
				"request-id":        strField(inner, "GetRequestId"),
				"client-request-id": strField(inner, "GetClientRequestId"),
			}
		}
		body, _ = json.Marshal(map[string]any{"error": e})
	}
	o := origin{source: SourceService, service: serviceFromHeaders(h, nil)}
	if o.service == "" && strings.Contains(reflect.TypeOf(ae).String(), "odataerrors") {
		o.service = serviceGraph
	}
	return classifyResponse(&http.Response{StatusCode: status, Header: h}, o, body), true
}
