package rbac

import (
	"math"
	"slices"
	"strings"
)

// How much a role grants and what it is about, measured once when a
// catalog is built.

// ambientShare is the share of built-in roles that must carry a pattern
// for it to count as ambient: the scaffolding (reading role assignments,
// resource groups and deployments, opening support tickets) that job
// roles of every product carry, which says nothing of what a role is about.
const ambientShare = 0.05

// ambientOf returns the lowered patterns at least ambientShare of the
// roles carry.
func ambientOf(roles []rawRole) map[string]bool {
	count := map[string]int{}
	for _, r := range roles {
		seen := map[string]bool{}
		for _, b := range r.blocks {
			for k := range 2 {
				for _, p := range b.allow[k] {
					if !seen[p] {
						seen[p] = true
						count[p]++
					}
				}
			}
		}
	}
	ambient := map[string]bool{}
	limit := int(math.Ceil(ambientShare * float64(len(roles))))
	for p, n := range count {
		if n >= limit {
			ambient[p] = true
		}
	}
	return ambient
}

// vocabulary is every operation the built-in roles name in full, by kind
// (0 action, 1 data action) and provider namespace (ops) or resource type
// (byType): the yardstick of how much a wildcard grants.
type vocabulary struct {
	ops, byType [2]map[string][]string
}

func vocabularyOf(roles []rawRole) vocabulary {
	var v vocabulary
	for k := range 2 {
		seen := map[string]bool{}
		v.ops[k], v.byType[k] = map[string][]string{}, map[string][]string{}
		for _, r := range roles {
			for _, b := range r.blocks {
				for _, p := range b.allow[k] {
					if strings.Contains(p, "*") || seen[p] {
						continue
					}
					seen[p] = true
					v.ops[k][provider(p)] = append(v.ops[k][provider(p)], p)
					v.byType[k][resourceType(p)] = append(v.byType[k][resourceType(p)], p)
				}
			}
		}
	}
	return v
}

// isRead reports an operation that only reads.
func isRead(op string) bool { return strings.HasSuffix(op, "/read") }

// changesNothing reports a lowered operation (or pattern) that changes
// nothing: a read, or an action whose verb reads, lists or gets (ARM's
// POST …/listKeys/action, Key Vault's secrets/getSecret/action and
// readMetadata/action), which return what exists. Such an action may
// still reveal a secret, so it is not counted a read.
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions-format
func changesNothing(op string) bool {
	rest, ok := strings.CutSuffix(op, "/action")
	if !ok {
		return isRead(op)
	}
	verb := rest[strings.LastIndexByte(rest, '/')+1:]
	for _, prefix := range []string{"read", "list", "get"} {
		if strings.HasPrefix(verb, prefix) {
			return true
		}
	}
	return false
}

// reach adds to seen the known operations a lowered pattern of kind k
// matches.
func (v vocabulary) reach(p string, k int, seen map[string]bool) {
	if !strings.Contains(p, "*") {
		seen[p] = true
		return
	}
	match := func(ops []string) {
		for _, op := range ops {
			if glob(p, op) {
				seen[op] = true
			}
		}
	}
	switch typ := resourceType(p); {
	case typ == "*":
		for _, ops := range v.ops[k] {
			match(ops)
		}
	case strings.HasSuffix(typ, "/*"):
		match(v.ops[k][provider(p)])
	default:
		match(v.byType[k][typ])
	}
}

// floor is what a wildcard pattern counts beyond the known operations it
// matches, for those no role names yet: the earlier the wildcard (the
// fewer segments before it), the more; a pattern that goes on after it
// (Microsoft.ServiceBus/*/send/action) reaches a quarter as much.
func floor(p string) int {
	i := strings.IndexByte(p, '*')
	if i < 0 {
		return 0
	}
	f := []int{1000, 100, 20, 5, 2}[min(strings.Count(p[:i], "/"), 4)]
	if strings.TrimRight(p[i:], "*") != "" {
		f = max(f/4, 1)
	}
	return f
}

// sizes memoizes the size of each pattern, by kind, while a catalog is
// built: many roles share their patterns.
type sizes [2]map[string][2]int

// size is what a lowered pattern of kind k counts: the known operations it
// matches, and a wildcard's floor, writes and reads apart.
func (v vocabulary) size(p string, k int, memo sizes) (writes, reads int) {
	if s, ok := memo[k][p]; ok {
		return s[0], s[1]
	}
	seen := map[string]bool{}
	v.reach(p, k, seen)
	for op := range seen {
		if isRead(op) {
			reads++
		} else {
			writes++
		}
	}
	if isRead(p) {
		reads += floor(p)
	} else {
		writes += floor(p)
	}
	memo[k][p] = [2]int{writes, reads}
	return writes, reads
}

