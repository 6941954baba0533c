package rbac

import "testing"

// The shape of az role definition list --custom-role-only true, as
// https://learn.microsoft.com/azure/role-based-access-control/custom-roles-cli
// shows it.
const customJSON = `[
  {
    "assignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"],
    "description": "Reads one kind of secret.",
    "id": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
    "name": "11111111-2222-3333-4444-555555555555",
    "permissions": [
      {
        "actions": [],
        "dataActions": ["Microsoft.KeyVault/vaults/secrets/getSecret/action"],
        "notActions": [],
        "notDataActions": []
      }
    ],
    "roleName": "Secret Getter",
    "roleType": "CustomRole",
    "type": "Microsoft.Authorization/roleDefinitions"
  },
  {
    "id": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/66666666-7777-8888-9999-000000000000",
    "name": "not-a-guid",
    "permissions": [{"actions": ["Microsoft.Compute/*"], "notActions": ["Microsoft.Compute/virtualMachines/delete"]}],
    "roleName": "$(rm -rf ~)",
    "roleType": "CustomRole"
  },
  {"name": "junk", "roleName": "No GUID"}
]`

func TestParseDefinitions(t *testing.T) {
	defs, err := ParseDefinitions([]byte(customJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 2 {
		t.Fatalf("got %d definitions, want the 2 with a GUID", len(defs))
	}
	if defs[0].Name != "Secret Getter" || defs[0].ID != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("first definition = %+v", defs[0])
	}
	if defs[1].ID != "66666666-7777-8888-9999-000000000000" {
		t.Errorf("the GUID at the end of id was not taken: %+v", defs[1])
	}
	if defs[1].Name != "Custom role 66666666-7777-8888-9999-000000000000" {
		t.Errorf("a name of shell characters was kept: %q", defs[1].Name)
	}
	for _, bad := range []string{"", "{}", "[1,2]", "nul"} {
		if _, err := ParseDefinitions([]byte(bad)); err == nil {
			t.Errorf("ParseDefinitions(%q) reported no error", bad)
		}
	}
}

func TestWithCustomRoles(t *testing.T) {
	defs, err := ParseDefinitions([]byte(customJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := Builtin().With(defs...)
	got, ok := c.Least("Microsoft.KeyVault/vaults/secrets/getSecret/action", true)
	if !ok || got.Name != "Secret Getter" || !got.Custom {
		t.Errorf("Least(getSecret) = %+v, want the narrower custom role", got)
	}
	if !c.Grants("66666666-7777-8888-9999-000000000000", "Microsoft.Compute/virtualMachines/write", false) {
		t.Error("the custom role does not grant what its actions allow")
	}
	if c.Grants("66666666-7777-8888-9999-000000000000", "Microsoft.Compute/virtualMachines/delete", false) {
		t.Error("the custom role's notActions were ignored")
	}
	if got, _ := Builtin().Least("Microsoft.KeyVault/vaults/secrets/getSecret/action", true); got.Custom {
		t.Error("With changed the built-in catalog")
	}
	if c.Len() != Builtin().Len()+2 {
		t.Errorf("Len() = %d, want %d", c.Len(), Builtin().Len()+2)
	}
}
