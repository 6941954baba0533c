package graphperm

import "strings"

// The notes of a Result: fixed text only.
const (
	noteMe = "An app-only token has no signed-in user and cannot call /me: " +
		"call /users/{id} with the user's ID; the permission is for that request."
	noteNoApplication = "This request does not accept application permissions: " +
		"call it with a user's (delegated) token."
	noteNoDelegated = "This request does not accept delegated permissions: " +
		"call it with an app-only token."
	noteNoneToAdd = "No permission that can be granted tenant-wide grants this request " +
		"to this kind of token: the ones that do are granted by resource-specific consent, " +
		"or hidden, or have no published ID."

	noteHeldExchange = "The token already holds a permission that grants this request, so the cause is elsewhere: " +
		"an Exchange Online application access policy or RBAC for Applications may limit the app " +
		"to some mailboxes, or the mailbox does not exist."
	noteHeldSelected = "The token already holds a .Selected permission, which grants nothing by itself: " +
		"the app also needs access granted on the resource itself (for Sites.Selected, a permission on the site)."
	noteHeldOwnedBy = "The token already holds an .OwnedBy permission, which grants this request " +
		"only on objects the app owns: make the app an owner of the object, or grant the .All permission."
	noteHeldDelegated = "The token already holds a permission that grants this request, so the cause is elsewhere: " +
		"a delegated permission acts only within the signed-in user's own rights, so the user may need " +
		"a Microsoft Entra role or access to the resource; or a Conditional Access or tenant policy denies it."
	noteHeldApplication = "The token already holds a permission that grants this request, so the cause is elsewhere: " +
		"the app may need a Microsoft Entra role or access on the resource itself, " +
		"or a Conditional Access or tenant policy denies it."
)

// exchangeResource reports the resources whose data Exchange Online
// holds; an app's access to them can be scoped to some mailboxes.
func exchangeResource(r string) bool {
	switch r {
	case "Mail", "Calendars", "Contacts", "MailboxSettings":
		return true
	}
	return false
}

// alsoNote says which permissions one of which must be granted too.
func (t *table) alsoNote(also []int) string {
	names := make([]string, len(also))
	for i, a := range also {
		names[i] = t.perms[a].name
	}
	return "Microsoft Graph grants this request only with one of these permissions as well: " +
		strings.Join(names, ", ") + "."
}

// heldNote explains a denial when the token holds a permission that grants
// the request: the cause is where that permission does not reach.
func heldNote(name string, kind int) string {
	switch {
	case strings.HasSuffix(name, ".Selected") || strings.Contains(name, ".Selected."):
		return noteHeldSelected
	case strings.Contains(name, ".OwnedBy"):
		return noteHeldOwnedBy
	case kind == 0 && exchangeResource(resource(name)):
		return noteHeldExchange
	case kind == 0:
		return noteHeldApplication
	}
	return noteHeldDelegated
}

// resource is a permission name's resource: the part before the first dot.
func resource(name string) string {
	r, _, _ := strings.Cut(name, ".")
	return r
}
