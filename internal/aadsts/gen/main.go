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
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	dir := filepath.Join(root, "internal", "aadsts")
	reference := flag.String("reference", filepath.Join(dir, "reference.md"), "Microsoft's reference page")
	rules := flag.String("rules", filepath.Join(dir, "rules.tsv"), "the mapping rules")
	out := flag.String("out", filepath.Join(dir, "codes.tsv"), "the table to write")
	flag.Parse()

	page, err := os.ReadFile(*reference)
	if err != nil {
		fail(err)
	}
	text, err := os.ReadFile(*rules)
	if err != nil {
		fail(err)
	}
	table, err := Generate(page, text)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		fail(err)
	}
}

// moduleRoot is the nearest directory at or above the working directory
// that holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
