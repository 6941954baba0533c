package e2e_test

import (
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"
)

// documentedAlert is an alert as docs/alerting.md lists it:
// "- **Name** (severity), ...".
var documentedAlert = regexp.MustCompile(`(?m)^- \*\*(\w+)\*\* \((\w+)\)`)

// TestAlertingDocRules checks that docs/alerting.md describes every alert
// of alerts/azauthtrace.rules.yaml, with its severity, and no other.
func TestAlertingDocRules(t *testing.T) {
	doc, err := os.ReadFile("../docs/alerting.md")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile("../alerts/azauthtrace.rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inFile := map[string]string{} // alert name: severity
	alert := ""
	for line := range strings.Lines(string(rules)) {
		line = strings.TrimSpace(line)
		if name, ok := strings.CutPrefix(line, "- alert: "); ok {
			alert = name
			inFile[alert] = ""
		}
		if sev, ok := strings.CutPrefix(line, "severity: "); ok && alert != "" {
			inFile[alert] = sev
		}
	}
	if len(inFile) == 0 {
		t.Fatal("alerts/azauthtrace.rules.yaml: no alert read")
	}
	inDoc := map[string]string{}
	for _, m := range documentedAlert.FindAllStringSubmatch(string(doc), -1) {
		inDoc[m[1]] = m[2]
	}
	if !maps.Equal(inDoc, inFile) {
		t.Errorf("docs/alerting.md lists the alerts %v (name: severity), the rules file has %v",
			inDoc, inFile)
	}
}
