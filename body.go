package azauthtrace

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// errorBody holds the fields of an error body that the classifier reads,
// whatever the body's shape: an OAuth error from Entra ID or a managed
// identity endpoint, an Azure REST error ({"error":{"code",...}}), an OData
// error, Cosmos DB's flat {"code","message"}, or a Storage or Service Bus
// XML error. The first value found for a field wins.
type errorBody struct {
	// OAuth errors (Entra ID, IMDS).
	oauthError  string // "error", when it is a string
	description string // error_description
	errorURI    string
	timestamp   string
	traceID     string
	correlation string // correlation_id, correlationId, error.correlationId
	suberror    string
	codes       []int // error_codes

	// Azure REST errors.
	code        string // error.code, odata.error.code, code, XML Code
	message     string // error.message(.value), message, XML Message or Detail
	innerCode   string // error.innererror.code
	innerReqID  string // error.innerError.request-id (Graph)
	innerCorrID string // error.innerError.client-request-id (Graph)
	authDetail  string // Storage's AuthenticationErrorDetail, Batch's in "values"
	detail      string // more text: Kusto's @message, IoT Hub's ExceptionMessage, a problem's title or detail
	problemType string // an RFC 7807 problem's type URI (App Configuration)
	valueKey    string // the key of the last key/value pair of a "values" list (Batch)

	// text is the body itself when it is neither JSON nor XML: a proxy's
	// or gateway's plain text, or an HTML page's title.
	text string
	// html reports whether the body is an HTML page.
	html bool
}

// maxTextBody bounds the plain text kept of a body that is neither JSON
// nor XML.
const maxTextBody = 1024

// parseBody reads an error body.
func parseBody(b []byte) errorBody {
	var bd errorBody
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	switch {
	case len(b) == 0:
		return bd
	case b[0] == '{':
		bd.readJSON(b)
		return bd
	}
	// isHTML reads at most the first 512 bytes, which the cut below keeps.
	bd.html = isHTML(b)
	if b[0] == '<' && !bd.html && bd.readXML(b) {
		return bd
	}
	if len(b) > maxTextBody {
		b = b[:maxTextBody]
	}
	if bd.html {
		bd.text = htmlTitle(b)
	} else {
		bd.text = string(b)
	}
	return bd
}

// addEmbedded fills the fields of an OAuth error that a plain text body
// carries inside it, such as "Response body: {"error": ...}" or "reply
// status code was 401:\n{...}": the error another endpoint passed on.
func (bd *errorBody) addEmbedded() {
	i := strings.IndexByte(bd.text, '{')
	if i < 0 || bd.oauthError != "" || bd.description != "" {
		return
	}
	var inner errorBody
	inner.readJSON([]byte(bd.text[i:]))
	bd.oauthError, bd.description, bd.codes = inner.oauthError, inner.description, inner.codes
	bd.correlation, bd.traceID, bd.timestamp = cmp.Or(bd.correlation, inner.correlation), inner.traceID, inner.timestamp
}

// maxJSONDepth bounds the nesting of the objects and arrays readJSON
// reads: Azure's error bodies nest a few levels.
const maxJSONDepth = 64

// readJSON fills bd from the JSON value b starts with. It reads with a
// json.Decoder, token by token, skips whole every member no field is
// read from, and keeps what it found before the end of the first value,
// the end of b (a body cut at MaxBodyRead) or a syntax error.
func (bd *errorBody) readJSON(b []byte) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type container struct{ array, wantKey bool }
	var (
		open []container // the objects and arrays being read, innermost last
		path []string    // the keys, lower case, of the members being read
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				if len(open) == maxJSONDepth {
					return
				}
				open = append(open, container{array: v == '[', wantKey: v == '{'})
				continue
			}
			open = open[:len(open)-1] // '}' or ']' ends a value
		case string:
			if n := len(open); n > 0 && open[n-1].wantKey {
				path = append(path, strings.ToLower(v))
				open[n-1].wantKey = false
				if readsUnder(strings.Join(path, "/")) {
					continue
				}
				// Nothing is read from this member's value: skip it whole,
				// without a token for each of its parts.
				var skipped json.RawMessage
				if dec.Decode(&skipped) != nil {
					return
				}
				break
			}
			bd.setString(strings.Join(path, "/"), v)
		case json.Number:
			bd.setNumber(strings.Join(path, "/"), v)
		}
		// A value has been read.
		if len(open) == 0 {
			return
		}
		if top := &open[len(open)-1]; !top.array {
			path = path[:len(path)-1]
			top.wantKey = true
		}
	}
}

