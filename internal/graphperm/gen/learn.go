package main

// learnWins returns the permission Microsoft Learn's page names least
// privileged for a request where the map's mark differs and no rule of
// choose explains the difference, or "". Each row cites its page.
//
// GET /groups, GET /groups/{id} and PATCH /groups/{id}: the map marks the
// feature permission Group-NestingSupport.ReadWrite.All, which manages one
// group setting; Learn names GroupMember.Read.All for reading (it reads
// groups' basic properties and memberships only, below Group.Read.All; so
// does the Bicep reference for reading an existing group,
// https://learn.microsoft.com/graph/templates/reference/groups) and
// Group.ReadWrite.All for updating.
func learnWins(method, template string, kind int) string {
	for _, r := range learnTable {
		if r.method == method && r.template == template {
			return r.permission[kind]
		}
	}
	return ""
}

// learnTable: method, template, permission per token kind (application,
// delegated), page.
var learnTable = []struct {
	method, template string
	permission       [2]string
	page             string
}{
	{"GET", "/groups", [2]string{"GroupMember.Read.All", "GroupMember.Read.All"}, "https://learn.microsoft.com/graph/api/group-list"},
	{"GET", "/groups/{id}", [2]string{"GroupMember.Read.All", "GroupMember.Read.All"}, "https://learn.microsoft.com/graph/api/group-get"},
	{"PATCH", "/groups/{id}", [2]string{"Group.ReadWrite.All", "Group.ReadWrite.All"}, "https://learn.microsoft.com/graph/api/group-update"},
}
