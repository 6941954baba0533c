package azauthtrace

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// bodyFields are the fields of an error body that the classifier reads,
// whatever the body's shape: an OAuth error from Entra ID or a managed
// identity endpoint, an Azure REST error ({"error":{"code",...}}), an OData
// error, Cosmos DB's flat {"code","message"}, or a Storage or Service Bus
// XML error.
type bodyFields struct {
	isJSON bool
	isXML  bool

	// OAuth (token endpoint, IMDS).
	oauthError  string // "error" when it is a string
	description string // error_description
	errorURI    string
	timestamp   string
	traceID     string
	correlation string // correlation_id, correlationId, error.correlationId
	suberror    string
	codes       [4]int // error_codes
	nCodes      int

	// Azure REST errors.
	code        string // error.code, odata.error.code, code, XML Code
	message     string // error.message, odata.error.message(.value), message, XML Message or Detail
	innerCode   string // error.innererror.code
	innerReqID  string // error.innerError.request-id (Graph)
	innerCorrID string // error.innerError.client-request-id (Graph)
	authDetail  string // Storage AuthenticationErrorDetail
	statusCode  int    // App Service's statusCode
}

// parseJSONBody fills f from a JSON body. It never fails: what it cannot
// read it leaves empty. Strings are copied out of b, so f does not keep b.
func (f *bodyFields) parseJSON(b []byte) {
	s := jsonScanner{b: b}
	s.skipSpace()
	if s.i >= len(b) || b[s.i] != '{' {
		return
	}
	f.isJSON = true
	s.object(f, 0, ctxTop)
}

// Context of an object in the body: which fields of bodyFields its members
// fill.
const (
	ctxTop = iota
	ctxError
	ctxInner
	ctxMessage
	ctxOther
)

const maxJSONDepth = 32

type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// object reads an object starting at '{'; ctx says which fields its members
// fill.
func (s *jsonScanner) object(f *bodyFields, depth, ctx int) bool {
	s.i++ // '{'
	for {
		s.skipSpace()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == '}' {
			s.i++
			return true
		}
		if s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.b[s.i] != '"' {
			return false
		}
		key, ok := s.rawString()
		if !ok {
			return false
		}
		s.skipSpace()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.skipSpace()
		if !s.member(f, depth, ctx, key) {
			return false
		}
	}
}

// member reads the value of key in an object of context ctx.
func (s *jsonScanner) member(f *bodyFields, depth, ctx int, key []byte) bool {
	if s.i >= len(s.b) {
		return false
	}
	c := s.b[s.i]
	switch {
	case c == '"':
		raw, ok := s.rawString()
		if !ok {
			return false
		}
		if dst := f.stringField(ctx, key); dst != nil && *dst == "" {
			*dst = unquote(raw)
		}
		return true
	case c == '{':
		if depth >= maxJSONDepth {
			return false
		}
		return s.object(f, depth+1, childContext(ctx, key))
	case c == '[':
		if depth >= maxJSONDepth {
			return false
		}
		return s.array(f, depth+1, ctx == ctxTop && string(key) == "error_codes")
	default:
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				goto done
			}
			s.i++
		}
	done:
		if ctx == ctxTop && string(key) == "statusCode" {
			f.statusCode, _ = strconv.Atoi(string(s.b[start:s.i]))
		}
		return s.i > start
	}
}

func (s *jsonScanner) array(f *bodyFields, depth int, codes bool) bool {
	s.i++ // '['
	for {
		s.skipSpace()
		if s.i >= len(s.b) {
			return false
		}
		switch c := s.b[s.i]; {
		case c == ']':
			s.i++
			return true
		case c == ',':
			s.i++
		case c == '"':
			if _, ok := s.rawString(); !ok {
				return false
			}
		case c == '{':
			if depth >= maxJSONDepth || !s.object(f, depth+1, ctxOther) {
				return false
			}
		case c == '[':
			if depth >= maxJSONDepth || !s.array(f, depth+1, false) {
				return false
			}
		default:
			n, start := 0, s.i
			for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
				if n < 1e9 {
					n = n*10 + int(s.b[s.i]-'0')
				}
				s.i++
			}
			for s.i < len(s.b) && s.b[s.i] != ',' && s.b[s.i] != ']' {
				s.i++
			}
			if codes && s.i > start && n > 0 && f.nCodes < len(f.codes) {
				f.codes[f.nCodes] = n
				f.nCodes++
			}
		}
	}
}

