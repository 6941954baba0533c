package graphperm

import (
	"strings"
	"testing"
)

func TestDecodeRejectsMalformed(t *testing.T) {
	head := "graphperm\t1\tc\td\n"
	perm := "p\tUser.Read.All\tdf021288-bdef-4463-88db-98f22de89214\t-\t\n"
	for _, text := range []string{
		"",
		"graphperm\t2\tc\td\n",
		head + "x\ty\n",
		head + perm + "e\t0\t/users\tGET\t*1\t\n",  // index out of range
		head + perm + "e\t0\t/users\tGET\t*x\t\n",  // not a number
		head + perm + "e\t9\t/users\tGET\t*0\t\n",  // prefix longer than the previous path
		head + perm + "e\t-1\t/users\tGET\t*0\t\n", // negative prefix
		head + perm + "e\t0\t/users\tGET\t*0\n",    // a field missing
	} {
		if _, err := decodeText(text); err == nil {
			t.Errorf("decodeText(%q): no error", text)
		}
	}
	if _, err := decode([]byte("not deflate")); err == nil {
		t.Error("decode of garbage: no error")
	}
}

func TestDecodeText(t *testing.T) {
	text := "graphperm\t1\tabc\t2026-08-07\n" +
		"p\tA.Read.All\t00000000-0000-0000-0000-00000000000a\t-\t\n" +
		"p\tB.Read\t-\t00000000-0000-0000-0000-00000000000b\tdr\n" +
		"e\t0\t/x\tGET,PATCH\t*0\t1+0,*0\n" +
		"e\t2\t/{id}\tPOST\t\t1\n"
	tb, err := decodeText(text)
	if err != nil {
		t.Fatal(err)
	}
	if tb.commit != "abc" || len(tb.perms) != 2 || !tb.perms[1].delAdmin || !tb.perms[1].rsc || tb.perms[0].rsc {
		t.Fatalf("perms %+v", tb.perms)
	}
	e := tb.root.kids["x"].entries[0]
	if strings.Join(e.methods, ",") != "GET,PATCH" || !e.grants[0][0].least || len(e.grants[1]) != 2 ||
		e.grants[1][0].perm != 1 || len(e.grants[1][0].also) != 1 || !e.grants[1][1].least {
		t.Errorf("entry /x: %+v", e)
	}
	e = tb.root.kids["x"].kids["{id}"].entries[0]
	if e.template != "/x/{id}" || e.grants[0] != nil || len(e.grants[1]) != 1 {
		t.Errorf("entry /x/{id}: %+v", e)
	}
}
