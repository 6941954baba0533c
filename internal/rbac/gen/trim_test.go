package main

import (
	"slices"
	"testing"
)

// A condition of the form (!(ActionMatches{'A'})) OR (...) restricts only
// the actions it names; any other restricts its whole block. The shape is
// the one Azure's built-in roles use:
// https://learn.microsoft.com/azure/role-based-access-control/conditions-format
func TestConditioned(t *testing.T) {
	tests := []struct {
		name   string
		blocks []fullBlock
		want   []string
	}{
		{
			name: "the condition names the actions it restricts",
			blocks: []fullBlock{{
				Actions:   []string{"Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "Microsoft.KeyVault/vaults/read"},
				Condition: "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {00482a5a-887f-4fb3-b363-3b7fe8e74483})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {00482a5a-887f-4fb3-b363-3b7fe8e74483}))",
			}},
			want: []string{"Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"},
		},
		{
			name: "a condition on a resource attribute restricts the whole block",
			blocks: []fullBlock{{
				DataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"},
				Condition:   "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
			}},
			want: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"},
		},
		{
			name: "a pattern an unconditioned block also grants is free",
			blocks: []fullBlock{
				{Actions: []string{"Microsoft.Storage/storageAccounts/read"}},
				{Actions: []string{"Microsoft.Storage/storageAccounts/read"}, Condition: "@Resource[x] StringEquals 'y'"},
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := conditioned(tt.blocks); !slices.Equal(got, tt.want) {
				t.Errorf("conditioned = %q, want %q", got, tt.want)
			}
		})
	}
}
