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

// tierBits is the number of bits of a tier: one for each class.
const tierBits = 4

// tierOf is the tier of the role's class for an operation of provider
// namespace prov: 0 for job-function roles, more for each of restricted,
// privileged, undocumented and named for another product, in that
// weight.
func tierOf(r *role, prov string) uint8 {
	var tier uint8
	for _, bad := range [tierBits]bool{
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
	return tier
}

// loses reports whether a role of the tier loses to best whatever its
// other keys: best needs no condition and, for an operation that changes
// nothing, changes nothing, and its tier is lower.
func (best rankKey) loses(tier uint8) bool {
	return best.r != nil && !best.conditioned && !best.changes && tier > best.tier
}

// cheapKeyOf is the role's key for the operation but for the keys that
// take matching each of its patterns, unmentioned and foreign, which
// complete adds: most roles lose to the best before those are compared.
func cheapKeyOf(r *role, o opContext, conditioned bool, tier uint8) rankKey {
	return rankKey{
		r:           r,
		conditioned: conditioned,
		changes:     o.harmless && (r.changes || r.revealsOutside(o.prov)),
		tier:        tier,
		depth:       r.depthNamed(o.words),
		ownName:     r.namesOwnWords(o.typeW, o.provW),
	}
}

// complete adds the keys cheapKeyOf leaves out, for the role of
// candidate cand.
func (a *rankKey) complete(cand candidate, o opContext) {
	a.unmentioned = !cand.mentions(o.typ, o.wild)
	a.foreign = !a.r.aboutProvider(o.prov)
}

// compareCheap compares the keys cheapKeyOf computes, as less does:
// negative when a ranks before b, positive when after, 0 when they tie.
func (a rankKey) compareCheap(b rankKey) int {
	switch {
	case a.conditioned != b.conditioned:
		return first(!a.conditioned)
	case a.changes != b.changes:
		return first(!a.changes)
	case a.tier != b.tier:
		return first(a.tier < b.tier)
	case a.depth != b.depth:
		return first(a.depth > b.depth)
	case a.ownName != b.ownName:
		return first(a.ownName > b.ownName)
	}
	return 0
}

// first is -1 when a key ranks first, else 1.
func first(yes bool) int {
	if yes {
		return -1
	}
	return 1
}

// less orders whole keys one after another, most telling first.
func (a rankKey) less(b rankKey) bool {
	if c := a.compareCheap(b); c != 0 {
		return c < 0
	}
	switch {
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
