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
	k := kind(data)
	candidates := c.candidates(op, k)
	words := typeWords(op)
	read := isRead(op)
	var (
		best    *role
		bestKey choice
	)
	for _, cand := range candidates {
		r := cand.r
		key := choice{
			writes: read && r.writes > 0,
			tier:   cand.tier,
			depth:  r.depthNamed(words),
		}
		if best != nil {
			if !bestKey.conditioned && !bestKey.writes && cand.tier > bestKey.tier {
				break // the list is sorted by tier: nothing further can win
			}
			if !key.better(bestKey) {
				continue
			}
		}
		granted, conditioned := r.grants(op, k)
		if !granted {
			continue
		}
		key.conditioned = conditioned
		if best == nil || key.better(bestKey) {
			best, bestKey = r, key
		}
	}
	if best == nil {
		return Role{}, false
	}
	chosen := best.Role
	chosen.Conditioned = bestKey.conditioned
	return chosen, true
}

// choice is what decides between candidates beyond their place in the
// list: a grant without condition first; for an operation that only
// reads, a role that only reads; a lower tier; then a role whose name
// names a deeper resource type of the operation (Storage Blob Data
// Contributor, not a storage account role, for a blob). When a
// candidate's conditioned is unknown, it is taken as false, the best
// case, so that only candidates that could win are evaluated.
type choice struct {
	conditioned, writes bool
	tier                uint8
	depth               int
}

func (a choice) better(b choice) bool {
	if a.conditioned != b.conditioned {
		return !a.conditioned
	}
	if a.writes != b.writes {
		return !a.writes
	}
	if a.tier != b.tier {
		return a.tier < b.tier
	}
	return a.depth > b.depth
}

// candidates are the roles that may grant the lowered operation of kind
// k, in the order of preference for its resource type.
func (c *Catalog) candidates(op string, k int) []candidate {
	if list, ok := c.index[k][resourceType(op)]; ok {
		return list
	}
	if list, ok := c.index[k][provider(op)+"/*"]; ok {
		return list
	}
	return c.index[k]["*"]
}
