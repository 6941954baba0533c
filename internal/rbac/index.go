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
// group that holds all of its role's patterns of a kind shares them with
// its only block.
func groupsOf(r *role) []group {
	var (
		gs    []group
		count [][2]int
	)
	at := func(prov string) int {
		i := len(gs) - 1
		if i >= 0 && gs[i].prov == prov {
			return i
		}
		if i = slices.IndexFunc(gs, func(g group) bool { return g.prov == prov }); i < 0 {
			gs = append(gs, group{prov: prov})
			count = append(count, [2]int{})
			i = len(gs) - 1
		}
		return i
	}
	for _, b := range r.blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				count[at(provider(p))][k]++
			}
		}
	}
	for _, b := range r.blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				i := at(provider(p))
				g := &gs[i]
				switch {
				case len(r.blocks) == 1 && count[i][k] == len(b.allow[k]):
					g.patterns[k] = b.allow[k]
				case g.patterns[k] == nil:
					g.patterns[k] = make([]string, 0, count[i][k])
					fallthrough
				default:
					g.patterns[k] = append(g.patterns[k], p)
				}
				if t := resourceType(p); !slices.Contains(g.types, t) {
					g.types = append(g.types, t)
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
	for prov, own := range c.byProvider[k] {
		if prov == "*" {
			c.byProvider[k][prov] = byTier(own, nil, prov)
			continue
		}
		for _, cand := range own {
			listedFor[cand.r] = prov
		}
		var more []candidate
		for i, cand := range anywhere {
			if listedFor[cand.r] == prov {
				// Leave it out; the rest are copied only when one is.
				if more == nil {
					more = slices.Clip(anywhere[:i])
				}
				continue
			}
			if more != nil {
				more = append(more, cand)
			}
		}
		if more == nil {
			more = anywhere
		}
		c.byProvider[k][prov] = byTier(own, more, prov)
	}
}

// byTier is the candidates of both lists with the roles' tiers for
// prov, ordered by tier, the order of a tier's roles kept.
func byTier(own, more []candidate, prov string) []candidate {
	tiers := make([]uint8, 0, len(own)+len(more))
	var start [1<<tierBits + 1]int
	for _, list := range [2][]candidate{own, more} {
		for _, cand := range list {
			t := tierOf(cand.r, prov)
			tiers = append(tiers, t)
			start[t+1]++
		}
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	sorted := make([]candidate, len(tiers))
	i := 0
	for _, list := range [2][]candidate{own, more} {
		for _, cand := range list {
			cand.tier = tiers[i]
			sorted[start[cand.tier]] = cand
			start[cand.tier]++
			i++
		}
	}
	return sorted
}
