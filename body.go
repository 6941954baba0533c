package azauthtrace

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
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
	authDetail  string // Storage's AuthenticationErrorDetail

	// text is the body itself when it is neither JSON nor XML: a proxy's
	// or gateway's plain text, or an HTML page's title.
	text string
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
	case b[0] == '<' && !isHTML(b):
		if bd.readXML(b) {
			return bd
		}
	}
	if len(b) > maxTextBody {
		b = b[:maxTextBody]
	}
	if isHTML(b) {
		bd.text = htmlTitle(b)
	} else {
		bd.text = string(b)
	}
	return bd
}

// maxJSONDepth bounds the nesting of the objects and arrays readJSON
// reads: Azure's error bodies nest a few levels.
const maxJSONDepth = 64

// readJSON fills bd from the JSON value b starts with. It reads with a
// json.Decoder, token by token, and keeps what it found before the end of
// the first value, the end of b (a body cut at MaxBodyRead) or a syntax
// error.
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
				continue
			}
			bd.setString(path, v)
		case json.Number:
			bd.setNumber(path, v)
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

// setString files a string value found under path.
func (bd *errorBody) setString(path []string, v string) {
	var dst *string
	switch strings.Join(path, "/") {
	case "error":
		dst = &bd.oauthError
	case "error_description":
		dst = &bd.description
	case "error_uri":
		dst = &bd.errorURI
	case "timestamp":
		dst = &bd.timestamp
	case "trace_id":
		dst = &bd.traceID
	case "correlation_id", "correlationid", "error/correlationid":
		dst = &bd.correlation
	case "suberror":
		dst = &bd.suberror
	case "code", "error/code", "odata.error/code":
		dst = &bd.code
	case "message", "error/message", "error/message/value", "odata.error/message", "odata.error/message/value":
		dst = &bd.message
	case "error/innererror/code":
		dst = &bd.innerCode
	case "error/innererror/request-id":
		dst = &bd.innerReqID
	case "error/innererror/client-request-id":
		dst = &bd.innerCorrID
	default:
		return
	}
	if *dst == "" {
		*dst = v
	}
}

// maxCodes bounds the AADSTS codes kept of an error_codes array.
const maxCodes = 4

// setNumber files a number found under path: Entra ID's error_codes.
func (bd *errorBody) setNumber(path []string, v json.Number) {
	if len(path) != 1 || path[0] != "error_codes" || len(bd.codes) >= maxCodes {
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

func isHTML(b []byte) bool {
	b = b[:min(len(b), 64)]
	return hasPrefixFold(string(b), "<!doctype html") || hasPrefixFold(string(b), "<html")
}

// htmlTitle returns the title of an HTML page (a gateway's error page), or
// a fixed text.
func htmlTitle(b []byte) string {
	s := string(b)
	if _, rest, ok := cutFold(s, "<title>"); ok {
		if title, _, ok := cutFold(rest, "</title>"); ok {
			return strings.TrimSpace(title)
		}
	}
	return "HTML error page"
}

// cutFold is strings.Cut, ignoring ASCII case in sep.
func cutFold(s, sep string) (before, after string, found bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sep)], sep) {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}
