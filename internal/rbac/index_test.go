package rbac

import (
	"slices"
	"strings"
	"testing"
)

// TestLeastIndexChoosesAsAFullScan checks that choosing among the
// candidates the index lists, stopping at the first tier that loses,
// chooses the role a scan of every role ranks first, for operations the
// built-in roles name and for any of an unknown provider.
func TestLeastIndexChoosesAsAFullScan(t *testing.T) {
	c := Builtin()
	var ops []operation
	for i, r := range c.roles {
		for k := range 2 {
			for _, p := range r.blocks[0].allow[k] {
				if i%7 == 0 && !strings.Contains(p, "*") {
					ops = append(ops, operation{p, k == 1})
				}
			}
		}
	}
	ops = append(ops,
		operation{"contoso.widgets/gadgets/read", false},
		operation{"contoso.widgets/gadgets/write", false},
		operation{"microsoft.resources/subscriptions/resourcegroups/read", false},
	)
	if len(ops) < 100 {
		t.Fatalf("only %d operations to check", len(ops))
	}
	for _, op := range ops {
		got, gotOK := c.Least(op.name, op.data)
		want, wantOK := fullScan(c, op)
		if got != want || gotOK != wantOK {
			t.Errorf("Least(%q, %v) = %q %v, a full scan ranks %q %v first", op.name, op.data, got.Name, gotOK, want.Name, wantOK)
		}
	}
}

// fullScan ranks every role of the catalog that grants the operation.
func fullScan(c *Catalog, op operation) (Role, bool) {
	o := contextOf(op.name, kind(op.data))
	var best rankKey
	for _, r := range c.roles {
		granted, cond := r.grants(op.name, o.k)
		if !granted {
			continue
		}
		key := cheapKeyOf(r, o, cond, tierOf(r, o.prov))
		var types []string
		for _, b := range r.blocks {
			for k := range 2 {
				for _, p := range b.allow[k] {
					types = append(types, resourceType(p))
				}
			}
		}
		key.unmentioned = !slices.ContainsFunc(types, func(t string) bool { return t == o.typ || t == o.wild || t == "*" })
		key.foreign = !r.aboutProvider(o.prov)
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
