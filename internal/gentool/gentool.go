// Package gentool holds what the repository's generators (the gen
// commands of internal/aadsts, internal/rbac and internal/graphperm)
// share: finding the module's root and failing. It is never linked into
// a program that uses the library.
package gentool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ModuleRoot is the nearest directory at or above the working directory
// that holds a go.mod.
func ModuleRoot() (string, error) {
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

// Fail prints err, prefixed with "gen:", to standard error and exits
// with status 1.
func Fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