// rawString reads a string starting at '"' and returns its raw contents,
// escapes included.
func (s *jsonScanner) rawString() ([]byte, bool) {
	s.i++
	start := s.i
	for s.i < len(s.b) {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			break
		}
		end := s.i + j
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		n := 0
		for k := end - 1; k >= start && s.b[k] == '\\'; k-- {
			n++
		}
		s.i = end + 1
		if n%2 == 0 {
			return s.b[start:end], true
		}
	}
	s.i = len(s.b)
	return nil, false
}

func childContext(ctx int, key []byte) int {
	switch ctx {
	case ctxTop:
		if string(key) == "error" || string(key) == "odata.error" {
			return ctxError
		}
	case ctxError:
		if equalFoldASCII(key, "innererror") {
			return ctxInner
		}
		if string(key) == "message" {
			return ctxMessage
		}
	}
	return ctxOther
}

// stringField returns where a string member key of an object of context ctx
// goes, or nil.
func (f *bodyFields) stringField(ctx int, key []byte) *string {
	switch ctx {
	case ctxTop:
		switch string(key) {
		case "error":
			return &f.oauthError
		case "error_description":
			return &f.description
		case "error_uri":
			return &f.errorURI
		case "timestamp":
			return &f.timestamp
		case "trace_id":
			return &f.traceID
		case "correlation_id", "correlationId":
			return &f.correlation
		case "suberror":
			return &f.suberror
		case "code":
			return &f.code
		case "message", "Message":
			return &f.message
		}
	case ctxError:
		switch string(key) {
		case "code":
			return &f.code
		case "message":
			return &f.message
		case "correlationId":
			return &f.correlation
		}
	case ctxInner:
		switch string(key) {
		case "code":
			return &f.innerCode
		case "request-id":
			return &f.innerReqID
		case "client-request-id":
			return &f.innerCorrID
		}
	case ctxMessage:
		if string(key) == "value" {
			return &f.message
		}
	}
	return nil
}

func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// unquote decodes the escapes of a raw JSON string. Invalid escapes are kept
// as they are.
func unquote(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			out = append(out, c)
			continue
		}
		i++
		switch raw[i] {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b', 'f':
			out = append(out, ' ')
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'u':
			if i+4 < len(raw) {
				if r, err := strconv.ParseUint(string(raw[i+1:i+5]), 16, 32); err == nil {
					out = utf8.AppendRune(out, rune(r))
					i += 4
					continue
				}
			}
			out = append(out, '\\', 'u')
		default:
			out = append(out, '\\', raw[i])
		}
	}
	return string(out)
}

// parseXML fills f from a Storage or Service Bus XML error body:
// <Error><Code/><Message/><AuthenticationErrorDetail/></Error>, or
// <Error><Code/><Detail/></Error>.
func (f *bodyFields) parseXML(b []byte) {
	f.code = xmlElement(b, "Code")
	f.message = xmlElement(b, "Message")
	if f.message == "" {
		f.message = xmlElement(b, "Detail")
	}
	f.authDetail = xmlElement(b, "AuthenticationErrorDetail")
	f.isXML = f.code != "" || f.message != ""
}

// xmlElement returns the unescaped text of the first <name>...</name> in b.
func xmlElement(b []byte, name string) string {
	open := "<" + name + ">"
	i := bytesIndex(b, open)
	if i < 0 {
		return ""
	}
	rest := b[i+len(open):]
	j := bytesIndex(rest, "</"+name+">")
	if j < 0 {
		return ""
	}
	return xmlUnescape(rest[:j])
}

func bytesIndex(b []byte, s string) int {
	n := len(s)
	for i := 0; i+n <= len(b); i++ {
		if b[i] == s[0] && string(b[i:i+n]) == s {
			return i
		}
	}
	return -1
}

var xmlEntities = [...]struct{ ent, val string }{
	{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}, {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"},
}

func xmlUnescape(b []byte) string {
	s := string(b)
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		for _, e := range xmlEntities {
			if len(s)-i >= len(e.ent) && s[i:i+len(e.ent)] == e.ent {
				s = s[:i] + e.val + s[i+len(e.ent):]
				break
			}
		}
	}
	return s
}
