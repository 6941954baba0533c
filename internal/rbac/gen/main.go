// Command gen writes internal/rbac/roles.bin and ids.bin, the compressed
// role table and the roles' GUIDs the rbac package embeds, from the repository's copy of the built-in role
// definitions (internal/rbac/data/builtin-roles.json).
//
// Run it from anywhere in the module, usually as
//
//	go run ./internal/rbac/gen
//
// or go generate ./internal/rbac/.... With -trim it first rewrites the copy
// from a full extraction (the shared builtin-roles.json with conditions and
// permission blocks), keeping only the facts the package uses.
package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/azauthtrace/azauthtrace/internal/gentool"
	"github.com/azauthtrace/azauthtrace/internal/rbac"
)

func main() {
	root, err := gentool.ModuleRoot()
	if err != nil {
		gentool.Fail(err)
	}
	dir := filepath.Join(root, "internal", "rbac")
	trim := flag.String("trim", "", "a full extraction to trim into the copy first")
	copyPath := flag.String("copy", filepath.Join(dir, "data", "builtin-roles.json"), "the repository's copy of the role facts")
	out := flag.String("out", filepath.Join(dir, "roles.bin"), "the compressed table to write")
	flag.Parse()

	if *trim != "" {
		full, err := os.ReadFile(*trim)
		if err != nil {
			gentool.Fail(err)
		}
		trimmed, err := trimCopy(full)
		if err != nil {
			gentool.Fail(err)
		}
		if err := os.WriteFile(*copyPath, trimmed, 0o644); err != nil {
			gentool.Fail(err)
		}
	}
	src, err := os.ReadFile(*copyPath)
	if err != nil {
		gentool.Fail(err)
	}
	bin, ids, err := rbac.Encode(src)
	if err != nil {
		gentool.Fail(err)
	}
	if err := os.WriteFile(*out, bin, 0o644); err != nil {
		gentool.Fail(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(*out), "ids.bin"), ids, 0o644); err != nil {
		gentool.Fail(err)
	}
}
