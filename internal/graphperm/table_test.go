package graphperm

import (
	"strings"
	"testing"
)

func TestDecodeRejectsMalformed(t *testing.T) {
	guid := "\xdf\x02\x12\x88\xbd\xef\x44\x63\x88\xdb\x98\xf2\x2d\xe8\x92\x14"
	head := "graphperm\t1\tc\td\t1\n"
	perm := "p\tUser.Read.All\t+\t-\t\n"
	for _, text := range []string{
		"",
		"graphperm\t2\tc\td\t0\n",
		"graphperm\t1\tc\td\t9\n" + perm + guid, // too few GUID bytes
		head + perm + "p\tUser.Read\t-\t+\t\n" + guid, // a + without its GUID
		head + "p\tUser.Read.All\t-\t-\t\n" + guid,    // a GUID left over
		head + "p\tUser.Read.All\tdf021288-bdef-4463-88db-98f22de89214\t-\t\n" + guid,
		head + "x\ty\n",
		head + perm + "e\t0\t/users\tGET\t1\t\t0\t-\n" + guid,  // index out of range
		head + perm + "e\t0\t/users\tGET\tx\t\t0\t-\n" + guid,  // not a number
		head + perm + "e\t0\t/users\tGET\t0\t\t1\t-\n" + guid,  // choice out of range
		head + perm + "e\t0\t/users\tGET\t0\t\t0\t\n" + guid,   // empty choice
		head + perm + "e\t9\t/users\tGET\t0\t\t0\t-\n" + guid,  // prefix longer than the previous path
		head + perm + "e\t-1\t/users\tGET\t0\t\t0\t-\n" + guid, // negative prefix
		head + perm + "e\t0\t/users\tGET\t0\t\t0\n" + guid,     // a field missing
	} {
		if _, err := decodeText([]byte(text)); err == nil {
			t.Errorf("decodeText(%q): no error", text)
		}
	}
	if _, err := decode([]byte("not deflate")); err == nil {
		t.Error("decode of garbage: no error")
	}
}

func TestDecodeText(t *testing.T) {
	text := "graphperm\t1\tabc\t2026-08-07\t2\n" +
		"p\tA.Read.All\t+\t-\t\n" +
		"p\tB.Read\t-\t+\td\n" +
		"e\t0\t/x\tGET,PATCH\t0\t1+0,0\t0\t1\n" +
		"e\t2\t/{id}\tPOST\t\t1\t-\t1\n" +
		"\xdf\x02\x12\x88\xbd\xef\x44\x63\x88\xdb\x98\xf2\x2d\xe8\x92\x14" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0b"
	tb, err := decodeText([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if tb.commit != "abc" || len(tb.perms) != 2 || !tb.perms[1].delAdmin || tb.perms[0].delAdmin ||
		tb.perms[0].appID != "df021288-bdef-4463-88db-98f22de89214" || tb.perms[0].delID != "" ||
		tb.perms[1].appID != "" || tb.perms[1].delID != "00000000-0000-0000-0000-00000000000b" {
		t.Fatalf("perms %+v", tb.perms)
	}
	e := tb.root.child("x").entries[0]
	if strings.Join(e.methods, ",") != "GET,PATCH" || len(e.grants[0]) != 1 || len(e.grants[1]) != 2 ||
		e.grants[1][0].perm != 1 || len(e.grants[1][0].also) != 1 || e.suggest != [2]int{0, 1} {
		t.Errorf("entry /x: %+v", e)
	}
	e = tb.root.child("x").child("{id}").entries[0]
	if e.template != "/x/{id}" || e.grants[0] != nil || len(e.grants[1]) != 1 || e.suggest != [2]int{-1, 1} {
		t.Errorf("entry /x/{id}: %+v", e)
	}
}

func TestEmbeddedTable(t *testing.T) {
	tb := mustLoad(t)
	if tb.commit != "6cbd6bbd665a877560fdefbad74f3bdb5b57af88" || len(tb.perms) < 800 {
		t.Fatalf("commit %s, %d permissions", tb.commit, len(tb.perms))
	}
	for _, p := range tb.perms {
		if p.appID != "" && !isGUID(p.appID) || p.delID != "" && !isGUID(p.delID) || p.appID != strings.ToLower(p.appID) {
			t.Errorf("%s: GUIDs %q %q", p.name, p.appID, p.delID)
		}
	}
	// Every suggestion has the GUID its command needs.
	var walk func(n *node)
	walk = func(n *node) {
		for _, e := range n.entries {
			for k, p := range e.suggest {
				if p >= 0 && (k == 0 && tb.perms[p].appID == "" || k == 1 && tb.perms[p].delID == "") {
					t.Errorf("%s %v: %s suggested for kind %d without a GUID", e.template, e.methods, tb.perms[p].name, k)
				}
			}
		}
		for _, k := range n.kids {
			walk(k.node)
		}
	}
	walk(tb.root)
	// The map's LifecyclePolicies-AgentId.Read.All application ID has nine
	// digits in its first group; it counts as missing.
	for _, p := range tb.perms {
		if p.name == "LifecyclePolicies-AgentId.Read.All" && p.appID != "" {
			t.Errorf("malformed GUID kept: %q", p.appID)
		}
	}
}
