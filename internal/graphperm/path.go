package graphperm

import (
	"sort"
	"strings"
)

// Limits on a request path; a longer one matches nothing.
const (
	maxPathBytes = 4096
	maxSegments  = 40
)

// normalize turns a request path into the map's normal form, segment by
// segment, as the map's extractor does for requests (normalize_path with
// request=True): scheme and host (or a URL template's {+baseurl}), the
// query and fragment (or a template's {?...}) and the /v1.0 or /beta
// prefix are dropped, an empty segment at the end is dropped, drive
// path addressing (root:/a/b/c.txt:/content) becomes one {id}: segment, and
// each segment is normalised by normalizeSegment. It returns nil when the
// path is too long to be a Graph request.
func normalize(raw string) []string {
	if len(raw) > maxPathBytes {
		return nil
	}
	if i := strings.Index(raw, "://"); i > 0 && isAlpha(raw[:i]) {
		rest := raw[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			rest = ""
		} else {
			rest = rest[j:]
		}
		raw = rest
	}
	// A Kiota request's URL template (RFC 6570), as msgraph-sdk-go keeps
	// it: {+baseurl}/users/{user%2Did}/messages{?%24top,%24select}.
	raw = strings.TrimPrefix(raw, "{+baseurl}")
	if i := strings.Index(raw, "{?"); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	segs := strings.Split(raw, "/")
	if len(segs) > 0 && segs[0] == "" {
		segs = segs[1:]
	}
	for len(segs) > 0 && segs[len(segs)-1] == "" {
		segs = segs[:len(segs)-1]
	}
	if len(segs) > 0 && (strings.EqualFold(segs[0], "v1.0") || strings.EqualFold(segs[0], "beta")) {
		segs = segs[1:]
	}
	if len(segs) > maxSegments {
		return nil
	}
	segs = CollapseDrivePath(segs)
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = normalizeSegment(s)
	}
	return out
}

// CollapseDrivePath replaces the item path of drive path addressing, the
// segments after the first one that ends in a colon (root:), by one {id}:
// segment up to the next segment that ends in a colon, or by {id} when none
// does: root:/a/b/c.txt:/content -> root:/{id}:/content. Requests' paths
// and, in gen, the templates' sample paths are collapsed alike.
func CollapseDrivePath(segs []string) []string {
	for i, s := range segs {
		if !strings.HasSuffix(s, ":") {
			continue
		}
		rest := segs[i+1:]
		for j, r := range rest {
			if strings.HasSuffix(r, ":") {
				return append(append(segs[:i+1:i+1], "{id}:"), rest[j+1:]...)
			}
		}
		if len(rest) > 0 {
			return append(segs[:i+1:i+1], "{id}")
		}
		break
	}
	return segs
}

// normalizeSegment is the extractor's normalize_segment: a parameter
// {anything} becomes {id} ({id}: when it ends with a colon); a function or
// key segment name(a=x,'y') becomes name(a={id},{id}) with the name and the
// argument names lower-cased, and name() becomes name; any other segment is
// lower-cased.
func normalizeSegment(seg string) string {
	colon := ""
	core := seg
	if strings.HasSuffix(seg, ":") && seg != ":" {
		colon, core = ":", seg[:len(seg)-1]
	}
	if len(core) >= 2 && core[0] == '{' && core[len(core)-1] == '}' && !strings.ContainsAny(core[1:len(core)-1], "{}") {
		return "{id}" + colon
	}
	if open := strings.IndexAny(seg, "()"); open >= 0 && seg[open] == '(' {
		body, colon := seg[open+1:], ""
		if b, ok := strings.CutSuffix(body, "):"); ok {
			body, colon = b, ":"
		} else if b, ok := strings.CutSuffix(body, ")"); ok {
			body = b
		} else {
			return strings.ToLower(seg)
		}
		name := strings.ToLower(seg[:open])
		body = strings.TrimSpace(body)
		if body == "" {
			return name + colon
		}
		args := splitArgs(body)
		for i, a := range args {
			if k, _, ok := strings.Cut(a, "="); ok {
				args[i] = strings.ToLower(strings.TrimSpace(k)) + "={id}"
			} else {
				args[i] = "{id}"
			}
		}
		return name + "(" + strings.Join(args, ",") + ")" + colon
	}
	return strings.ToLower(seg)
}

// splitArgs splits function arguments on the commas outside single quotes.
func splitArgs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// walk calls yield with every node under n whose template matches segs,
// best first: at each segment a literal template segment before a
// parameter {id} (never for $ref, $value or $count, which are not IDs),
// and a parameter before "...", the map's "any depth of child folders". A
// key segment users({id}) is also tried as users/{id}. It stops when
// yield returns false and reports whether it was stopped.
func (t *table) walk(n int32, segs []string, yield func(int32) bool) bool {
	if len(segs) == 0 {
		if len(t.nodes[n].entries) > 0 {
			return yield(n)
		}
		return true
	}
	seg, rest := segs[0], segs[1:]
	if k := t.child(n, seg); k >= 0 && !t.walk(k, rest, yield) {
		return false
	}
	if !strings.HasPrefix(seg, "$") {
		param := "{id}"
		if strings.HasSuffix(seg, ":") {
			param = "{id}:"
		}
		if k := t.child(n, param); k >= 0 && param != seg && !t.walk(k, rest, yield) {
			return false
		}
	}
	if name, ok := strings.CutSuffix(seg, "({id})"); ok && name != "" && !strings.ContainsAny(name, "(){}") {
		if !t.walk(n, append([]string{name, "{id}"}, rest...), yield) {
			return false
		}
	}
	if k := t.child(n, "..."); k >= 0 {
		for i := range segs {
			if !t.walk(k, segs[i+1:], yield) {
				return false
			}
		}
	}
	return true
}

// child returns node n's child for a segment, or -1.
func (t *table) child(n int32, seg string) int32 {
	s := sort.SearchStrings(t.segs, seg)
	if s == len(t.segs) || t.segs[s] != seg {
		return -1
	}
	for _, k := range t.nodes[n].kids {
		if t.nodes[k].seg == int32(s) {
			return k
		}
	}
	return -1
}

// template returns node n's path template, e.g. /users/{id}/messages.
func (t *table) template(n int32) string {
	nd := t.nodes[n]
	switch {
	case nd.parent < 0:
		return "/"
	case t.nodes[nd.parent].parent < 0:
		return "/" + t.segs[nd.seg]
	}
	return t.template(nd.parent) + "/" + t.segs[nd.seg]
}
