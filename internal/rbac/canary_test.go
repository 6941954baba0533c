package rbac

import (
	"net/url"
	"strings"
	"testing"
)

// canaries are hostile values: shell injection, a JSON Web Token, a SAS
// signature, a storage key.
var canaries = []string{
	"$(rm -rf ~)",
	"`curl evil`",
	`"; curl evil #`,
	"'; curl evil; '",
	"eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJl",
	"eyJhbGciOiJSUzI1NiJ9",
	"sig=AbC%2Bdef%3D",
	"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdEfGhIjKlMnOpQrStUv==",
	"a\nb",
}

// leaked reports whether a value holds any recognisable part of a canary.
func leaked(v string) bool {
	for _, bad := range []string{"rm -rf", "curl", "evil", "eyJ", "sig=", "AbC", "AbCdEf", "\n", "`", "; "} {
		if strings.Contains(v, bad) {
			return true
		}
	}
	return false
}

// Every input of a Denial, one at a time, carries each canary; the rest
// of the denial is sound. No canary may reach any field of the Grant.
func TestGrantCanaries(t *testing.T) {
	base := func() Denial {
		u, _ := url.Parse("https://acct1.blob.core.windows.net/images/a.png")
		return Denial{Method: "GET", URL: u, Assignee: oid, AssigneeType: "ServicePrincipal"}
	}
	inputs := map[string]func(*Denial, string){
		"Action":      func(d *Denial, c string) { d.Action = c },
		"Action tail": func(d *Denial, c string) { d.Action = "Microsoft.Compute/virtualMachines/" + c },
		"Scope":       func(d *Denial, c string) { d.Action, d.Scope = "Microsoft.Compute/virtualMachines/read", c },
		"Scope tail": func(d *Denial, c string) {
			d.Action, d.Scope = "Microsoft.Compute/virtualMachines/read", sub+"/resourceGroups/"+c
		},
		"Method":       func(d *Denial, c string) { d.Method = c },
		"Assignee":     func(d *Denial, c string) { d.Assignee = c },
		"AssigneeType": func(d *Denial, c string) { d.AssigneeType = c },
		"Service":      func(d *Denial, c string) { d.Service = c },
		"Entity": func(d *Denial, c string) {
			d.URL, _ = url.Parse("sb://myns01.servicebus.windows.net")
			d.Service, d.Claims, d.Entity = "Azure Event Hubs", []string{"Send"}, c
		},
		"Claims": func(d *Denial, c string) {
			d.URL, _ = url.Parse("sb://myns01.servicebus.windows.net/q1")
			d.Claims = []string{c, "Send"}
		},
		"host": func(d *Denial, c string) { d.URL.Host = url.PathEscape(c) + ".blob.core.windows.net" },
		"container": func(d *Denial, c string) {
			d.URL.Path = "/" + c + "/a.png"
		},
		"vault path": func(d *Denial, c string) {
			d.URL, _ = url.Parse("https://myvault.vault.azure.net/secrets/")
			d.URL.Path += c
		},
		"cosmos path": func(d *Denial, c string) {
			d.URL, _ = url.Parse("https://mycosmos.documents.azure.com/dbs/")
			d.URL.Path += c + "/colls/" + c
			d.CosmosSubstatus = 5301
		},
		"queue": func(d *Denial, c string) {
			d.URL, _ = url.Parse("https://acct1.queue.core.windows.net/")
			d.URL.Path += c + "/messages"
			d.Method = "POST"
		},
		"registry scope": func(d *Denial, c string) {
			d.URL, _ = url.Parse("https://myregistry.azurecr.io/oauth2/token")
			d.URL.RawQuery = url.Values{"scope": {"repository:" + c + ":pull"}}.Encode()
		},
		"ARM path": func(d *Denial, c string) {
			d.URL, _ = url.Parse("https://management.azure.com" + sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/")
			d.URL.Path += c
			d.Action = "Microsoft.Compute/virtualMachines/read"
		},
	}
	granted := 0
	for name, set := range inputs {
		for _, c := range canaries {
			d := base()
			set(&d, c)
			g, ok := Builtin().Grant(d)
			if !ok {
				continue
			}
			granted++
			for field, v := range map[string]string{"Action": g.Action, "Scope": g.Scope, "Command": g.Command, "Note": g.Note, "Role": g.Role.Name} {
				if leaked(v) {
					t.Errorf("%s = %q: the canary reached %s: %q", name, c, field, v)
				}
			}
		}
	}
	if granted == 0 {
		t.Fatal("no denial was granted: the test shows nothing")
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "'abc'"},
		{"a'b", `'a'\''b'`},
		{"", "''"},
		{"$(x)", "'$(x)'"},
	}
	for _, tt := range tests {
		if got := quote(tt.in); got != tt.want {
			t.Errorf("quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
