package rbac

import (
	"slices"
	"strings"
)

// Role is an Azure RBAC role definition chosen to grant an operation.
type Role struct {
	// Name is the role's name as Azure spells it.
	Name string
	// ID is the role definition's GUID, the value to pass to
	// az role assignment create --role.
	ID string
	// Privileged reports a privileged administrator role (Owner,
	// Contributor, User Access Administrator, Role Based Access Control
	// Administrator and the other roles Microsoft files as privileged, or
	// any role granting every action): chosen only because no narrower
	// role grants the operation.
	Privileged bool
	// Conditioned reports that the role grants the operation only while
	// an ABAC condition of its definition holds.
	Conditioned bool
	// Custom reports a role of the caller's own definitions.
	Custom bool
}

// Catalog is a set of role definitions, indexed to choose the least
// privileged role for an operation. It is immutable and safe for
// concurrent use.
type Catalog struct {
	roles []*role
	raws  []rawRole
	byID  map[string]*role
	// byProvider holds, for actions [0] and data actions [1], the
	// candidates for each provider namespace: the roles with an allowed
	// pattern for it or for any provider ("*"); that key holds the
	// candidates for namespaces no pattern names.
	byProvider [2]map[string][]candidate
	date       string
}

// role is one definition, compiled.
type role struct {
	Role
	category   string
	restricted bool
	blocks     []block
	measures
	// words are the lowered words of the role's name; joined is them
	// joined: storageaccountcontributor for "Storage Account
	// Contributor".
	words  []string
	joined string
}

// block is one permission block of a role: what it allows and denies,
// for actions [0] and data actions [1], as lowered and compiled patterns
// (see compile); cond lists the patterns granted only under the block's
// condition, and condAll reports that the condition covers the whole
// block.
type block struct {
	allow, deny [2][]string
	cond        []string
	condAll     bool
}

// grants reports whether r grants the lowered operation op of kind k
// (0 action, 1 data action), and whether only under a condition.
func (r *role) grants(op string, k int) (ok, conditioned bool) {
	for _, b := range r.blocks {
		if !matchAny(b.allow[k], op) || matchAny(b.deny[k], op) {
			continue
		}
		if b.condAll || matchAny(b.cond, op) {
			ok, conditioned = true, true
			continue
		}
		return true, false
	}
	return ok, conditioned
}

// Grants reports whether the role with the given definition GUID grants
// the operation: an action, or a data action when data is true. A grant
// that depends on an ABAC condition counts. Unknown roles grant nothing.
func (c *Catalog) Grants(roleID, operation string, data bool) bool {
	r := c.byID[strings.ToLower(roleID)]
	if r == nil {
		return false
	}
	ok, _ := r.grants(strings.ToLower(operation), kind(data))
	return ok
}

// Date is the day Azure listed the built-in definitions the catalog holds.
func (c *Catalog) Date() string { return c.date }

// Len is the number of role definitions in the catalog.
func (c *Catalog) Len() int { return len(c.roles) }

func kind(data bool) int {
	if data {
		return 1
	}
	return 0
}

// provider is the resource provider namespace of a lowered operation or
// pattern, "*" when a wildcard stands in it.
func provider(op string) string {
	p, _, _ := strings.Cut(op, "/")
	if strings.Contains(p, "*") || p == "" {
		return "*"
	}
	return p
}

// rawRole is a role definition as read, before compiling. Its patterns
// are lowered and trimmed: Azure compares them without regard to case.
type rawRole struct {
	Role
	category string
	// restricted reports a role assignable only at some scopes, none of
	// them a resource's.
	restricted bool
	blocks     []block
	measures
}

// privileged reports a role Microsoft files as privileged or one that
// allows every action.
func (r *rawRole) privileged() bool {
	if r.category == "privileged" {
		return true
	}
	for _, b := range r.blocks {
		if slices.Contains(b.allow[0], "*") {
			return true
		}
	}
	return false
}

// compileRole reads a measured role's name; its patterns are compiled
// already.
func compileRole(raw rawRole) *role {
	r := &role{Role: raw.Role, category: raw.category, restricted: raw.restricted, measures: raw.measures, blocks: raw.blocks}
	r.Privileged = raw.privileged()
	r.words = nameWords(r.Name)
	r.joined = strings.Join(r.words, "")
	return r
}

// nameWords are the lowered words of a role's name.
func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(c rune) bool {
		return !('a' <= c && c <= 'z' || '0' <= c && c <= '9')
	})
}

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

// newCatalog compiles and indexes measured roles.
func newCatalog(raws []rawRole, date string) *Catalog {
	c := &Catalog{roles: make([]*role, len(raws)), raws: raws, byID: make(map[string]*role, len(raws)), date: date}
	for k := range 2 {
		c.byProvider[k] = map[string][]candidate{}
	}
	for i, raw := range raws {
		r := compileRole(raw)
		c.roles[i] = r
		c.byID[strings.ToLower(r.ID)] = r
		c.index(r)
	}
	for k := range 2 {
		anywhere := c.byProvider[k]["*"]
		for prov, list := range c.byProvider[k] {
			if prov != "*" {
				listed := make(map[*role]bool, len(list))
				for _, cand := range list {
					listed[cand.r] = true
				}
				for _, cand := range anywhere {
					if !listed[cand.r] {
						list = append(list, cand)
					}
				}
			}
			c.byProvider[k][prov] = byTier(list, prov)
		}
	}
	return c
}

// byTier is a copy of the list with the roles' tiers for prov, ordered
// by tier.
func byTier(list []candidate, prov string) []candidate {
	out := make([]candidate, len(list))
	for i, cand := range list {
		cand.tier = tierOf(cand.r, prov)
		out[i] = cand
	}
	slices.SortStableFunc(out, func(a, b candidate) int { return int(a.tier) - int(b.tier) })
	return out
}

// index lists the role as a candidate for each provider namespace its
// allowed patterns of each kind name, with those patterns and its
// patterns for any provider, and for any provider with the latter alone.
func (c *Catalog) index(r *role) {
	types := map[string][]string{}
	var (
		patterns [2]map[string][]string
		provs    [2][]string
	)
	for k := range 2 {
		patterns[k] = map[string][]string{}
		for _, b := range r.blocks {
			for _, p := range b.allow[k] {
				prov := provider(p)
				if _, ok := patterns[k][prov]; !ok {
					provs[k] = append(provs[k], prov)
				}
				patterns[k][prov] = append(patterns[k][prov], p)
				if t := resourceType(p); !slices.Contains(types[prov], t) {
					types[prov] = append(types[prov], t)
				}
			}
		}
	}
	for k := range 2 {
		for _, prov := range provs[k] {
			list, named := patterns[k][prov], types[prov]
			if prov != "*" {
				list = append(list[:len(list):len(list)], patterns[k]["*"]...)
				named = append(named[:len(named):len(named)], types["*"]...)
			}
			c.byProvider[k][prov] = append(c.byProvider[k][prov], candidate{r: r, patterns: list, types: named})
		}
	}
}
