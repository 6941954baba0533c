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
		c.rankCandidates(k)
	}
	return c
}
