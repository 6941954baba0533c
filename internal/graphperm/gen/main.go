// Command gen writes internal/graphperm/graphperm.dat, the compact
// Microsoft Graph permission table the package embeds, from the trimmed
// permissions map internal/graphperm/data/permissions.json.
//
// Run it from anywhere in the module, usually as
//
//	go generate ./internal/graphperm
//
// To refresh the data, build a new full map with the extractor
// internal/graphperm/data/extract.py (see docs/grant-graph.md) and pass it
// with -from: gen then rewrites the trimmed copy first.
//
//	go run ./internal/graphperm/gen -from /path/to/full/permissions.json
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
	dir := filepath.Join(root, "internal", "graphperm")
	from := flag.String("from", "", "a full permissions map to trim into -data first (optional)")
	data := flag.String("data", filepath.Join(dir, "data", "permissions.json"), "the trimmed permissions map")
	out := flag.String("out", filepath.Join(dir, "graphperm.dat"), "the compact table to write")
	flag.Parse()

	if *from != "" {
		full, err := os.ReadFile(*from)
		if err != nil {
			gentool.Fail(err)
		}
		trimmed, err := Trim(full)
		if err != nil {
			gentool.Fail(err)
		}
		if err := os.WriteFile(*data, trimmed, 0o644); err != nil {
			gentool.Fail(err)
		}
	}
	trimmed, err := os.ReadFile(*data)
	if err != nil {
		gentool.Fail(err)
	}
	table, err := Encode(trimmed)
	if err != nil {
		gentool.Fail(err)
	}
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		gentool.Fail(err)
	}
}
