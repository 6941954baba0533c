package e2e_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// otelxNames returns the attribute keys, event names and metric names that
// package otelx declares under its namespace: every string constant
// written as Namespace + "...", attribute.Key(Namespace + "..."), or a
// literal that starts with "azauth.".
func otelxNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../otelx/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for _, v := range spec.Values {
				if name, ok := namespaced(v); ok {
					names = append(names, name)
				}
			}
			return false
		})
	}
	return names
}

// namespaced returns the value of a constant expression of otelx that
// names something under the "azauth." namespace.
func namespaced(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.CallExpr: // attribute.Key(...)
		if len(e.Args) == 1 {
			return namespaced(e.Args[0])
		}
	case *ast.BinaryExpr: // Namespace + "..."
		if id, ok := e.X.(*ast.Ident); ok && id.Name == "Namespace" && e.Op == token.ADD {
			if lit, ok := e.Y.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				return "azauth." + s, err == nil
			}
		}
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING && strings.HasPrefix(s, "azauth.") {
			return s, true
		}
	}
	return "", false
}

// TestAttributesDocNamesEveryKey checks that docs/attributes.md describes
// every attribute key, span event and metric that package otelx declares
// under the azauth. namespace.
func TestAttributesDocNamesEveryKey(t *testing.T) {
	doc, err := os.ReadFile("../docs/attributes.md")
	if err != nil {
		t.Fatal(err)
	}
	names := otelxNames(t)
	if len(names) < 40 {
		t.Fatalf("read %d names from otelx, want its 40 and more: %v", len(names), names)
	}
	for _, name := range names {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/attributes.md does not describe %s, which otelx declares", name)
		}
	}
}