// jsonFields are the paths of the members readJSON reads, keys in lower
// case joined by "/", and where each goes. The first value found for a
// field wins.
var jsonFields = map[string]func(*errorBody) *string{
	"error":                              func(bd *errorBody) *string { return &bd.oauthError },
	"error_description":                  func(bd *errorBody) *string { return &bd.description },
	"error_uri":                          func(bd *errorBody) *string { return &bd.errorURI },
	"timestamp":                          func(bd *errorBody) *string { return &bd.timestamp },
	"trace_id":                           func(bd *errorBody) *string { return &bd.traceID },
	"traceid":                            func(bd *errorBody) *string { return &bd.traceID },
	"errorcode":                          func(bd *errorBody) *string { return &bd.code },
	"error_code":                         func(bd *errorBody) *string { return &bd.code },
	"errormessage":                       func(bd *errorBody) *string { return &bd.message },
	"correlation_id":                     func(bd *errorBody) *string { return &bd.correlation },
	"correlationid":                      func(bd *errorBody) *string { return &bd.correlation },
	"error/correlationid":                func(bd *errorBody) *string { return &bd.correlation },
	"suberror":                           func(bd *errorBody) *string { return &bd.suberror },
	"code":                               func(bd *errorBody) *string { return &bd.code },
	"error/code":                         func(bd *errorBody) *string { return &bd.code },
	"odata.error/code":                   func(bd *errorBody) *string { return &bd.code },
	"message":                            func(bd *errorBody) *string { return &bd.message },
	"error/message":                      func(bd *errorBody) *string { return &bd.message },
	"error/message/value":                func(bd *errorBody) *string { return &bd.message },
	"odata.error/message":                func(bd *errorBody) *string { return &bd.message },
	"odata.error/message/value":          func(bd *errorBody) *string { return &bd.message },
	"error/innererror/code":              func(bd *errorBody) *string { return &bd.innerCode },
	"error/innererror/request-id":        func(bd *errorBody) *string { return &bd.innerReqID },
	"error/innererror/client-request-id": func(bd *errorBody) *string { return &bd.innerCorrID },
	"error/@type":                        func(bd *errorBody) *string { return &bd.innerCode },
	"errors/code":                        func(bd *errorBody) *string { return &bd.code },
	"errors/message":                     func(bd *errorBody) *string { return &bd.message },
	"error/@message":                     func(bd *errorBody) *string { return &bd.detail },
	"exceptionmessage":                   func(bd *errorBody) *string { return &bd.detail },
	"title":                              func(bd *errorBody) *string { return &bd.detail },
	"detail":                             func(bd *errorBody) *string { return &bd.detail },
	"type":                               func(bd *errorBody) *string { return &bd.problemType },
	"values/key":                         func(bd *errorBody) *string { return &bd.valueKey },
	"values/value":                       func(bd *errorBody) *string { return nil },
}

// codesPath is the path of Entra ID's error_codes array.
const codesPath = "error_codes"

// jsonParents are the paths of the objects that hold the members
// readJSON reads ("error", "error/innererror", ...), derived once from
// jsonFields.
var jsonParents = func() map[string]bool {
	m := map[string]bool{}
	for p := range jsonFields {
		for i := range len(p) {
			if p[i] == '/' {
				m[p[:i]] = true
			}
		}
	}
	return m
}()

// readsUnder reports whether readJSON reads a field at path or under it.
func readsUnder(path string) bool {
	_, ok := jsonFields[path]
	return ok || path == codesPath || jsonParents[path]
}

// setString files a string value found at path.
func (bd *errorBody) setString(path, v string) {
	field, ok := jsonFields[path]
	switch {
	case !ok:
	case path == "values/key":
		bd.valueKey = v // each pair's own key
	case path == "values/value":
		// Batch lists details as {"key": ..., "value": ...} pairs.
		if strings.EqualFold(bd.valueKey, "AuthenticationErrorDetail") && bd.authDetail == "" {
			bd.authDetail = v
		}
	default:
		if dst := field(bd); *dst == "" {
			*dst = v
		}
	}
}

// maxCodes bounds the AADSTS codes kept of an error_codes array.
const maxCodes = 4

// setNumber files a number found at path: Entra ID's error_codes.
func (bd *errorBody) setNumber(path string, v json.Number) {
	if path != codesPath || len(bd.codes) >= maxCodes {
		return
	}
	if c, err := strconv.Atoi(v.String()); err == nil && c > 0 {
		bd.codes = append(bd.codes, c)
	}
}

// readXML fills bd from a Storage or Service Bus XML error body,
// <Error><Code/><Message/><AuthenticationErrorDetail/></Error> or
// <Error><Code/><Detail/></Error>, and reports whether it found a code or a
// message.
func (bd *errorBody) readXML(b []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var (
		dst  *string
		text strings.Builder
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			dst = nil
			switch t.Name.Local {
			case "Code":
				dst = &bd.code
			case "Message", "Detail":
				dst = &bd.message
			case "AuthenticationErrorDetail":
				dst = &bd.authDetail
			}
			if dst != nil && *dst != "" {
				dst = nil // the first one wins
			}
			text.Reset()
		case xml.CharData:
			if dst != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if dst != nil {
				*dst = text.String()
				dst = nil
			}
		}
	}
	return bd.code != "" || bd.message != ""
}

// isHTML reports whether b is an HTML (or XHTML) page: "<html" in its
// first 512 bytes, or a doctype that says html.
func isHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html")
}

// htmlTitle returns the title of an HTML page (a gateway's error page), or
// a fixed text.
func htmlTitle(b []byte) string {
	s := string(b)
	// safe.LowerASCII keeps every byte's offset, so the title is cut from
	// s where it was found in the lowered copy.
	lower := safe.LowerASCII(s)
	if i := strings.Index(lower, "<title>"); i >= 0 {
		i += len("<title>")
		if j := strings.Index(lower[i:], "</title>"); j >= 0 {
			return strings.TrimSpace(s[i : i+j])
		}
	}
	return "HTML error page"
}

// lowerByte returns c in lower case, when it is an ASCII letter.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
