package e2e_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeBlock returns the body of the first fenced block of README.md
// that opens with fence (such as "```go") after the line marker.
func readmeBlock(t *testing.T, marker, fence string) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatalf("README.md has no %q", marker)
	}
	_, rest, ok = strings.Cut(rest, "\n"+fence+"\n")
	if !ok {
		t.Fatalf("README.md has no %s block after %q", fence, marker)
	}
	block, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		t.Fatalf("README.md: the %s block after %q does not end", fence, marker)
	}
	return block + "\n"
}

// TestREADMESetup checks that the README's setup is readme/setup.go, byte
// for byte, and that it builds and passes go vet in this module, with the
// versions its go.mod requires.
func TestREADMESetup(t *testing.T) {
	block := readmeBlock(t, "## Setup", "```go")
	file, err := os.ReadFile("readme/setup.go")
	if err != nil {
		t.Fatal(err)
	}
	if block != string(file) {
		t.Fatalf("README.md's setup is not e2e/readme/setup.go: edit the file, check it with "+
			"(cd e2e && GOWORK=off go vet ./readme), and paste it into the README's go block; the README's block is:\n%s", block)
	}
	if out, err := goCommand(t.Context(), ".", "vet", "./readme").CombinedOutput(); err != nil {
		t.Fatalf("go vet ./readme: %v\n%s", err, out)
	}
}

// traceID is a report line's trace ID, which differs on every run.
var traceID = regexp.MustCompile(`(?m)^(    trace +)[0-9a-f]{32}$`)

// TestREADMESample checks that each block of the README's sample of the
// example's report is the block a run of the example prints for the same
// scenario, but for the trace IDs.
func TestREADMESample(t *testing.T) {
	sample := readmeBlock(t, "<!-- TestREADMESample", "```text")
	report := runExample(t)
	blocks := map[string]string{}
	for _, b := range strings.Split(traceID.ReplaceAllString(report, "${1}<trace>"), "\n\n") {
		head, _, _ := strings.Cut(b, "\n")
		blocks[head] = strings.TrimSpace(b)
	}
	want := strings.Split(strings.TrimSpace(sample), "\n\n")
	if len(want) < 2 {
		t.Fatalf("README.md's sample has %d blocks, want a few", len(want))
	}
	for _, b := range want {
		b = strings.TrimSpace(traceID.ReplaceAllString(b, "${1}<trace>"))
		head, _, _ := strings.Cut(b, "\n")
		got, ok := blocks[head]
		if !ok {
			t.Errorf("the example printed no block %q", head)
			continue
		}
		if got != b {
			t.Errorf("README.md's sample of the example is stale: replace its block %q with the one "+
				"go run ./example 2>/dev/null prints now:\n%s", head, got)
		}
	}
	if !strings.Contains(report, "every diagnosis as expected") {
		t.Errorf("the example's report does not end as expected:\n%s", report)
	}
}
