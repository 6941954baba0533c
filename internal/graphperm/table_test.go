package graphperm

import (
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// A small table in the generator's format (gen/encode.go): permissions
// A.Read.All (0) and B.Read (1), segments x (0) and {id} (1), two
// records, and the tree / -> /x (GET, PATCH) -> /x/{id} (POST).
const (
	tHead   = "graphperm\t2\tabc\t2026-08-07\n"
	tNames  = "A.Read.All\nB.Read\n\n"
	tSegs   = "x\n{id}\n\n"
	tCounts = "\x02\x03\x02" // records, nodes, entries
	tFlags  = "\x01\x06"     // A: application GUID; B: delegated GUID, admin consent
	// Record 0: application A; delegated B with A, then A; suggest A, B.
	tRec0 = "\x01\x00\x00" + "\x02\x01\x01\x00\x00\x00" + "\x01\x02"
	// Record 1: no application; delegated B; suggest none, B.
	tRec1 = "\x00" + "\x01\x01\x00" + "\x00\x02"
	// Entries in the tree's order: /x GET|PATCH record 0, /x/{id} POST
	// record 1.
	tEntries = "\x09\x00\x02\x01"
	// Root: no entries, one child x (index 0); x: one entry, one child
	// {id} (x's index plus 1); {id}: one entry, no children.
	tRoot  = "\x00\x01\x00"
	tX     = "\x01\x01\x01"
	tID    = "\x01\x00"
	tGUIDs = "\xdf\x02\x12\x88\xbd\xef\x44\x63\x88\xdb\x98\xf2\x2d\xe8\x92\x14" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0b"
)

func TestDecodeTable(t *testing.T) {
	tb, err := decodeTable([]byte(tHead + tNames + tSegs + tCounts + tFlags + tRec0 + tRec1 + tEntries + tRoot + tX + tID + tGUIDs))
	if err != nil {
		t.Fatal(err)
	}
	if tb.commit != "abc" || len(tb.perms) != 2 || tb.perms[0].name != "A.Read.All" || tb.perms[1].name != "B.Read" ||
		!tb.perms[1].delAdmin || tb.perms[0].delAdmin ||
		tb.perms[0].appID != "df021288-bdef-4463-88db-98f22de89214" || tb.perms[0].delID != "" ||
		tb.perms[1].appID != "" || tb.perms[1].delID != "00000000-0000-0000-0000-00000000000b" {
		t.Fatalf("perms %+v", tb.perms)
	}
	x := tb.child(0, "x")
	if x < 0 || len(tb.nodes[x].entries) != 1 || tb.nodes[x].entries[0] != (entry{methods: 1 | 8, record: 0}) {
		t.Fatalf("node /x: %d %+v", x, tb.nodes)
	}
	r := tb.records[0]
	if len(r.grants[0]) != 1 || len(r.grants[1]) != 2 || r.grants[1][0].perm != 1 ||
		len(r.grants[1][0].also) != 1 || r.grants[1][0].also[0] != 0 || r.suggest != [2]int{0, 1} {
		t.Errorf("record 0: %+v", r)
	}
	id := tb.child(x, "{id}")
	if id < 0 || tb.template(id) != "/x/{id}" || tb.nodes[id].entries[0] != (entry{methods: 2, record: 1}) {
		t.Fatalf("node /x/{id}: %d %+v", id, tb.nodes)
	}
	if r := tb.records[1]; r.grants[0] != nil || len(r.grants[1]) != 1 || r.suggest != [2]int{-1, 1} {
		t.Errorf("record 1: %+v", r)
	}
	if tb.child(0, "{id}") != -1 || tb.child(x, "x") != -1 || tb.child(0, "y") != -1 {
		t.Error("child found where the tree has none")
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	body := tCounts + tFlags + tRec0 + tRec1 + tEntries
	tree := tRoot + tX + tID
	for _, tt := range []struct{ name, text string }{
		{"empty", ""},
		{"version 1", "graphperm\t1\tabc\t2026-08-07\n" + tNames + tSegs + body + tree + tGUIDs},
		{"no segments", tHead + tNames + body + tree + tGUIDs},
		{"a GUID short", tHead + tNames + tSegs + body + tree + tGUIDs[:31]},
		{"a byte left over", tHead + tNames + tSegs + body + tree + tGUIDs + "\x00"},
		{"flags for a GUID more", tHead + tNames + tSegs + tCounts + "\x03\x06" + tRec0 + tRec1 + tEntries + tree + tGUIDs},
		{"permission out of range", tHead + tNames + tSegs + tCounts + tFlags + "\x01\x02\x00" + tRec0[3:] + tRec1 + tEntries + tree + tGUIDs},
		{"suggestion out of range", tHead + tNames + tSegs + tCounts + tFlags + tRec0 + "\x00\x01\x01\x00\x00\x03" + tEntries + tree + tGUIDs},
		{"record out of range", tHead + tNames + tSegs + tCounts + tFlags + tRec0 + tRec1 + "\x09\x02\x02\x01" + tree + tGUIDs},
		{"no method", tHead + tNames + tSegs + tCounts + tFlags + tRec0 + tRec1 + "\x00\x00\x02\x01" + tree + tGUIDs},
		{"unknown method", tHead + tNames + tSegs + tCounts + tFlags + tRec0 + tRec1 + "\x20\x00\x02\x01" + tree + tGUIDs},
		{"segment out of range", tHead + tNames + tSegs + body + tRoot + "\x01\x01\x02" + tID + tGUIDs},
		{"more entries in nodes than counted", tHead + tNames + tSegs + body + tRoot + "\x02\x01\x01" + tID + tGUIDs},
		{"fewer nodes than counted", tHead + tNames + tSegs + "\x02\x04\x02" + tFlags + tRec0 + tRec1 + tEntries + tree + tGUIDs},
		{"more nodes than counted", tHead + tNames + tSegs + "\x02\x02\x02" + tFlags + tRec0 + tRec1 + tEntries + tree + tGUIDs},
		{"fewer entries than counted", tHead + tNames + tSegs + "\x02\x03\x03" + tFlags + tRec0 + tRec1 + tEntries + "\x01\x00" + tree + tGUIDs},
		{"children out of order", tHead + tNames + "x\ny\n\n" + body + "\x00\x02\x01" + "\x01\x00" + "\x00" + "\x01\x00" + tGUIDs},
	} {
		if _, err := decodeTable([]byte(tt.text)); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if _, err := decode([]byte("not deflate")); err == nil {
		t.Error("decode of garbage: no error")
	}
}

func TestEmbeddedTable(t *testing.T) {
	tb := mustLoad(t)
	if tb.commit != "6cbd6bbd665a877560fdefbad74f3bdb5b57af88" || len(tb.perms) < 800 {
		t.Fatalf("commit %s, %d permissions", tb.commit, len(tb.perms))
	}
	for _, p := range tb.perms {
		if p.appID != "" && !safe.IsBareGUID(p.appID) || p.delID != "" && !safe.IsBareGUID(p.delID) || p.appID != strings.ToLower(p.appID) {
			t.Errorf("%s: GUIDs %q %q", p.name, p.appID, p.delID)
		}
	}
	// Every suggestion has the GUID its command needs.
	for i, r := range tb.records {
		for k, p := range r.suggest {
			if p >= 0 && (k == 0 && tb.perms[p].appID == "" || k == 1 && tb.perms[p].delID == "") {
				t.Errorf("record %d: %s suggested for kind %d without a GUID", i, tb.perms[p].name, k)
			}
		}
	}
	// The map's LifecyclePolicies-AgentId.Read.All application ID has nine
	// digits in its first group; it counts as missing.
	for _, p := range tb.perms {
		if p.name == "LifecyclePolicies-AgentId.Read.All" && p.appID != "" {
			t.Errorf("malformed GUID kept: %q", p.appID)
		}
	}
}

// FuzzDecodeTable checks that a damaged table gives an error or a table
// whose lookups stay within it, never a panic.
func FuzzDecodeTable(f *testing.F) {
	f.Add([]byte(tHead + tNames + tSegs + tCounts + tFlags + tRec0 + tRec1 + tEntries + tRoot + tX + tID + tGUIDs))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tb, err := decodeTable(raw)
		if err != nil {
			return
		}
		for _, m := range []string{"GET", "POST"} {
			for _, p := range []string{"/x", "/x/1", "/x/1/$ref", "/x/$count"} {
				got, ok := tb.lookup(m, p, Token{Scopes: []string{"B.Read"}})
				if ok && !strings.HasPrefix(got.Template, "/") {
					t.Errorf("%s %s: template %q", m, p, got.Template)
				}
			}
		}
	})
}
