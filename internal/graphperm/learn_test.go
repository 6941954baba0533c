package graphperm

import (
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// TestLeastPrivilegedAsLearn checks the permission suggested for common
// Graph calls against the "Permissions" table of each call's Microsoft Learn
// page (v1.0): the "Least privileged permissions" column of the
// "Application" row for an app-only token and of the "Delegated (work or
// school account)" row for a user's token.
//
// Where the suggestion is not Learn's column by design, the row says why:
// Learn's Application column sometimes names a delegated permission that
// has no app role (Calendars.ReadBasic; the app role is
// Calendars.ReadBasic.All) or a resource-specific consent permission
// (ChannelMessage.Read.Group), which is not tenant-wide advice.
func TestLeastPrivilegedAsLearn(t *testing.T) {
	const learn = "https://learn.microsoft.com/graph/api/"
	tests := []struct {
		method, path string
		appOnly      bool
		want         string
		page         string
	}{
		// users
		{"GET", "/v1.0/users", true, "User.Read.All", learn + "user-list"},
		{"GET", "/v1.0/users", false, "User.ReadBasic.All", learn + "user-list"},
		{"GET", "/v1.0/users/0000aaaa-11bb-cccc-dd22-eeeeee333333", true, "User.Read.All", learn + "user-get"},
		{"GET", "/v1.0/users/john@contoso.com", true, "User.Read.All", learn + "user-get"},
		{"GET", "/v1.0/me", false, "User.Read", learn + "user-get"},
		{"POST", "/v1.0/users", true, "User.ReadWrite.All", learn + "user-post-users"},
		{"POST", "/v1.0/users", false, "User.ReadWrite.All", learn + "user-post-users"},
		// Deleting a user: Learn's user-delete page names
		// User.ReadWrite.All alone; the map marks the narrower
		// User.DeleteRestore.All, which the permissions reference
		// describes as deleting and restoring users, so it is kept (a
		// token holding User.ReadWrite.All is reported as holding a
		// permission that grants the request: TestLearnPermissionHeld).
		{"DELETE", "/v1.0/users/0000aaaa-11bb-cccc-dd22-eeeeee333333", true, "User.DeleteRestore.All", "https://learn.microsoft.com/graph/permissions-reference#userdeleterestoreall"},
		{"DELETE", "/v1.0/users/0000aaaa-11bb-cccc-dd22-eeeeee333333", false, "User.DeleteRestore.All", "https://learn.microsoft.com/graph/permissions-reference#userdeleterestoreall"},
		// groups and members
		{"GET", "/v1.0/groups", true, "GroupMember.Read.All", learn + "group-list"},
		{"GET", "/v1.0/groups", false, "GroupMember.Read.All", learn + "group-list"},
		{"GET", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", true, "GroupMember.Read.All", learn + "group-get"},
		{"POST", "/v1.0/groups", true, "Group.Create", learn + "group-post-groups"},
		{"POST", "/v1.0/groups", false, "Group.ReadWrite.All", learn + "group-post-groups"},
		{"PATCH", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", true, "Group.ReadWrite.All", learn + "group-update"},
		{"DELETE", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", true, "Group.ReadWrite.All", learn + "group-delete"},
		{"GET", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members", true, "GroupMember.Read.All", learn + "group-list-members"},
		{"GET", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members", false, "GroupMember.Read.All", learn + "group-list-members"},
		{"POST", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members/$ref", true, "GroupMember.ReadWrite.All", learn + "group-post-members"},
		{"POST", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members/$ref", false, "GroupMember.ReadWrite.All", learn + "group-post-members"},
		{"DELETE", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members/d1c2ab4e-0000-4000-8000-000000000001/$ref", true, "GroupMember.ReadWrite.All", learn + "group-delete-members"},
		// mail
		{"GET", "/v1.0/users/john@contoso.com/messages", true, "Mail.ReadBasic.All", learn + "user-list-messages"},
		{"GET", "/v1.0/me/messages", false, "Mail.ReadBasic", learn + "user-list-messages"},
		{"POST", "/v1.0/users/john@contoso.com/messages", true, "Mail.ReadWrite", learn + "user-post-messages"},
		{"POST", "/v1.0/users/john@contoso.com/sendMail", true, "Mail.Send", learn + "user-sendmail"},
		{"POST", "/v1.0/me/sendMail", false, "Mail.Send", learn + "user-sendmail"},
		// calendars: Learn's Application column names Calendars.ReadBasic,
		// which has no app role; its app role is Calendars.ReadBasic.All.
		{"GET", "/v1.0/users/john@contoso.com/events", true, "Calendars.ReadBasic.All", learn + "user-list-events"},
		{"GET", "/v1.0/me/events", false, "Calendars.ReadBasic", learn + "user-list-events"},
		{"POST", "/v1.0/users/john@contoso.com/events", true, "Calendars.ReadWrite", learn + "user-post-events"},
		// files and sites
		{"GET", "/v1.0/drives/b!abc/items/01ABC/children", true, "Files.Read.All", learn + "driveitem-list-children"},
		{"GET", "/v1.0/me/drive/root/children", false, "Files.Read", learn + "driveitem-list-children"},
		{"GET", "/v1.0/drives/b!abc/items/01ABC", true, "Files.Read.All", learn + "driveitem-get"},
		{"GET", "/v1.0/sites/root", true, "Sites.Read.All", learn + "site-get"},
		{"GET", "/v1.0/sites/contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE", false, "Sites.Read.All", learn + "site-get"},
		// applications and service principals
		{"GET", "/v1.0/applications", true, "Application.Read.All", learn + "application-list"},
		{"GET", "/v1.0/applications", false, "Application.Read.All", learn + "application-list"},
		{"POST", "/v1.0/applications", true, "Application.ReadWrite.OwnedBy", learn + "application-post-applications"},
		{"POST", "/v1.0/applications", false, "Application.ReadWrite.All", learn + "application-post-applications"},
		{"GET", "/v1.0/servicePrincipals", true, "Application.Read.All", learn + "serviceprincipal-list"},
		{"POST", "/v1.0/servicePrincipals", true, "Application.ReadWrite.OwnedBy", learn + "serviceprincipal-post-serviceprincipals"},
		{"POST", "/v1.0/servicePrincipals", false, "Application.ReadWrite.All", learn + "serviceprincipal-post-serviceprincipals"},
		// directory roles
		{"GET", "/v1.0/directoryRoles", true, "RoleManagement.Read.Directory", learn + "directoryrole-list"},
		{"GET", "/v1.0/directoryRoles", false, "RoleManagement.Read.Directory", learn + "directoryrole-list"},
		// audit and sign-in logs
		{"GET", "/v1.0/auditLogs/signIns", true, "AuditLog.Read.All", learn + "signin-list"},
		{"GET", "/v1.0/auditLogs/signIns", false, "AuditLog.Read.All", learn + "signin-list"},
		{"GET", "/v1.0/auditLogs/directoryAudits", true, "AuditLog.Read.All", learn + "directoryaudit-list"},
		// Teams: Learn's Application column names the RSC permission
		// ChannelMessage.Read.Group; its tenant-wide form is suggested.
		{"GET", "/v1.0/teams/fbe2bf47-16c8-47cf-b4a5-4b9b187c508b/channels/19:4a95f7d8@thread.tacv2/messages", true, "ChannelMessage.Read.All", learn + "channel-list-messages"},
	}
	tb := mustLoad(t)
	for _, tt := range tests {
		res, ok := tb.lookup(tt.method, tt.path, Token{AppOnly: tt.appOnly})
		if !ok || res.Permission != tt.want {
			t.Errorf("%s %s (app-only %v) = %q, %v; want %q (%s)", tt.method, tt.path, tt.appOnly, res.Permission, ok, tt.want, tt.page)
			continue
		}
		wantType := TypeDelegated
		if tt.appOnly {
			wantType = TypeApplication
		}
		if res.Type != wantType || !safe.IsBareGUID(res.PermissionID) || res.Held != "" {
			t.Errorf("%s %s (app-only %v): type %q, ID %q, held %q", tt.method, tt.path, tt.appOnly, res.Type, res.PermissionID, res.Held)
		}
	}
}

// TestLearnPermissionHeld checks that a token holding the permission a
// Learn page names, where the suggestion is another one, is reported as
// holding one that grants the request, not told to add another.
func TestLearnPermissionHeld(t *testing.T) {
	const learn = "https://learn.microsoft.com/graph/api/"
	tests := []struct {
		method, path string
		appOnly      bool
		held, page   string
	}{
		{"DELETE", "/v1.0/users/0000aaaa-11bb-cccc-dd22-eeeeee333333", true, "User.ReadWrite.All", learn + "user-delete"},
		{"DELETE", "/v1.0/users/0000aaaa-11bb-cccc-dd22-eeeeee333333", false, "User.ReadWrite.All", learn + "user-delete"},
		{"GET", "/v1.0/groups", true, "Group.Read.All", learn + "group-list"},
		{"GET", "/v1.0/directoryRoles", false, "Directory.Read.All", learn + "directoryrole-list"},
	}
	for _, tt := range tests {
		tok := Token{AppOnly: tt.appOnly, Roles: []string{tt.held}}
		if !tt.appOnly {
			tok = Token{Scopes: []string{tt.held}}
		}
		got, ok := Lookup(tt.method, tt.path, tok)
		if !ok || got.Held != tt.held || got.Permission != "" {
			t.Errorf("%s %s holding %s: %+v, %v (%s)", tt.method, tt.path, tt.held, got, ok, tt.page)
		}
	}
}

func mustLoad(t testing.TB) *table {
	t.Helper()
	tb, err := load()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}
