package graphperm

import "strings"

// Token is what the access token of a denied request says of its caller,
// from its claims. Every field is hostile input: it is compared with the
// table and never copied into a [Result], except an AppID that is a GUID.
type Token struct {
	// AppOnly reports an app-only token: one with a roles claim and no scp
	// claim. Its permissions are application permissions (app roles).
	AppOnly bool
	// AppID is the appid (or azp) claim: the calling application's ID.
	AppID string
	// Roles are the values of the roles claim.
	Roles []string
	// Scopes are the scp claim split on spaces.
	Scopes []string
}

// Permission types, as Microsoft Entra ID names them.
const (
	TypeApplication = "Application"
	TypeDelegated   = "Delegated"
)

// Result is what a Graph request denied for lack of a permission needs.
type Result struct {
	// Permission is the least-privileged permission that grants the
	// request to this kind of token, e.g. User.Read.All; "" when the
	// token already holds one (see Held) or the request does not accept
	// this kind of token.
	Permission string
	// PermissionID is Permission's GUID: the app role's ID for an
	// application permission, the scope's ID for a delegated one.
	PermissionID string
	// Type is TypeApplication for an app-only token, else TypeDelegated.
	Type string
	// AdminConsent reports whether Permission needs an administrator's
	// consent; always true for an application permission.
	AdminConsent bool
	// Held is set when the token already holds a permission that grants
	// the request: the cause of the denial is then elsewhere, as Note says.
	Held string
	// Command holds the Azure CLI commands that add Permission to the
	// calling application and consent it, joined by " && ".
	Command string
	// Note explains what the permission alone does not: the token holds
	// one already, an app-only token cannot call /me, the request does
	// not accept this kind of token, or the permission needs more.
	Note string
	// Template is the table's path template that matched the request,
	// e.g. /users/{id}/messages.
	Template string
}

// Lookup returns what a Microsoft Graph request denied with 403
// Authorization_RequestDenied needs, and false when the table does not know
// the request. method is the HTTP method; rawPath is the request's URL path
// as sent, /v1.0/... or /beta/... (a full URL or a query is accepted and
// ignored); tok describes the access token.
//
// The first call decodes the embedded table, which takes a few
// milliseconds; a table that does not decode makes every call return false.
func Lookup(method, rawPath string, tok Token) (Result, bool) {
	t, err := load()
	if err != nil {
		return Result{}, false
	}
	return t.lookup(method, rawPath, tok)
}

// lookup is Lookup on a decoded table.
func (t *table) lookup(method, rawPath string, tok Token) (Result, bool) {
	bit := methodBit(method)
	if bit == 0 {
		return Result{}, false
	}
	segs := normalize(rawPath)
	if len(segs) == 0 {
		return Result{}, false
	}
	kind, res := 1, Result{Type: TypeDelegated}
	if tok.AppOnly {
		kind, res.Type = 0, TypeApplication
	}
	// An app-only token has no signed-in user, so /me means nothing to
	// Graph; the same request is made on /users/{id}, whose permissions
	// are taken (those the map lists for /me itself when it has no
	// /users/{id} form).
	viaMe := kind == 0 && segs[0] == "me"
	var n int32
	var e *entry
	if viaMe {
		n, e = t.match(bit, append([]string{"users", "{id}"}, segs[1:]...))
	}
	if e == nil {
		n, e = t.match(bit, segs)
	}
	if e == nil {
		return Result{}, false
	}
	res.Template = t.template(n)
	rec := &t.records[e.record]
	grants := rec.grants[kind]
	switch {
	case len(grants) == 0 && kind == 0:
		res.Note = noteNoApplication
		return res, true
	case len(grants) == 0:
		res.Note = noteNoDelegated
		return res, true
	}
	if held := t.held(grants, tok, kind, rec.suggest[kind]); held >= 0 {
		res.Held = t.perms[held].name
		res.Note = heldNote(res.Held, kind)
		if viaMe {
			// The permission is there; calling /me is what fails.
			res.Note = noteMe
		}
		return res, true
	}
	p := rec.suggest[kind]
	if p < 0 {
		res.Note = noteNoneToAdd
		return res, true
	}
	pm := t.perms[p]
	res.Permission = pm.name
	if kind == 0 {
		res.PermissionID, res.AdminConsent = pm.appID, true
	} else {
		res.PermissionID, res.AdminConsent = pm.delID, pm.delAdmin
	}
	res.Command = command(tok.AppID, pm, kind)
	var notes []string
	if viaMe {
		notes = append(notes, noteMe)
	}
	for _, g := range grants {
		if g.perm == p && len(g.also) > 0 {
			notes = append(notes, t.alsoNote(g.also))
		}
	}
	res.Note = strings.Join(notes, " ")
	return res, true
}

// held returns the permission of grants that the token holds and that
// grants the request alone or with another one it holds, or -1. Names are
// compared as Entra ID compares them, without regard to case. A Basic
// permission whose Read.All form is the suggestion does not count: the
// suggestion replaced it because, by Microsoft Learn's pages, it does not
// grant the request to this kind of token (gen/choose.go, rule 5).
func (t *table) held(grants []grant, tok Token, kind, suggest int) int {
	claims := tok.Scopes
	if kind == 0 {
		claims = tok.Roles
	}
	if len(claims) == 0 {
		return -1
	}
	has := func(p int) bool {
		for i, c := range claims {
			if i == maxClaims {
				break
			}
			if strings.EqualFold(c, t.perms[p].name) {
				return true
			}
		}
		return false
	}
	replaced := ""
	if suggest >= 0 {
		if base, ok := strings.CutSuffix(t.perms[suggest].name, ".Read.All"); ok {
			replaced = base + ".ReadBasic.All"
		}
	}
	for _, g := range grants {
		if !has(g.perm) || strings.EqualFold(t.perms[g.perm].name, replaced) {
			continue
		}
		if len(g.also) == 0 {
			return g.perm
		}
		for _, a := range g.also {
			if has(a) {
				return g.perm
			}
		}
	}
	return -1
}

// maxClaims bounds the roles or scopes read from a token.
const maxClaims = 500
