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
	// index holds, for actions [0] and data actions [1], the candidate
	// roles for each resource type ("provider/type"), in the order of
	// preference, the roles with patterns for the whole provider
	// ("provider/*") or any provider ("*") included; those keys hold the
	// candidates for types no pattern names.
	index [2]map[string][]candidate
	// ambient is the set of lowered patterns that so many built-in roles
	// carry that they say nothing of what a role is about.
	ambient map[string]bool
	vocab   vocabulary
	date    string
}

// role is one definition, compiled.
type role struct {
	Role
	category   string
	restricted bool
	blocks     []block
	// writes and reads count the known operations the role allows; see
	// breadthOf.
	writes, reads int
	// focus counts the role's telling patterns by resource type; see
	// focusOf.
	focus map[string]int
	// all counts all the role's patterns by resource type.
	all map[string]int
	// patterns counts the role's allowed patterns.
	patterns int
	// words are the lowered words of the role's name; products the
	// provider namespaces its name names.
	words    []string
	joined   string
	products []string
	// tails are the joins of the name's last words: for "Storage Account
	// Contributor", storageaccountcontributor, accountcontributor and
	// contributor.
	tails []string
	// byProvider sums focus by provider namespace; mostFocus is its
	// largest value.
	byProvider map[string]int
	mostFocus  int
}

// block is one permission block of a role: what it allows and denies, for
// actions [0] and data actions [1], as compiled patterns.
type block struct {
	allow, deny [2][]string
	// cond lists the patterns granted only under the block's condition;
	// condAll reports that the condition covers the whole block.
	cond    []string
	condAll bool
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
	blocks     []rawBlock
}

// rawBlock is a permission block as read.
type rawBlock struct {
	allow, deny [2][]string
	cond        []string
	condAll     bool
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

// compileRole compiles a role's patterns and measures it.
func compileRole(raw rawRole, ambient map[string]bool, v vocabulary, memo sizes) *role {
	r := &role{Role: raw.Role, category: raw.category, restricted: raw.restricted}
	r.Privileged = raw.privileged()
	for _, b := range raw.blocks {
		r.blocks = append(r.blocks, block{
			allow:   [2][]string{compile(b.allow[0]), compile(b.allow[1])},
			deny:    [2][]string{compile(b.deny[0]), compile(b.deny[1])},
			cond:    compile(b.cond),
			condAll: b.condAll,
		})
	}
	r.writes, r.reads = breadthOf(raw.blocks, v, memo)
	r.focus = focusOf(raw.blocks, ambient)
	r.all = focusOf(raw.blocks, nil)
	for _, b := range raw.blocks {
		r.patterns += len(b.allow[0]) + len(b.allow[1])
	}
	r.words = strings.FieldsFunc(strings.ToLower(r.Name), func(c rune) bool {
		return !('a' <= c && c <= 'z' || '0' <= c && c <= '9')
	})
	r.joined = strings.Join(r.words, "")
	for i := range r.words {
		r.tails = append(r.tails, strings.Join(r.words[i:], ""))
	}
	r.measureFocus()
	return r
}

// newCatalog compiles and indexes the roles, measuring them against the
// ambient patterns and the vocabulary of the built-in roles.
func newCatalog(raws []rawRole, ambient map[string]bool, v vocabulary, date string) *Catalog {
	roles := make([]*role, len(raws))
	c := &Catalog{roles: roles, raws: raws, byID: make(map[string]*role, len(raws)), ambient: ambient, vocab: v, date: date}
	memo := sizes{{}, {}}
	for i, raw := range raws {
		r := compileRole(raw, ambient, v, memo)
		roles[i] = r
		c.byID[strings.ToLower(r.ID)] = r
	}
	var providers []string
	for k := range 2 {
		for prov := range v.ops[k] {
			if !slices.Contains(providers, prov) {
				providers = append(providers, prov)
			}
		}
	}
	slices.Sort(providers)
	pw := productWordsOf(providers)
	for _, r := range roles {
		if !r.Custom {
			r.products = productsNamed(r, pw)
		}
	}
	for k := range 2 {
		byType := map[string][]*role{}
		wide := map[string][]*role{}
		var anywhere []*role
		for _, r := range roles {
			seen := map[string]bool{}
			for _, b := range r.blocks {
				for _, p := range b.allow[k] {
					t := resourceType(p)
					if seen[t] {
						continue
					}
					seen[t] = true
					switch {
					case t == "*":
						anywhere = append(anywhere, r)
					case strings.HasSuffix(t, "/*"):
						wide[provider(t)] = append(wide[provider(t)], r)
					default:
						byType[t] = append(byType[t], r)
					}
				}
			}
		}
		idx := make(map[string][]candidate, len(byType)+len(wide)+1)
		for t, list := range byType {
			idx[t] = rank(union(list, wide[provider(t)], anywhere), t)
		}
		for prov, list := range wide {
			idx[prov+"/*"] = rank(union(list, anywhere), prov+"/*")
		}
		idx["*"] = rank(union(anywhere), "*")
		c.index[k] = idx
	}
	return c
}

// union joins lists of roles, each role once.
func union(lists ...[]*role) []*role {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]*role, 0, n)
	in := make(map[*role]bool, n)
	for _, l := range lists {
		for _, r := range l {
			if !in[r] {
				in[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}
