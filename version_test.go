package azauthtrace_test

import (
	"regexp"
	"testing"

	"github.com/azauthtrace/azauthtrace"
)

// The scope version of every tracer and meter: it must be semantic.
func TestVersionSemver(t *testing.T) {
	if !regexp.MustCompile(`^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`).MatchString(azauthtrace.Version) {
		t.Fatalf("Version %q is not a semantic version", azauthtrace.Version)
	}
}
