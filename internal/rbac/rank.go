package rbac

// The order of preference among the roles that grant an operation is
// described in the package documentation; rankKey holds, for one role
// and one operation, the keys it is ordered by.

// opContext is what ranking needs to know of an operation.
type opContext struct {
	op              string
	k               int
	typ, prov, wild string
	typeW, provW    string
	words           []string
	harmless        bool
}

func contextOf(op string, k int) opContext {
	typ := resourceType(op)
	prov := provider(op)
	return opContext{
		op: op, k: k, typ: typ, prov: prov, wild: prov + "/*",
		typeW: typeWord(typ), provW: providerWord(prov),
		words: typeWords(op), harmless: changesNothing(op),
	}
}

// rankKey orders the roles that grant an operation, most telling key
// first: a grant without condition; for an operation that changes
// nothing, a role that changes nothing (its ambient patterns aside) and
// reveals nothing of other provider namespaces; the tier of
// the role's class (0 for job-function roles, more for each of
// restricted, privileged, undocumented and named for another product, in
// that weight); how deep in the operation's resource types the role
// reaches, by the type its name names or the last its granting pattern
// spells out before a wildcard; how the name names
// the operation's type or provider; whether the role has a pattern for
// the type and is about its provider; then how much it allows.
type rankKey struct {
	r                    *role
	conditioned, changes bool
	tier                 uint8
	depth, ownName       int
	unmentioned, foreign bool
}

// tierOf is the tier of the role's class for the operation: 0 for
// job-function roles, more for each of restricted, privileged,
// undocumented and named for another product, in that weight.
func tierOf(r *role, o opContext) uint8 {
	var tier uint8
	for _, bad := range [...]bool{
		r.restricted,
		r.Privileged && o.prov != "microsoft.authorization",
		r.category == "" && !r.Custom,
		r.namesOther(o.prov),
	} {
		tier <<= 1
		if bad {
			tier |= 1
		}
	}
	return tier
}

// loses reports whether a role of the tier loses to best whatever its
// other keys: best needs no condition and, for an operation that changes
// nothing, changes nothing, and its tier is lower.
func (best rankKey) loses(tier uint8) bool {
	return best.r != nil && !best.conditioned && !best.changes && tier > best.tier
}

// keyOf is the role's key for the operation.
func keyOf(r *role, o opContext, conditioned bool, tier uint8) rankKey {
	return rankKey{
		r:           r,
		conditioned: conditioned,
		changes:     o.harmless && (r.changes || r.revealsOutside(o.prov)),
		tier:        tier,
		depth:       r.depthNamed(o.words),
		ownName:     r.namesOwnWords(o.typeW, o.provW),
		unmentioned: !r.mentions(o.typ, o.wild),
		foreign:     !r.aboutProvider(o.prov),
	}
}

// less orders keys one after another, most telling first.
func (a rankKey) less(b rankKey) bool {
	switch {
	case a.conditioned != b.conditioned:
		return !a.conditioned
	case a.changes != b.changes:
		return !a.changes
	case a.tier != b.tier:
		return a.tier < b.tier
	case a.depth != b.depth:
		return a.depth > b.depth
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

// revealsOutside reports whether the role allows an action of another
// provider namespace than prov that changes nothing but is no read: a
// list or get action, such as listKeys, which reveals a secret.
func (r *role) revealsOutside(prov string) bool {
	for _, b := range r.blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				if pp := provider(p); pp != prov && pp != "*" && !isRead(p) && changesNothing(p) {
					return true
				}
			}
		}
	}
	return false
}
