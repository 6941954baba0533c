package azauthtrace

import (
	"strings"
	"testing"
)

// TestWordFamilies checks the word families as data: every phrase in
// lower case (they are matched against lower-cased text), none empty, and
// none in two families that decide differently, so that the family order
// never hides a contradiction.
func TestWordFamilies(t *testing.T) {
	families := []struct {
		name    string
		class   Class
		phrases []string
	}{
		{"wordsKeyDisabled", ClassConfiguration, wordsKeyDisabled},
		{"wordsMissing", ClassTokenRejected, wordsMissing},
		{"wordsMalformedCredential", ClassConfiguration, wordsMalformedCredential},
		{"wordsKeyRefused", ClassAuthentication, wordsKeyRefused},
		{"wordsPermission", ClassPermission, wordsPermission},
		{"wordsToken", ClassTokenRejected, wordsToken},
		{"wordsConfiguration", ClassConfiguration, wordsConfiguration},
		{"wordsTransient", ClassTransient, wordsTransient},
	}
	seen := map[string]string{}
	for _, f := range families {
		for _, p := range f.phrases {
			if p == "" || p != strings.ToLower(p) {
				t.Errorf("%s: phrase %q is empty or not lower case", f.name, p)
			}
			if other, ok := seen[p]; ok {
				t.Errorf("%q is in both %s and %s", p, other, f.name)
			}
			seen[p] = f.name
		}
	}
}

// TestServicesTable checks the services table as data: names unique,
// hosts lower case, and no host suffix that an earlier row's suffix
// already takes (it would never be reached).
func TestServicesTable(t *testing.T) {
	names := map[string]bool{}
	var hosts []string
	for _, row := range services {
		if row.name == "" || names[row.name] {
			t.Errorf("service name %q empty or repeated", row.name)
		}
		names[row.name] = true
		for _, h := range row.hosts {
			if h != strings.ToLower(h) {
				t.Errorf("%s: host %q not lower case", row.name, h)
			}
			for _, earlier := range hosts {
				if strings.HasSuffix(h, earlier) {
					t.Errorf("%s: host %q is shadowed by the earlier %q", row.name, h, earlier)
				}
			}
			hosts = append(hosts, h)
		}
	}
	// The services named in code have rows, for their docs links.
	for _, name := range []string{serviceARM, serviceStorage, serviceKeyVault, serviceGraph, serviceCosmos, serviceServiceBus, serviceOpenAI, serviceCognitive} {
		if serviceByName(name) == nil {
			t.Errorf("no row for %s", name)
		}
	}
}

// TestKnownCodes checks the known codes as data: keys in lower case (the
// lookup lowers the code) and each a class.
func TestKnownCodes(t *testing.T) {
	valid := map[Class]bool{}
	for _, c := range Classes() {
		valid[c] = true
	}
	for code, c := range serviceCodes {
		if code != strings.ToLower(code) || !valid[c] {
			t.Errorf("serviceCodes[%q] = %q: key not lower case or class unknown", code, c)
		}
		if got, ok := knownCode(strings.ToUpper(code)); !ok || got != c {
			t.Errorf("knownCode(%q) = %q, %v; want %q", strings.ToUpper(code), got, ok, c)
		}
	}
}
