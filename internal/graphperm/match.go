package graphperm

import "strings"

// match returns the path entry for a request, or nil. It takes the first
// template that matches the path (see node.walk) and lists the method. When
// none does and the path ends in $ref, $value or $count, it falls back, by
// rules of the protocol rather than by path:
//
//   - The map mostly writes templates without the trailing segment
//     (DELETE /groups/{id}/members/{id} stands for .../{id}/$ref), so the
//     parent is tried with the same method.
//   - $value (a media stream) and $count (a collection's size) are read
//     with the permission that reads their parent, and a reference is
//     written with the permission that writes its parent relationship, so
//     the parent is tried with any method of the same kind: GET for a read,
//     POST, PUT, PATCH or DELETE for a write.
//   - A reference is added with POST .../rel/$ref and removed with
//     DELETE .../rel/{id}/$ref: both write the relationship, so a missing
//     POST takes the permissions of the relationship's item,
//     .../rel/{id}, for a write (POST /groups/{id}/members/$ref, missing
//     from the map, takes those of DELETE /groups/{id}/members/{id}).
func (t *table) match(method byte, segs []string) (int32, *entry) {
	if n, e := t.find(segs, method); e != nil {
		return n, e
	}
	last := segs[len(segs)-1]
	if last != "$ref" && last != "$value" && last != "$count" {
		return 0, nil
	}
	parent := segs[: len(segs)-1 : len(segs)-1]
	if len(parent) == 0 {
		return 0, nil
	}
	if n, e := t.find(parent, method); e != nil {
		return n, e
	}
	sameKind := byte(methodGet)
	if method != methodGet {
		sameKind = methodsWrite
	}
	if n, e := t.find(parent, sameKind); e != nil {
		return n, e
	}
	if last == "$ref" && method != methodGet {
		return t.find(append(parent, "{id}"), sameKind)
	}
	return 0, nil
}

// find returns the first entry, in walk's order, of a template that
// matches segs and lists one of methods, and its node.
func (t *table) find(segs []string, methods byte) (int32, *entry) {
	var found *entry
	var at int32
	t.walk(0, segs, func(n int32) bool {
		for i, e := range t.nodes[n].entries {
			if e.methods&methods != 0 {
				found, at = &t.nodes[n].entries[i], n
				return false
			}
		}
		return true
	})
	return at, found
}

// Method bits of a path entry: GET, POST, PUT, PATCH, DELETE, as the
// generator writes them.
const (
	methodGet    = 1
	methodsWrite = 2 | 4 | 8 | 16
)

// methodBit returns the bit of a method the map uses, in any case, or 0.
func methodBit(m string) byte {
	for i, name := range [...]string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if strings.EqualFold(m, name) {
			return 1 << i
		}
	}
	return 0
}
