package main

import (
	"bytes"
	"compress/flate"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/graphperm"
)

// TestGeneratedTableIsCurrent re-generates graphperm.dat from the trimmed
// map and compares the decompressed text with the embedded table's, so a
// change to either without go generate fails. (The compressed bytes may
// differ between Go versions; the text may not.)
func TestGeneratedTableIsCurrent(t *testing.T) {
	trimmed, err := os.ReadFile(filepath.Join("..", "data", "permissions.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := encodeTable(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	dat, err := os.ReadFile(filepath.Join("..", "graphperm.dat"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(dat)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("graphperm.dat is not what data/permissions.json gives: run go generate ./internal/graphperm")
	}
}

// TestTrimmedCopyIsCurrent checks that data/permissions.json is the trim
// of itself: trimming is idempotent, so a hand edit that adds what the
// package does not use shows.
func TestTrimmedCopyIsCurrent(t *testing.T) {
	trimmed, err := os.ReadFile(filepath.Join("..", "data", "permissions.json"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Trim(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, trimmed) {
		t.Error("data/permissions.json is not trimmed as Trim writes it")
	}
}

const fullMap = `{"source":"s","source_guids":"g","commit":"c0ffee","commit_date":"2026-08-07","extracted":"2026-12-06",
"permissions":{
"A.Read.All":{"application_id":"00000000-0000-0000-0000-00000000000a","delegated_id":"00000000-0000-0000-0000-0000000000da","admin_consent_application":true,"admin_consent_delegated":false,"schemes":["application","delegated_work"]},
"B.Read":{"application_id":null,"delegated_id":"00000000-0000-0000-0000-0000000000db","admin_consent_application":null,"admin_consent_delegated":null,"schemes":["delegated_work","delegated_personal"],"hidden":["delegated_personal"]},
"B.Read.All":{"application_id":"000000000b-0000-0000-0000-00000000000b","delegated_id":null,"admin_consent_application":true,"admin_consent_delegated":null,"schemes":["application"]},
"C.Read.Group":{"application_id":"00000000-0000-0000-0000-00000000000c","delegated_id":null,"admin_consent_application":false,"admin_consent_delegated":null,"schemes":["application"],"rsc":true,"disabled":["application"]},
"Unused.Read":{"application_id":null,"delegated_id":"00000000-0000-0000-0000-0000000000ee","admin_consent_application":null,"admin_consent_delegated":false,"schemes":["delegated_work"]}},
"paths":[
{"path":"/personal","methods":["GET"],"delegated_personal":["Unused.Read"],"least_privileged":{"delegated_personal":"Unused.Read"}},
{"path":"/x","methods":["GET"],"application":["C.Read.Group","A.Read.All"],"delegated_work":["B.Read","A.Read.All"],"delegated_personal":["B.Read"],"least_privileged":{"application":"C.Read.Group","delegated_work":"B.Read","delegated_personal":"B.Read"},"also_requires":{"delegated_work":{"B.Read":["A.Read.All"]},"delegated_personal":{"B.Read":["A.Read.All"]}}},
{"path":"/xa","methods":["POST","PATCH"],"application":["A.Read.All"],"least_privileged":{"application":"A.Read.All"}}]}`

func TestTrimAndEncode(t *testing.T) {
	trimmed, err := Trim([]byte(fullMap))
	if err != nil {
		t.Fatal(err)
	}
	s := string(trimmed)
	// Personal accounts are dropped, with the path only they had and the
	// permission only it used; B.Read.All stays as the .All form of B.Read,
	// without its GUID, which is malformed.
	for _, gone := range []string{"delegated_personal", "/personal", "Unused.Read", "schemes"} {
		if strings.Contains(s, gone) {
			t.Errorf("trimmed map still has %q:\n%s", gone, s)
		}
	}
	got, err := encodeTable(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	// /x: the application mark is RSC with no tenant-wide form, so the
	// rest of the list decides (A.Read.All); the delegated mark works only
	// with A.Read.All and is kept. Only the GUIDs of suggested permissions
	// are written; B.Read's consent is unknown, so it counts as admin.
	want := "graphperm\t2\tc0ffee\t2026-08-07\n" +
		"A.Read.All\nB.Read\nB.Read.All\nC.Read.Group\n\n" +
		"x\nxa\n\n" +
		"\x02\x03\x02" + // records, nodes, entries
		"\x01\x06\x00\x00" + // flags: A's app GUID; B.Read's delegated GUID, admin consent
		// /x: application C.Read.Group, A.Read.All; delegated B.Read
		// with A.Read.All, A.Read.All; suggest A.Read.All, B.Read.
		"\x02\x03\x00\x00\x00" + "\x02\x01\x01\x00\x00\x00" + "\x01\x02" +
		// /xa: application A.Read.All, no delegated; suggest A.Read.All.
		"\x01\x00\x00" + "\x00" + "\x01\x00" +
		// Entries: /x GET, record 0; /xa POST and PATCH, record 1.
		"\x01\x00" + "\x0a\x01" +
		// root: no entries, children x and xa (index 0, then 0+1); x
		// and xa: one entry each, no children.
		"\x00\x02" + "\x00\x01\x00" + "\x01\x01\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0a" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xdb"
	if string(got) != want {
		t.Errorf("encodeTable =\n%q\nwant\n%q", got, want)
	}
}

func TestCollapseDrivePath(t *testing.T) {
	// A template's sample item path is stored as the package matches a
	// request's: https://learn.microsoft.com/graph/onedrive-addressing-driveitems
	for _, tt := range [][2]string{
		{"me/drive/root:/foldera/fileb.txt:/content", "me/drive/root:/{id}:/content"},
		{"drives/{id}/root:/{id}", "drives/{id}/root:/{id}"},
		{"drives/{id}/root:/a/b", "drives/{id}/root:/{id}"},
		{"users/{id}/messages", "users/{id}/messages"},
	} {
		if got := strings.Join(graphperm.CollapseDrivePath(strings.Split(tt[0], "/")), "/"); got != tt[1] {
			t.Errorf("CollapseDrivePath(%s) = %s; want %s", tt[0], got, tt[1])
		}
	}
}

func TestEncodeRejectsUnknownPermission(t *testing.T) {
	bad := strings.Replace(fullMap, `"application":["A.Read.All"]`, `"application":["Nope.All"]`, 1)
	if _, err := Trim([]byte(bad)); err == nil {
		t.Error("Trim: no error for a path naming an unknown permission")
	}
}
