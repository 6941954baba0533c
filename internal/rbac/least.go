package rbac

import "strings"

// Least returns the least privileged role that grants the operation (an
// action, or a data action when data is true), ranked as described in
// the package documentation. It reports false when no role grants it.
func (c *Catalog) Least(operation string, data bool) (Role, bool) {
	op := strings.ToLower(strings.TrimSpace(operation))
	if op == "" {
		return Role{}, false
	}
	o := contextOf(op, kind(data))
	var best *rankKey
	for _, r := range c.candidates(o) {
		granted, conditioned := r.grants(op, o.k)
		if !granted {
			continue
		}
		if key := keyOf(r, o, conditioned); best == nil || key.less(*best) {
			best = &key
		}
	}
	if best == nil {
		return Role{}, false
	}
	chosen := best.r.Role
	chosen.Conditioned = best.conditioned
	return chosen, true
}

// candidates are the roles that may grant an operation: those with a
// pattern for its provider namespace or for any.
func (c *Catalog) candidates(o opContext) []*role {
	if list, ok := c.byProvider[o.k][o.prov]; ok {
		return list
	}
	return c.byProvider[o.k]["*"]
}