// breadthOf measures how much a role allows, writes and reads apart: for
// each pattern, the known operations (of the vocabulary) it matches and a
// wildcard's floor. Operations two patterns both match count twice; among
// the roles that grant one operation this changes little.
func breadthOf(blocks []block, v vocabulary, memo sizes) (writes, reads int) {
	for _, b := range blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				w, r := v.size(p, k, memo)
				writes += w
				reads += r
			}
		}
	}
	return writes, reads
}

// resourceType is the provider namespace and first type segment of a
// lowered operation or pattern; a wildcard in either reads "*".
func resourceType(op string) string {
	prov, rest, _ := strings.Cut(op, "/")
	typ, _, _ := strings.Cut(rest, "/")
	switch {
	case strings.Contains(prov, "*") || prov == "":
		return "*"
	case typ == "*":
		return op[:len(prov)+2]
	case strings.Contains(typ, "*") || typ == "":
		return prov + "/*"
	}
	return op[:len(prov)+1+len(typ)]
}

// focusOf counts the role's telling (not ambient) patterns by resource
// type. A role made only of ambient patterns is about what they name.
func focusOf(blocks []block, ambient map[string]bool) map[string]int {
	focus := map[string]int{}
	for _, skip := range []bool{true, false} {
		for _, b := range blocks {
			for k := range 2 {
				for _, p := range b.allow[k] {
					if skip && ambient[p] {
						continue
					}
					focus[resourceType(p)]++
				}
			}
		}
		if len(focus) > 0 {
			break
		}
	}
	return focus
}

// measures are what ranking needs to know of a role beyond its name and
// patterns; for the built-in roles they are measured when the embedded
// table is generated.
type measures struct {
	// writes and reads count the known operations the role allows; see
	// breadthOf.
	writes, reads int
	// patterns counts the role's allowed patterns.
	patterns int
	// changes reports a telling (not ambient) pattern of the role that
	// changes something (see changesNothing).
	changes bool
	// about lists the provider namespaces that take the most of the
	// role's telling patterns (see focusOf); none when only wildcard
	// providers do.
	about []string
	// products lists the provider namespaces the role's name names.
	products []string
}

// yardstick is what roles are measured against: the ambient patterns and
// the vocabulary of the built-in roles, and the products they name.
type yardstick struct {
	ambient map[string]bool
	vocab   vocabulary
	memo    sizes
	pw      productWords
}

func yardstickOf(builtins []rawRole) yardstick {
	v := vocabularyOf(builtins)
	var providers []string
	for k := range 2 {
		for prov := range v.ops[k] {
			if !slices.Contains(providers, prov) {
				providers = append(providers, prov)
			}
		}
	}
	slices.Sort(providers)
	return yardstick{ambient: ambientOf(builtins), vocab: v, memo: sizes{{}, {}}, pw: productWordsOf(providers)}
}

// measure measures a role against the yardstick. The products a custom
// role's name names are not read: its author made it for the job.
func (y yardstick) measure(raw *rawRole) {
	raw.writes, raw.reads = breadthOf(raw.blocks, y.vocab, y.memo)
	byProvider := map[string]int{}
	most := 0
	raw.changes, raw.patterns = false, 0
	for _, b := range raw.blocks {
		for k := range 2 {
			raw.patterns += len(b.allow[k])
			for _, p := range b.allow[k] {
				if !y.ambient[p] && !changesNothing(p) {
					raw.changes = true
				}
			}
		}
	}
	for t, n := range focusOf(raw.blocks, y.ambient) {
		if p := provider(t); p != "*" {
			byProvider[p] += n
			most = max(most, byProvider[p])
		}
	}
	raw.about = nil
	for p, n := range byProvider {
		if n == most {
			raw.about = append(raw.about, p)
		}
	}
	slices.Sort(raw.about)
	raw.products = nil
	if !raw.Custom {
		raw.products = productsNamed(nameWords(raw.Name), y.pw)
	}
}

// aboutProvider reports whether no namespace takes more of the role's
// telling patterns than prov does.
func (r *role) aboutProvider(prov string) bool {
	if prov == "*" {
		return len(r.about) == 0
	}
	return len(r.about) == 0 || slices.Contains(r.about, prov)
}
