package rbac

import "strings"

// Least returns the least privileged role that grants the operation (an
// action, or a data action when data is true), ranked as described in
// the package documentation. It reports false when no role grants it.
func (c *Catalog) Least(op string, data bool) (Role, bool) {
	if strings.TrimSpace(op) == "" {
		return Role{}, false
	}
	return c.leastAll([]operation{{op, data}})
}

// leastAll is the least privileged role that grants every operation,
// ranked as Least ranks the roles for the first; a role that grants one
// only under a condition ranks as conditioned.
func (c *Catalog) leastAll(ops []operation) (Role, bool) {
	lowered := make([]string, len(ops))
	for i, op := range ops {
		lowered[i] = strings.ToLower(strings.TrimSpace(op.name))
	}
	o := contextOf(lowered[0], kind(ops[0].data))
	var best rankKey // best.r is nil until a role grants every operation
	list, own := c.candidates(o)
next:
	for _, cand := range list {
		r, tier := cand.r, cand.tier
		if !own {
			tier = tierOf(r, o.prov)
		}
		if best.loses(tier) {
			if own {
				break // the rest of the list is of the same tier or worse
			}
			continue
		}
		if !matchAny(cand.patterns, lowered[0]) {
			continue
		}
		// A role that would rank after best even granting without
		// condition is not matched further.
		key := cheapKeyOf(r, o, false, tier)
		if best.r != nil && key.compareCheap(best) > 0 {
			continue
		}
		for i, op := range ops {
			granted, cond := r.grants(lowered[i], kind(op.data))
			if !granted {
				continue next
			}
			key.conditioned = key.conditioned || cond
		}
		// A grant under a condition loses to one without; less orders
		// the rest.
		if key.conditioned && best.r != nil && !best.conditioned {
			continue
		}
		key.complete(cand, o)
		if best.r == nil || key.less(best) {
			best = key
		}
	}
	if best.r == nil {
		return Role{}, false
	}
	chosen := best.r.Role
	chosen.Conditioned = best.conditioned
	return chosen, true
}

// candidates are the roles that may grant an operation: those with a
// pattern for its provider namespace or for any. own reports the list of
// its namespace, ordered by tier for it; else the list is for any
// namespace, and the tiers are for none.
func (c *Catalog) candidates(o opContext) (list []candidate, own bool) {
	if list, ok := c.byProvider[o.k][o.prov]; ok {
		return list, true
	}
	return c.byProvider[o.k]["*"], false
}
