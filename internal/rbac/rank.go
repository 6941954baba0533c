package rbac

import "slices"

// The order of preference among the roles that grant an operation is
// described in the package documentation. Its part that depends only on
// the operation's resource type is fixed here, once per resource type,
// when the catalog is built; Catalog.Least applies the rest.

// candidate is a role in a resource type's list of candidates, with the
// tier of its class for that type: 0 for the job-function roles, more
// for each of restricted (assignable only at some scopes), privileged,
// undocumented and named for another product, in that weight.
type candidate struct {
	r    *role
	tier uint8
}

// keyed is a candidate with the keys that order it for one resource type.
type keyed struct {
	candidate
	ownName              int
	unmentioned, foreign bool
}

// less orders candidates one key after another, most telling first.
func (a keyed) less(b keyed) bool {
	switch {
	case a.tier != b.tier:
		return a.tier < b.tier
	case a.ownName != b.ownName:
		return a.ownName > b.ownName
	case a.unmentioned != b.unmentioned:
		return !a.unmentioned
	case a.foreign != b.foreign:
		return !a.foreign
	case a.r.writes != b.r.writes:
		return a.r.writes < b.r.writes
	case a.r.reads != b.r.reads:
		return a.r.reads < b.r.reads
	case a.r.patterns != b.r.patterns:
		return a.r.patterns < b.r.patterns
	}
	return a.r.Name < b.r.Name
}

// rank sorts the candidate roles for operations of resource type typ in
// the order of preference that does not depend on the operation itself.
func rank(list []*role, typ string) []candidate {
	prov := provider(typ)
	wild, typeW, provW := prov+"/*", typeWord(typ), providerWord(prov)
	ks := make([]keyed, len(list))
	for i, r := range list {
		var tier uint8
		for _, bad := range []bool{
			r.restricted,
			r.Privileged && prov != "microsoft.authorization",
			r.category == "" && !r.Custom,
			r.namesOther(prov),
		} {
			tier <<= 1
			if bad {
				tier |= 1
			}
		}
		ks[i] = keyed{
			candidate:   candidate{r: r, tier: tier},
			ownName:     r.namesOwnWords(typeW, provW),
			unmentioned: !r.mentions(typ, wild),
			foreign:     !r.aboutProvider(prov),
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		switch {
		case a.less(b):
			return -1
		case b.less(a):
			return 1
		}
		return 0
	})
	out := make([]candidate, len(ks))
	for i, k := range ks {
		out[i] = k.candidate
	}
	return out
}
