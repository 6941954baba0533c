package rbac

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzGrant feeds Grant arbitrary denials: it must not panic, and what it
// returns must keep its shape.
func FuzzGrant(f *testing.F) {
	f.Add("GET", "https://acct1.blob.core.windows.net/c1/b", "", "", oid, "", "")
	f.Add("PUT", "https://management.azure.com"+sub+"/resourceGroups/rg/providers/Microsoft.Web/sites/s", "Microsoft.Web/sites/write", sub+"/resourceGroups/rg/providers/Microsoft.Web/sites/s", oid, "", "")
	f.Add("POST", "sb://myns01.servicebus.windows.net/q", "", "", "x", "q", "Send")
	f.Add("GET", "https://c1.documents.azure.com/dbs/d/colls/c/docs", "", "", oid, "", "")
	f.Add("DELETE", "https://myvault.vault.azure.net/keys/k/v/decrypt", "$(x)", "/subscriptions/'", "\n", "eyJ", "Listen")
	f.Fuzz(func(t *testing.T, method, rawURL, action, scope, assignee, entity, claim string) {
		u, _ := url.Parse(rawURL)
		g, ok := Builtin().Grant(Denial{Method: method, URL: u, Action: action, Scope: scope, Assignee: assignee,
			Entity: entity, Claims: []string{claim}, CosmosSubstatus: len(claim)})
		if !ok {
			return
		}
		if strings.ContainsAny(g.Command+g.Scope+g.Action, "\n\r`;|&<>") && !strings.Contains(g.Command, placeholderAssignee) {
			t.Errorf("a grant of unsafe characters: %+v", g)
		}
		if g.Scope != "" && armID(g.Scope) != g.Scope && !strings.HasPrefix(g.Scope, "$(az ") {
			t.Errorf("a scope of no known form: %q", g.Scope)
		}
	})
}
