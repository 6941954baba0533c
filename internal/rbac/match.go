package rbac

import (
	"slices"
	"strings"
)

// Azure matches an operation against a role's patterns without regard to
// case, a * standing for any run of characters, / included. A /*/ inside a
// pattern also matches a single /: Managed Identity Operator's
// Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action grants
// Microsoft.ManagedIdentity/userAssignedIdentities/assign/action.
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions

// maxVariants bounds the patterns one pattern expands to.
const maxVariants = 8

// compile adds to a role's lowered patterns, for each /*/ inside one, the
// pattern with that /*/ read as a single /.
func compile(patterns []string) []string {
	out := make([]string, 0, len(patterns))
	for _, p := range patterns {
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/*/") {
			out = append(out, p)
			continue
		}
		out = append(out, variants(p, nil)...)
	}
	return out
}

func variants(p string, acc []string) []string {
	if slices.Contains(acc, p) {
		return acc
	}
	acc = append(acc, p)
	for i := 0; len(acc) < maxVariants; {
		j := strings.Index(p[i:], "/*/")
		if j < 0 {
			break
		}
		i += j
		acc = variants(p[:i]+p[i+2:], acc)
		i++
	}
	return acc
}

// matchAny reports whether one of the compiled patterns matches the
// lowered operation.
func matchAny(patterns []string, op string) bool {
	for _, p := range patterns {
		if glob(p, op) {
			return true
		}
	}
	return false
}

// glob matches s against p, where * in p stands for any run of bytes.
// The literal text before p's first * and after its last must begin and
// end s; only what lies between is searched.
func glob(p, s string) bool {
	first := strings.IndexByte(p, '*')
	if first < 0 {
		return p == s
	}
	last := strings.LastIndexByte(p, '*')
	head, tail := p[:first], p[last+1:]
	if len(s) < len(head)+len(tail) || !strings.HasPrefix(s, head) || !strings.HasSuffix(s, tail) {
		return false
	}
	return between(p[first:last+1], s[len(head):len(s)-len(tail)])
}

// between matches s against p, which begins and ends with *.
func between(p, s string) bool {
	px, sx := 0, 0
	starPx, starSx := -1, -1
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			if c := p[px]; c == '*' {
				starPx, starSx = px, sx+1
				px++
				continue
			} else if sx < len(s) && s[sx] == c {
				px++
				sx++
				continue
			}
		}
		if starPx >= 0 && starSx <= len(s) {
			px, sx = starPx+1, starSx
			starSx++
			continue
		}
		return false
	}
	return true
}
