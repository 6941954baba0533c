package rbac

import "testing"

// An operation that changes nothing reads, lists or gets; the verbs are
// the last segment before /action, as Azure writes operations:
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions-format
func TestChangesNothing(t *testing.T) {
	tests := []struct {
		op   string
		want bool
	}{
		{"microsoft.compute/virtualmachines/read", true},
		{"microsoft.storage/storageaccounts/listkeys/action", true},
		{"microsoft.keyvault/vaults/secrets/getsecret/action", true},
		{"microsoft.keyvault/vaults/secrets/readmetadata/action", true},
		{"microsoft.storage/storageaccounts/regeneratekey/action", false},
		{"microsoft.compute/virtualmachines/write", false},
		{"microsoft.compute/virtualmachines/delete", false},
		{"microsoft.keyvault/vaults/keys/decrypt/action", false},
		{"microsoft.support/*", false},
		{"*/read", true},
		{"action", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := changesNothing(tt.op); got != tt.want {
			t.Errorf("changesNothing(%q) = %v, want %v", tt.op, got, tt.want)
		}
	}
}

// A role that lists the keys of other services reveals what a role about
// the operation's own namespace does not.
func TestRevealsOutside(t *testing.T) {
	c := Builtin()
	byName := map[string]*role{}
	for _, r := range c.roles {
		byName[r.Name] = r
	}
	tests := []struct {
		role, prov string
		want       bool
	}{
		{"Reader", "microsoft.storage", false},
		{"Reader and Data Access", "microsoft.storage", false},
		{"Reader and Data Access", "microsoft.documentdb", true},
		{"Defender Cloud Secrets Posture", "microsoft.documentdb", true},
	}
	for _, tt := range tests {
		r := byName[tt.role]
		if r == nil {
			t.Fatalf("no built-in role %q", tt.role)
		}
		if got := r.revealsOutside(tt.prov); got != tt.want {
			t.Errorf("%s.revealsOutside(%s) = %v, want %v", tt.role, tt.prov, got, tt.want)
		}
	}
}
