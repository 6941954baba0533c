package rbac

import (
	"math"
	"slices"
	"strings"
)

// The order of preference among roles that grant an operation, best first:
//
//  1. a grant that needs no ABAC condition (decided per operation, in
//     Catalog.Least);
//  2. a job-function role over a privileged administrator role, unless the
//     operation is one of Microsoft.Authorization's;
//  3. a role Microsoft documents in its index of built-in roles (or one of
//     the caller's own) over the partner, preview and service-internal
//     roles it does not list;
//  4. a role about the operation's provider namespace: none of the role's
//     telling patterns names another namespace more often;
//  5. the role that grants least (breadthOf);
//  6. the name, for a stable choice.
//
// The order depends on the provider namespace only, so each namespace's
// candidates are sorted once, when the catalog is built.

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
					p = strings.ToLower(p)
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
// (0 action, 1 data action) and provider namespace: the yardstick of how
// much a wildcard grants.
type vocabulary [2]map[string][]string

func vocabularyOf(roles []rawRole) vocabulary {
	var v vocabulary
	for k := range 2 {
		seen := map[string]bool{}
		v[k] = map[string][]string{}
		for _, r := range roles {
			for _, b := range r.blocks {
				for _, p := range b.allow[k] {
					p = strings.ToLower(p)
					p = strings.TrimSpace(p)
					if strings.Contains(p, "*") || seen[p] {
						continue
					}
					seen[p] = true
					v[k][provider(p)] = append(v[k][provider(p)], p)
				}
			}
		}
	}
	return v
}

