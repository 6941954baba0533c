package graphperm

import (
	"reflect"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

const appID = "5f3c2a1b-8d4e-4f6a-9b7c-0e1d2c3b4a59"

func TestLookupApplicationResult(t *testing.T) {
	// User.Read.All's app role ID: https://learn.microsoft.com/graph/permissions-reference#userreadall
	got, ok := Lookup("GET", "/v1.0/users", Token{AppOnly: true, AppID: appID})
	want := Result{
		Permission:   "User.Read.All",
		PermissionID: "df021288-bdef-4463-88db-98f22de89214",
		Type:         TypeApplication,
		AdminConsent: true,
		Command: "az ad app permission add --id " + appID + " --api 00000003-0000-0000-c000-000000000000 " +
			"--api-permissions df021288-bdef-4463-88db-98f22de89214=Role && az ad app permission admin-consent --id " + appID,
		Template: "/users",
	}
	if !ok || got != want {
		t.Errorf("Lookup = %+v, %v\nwant %+v", got, ok, want)
	}
}

func TestLookupDelegatedResult(t *testing.T) {
	// User.ReadBasic.All's delegated scope: https://learn.microsoft.com/graph/permissions-reference#userreadbasicall
	// needs no admin consent, so the user's consent is granted with az ad
	// app permission grant.
	got, ok := Lookup("GET", "/beta/users", Token{AppID: strings.ToUpper(appID), Scopes: []string{"openid", "profile"}})
	want := Result{
		Permission:   "User.ReadBasic.All",
		PermissionID: "b340eb25-3456-403f-be2f-af7a0d370277",
		Type:         TypeDelegated,
		Command: "az ad app permission add --id " + appID + " --api 00000003-0000-0000-c000-000000000000 " +
			"--api-permissions b340eb25-3456-403f-be2f-af7a0d370277=Scope && az ad app permission grant --id " + appID +
			" --api 00000003-0000-0000-c000-000000000000 --scope User.ReadBasic.All",
		Template: "/users",
	}
	if !ok || got != want {
		t.Errorf("Lookup = %+v, %v\nwant %+v", got, ok, want)
	}
}

func TestDelegatedAdminConsentCommand(t *testing.T) {
	// AuditLog.Read.All needs admin consent as a delegated permission too:
	// https://learn.microsoft.com/graph/permissions-reference#auditlogreadall
	got, ok := Lookup("GET", "/v1.0/auditLogs/signIns", Token{AppID: appID})
	if !ok || !got.AdminConsent || got.PermissionID != "e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20" {
		t.Fatalf("Lookup = %+v, %v", got, ok)
	}
	want := "az ad app permission add --id " + appID + " --api 00000003-0000-0000-c000-000000000000 " +
		"--api-permissions e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20=Scope && az ad app permission admin-consent --id " + appID
	if got.Command != want {
		t.Errorf("Command = %q\nwant %q", got.Command, want)
	}
}

func TestAppIDMustBeAGUID(t *testing.T) {
	for _, id := range []string{
		"", "not-a-guid", appID + " && curl evil", "5f3c2a1b-8d4e-4f6a-9b7c-0e1d2c3b4a5g",
		"{5f3c2a1b-8d4e-4f6a-9b7c-0e1d2c3b4a59}", "5f3c2a1b8d4e4f6a9b7c0e1d2c3b4a59abcd",
	} {
		got, ok := Lookup("GET", "/v1.0/users", Token{AppOnly: true, AppID: id})
		if !ok || strings.Count(got.Command, "--id <application-id>") != 2 {
			t.Errorf("AppID %q: Command = %q", id, got.Command)
		}
	}
}

func TestAppOnlyOnMe(t *testing.T) {
	got, ok := Lookup("GET", "/v1.0/me/messages", Token{AppOnly: true})
	if !ok || got.Permission != "Mail.ReadBasic.All" || got.Template != "/users/{id}/messages" || got.Note != noteMe {
		t.Errorf("Lookup = %+v, %v; want Mail.ReadBasic.All for /users/{id}/messages with the /me note", got, ok)
	}
	got, ok = Lookup("GET", "/v1.0/me", Token{AppOnly: true})
	if !ok || got.Permission != "User.Read.All" || got.Note != noteMe {
		t.Errorf("GET /me app-only = %+v, %v", got, ok)
	}
	// Holding the permission does not make /me work for an app.
	got, ok = Lookup("GET", "/v1.0/me", Token{AppOnly: true, Roles: []string{"User.Read.All"}})
	if !ok || got.Held != "User.Read.All" || got.Note != noteMe {
		t.Errorf("GET /me app-only holding User.Read.All = %+v, %v", got, ok)
	}
}

func TestHeldPermission(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		tok          Token
		held, note   string
	}{
		{"directory role held by app", "GET", "/v1.0/users", Token{AppOnly: true, Roles: []string{"Directory.Read.All"}}, "Directory.Read.All", noteHeldApplication},
		{"case of the claim ignored", "GET", "/v1.0/users", Token{AppOnly: true, Roles: []string{"user.read.all"}}, "User.Read.All", noteHeldApplication},
		{"mail: Exchange scoping", "GET", "/v1.0/users/a@b.c/messages", Token{AppOnly: true, Roles: []string{"Mail.Read"}}, "Mail.Read", noteHeldExchange},
		{"calendar: Exchange scoping", "POST", "/v1.0/users/a@b.c/events", Token{AppOnly: true, Roles: []string{"Calendars.ReadWrite"}}, "Calendars.ReadWrite", noteHeldExchange},
		{"OwnedBy: owner needed", "GET", "/v1.0/applications", Token{AppOnly: true, Roles: []string{"Application.ReadWrite.OwnedBy"}}, "Application.ReadWrite.OwnedBy", noteHeldOwnedBy},
		{"Selected: per-site grant", "GET", "/v1.0/sites/x/lists/y/items/z/documentSetVersions", Token{AppOnly: true, Roles: []string{"Sites.Selected"}}, "Sites.Selected", noteHeldSelected},
		{"delegated: user's own rights", "GET", "/v1.0/me", Token{Scopes: []string{"openid", "User.Read"}}, "User.Read", noteHeldDelegated},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.method, tt.path, tt.tok)
		if !ok || got.Held != tt.held || got.Note != tt.note || got.Permission != "" || got.Command != "" {
			t.Errorf("%s: Lookup = %+v, %v; want held %q", tt.name, got, ok, tt.held)
		}
	}
}

