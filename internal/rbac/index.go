package rbac

import "slices"

// candidate is a role that may grant an operation of one provider
// namespace, with the only allowed patterns that can match such an
// operation: those for the namespace and those with a wildcard in their
// first segment; the resource types (see resourceType) the role's
// allowed patterns of either kind name in the namespace or any; and the
// role's tier for the namespace (see tierOf).
type candidate struct {
	r        *role
	patterns []string
	types    []string
	tier     uint8
}

// group is what a role allows in one provider namespace ("*" for
// patterns with a wildcard in their first segment): its allowed
// patterns of each kind and the resource types they name.
type group struct {
	prov     string
	patterns [2][]string
	types    []string
}

// groupsOf groups the role's allowed patterns by provider namespace. A
// run of patterns of one namespace (they are sorted) is shared, not
// copied.
func groupsOf(r *role) []group {
	var gs []group
	for _, b := range r.blocks {
		for k := range 2 {
			ps := b.allow[k]
			for start, end := 0, 0; start < len(ps); start = end {
				prov := provider(ps[start])
				for end = start + 1; end < len(ps) && provider(ps[end]) == prov; end++ {
				}
				i := slices.IndexFunc(gs, func(g group) bool { return g.prov == prov })
				if i < 0 {
					i = len(gs)
					gs = append(gs, group{prov: prov})
				}
				g := &gs[i]
				if run := ps[start:end:end]; g.patterns[k] == nil {
					g.patterns[k] = run
				} else {
					g.patterns[k] = append(g.patterns[k], run...)
				}
				for _, p := range ps[start:end] {
					if t := resourceType(p); !slices.Contains(g.types, t) {
						g.types = append(g.types, t)
					}
				}
			}
		}
	}
	return gs
}

// index lists the role as a candidate for each provider namespace its
// allowed patterns of each kind name, with those patterns and its
// patterns for any provider, and for any provider with the latter alone.
func (c *Catalog) index(r *role) {
	gs := groupsOf(r)
	var anywhere group
	for _, g := range gs {
		if g.prov == "*" {
			anywhere = g
		}
	}
	for k := range 2 {
		for _, g := range gs {
			list, named := g.patterns[k], g.types
			if len(list) == 0 {
				continue
			}
			if g.prov != "*" {
				list = append(list[:len(list):len(list)], anywhere.patterns[k]...)
				named = append(named[:len(named):len(named)], anywhere.types...)
			}
			c.byProvider[k][g.prov] = append(c.byProvider[k][g.prov], candidate{r: r, patterns: list, types: named})
		}
	}
}

// rankCandidates completes each namespace's candidates of kind k with the
// roles for any namespace not among them, and orders each list by the
// roles' tiers for its namespace.
func (c *Catalog) rankCandidates(k int) {
	anywhere := c.byProvider[k]["*"]
	listedFor := make(map[*role]string, len(c.roles))
	for prov, list := range c.byProvider[k] {
		if prov != "*" {
			for _, cand := range list {
				listedFor[cand.r] = prov
			}
			list = slices.Clip(list)
			for _, cand := range anywhere {
				if listedFor[cand.r] != prov {
					list = append(list, cand)
				}
			}
		}
		c.byProvider[k][prov] = byTier(list, prov)
	}
}

// byTier is the list with the roles' tiers for prov, ordered by tier,
// the order of a tier's roles kept.
func byTier(list []candidate, prov string) []candidate {
	var start [1<<tierBits + 1]int
	for i := range list {
		list[i].tier = tierOf(list[i].r, prov)
		start[list[i].tier+1]++
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	sorted := make([]candidate, len(list))
	for _, cand := range list {
		sorted[start[cand.tier]] = cand
		start[cand.tier]++
	}
	return sorted
}
