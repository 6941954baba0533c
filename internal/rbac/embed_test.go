package rbac

import (
	"bytes"
	"os"
	"testing"
)

// The embedded table must be what the generator makes of the copy: edit
// data/builtin-roles.json, then run go generate ./internal/rbac/...
func TestEmbeddedTableMatchesCopy(t *testing.T) {
	src, err := os.ReadFile("data/builtin-roles.json")
	if err != nil {
		t.Fatal(err)
	}
	bin, ids, err := Encode(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bin, rolesBin) || !bytes.Equal(ids, idsBin) {
		t.Fatal("roles.bin is stale: run go generate ./internal/rbac/...")
	}
}

func TestBuiltinCatalog(t *testing.T) {
	c := Builtin()
	if c.Len() != 930 {
		t.Errorf("Len() = %d, want the 930 roles of the copy", c.Len())
	}
	if c.Date() != "2026-08-22" {
		t.Errorf("Date() = %q, want 2026-08-22", c.Date())
	}
	if Builtin() != c {
		t.Error("Builtin decoded twice")
	}
}

func TestDecodeDamagedTable(t *testing.T) {
	full, _ := decode(rolesBin, idsBin)
	for _, bin := range [][]byte{nil, []byte("not deflate"), rolesBin[:len(rolesBin)/2]} {
		roles, _ := decode(bin, idsBin)
		if len(roles) >= len(full) {
			t.Errorf("a damaged table of %d bytes decoded to %d roles", len(bin), len(roles))
		}
		c := newCatalog(roles, "")
		if r, ok := c.Least("Microsoft.Compute/virtualMachines/read", false); ok && !c.Grants(r.ID, "Microsoft.Compute/virtualMachines/read", false) {
			t.Errorf("chose %s, which does not grant the operation", r.Name)
		}
	}
}