func TestHeldOfTheOtherKindDoesNotCount(t *testing.T) {
	// A scope in an app-only token's roles, or a role in a user's scp,
	// is not what Graph checks.
	got, _ := Lookup("GET", "/v1.0/users", Token{AppOnly: true, Scopes: []string{"User.Read.All"}})
	if got.Held != "" || got.Permission != "User.Read.All" {
		t.Errorf("app-only with a scope: %+v", got)
	}
	got, _ = Lookup("GET", "/v1.0/users", Token{Roles: []string{"User.ReadBasic.All"}})
	if got.Held != "" || got.Permission != "User.ReadBasic.All" {
		t.Errorf("delegated with a role: %+v", got)
	}
}

func TestPermissionNeedingAnother(t *testing.T) {
	// Every permission of this request needs one of another group too.
	tok := Token{AppOnly: true, Roles: []string{"AgentCardManifest.Read.All"}}
	got, ok := Lookup("GET", "/beta/agentRegistry/agentInstances/x/agentCardManifest", tok)
	if !ok || got.Held != "" {
		t.Fatalf("holding one half: %+v, %v; want no Held", got, ok)
	}
	if got.Permission == "" || !strings.HasPrefix(got.Note, "Microsoft Graph grants this request only with one of these permissions as well: ") {
		t.Errorf("Lookup = %+v", got)
	}
	tok.Roles = append(tok.Roles, "AgentInstance.Read.All")
	if got, _ := Lookup("GET", "/beta/agentRegistry/agentInstances/x/agentCardManifest", tok); got.Held == "" {
		t.Errorf("holding both: %+v; want Held", got)
	}
}

func TestMarkNeedingAnother(t *testing.T) {
	// The map: Application.ReadWrite.All adds an application's owner only
	// together with Directory.Read.All.
	got, ok := Lookup("POST", "/v1.0/applications(appId='46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b')/owners/$ref", Token{})
	want := "Microsoft Graph grants this request only with one of these permissions as well: Directory.Read.All."
	if !ok || got.Permission != "Application.ReadWrite.All" || got.Note != want {
		t.Errorf("Lookup = %+v, %v", got, ok)
	}
}

func TestTokenKindNotSupported(t *testing.T) {
	// /app/calls is for app-only tokens; access reviews' myDecisions for
	// a signed-in user.
	got, ok := Lookup("POST", "/v1.0/app/calls", Token{})
	if !ok || got.Permission != "" || got.Note != noteNoDelegated {
		t.Errorf("delegated on /app/calls: %+v, %v", got, ok)
	}
	got, ok = Lookup("GET", "/beta/accessReviews/x/myDecisions", Token{AppOnly: true})
	if !ok || got.Permission != "" || got.Note != noteNoApplication {
		t.Errorf("app-only on myDecisions: %+v, %v", got, ok)
	}
}

