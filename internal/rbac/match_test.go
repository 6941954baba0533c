package rbac

import "testing"

// Matching as Azure documents it:
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions
// (case-insensitive, * a wildcard) and
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions
// (NotActions subtract from Actions, NotDataActions from DataActions).
func TestGrants(t *testing.T) {
	c := Builtin()
	const (
		reader                  = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
		contributor             = "b24988ac-6180-42a0-ab88-20f7382dd24c"
		owner                   = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
		managedIdentityOperator = "f1a07417-d97a-45cb-824c-7a7467783830"
		blobDataReader          = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
		secretsUser             = "4633458b-17de-408a-b874-0445c86b69e6"
		keyVaultReader          = "21090545-7ca7-4776-b22c-e363652d74d2"
	)
	tests := []struct {
		name   string
		role   string
		op     string
		data   bool
		grants bool
	}{
		{"*/read reads any provider", reader, "Microsoft.Compute/virtualMachines/read", false, true},
		{"*/read does not write", reader, "Microsoft.Compute/virtualMachines/write", false, false},
		{"case does not matter", reader, "MICROSOFT.COMPUTE/VIRTUALMACHINES/READ", false, true},
		{"* spans /", contributor, "Microsoft.Storage/storageAccounts/blobServices/containers/write", false, true},
		{"notActions subtract", contributor, "Microsoft.Authorization/roleAssignments/write", false, false},
		{"Owner assigns roles", owner, "Microsoft.Authorization/roleAssignments/write", false, true},
		{"/*/ matches a single /", managedIdentityOperator, "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action", false, true},
		{"/*/ matches a segment", managedIdentityOperator, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read", false, true},
		{"a data action is granted as one", blobDataReader, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, true},
		{"a data action is not an action", blobDataReader, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", false, false},
		{"an action is not a data action", reader, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, false},
		{"Secrets User reads secrets", secretsUser, "Microsoft.KeyVault/vaults/secrets/getSecret/action", true, true},
		{"Key Vault Reader does not", keyVaultReader, "Microsoft.KeyVault/vaults/secrets/getSecret/action", true, false},
		{"an unknown role grants nothing", "00000000-0000-0000-0000-0000000000ff", "Microsoft.Compute/virtualMachines/read", false, false},
		{"an empty operation is not granted", blobDataReader, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Grants(tt.role, tt.op, tt.data); got != tt.grants {
				t.Errorf("Grants(%s, %q, %v) = %v, want %v", tt.role, tt.op, tt.data, got, tt.grants)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"a/*", "a/b/c", true},
		{"a/*/c", "a/b/x/c", true},
		{"a/*/c", "a/b/x/d", false},
		{"*/read", "x/y/read", true},
		{"*/read", "x/y/readx", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		// The text around the wildcards may not overlap in s.
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"ab*b", "ab", false},
		{"a*b*a", "aba", true},
		{"a*b*a", "aa", false},
		{"a/*/read", "a/read", false},
		{"**", "x", true},
	}
	for _, tt := range tests {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestCompileExpandsMiddleWildcards(t *testing.T) {
	got := compile([]string{"a/*/b/*/c"})
	want := map[string]bool{"a/*/b/*/c": true, "a/b/*/c": true, "a/*/b/c": true, "a/b/c": true}
	for _, p := range got {
		if !want[p] {
			t.Errorf("unexpected variant %q", p)
		}
		delete(want, p)
	}
	if len(want) > 0 {
		t.Errorf("missing variants %v", want)
	}
}
