package graphperm

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
func (t *table) match(method string, segs []string) *entry {
	if e := t.find(segs, func(m string) bool { return m == method }); e != nil {
		return e
	}
	last := segs[len(segs)-1]
	if last != "$ref" && last != "$value" && last != "$count" {
		return nil
	}
	parent := segs[: len(segs)-1 : len(segs)-1]
	if len(parent) == 0 {
		return nil
	}
	if e := t.find(parent, func(m string) bool { return m == method }); e != nil {
		return e
	}
	sameKind := func(m string) bool { return (m == "GET") == (method == "GET") }
	if e := t.find(parent, sameKind); e != nil {
		return e
	}
	if last == "$ref" && method != "GET" {
		return t.find(append(parent, "{id}"), sameKind)
	}
	return nil
}

// find returns the first entry, in node.walk's order, of a template that
// matches segs and lists a method that accept accepts.
func (t *table) find(segs []string, accept func(string) bool) *entry {
	var found *entry
	t.root.walk(segs, func(n *node) bool {
		for _, e := range n.entries {
			for _, m := range e.methods {
				if accept(m) {
					found = e
					return false
				}
			}
		}
		return true
	})
	return found
}