func TestTemplateMatching(t *testing.T) {
	tests := []struct {
		method, path, template string
	}{
		{"GET", "https://graph.microsoft.com/v1.0/users?$select=id&$top=5", "/users"},
		{"GET", "/BETA/Users/", "/users"},
		{"GET", "/v1.0/users('john@contoso.com')", "/users/{id}"},
		{"GET", "/v1.0/applications(appId='46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b')", "/applications(appid={id})"},
		{"GET", "/v1.0/users/delta", "/users/delta"},
		{"GET", "/v1.0/users/delta()", "/users/delta"},
		{"GET", "/v1.0/users/$count", "/users"},
		{"GET", "/v1.0/users/a@b.c/photo/$value", "/users/{id}/photo"},
		{"DELETE", "/v1.0/groups/g/members/m/$ref", "/groups/{id}/members/{id}"},
		{"POST", "/v1.0/groups/g/members/$ref", "/groups/{id}/members/{id}"},
		{"POST", "/v1.0/groups/g/owners/$ref", "/groups/{id}/owners"},
		{"GET", "/v1.0/drives/d/root:/folder/file.txt:/children", "/drives/{id}/root:/{id}:/children"},
		{"GET", "/v1.0/me/drive/root:/FolderA/FileB.txt:/content", "/me/drive/root:/{id}:/content"},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.method, tt.path, Token{})
		if !ok || got.Template != tt.template {
			t.Errorf("%s %s: template %q, %v; want %q", tt.method, tt.path, got.Template, ok, tt.template)
		}
	}
}

func TestUnknownRequests(t *testing.T) {
	for _, r := range [][2]string{
		{"GET", ""}, {"GET", "/"}, {"GET", "/v1.0"}, {"GET", "/v1.0/nosuchthing"},
		{"HEAD", "/v1.0/users"}, {"TRACE", "/v1.0/users"}, {"", "/v1.0/users"},
		{"GET", "/v1.0/$ref"}, {"GET", "/v1.0/users/a/b/c/d/e/f/g"},
		{"GET", "/v1.0/users/" + strings.Repeat("a/", 3000)},
		{"GET", "/v1.0/" + strings.Repeat("users/", 50)},
	} {
		if got, ok := Lookup(r[0], r[1], Token{AppOnly: true}); ok || got != (Result{}) {
			t.Errorf("%q %q: %+v, %v; want nothing", r[0], r[1], got, ok)
		}
	}
}

func TestHostileInputStaysOut(t *testing.T) {
	const canary = "canaryZQ"
	tok := Token{
		AppOnly: true,
		AppID:   canary + "-0000-0000-0000-000000000000",
		Roles:   []string{canary, "eyJ" + canary},
		Scopes:  []string{canary},
	}
	for _, p := range []string{
		"/v1.0/users/" + canary,
		"/v1.0/users('" + canary + "')/messages",
		"/v1.0/me/drive/root:/" + canary + "/secret.txt:/content",
		"/v1.0/users/x?sig=" + canary + "&token=" + canary,
		"/v1.0/sites/" + canary + "/lists/" + canary + "/items",
	} {
		got, ok := Lookup("GET", p, tok)
		if !ok {
			t.Errorf("%s: no result", p)
		}
		if s := strings.ToLower(resultText(got)); strings.Contains(s, strings.ToLower(canary)) {
			t.Errorf("%s: result carries input: %+v", p, got)
		}
	}
}

// resultText joins every string field of a Result.
func resultText(r Result) string {
	v := reflect.ValueOf(r)
	var b strings.Builder
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String {
			b.WriteString(f.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func FuzzLookup(f *testing.F) {
	f.Add("GET", "/v1.0/users/x/messages", "Mail.Read", true)
	f.Add("POST", "/beta/groups/x/members/$ref", "", false)
	f.Add("GET", "/v1.0/drives/x/root:/a:/b:/c", "x", true)
	f.Add("PATCH", "/v1.0/users('a')(b)/{x}/...", "", false)
	f.Add("DELETE", "https://graph.microsoft.com/v1.0/me/", "User.Read", false)
	tb := mustLoad(f)
	names := map[string]bool{}
	for _, p := range tb.perms {
		names[p.name] = true
	}
	f.Fuzz(func(t *testing.T, method, path, claim string, appOnly bool) {
		got, ok := Lookup(method, path, Token{AppOnly: appOnly, AppID: claim, Roles: []string{claim}, Scopes: []string{claim}})
		if !ok {
			return
		}
		if got.Permission != "" && !names[got.Permission] || got.Held != "" && !names[got.Held] {
			t.Errorf("names not from the table: %+v", got)
		}
		if got.Command != "" && !safe.IsBareGUID(claim) && !strings.Contains(got.Command, "--id <application-id> ") {
			t.Errorf("command for appid %q: %q", claim, got.Command)
		}
	})
}

// TestBasicDoesNotCountForAppOnly checks that an app-only token holding
// User.ReadBasic.All, which Microsoft Learn's user-list page says does not
// let an application list users, is told to add User.Read.All, not that
// it holds what the request needs (https://learn.microsoft.com/graph/api/user-list).
func TestBasicDoesNotCountForAppOnly(t *testing.T) {
	got, ok := Lookup("GET", "/v1.0/users", Token{AppOnly: true, AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", Roles: []string{"User.ReadBasic.All"}})
	if !ok || got.Held != "" || got.Permission != "User.Read.All" || got.Type != TypeApplication || got.Command == "" {
		t.Errorf("Lookup = %+v, %v; want User.Read.All to add", got, ok)
	}
}
