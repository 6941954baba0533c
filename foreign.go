package azauthtrace

import (
	"errors"
	"reflect"
	"strings"
)

// This file is the one place that reads other modules' errors by what
// they do not promise: a type's unexported name or package path, a
// method's name, a struct's field, the markers of a printed text. Each
// reader says what it looks for. They were checked against:
//
//   - azidentity v1.15.0 and earlier (the credentialUnavailableError
//     type's name; the text of its errors, which azidentity documents as
//     not contractual: a chain's "failed to acquire a token.\nAttempted
//     credentials:", the troubleshooting line), azcore v1.24.0
//     (ResponseError's dashed RESPONSE layout) and MSAL for Go v1.10.1
//     ("reply status code was");
//   - kiota-abstractions-go v1 and msgraph-sdk-go v1 (ApiError's and
//     ODataError's methods: GetStatusCode, GetResponseHeaders,
//     GetErrorEscaped, GetCode, GetMessage, GetInnerError);
//   - go-amqp v1 (Error's Condition and Description fields) and
//     azservicebus v1 and azeventhubs v1 (their Error's Code field, in a
//     package whose path holds /messaging/).
//
// A reader that finds nothing returns its zero value; FromError recovers
// from a method that panics.

// The markers of azidentity's, azcore's and MSAL's error texts.
const (
	chainMarker   = "failed to acquire a token.\nAttempted credentials:"
	dashes        = "--------------------------------------------------------------------------------"
	troubleshoot  = "To troubleshoot, visit "
	msalReplyCode = "reply status code was "
)

// credentialUnavailable returns azidentity's credential-unavailable error
// in err's chain, the error on which credential chains try their next
// source, or nil. azidentity does not export its type, so it is known by
// name.
func credentialUnavailable(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		t := reflect.TypeOf(e)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Name() == "credentialUnavailableError" && strings.HasSuffix(t.PkgPath(), "/azidentity") {
			return e
		}
	}
	return nil
}

// call calls v's method name, which takes no argument and returns one
// value, and returns that value, or nil when v has no such method or the
// value is nil: a nil pointer, or an interface that is nil or holds one.
func call(v any, name string) any {
	m := reflect.ValueOf(v).MethodByName(name)
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	out := m.Call(nil)[0]
	if out.Kind() == reflect.Interface {
		if out.IsNil() {
			return nil
		}
		out = out.Elem()
	}
	if out.Kind() == reflect.Pointer && out.IsNil() {
		return nil
	}
	return out.Interface()
}

// strField returns what v's method name returns when it is a *string or a
// string, or "".
func strField(v any, name string) string {
	switch s := call(v, name).(type) {
	case *string:
		return *s
	case string:
		return s
	}
	return ""
}

// isNilPointer reports whether v holds a nil pointer.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// amqpError returns the condition and description of an AMQP error in
// err's chain: a struct with the string fields Condition and Description,
// as go-amqp's Error is (also inside its LinkError, SessionError and
// ConnError, which unwrap to it).
func amqpError(err error) (condition, description string) {
	eachError(err, func(e error) bool {
		v := reflect.ValueOf(e)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return false
		}
		c, d := stringField(v, "Condition"), stringField(v, "Description")
		if c.IsValid() && d.IsValid() {
			condition, description = c.String(), d.String()
			return true
		}
		return false
	})
	return condition, description
}

// stringField returns the string field name of the struct v, also when it
// is promoted from an embedded struct, or the zero Value when v has none
// or it lies behind a nil pointer.
func stringField(v reflect.Value, name string) reflect.Value {
	sf, ok := v.Type().FieldByName(name)
	if !ok || sf.Type.Kind() != reflect.String {
		return reflect.Value{}
	}
	f, err := v.FieldByIndexErr(sf.Index)
	if err != nil {
		return reflect.Value{}
	}
	return f
}

// eachError calls f for err and each error in its tree, depth first as
// errors.As walks it (errors.Join's included), until f returns true.
func eachError(err error, f func(error) bool) bool {
	for depth := 0; err != nil && depth < maxErrorDepth; depth++ {
		if f(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if eachError(e, f) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// maxErrorDepth bounds how deep eachError goes into an error's tree.
const maxErrorDepth = 64

// sdkErrorCode returns the Code of azservicebus's or azeventhubs's *Error
// in err's chain, such as "unauthorized".
func sdkErrorCode(err error) (code string) {
	eachError(err, func(e error) bool {
		v := reflect.ValueOf(e)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return false
		}
		t := v.Elem().Type()
		if !strings.Contains(t.PkgPath(), "/messaging/") || t.Name() != "Error" {
			return false
		}
		if c := stringField(v.Elem(), "Code"); c.IsValid() {
			code = c.String()
			return true
		}
		return false
	})
	return code
}
