package e2e_test

import (
	"bytes"
	"os"
	"testing"
)

// TestREADMEAlertRules checks that the rules file the README shows is
// alerts/azauthtrace.rules.yaml, byte for byte.
func TestREADMEAlertRules(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile("../alerts/azauthtrace.rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	firstLine, _, _ := bytes.Cut(rules, []byte("\n"))
	start := bytes.Index(readme, append([]byte("```yaml\n"), firstLine...))
	if start < 0 {
		t.Fatalf("README.md has no yaml block starting with %q", firstLine)
	}
	block := readme[start+len("```yaml\n"):]
	end := bytes.Index(block, []byte("\n```\n"))
	if end < 0 {
		t.Fatal("README.md: the rules' yaml block does not end")
	}
	block = block[:end+1]
	if !bytes.Equal(block, rules) {
		t.Errorf("README.md's copy of the rules is not alerts/azauthtrace.rules.yaml; the file is:\n%s", rules)
	}
}
