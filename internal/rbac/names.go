package rbac

import (
	"slices"
	"strings"
)

// What a role's name says: the product (provider namespace) and resource
// types it names.

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

// minProductWord is the shortest provider word taken to name a product
// inside a run of a name's words; a shorter one (sql, web, app) occurs
// inside unrelated words, and names its product only as the name's first
// word (SQL DB Contributor) when no longer product word is named.
const minProductWord = 5

// productWords maps the first minProductWord letters of each provider
// word, or the whole of a shorter one, to the provider namespaces whose
// word begins so.
type productWords map[string][]string

func productWordsOf(providers []string) productWords {
	pw := productWords{}
	for _, p := range providers {
		w := providerWord(p)
		key := w[:min(len(w), minProductWord)]
		pw[key] = append(pw[key], p)
	}
	return pw
}

// productsNamed lists the provider namespaces whose words a role's name
// (its lowered words) names.
func productsNamed(words []string, pw productWords) []string {
	var out []string
	for i := range words {
		tail := strings.Join(words[i:], "")
		if len(tail) < minProductWord {
			continue
		}
		for _, p := range pw[tail[:minProductWord]] {
			if strings.HasPrefix(tail, providerWord(p)) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 && len(words) > 0 && len(words[0]) < minProductWord {
		for _, p := range pw[words[0]] {
			if providerWord(p) == words[0] {
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

// namesOwnWords rates how the role's name names the operation's
// resource type, typeW (2: Virtual Machine Contributor for
// virtualMachines) or, as its first words, provider, provW (1: Network
// Contributor for Microsoft.Network), else 0.
//
// A custom role rates 2: its author made it for the job.
func (r *role) namesOwnWords(typeW, provW string) int {
	if r.Custom {
		return 2
	}
	if len(typeW) >= 4 && strings.Contains(r.joined, typeW) {
		return 2
	}
	if r.leadsWith(provW) {
		return 1
	}
	return 0
}

// leadsWith reports whether the role's name begins with the lowered
// word, the brand words before it aside (Azure, Microsoft, and Azure
// Arc's Arc Enabled): Network Contributor, Azure Service Bus Data Owner
// and Azure Arc Enabled Kubernetes Cluster User Role are named for their
// provider, while Windows 365 Network User and Application Insights
// Snapshot Debugger, which name a provider after another product or
// feature, are roles for that product or feature.
func (r *role) leadsWith(word string) bool {
	if word == "" {
		return false
	}
	off := 0
	for _, w := range r.words {
		if strings.HasPrefix(r.joined[off:], word) {
			return true
		}
		if !isBrand(w) {
			return false
		}
		off += len(w)
	}
	return false
}

// isBrand reports whether a lowered word of a role's name is one of the
// brand words a product's name may begin with.
func isBrand(w string) bool {
	switch w {
	case "azure", "microsoft", "arc", "enabled":
		return true
	}
	return false
}

// typeWords lists the singular names of the resource types a lowered
// operation goes through, outermost first:
// microsoft.storage/storageaccounts/blobservices/containers/blobs/read
// goes through storageaccount, blobservice, container and blob. The last
// segment (two, for .../<verb>/action) is the verb, not a type; a
// wildcard segment is listed as "".
func typeWords(op string) []string {
	segs := strings.Split(op, "/")
	end := len(segs) - 1
	if end > 1 && segs[end] == "action" {
		end--
	}
	var words []string
	for _, seg := range segs[1:max(end, 1)] {
		w := typeWord("x/" + seg)
		if strings.Contains(w, "*") {
			w = ""
		}
		words = append(words, w)
	}
	return words
}

// depthNamed is how deep in the operation's resource types (typeWords) the
// deepest one the role's name names lies: 0 for none, 1 for the
// outermost. A type's name of fewer than four letters (key, app) must be
// a whole word of the role's name: inside a word it occurs by chance. A
// two-letter word of the name abbreviates a type whose name begins with
// its first letter and holds its second (DB a database, VM a virtual
// machine) when the role's patterns name that type too; right after the
// brand word Azure it names the product the role is for (Azure AI).
//
// A custom role counts as naming them all: its author made it for the job.
func (r *role) depthNamed(words []string) int {
	if r.Custom {
		return len(words)
	}
	for i := len(words) - 1; i >= 0; i-- {
		if w := words[i]; len(w) >= 4 && strings.Contains(r.joined, w) || w != "" && slices.Contains(r.words, w) || r.abbreviates(w) {
			return i + 1
		}
	}
	return 0
}

// mentions reports whether the candidate's role has a pattern for the
// resource type typ, for its whole provider (wild, provider/*) or for
// any provider. Only patterns for the operation's provider or any can
// be, and the candidate lists the types those name.
func (cand candidate) mentions(typ, wild string) bool {
	for _, t := range cand.types {
		if t == typ || t == wild || t == "*" {
			return true
		}
	}
	return false
}

// abbreviates reports whether a two-letter word of the role's name
// abbreviates the type's name w, which the role's patterns name.
func (r *role) abbreviates(w string) bool {
	abbreviated := false
	for i, a := range r.words {
		if i == 1 && r.words[0] == "azure" {
			continue // Azure AI, the product
		}
		if len(a) == 2 && len(w) > 2 && w[0] == a[0] && strings.IndexByte(w[1:], a[1]) >= 0 {
			abbreviated = true
		}
	}
	if !abbreviated {
		return false
	}
	for _, b := range r.blocks {
		for k := range 2 {
			for _, p := range b.allow[k] {
				if strings.Contains(p, "/"+w) {
					return true
				}
			}
		}
	}
	return false
}
