package azauthtrace

import (
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// TestMitigationsSurviveCleaning checks that every mitigation the
// classifier writes reads the same after the cleaning that spans,
// Failure.String and LogValue give it: none is mistaken for a secret.
func TestMitigationsSurviveCleaning(t *testing.T) {
	var all []string
	for _, m := range aadstsMitigations {
		all = append(all, m)
	}
	for _, m := range codeMitigations {
		all = append(all, m)
	}
	for _, m := range classMitigations {
		all = append(all, m)
	}
	for _, m := range messageMitigations {
		all = append(all, m.mitigation)
	}
	for _, m := range all {
		if got := safe.Clean(safe.Text, m).String(); got != m {
			t.Errorf("mitigation %q is cleaned to %q", m, got)
		}
	}
}
