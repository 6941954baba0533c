package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedTableIsCurrent checks that codes.tsv is what the generator
// makes of reference.md and rules.tsv.
func TestGeneratedTableIsCurrent(t *testing.T) {
	page := readFile(t, "../reference.md")
	rules := readFile(t, "../rules.tsv")
	onDisk := readFile(t, "../codes.tsv")
	want, err := Generate(page, rules)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if !bytes.Equal(onDisk, want) {
		got, exp := strings.Split(string(onDisk), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(got), len(exp)); i++ {
			g, e := line(got, i), line(exp, i)
			if g != e {
				t.Fatalf("codes.tsv is stale (run go generate ./internal/aadsts); first difference on line %d:\nhave %q\nwant %q", i+1, g, e)
			}
		}
	}
}

func TestGenerateFailsOnUnmatchedCode(t *testing.T) {
	page := []byte("## AADSTS error codes\n\n| Error | Description |\n|---|---|\n" +
		"| AADSTS1 | FirstCode - Something [linked](x.md) failed. More. |\n" +
		"| AADSTS2 | Unclassifiable text. |\n")
	rules := []byte("keyword\tfailed\ttransient\tsummary\tfailed\n")
	_, err := Generate(page, rules)
	if err == nil || !strings.Contains(err.Error(), "AADSTS2 : no rule matches") || strings.Contains(err.Error(), "AADSTS1 ") {
		t.Fatalf("Generate = %v; want a failure naming AADSTS2 only", err)
	}
	out, err := Generate(page, append(rules, "keyword\trest\tconfiguration\ttext\t.\n"...))
	if err != nil {
		t.Fatal(err)
	}
	want := "1\tFirstCode\ttransient\tfailed\tSomething linked failed.\n2\t\tconfiguration\trest\tUnclassifiable text.\n"
	if !strings.HasSuffix(string(out), "code\tname\tclass\trule\tsummary\n"+want) {
		t.Errorf("Generate =\n%s\nwant it to end\n%s", out, want)
	}
}

func TestRulesValidation(t *testing.T) {
	page := []byte("## AADSTS error codes\n\n| Error | Description |\n|---|---|\n| AADSTS1 | FirstCode - Text. |\n")
	for _, rules := range []string{
		"reviewed\t1\tclaims_challenge\treason\n",                          // not a token-endpoint class
		"keyword\tk\ttransient\tname\t.\nreviewed\t1\ttransient\treason\n", // per-code after keyword
		"reviewed\t1\ttransient\treason\nreviewed\t1\tpermission\tagain\n", // duplicate code
		"reviewed\t2\ttransient\treason\nkeyword\tk\ttransient\tname\t.\n", // code not on the page
		"keyword\tk\ttransient\tname\t.\nkeyword\tunused\tpermission\tname\tx\n",
		"keyword\tk\ttransient\tname\t(\n",
	} {
		if _, err := Generate(page, []byte(rules)); err == nil {
			t.Errorf("Generate accepted rules %q", rules)
		}
	}
}

func TestSummarize(t *testing.T) {
	long := strings.Repeat("word ", 60) + "end."
	for _, tc := range []struct{ in, want string }{
		{"One. Two.", "One."},
		{"Version 2.0 of the protocol. Next.", "Version 2.0 of the protocol."},
		{"No period at all", "No period at all"},
		{long, strings.TrimSpace(strings.Repeat("word ", 39)) + "…"},
	} {
		got := summarize(tc.in)
		if got != tc.want {
			t.Errorf("summarize(%.30q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > maxSummary {
			t.Errorf("summarize(%.30q) is %d bytes", tc.in, len(got))
		}
	}
	if got := plain("See **[the docs](~/a.md)** <ul><li>one</li><li>two</li></ul> `x`"); got != "See the docs one; two x" {
		t.Errorf("plain = %q", got)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// line returns lines[i], or "" past the end.
func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
