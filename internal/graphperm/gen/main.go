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
	dir := filepath.Join(root, "internal", "graphperm")
	from := flag.String("from", "", "a full permissions map to trim into -data first (optional)")
	data := flag.String("data", filepath.Join(dir, "data", "permissions.json"), "the trimmed permissions map")
	out := flag.String("out", filepath.Join(dir, "graphperm.dat"), "the compact table to write")
	flag.Parse()

	if *from != "" {
		full, err := os.ReadFile(*from)
		if err != nil {
			fail(err)
		}
		trimmed, err := Trim(full)
		if err != nil {
			fail(err)
		}
		if err := os.WriteFile(*data, trimmed, 0o644); err != nil {
			fail(err)
		}
	}
	trimmed, err := os.ReadFile(*data)
	if err != nil {
		fail(err)
	}
	table, err := Encode(trimmed)
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
