// Package aadsts is the table of the Entra ID AADSTS error codes that
// Microsoft documents, each with the failure class it maps to.
//
// The table, codes.tsv, is generated from a stored copy of Microsoft's
// reference page (reference.md) and the mapping rules (rules.tsv); change
// those and run go generate, never edit codes.tsv by hand.
package aadsts

//go:generate go run ./gen

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Entry is one code of Microsoft's AADSTS reference.
type Entry struct {
	// Code is the number without its AADSTS prefix.
	Code int
	// Name is Microsoft's CamelCase identifier for the code, or "" when the
	// reference gives none.
	Name string
	// Class is the failure class the code maps to: authentication,
	// permission, configuration or transient.
	Class string
	// Summary is the first sentence of Microsoft's description, as plain
	// text of at most 200 bytes; it may be empty.
	Summary string
	// Wrapper reports whether the code wraps another one, which says
	// more: a response that names both is decided by the other.
	Wrapper bool
}

//go:embed codes.tsv
var codesTSV string

// table is codes.tsv, parsed on first use.
var table = sync.OnceValue(func() []Entry {
	entries, err := parseCodes(codesTSV)
	if err != nil {
		panic("aadsts: embedded codes.tsv: " + err.Error())
	}
	return entries
})

// Lookup returns the entry for an AADSTS code (without the AADSTS prefix)
// and whether Microsoft's reference lists it.
func Lookup(code int) (Entry, bool) {
	entries := table()
	i, ok := slices.BinarySearchFunc(entries, code, func(e Entry, code int) int { return e.Code - code })
	if !ok {
		return Entry{}, false
	}
	return entries[i], true
}

// All returns every entry, sorted by code. The slice is a copy the caller
// may modify.
func All() []Entry {
	return slices.Clone(table())
}

// parseCodes reads codes.tsv: comment lines starting with #, a header line,
// then one code per line with the columns code, name, class, rule and
// summary, in increasing order of code.
func parseCodes(text string) ([]Entry, error) {
	var entries []Entry
	header := false
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", n+1, len(f))
		}
		if !header {
			if line != "code\tname\tclass\trule\tsummary" {
				return nil, fmt.Errorf("line %d: want the header line", n+1)
			}
			header = true
			continue
		}
		code, err := strconv.Atoi(f[0])
		if err != nil || code <= 0 {
			return nil, fmt.Errorf("line %d: bad code %q", n+1, f[0])
		}
		if len(entries) > 0 && code <= entries[len(entries)-1].Code {
			return nil, fmt.Errorf("line %d: code %d out of order", n+1, code)
		}
		if !ValidClass(f[2]) {
			return nil, fmt.Errorf("line %d: unknown class %q", n+1, f[2])
		}
		entries = append(entries, Entry{Code: code, Name: f[1], Class: f[2], Summary: f[4], Wrapper: f[3] == "wrapper"})
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no codes")
	}
	return entries, nil
}

// classes are the failure classes an AADSTS code may map to: the token
// endpoint's share of the library's classes.
var classes = map[string]bool{
	"authentication": true,
	"permission":     true,
	"configuration":  true,
	"transient":      true,
}

// ValidClass reports whether c is a class an AADSTS code may map to.
func ValidClass(c string) bool { return classes[c] }
