// Command gen writes internal/aadsts/codes.tsv, the AADSTS code table, from
// Microsoft's reference page (internal/aadsts/reference.md) and the mapping
// rules (internal/aadsts/rules.tsv).
//
// Run it from anywhere in the module, usually as
//
//	go run ./internal/aadsts/gen
//
// or go generate ./internal/aadsts. The paths are relative to the module
// root unless given as flags. It exits 1, listing them, when a code matches
// no rule or a rule is stale.
package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/azauthtrace/azauthtrace/internal/gentool"
)

func main() {
	root, err := gentool.ModuleRoot()
	if err != nil {
		gentool.Fail(err)
	}
	dir := filepath.Join(root, "internal", "aadsts")
	reference := flag.String("reference", filepath.Join(dir, "reference.md"), "Microsoft's reference page")
	rules := flag.String("rules", filepath.Join(dir, "rules.tsv"), "the mapping rules")
	out := flag.String("out", filepath.Join(dir, "codes.tsv"), "the table to write")
	flag.Parse()

	page, err := os.ReadFile(*reference)
	if err != nil {
		gentool.Fail(err)
	}
	text, err := os.ReadFile(*rules)
	if err != nil {
		gentool.Fail(err)
	}
	table, err := Generate(page, text)
	if err != nil {
		gentool.Fail(err)
	}
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		gentool.Fail(err)
	}
}