// isRead reports an operation that only reads.
func isRead(op string) bool { return strings.HasSuffix(op, "/read") }

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
	if prov := provider(p); prov != "*" {
		match(v[k][prov])
		return
	}
	for _, ops := range v[k] {
		match(ops)
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

// sizes memoizes the size of each pattern while a catalog is built: many
// roles share their patterns.
type sizes map[string][2]int

// size is what a lowered pattern of kind k counts: the known operations it
// matches, and a wildcard's floor, writes and reads apart.
func (v vocabulary) size(p string, k int, memo sizes) (writes, reads int) {
	key := string(rune('0'+k)) + p
	if s, ok := memo[key]; ok {
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
	memo[key] = [2]int{writes, reads}
	return writes, reads
}

// breadthOf measures how much a role allows, writes and reads apart: for
// each pattern, the known operations (of the vocabulary) it matches and a
// wildcard's floor. Operations two patterns both match count twice; among
// the roles that grant one operation this changes little.
func breadthOf(blocks []rawBlock, v vocabulary, memo sizes) (writes, reads int) {
	for _, b := range blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				w, r := v.size(strings.ToLower(strings.TrimSpace(p)), k, memo)
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
func focusOf(blocks []rawBlock, ambient map[string]bool) map[string]int {
	focus := map[string]int{}
	for _, skip := range []bool{true, false} {
		for _, b := range blocks {
			for k := range 2 {
				for _, p := range b.allow[k] {
					p = strings.ToLower(p)
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

// aboutProvider reports whether no namespace takes more of the role's
// telling patterns than prov does.
func (r *role) aboutProvider(prov string) bool {
	if prov == "*" {
		return r.mostFocus == 0
	}
	return r.byProvider[prov] >= r.mostFocus
}

// measureFocus sums the role's focus by provider namespace and finds the
// largest sum of a namespace.
func (r *role) measureFocus() {
	r.byProvider = map[string]int{}
	for t, n := range r.focus {
		if p := provider(t); p != "*" {
			r.byProvider[p] += n
			r.mostFocus = max(r.mostFocus, r.byProvider[p])
		}
	}
}

// names reports whether the role's name names the lowered word, whole or
// as the start of a run of its words ("Storage Account Contributor"
// names storage and storageaccount).
func (r *role) names(word string) bool {
	if word == "" {
		return false
	}
	for _, tail := range r.tails {
		if strings.HasPrefix(tail, word) {
			return true
		}
	}
	return false
}

// typeWord is the singular of a resource type's name: virtualmachine for
// Microsoft.Compute/virtualMachines, registry for registries.
func typeWord(typ string) string {
	_, t, _ := strings.Cut(typ, "/")
	switch {
	case t == "*":
		return ""
	case strings.HasSuffix(t, "ies"):
		return strings.TrimSuffix(t, "ies") + "y"
	}
	return strings.TrimSuffix(t, "s")
}

// providerWord is how a role's name spells a provider namespace:
// Microsoft.KeyVault is keyvault, Oracle.Database oracledatabase.
func providerWord(prov string) string {
	return strings.ReplaceAll(strings.TrimPrefix(prov, "microsoft."), ".", "")
}

// minProductWord is the shortest provider word taken to name another
// product: shorter ones (sql, web, aad) occur inside unrelated words.
const minProductWord = 5

// productWords maps the first minProductWord letters of each provider
// word to the provider namespaces whose word begins so.
type productWords map[string][]string

func productWordsOf(providers []string) productWords {
	pw := productWords{}
	for _, p := range providers {
		if w := providerWord(p); len(w) >= minProductWord {
			pw[w[:minProductWord]] = append(pw[w[:minProductWord]], p)
		}
	}
	return pw
}

// productsNamed lists the provider namespaces whose words the role's
// name names.
func productsNamed(r *role, pw productWords) []string {
	var out []string
	for _, tail := range r.tails {
		if len(tail) < minProductWord {
			continue
		}
		for _, p := range pw[tail[:minProductWord]] {
			if strings.HasPrefix(tail, providerWord(p)) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// namesOther reports whether the role's name names a product (provider
// namespace) other than prov: a role of another product that happens to
// include the operation.
func (r *role) namesOther(prov string) bool {
	for _, p := range r.products {
		if p != prov && !strings.HasPrefix(providerWord(prov), providerWord(p)) {
			return true
		}
	}
	return false
}

// namesOwn rates how the role's name names the operation's resource
// type (2: Virtual Machine Contributor for virtualMachines) or provider
// (1: Network Contributor for Microsoft.Network), else 0.
//
// A custom role rates 2: its author made it for the job.
func (r *role) namesOwn(typ string) int {
	return r.namesOwnWords(typeWord(typ), providerWord(provider(typ)))
}

func (r *role) namesOwnWords(typeW, provW string) int {
	if r.Custom {
		return 2
	}
	if len(typeW) >= 4 && strings.Contains(r.joined, typeW) {
		return 2
	}
	if r.names(provW) {
		return 1
	}
	return 0
}

// typeWords lists the singular names of the resource types a lowered
// operation goes through, outermost first:
// microsoft.storage/storageaccounts/blobservices/containers/blobs/read
// goes through storageaccount, blobservice, container and blob. The last
// segment (two, for .../<verb>/action) is the verb, not a type; names of
// fewer than four letters are left out as too likely to occur by chance.
func typeWords(op string) []string {
	segs := strings.Split(op, "/")
	end := len(segs) - 1
	if end > 1 && segs[end] == "action" {
		end--
	}
	var words []string
	for _, seg := range segs[1:max(end, 1)] {
		if w := typeWord("x/" + seg); len(w) >= 4 && !strings.Contains(w, "*") {
			words = append(words, w)
		}
	}
	return words
}

// depthNamed is how deep in the operation's resource types (typeWords) the
// deepest one the role's name names lies: 0 for none, 1 for the
// outermost.
//
// A custom role counts as naming them all: its author made it for the job.
func (r *role) depthNamed(words []string) int {
	if r.Custom {
		return len(words)
	}
	for i := len(words) - 1; i >= 0; i-- {
		if strings.Contains(r.joined, words[i]) {
			return i + 1
		}
	}
	return 0
}

// mentions reports whether the role has a pattern for the resource type.
// wild is the provider-wide key of typ's namespace (provider/*).
func (r *role) mentions(typ, wild string) bool {
	return r.all[typ]+r.all[wild]+r.all["*"] > 0
}

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
