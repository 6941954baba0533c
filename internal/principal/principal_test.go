package principal_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/principal"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
)

func TestFromAuthorization(t *testing.T) {
	app := map[string]any{
		"tid": "tenant-1", "oid": "object-1", "appid": "app-1", "idtyp": "app",
		"xms_mirid": "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi",
		"upn":       "someone@contoso.com", "roles": []string{"User.Read.All", "Group.Read.All"}, "exp": 1700000000,
	}
	padded := func(tok string) string {
		h, rest, _ := strings.Cut(tok, ".")
		p, s, _ := strings.Cut(rest, ".")
		for len(p)%4 != 0 {
			p += "="
		}
		return h + "." + p + "." + s
	}
	tests := []struct {
		name      string
		header    string
		withNames bool
		want      principal.Principal
		ok        bool
	}{
		{
			name:   "app token",
			header: "Bearer " + oteltest.JWT("", app, "sig"),
			want: principal.Principal{TenantID: "tenant-1", ObjectID: "object-1", AppID: "app-1", Type: "app",
				ManagedIdentityID: "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi",
				Roles:             "User.Read.All Group.Read.All"},
			ok: true,
		},
		{
			name:   "user token with scopes",
			header: "Bearer " + oteltest.JWT("", map[string]any{"oid": "o", "scp": "User.Read Mail.Read", "idtyp": "user"}, "sig"),
			want:   principal.Principal{ObjectID: "o", Type: "user", Scopes: "User.Read Mail.Read"},
			ok:     true,
		},
		{
			name:      "names only when asked",
			header:    "Bearer " + oteltest.JWT("", map[string]any{"oid": "o", "preferred_username": "pu@contoso.com", "name": "Some One"}, "sig"),
			withNames: true,
			want:      principal.Principal{ObjectID: "o", Name: "pu@contoso.com"},
			ok:        true,
		},
		{
			name:   "names left out by default",
			header: "Bearer " + oteltest.JWT("", map[string]any{"oid": "o", "upn": "u@contoso.com", "email": "e@contoso.com"}, "sig"),
			want:   principal.Principal{ObjectID: "o"},
			ok:     true,
		},
		{
			name:   "v2 token: azp",
			header: "bearer " + oteltest.JWT("", map[string]any{"azp": "app-2", "tid": "t"}, "sig"),
			want:   principal.Principal{AppID: "app-2", TenantID: "t"},
			ok:     true,
		},
		{
			name:   "padded payload",
			header: "Bearer " + padded(oteltest.JWT("", map[string]any{"oid": "o1"}, "s")),
			want:   principal.Principal{ObjectID: "o1"},
			ok:     true,
		},
		{
			name:   "claim of another type",
			header: "Bearer " + oteltest.JWT("", map[string]any{"oid": 42, "tid": "t"}, "s"),
			want:   principal.Principal{TenantID: "t"},
			ok:     true,
		},
		{
			name:   "overlong claim dropped",
			header: "Bearer " + oteltest.JWT("", map[string]any{"oid": strings.Repeat("x", principal.MaxClaimLen+1), "tid": "t"}, "s"),
			want:   principal.Principal{TenantID: "t"},
			ok:     true,
		},
		{name: "no claims of interest", header: "Bearer " + oteltest.JWT("", map[string]any{"aud": "x"}, "s")},
		{name: "empty", header: ""},
		{name: "scheme only", header: "Bearer "},
		{name: "basic", header: "Basic dXNlcjpwYXNz"},
		{name: "SharedKey", header: "SharedKey account:c2lnbmF0dXJl"},
		{name: "not a JWT", header: "Bearer opaque-token"},
		{name: "two parts", header: "Bearer a.b"},
		{name: "JWE", header: "Bearer a.b.c.d.e"},
		{name: "empty payload", header: "Bearer a..c"},
		{name: "bad base64", header: "Bearer a.!!!.c"},
		{name: "not JSON", header: "Bearer a." + base64.RawURLEncoding.EncodeToString([]byte("not json")) + ".c"},
		{name: "JSON array", header: "Bearer a." + base64.RawURLEncoding.EncodeToString([]byte(`["oid"]`)) + ".c"},
		{name: "too long", header: "Bearer " + oteltest.JWT("", map[string]any{"oid": "o", "pad": strings.Repeat("p", principal.MaxTokenLen)}, "s")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := principal.FromAuthorization(tt.header, tt.withNames)
			if ok != tt.ok || got != tt.want {
				t.Errorf("principal.FromAuthorization() = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzFromAuthorization(f *testing.F) {
	f.Add("Bearer " + oteltest.JWT("", map[string]any{"oid": "o", "tid": "t", "upn": "u"}, "canary"))
	f.Add("Bearer a.e30.c")
	f.Add("Bearer ..")
	f.Add("bearer a.=.c")
	f.Fuzz(func(t *testing.T, header string) {
		p, ok := principal.FromAuthorization(header, true)
		if ok != (p != principal.Principal{}) {
			t.Errorf("ok = %v for %+v", ok, p)
		}
		for _, v := range []string{p.TenantID, p.ObjectID, p.AppID, p.Type, p.ManagedIdentityID, p.Name} {
			if len(v) > principal.MaxClaimLen {
				t.Errorf("claim of %d bytes", len(v))
			}
		}
	})
}

// realisticToken is shaped like an Entra ID v1 access token for a
// managed identity: about 1.5 KB.
func realisticToken() string {
	return oteltest.JWT("", map[string]any{
		"aud": "https://management.azure.com", "iss": "https://sts.windows.net/aaaabbbb-0000-cccc-1111-dddd2222eeee/",
		"iat": 1700000000, "nbf": 1700000000, "exp": 1700086400,
		"aio": strings.Repeat("E2Zg", 30), "appid": "00001111-aaaa-2222-bbbb-3333cccc4444", "appidacr": "2",
		"idp": "https://sts.windows.net/aaaabbbb-0000-cccc-1111-dddd2222eeee/", "idtyp": "app",
		"oid": "00000000-0000-0000-0000-00000000000b", "rh": "0.AAAA" + strings.Repeat("x", 60),
		"sub": "00000000-0000-0000-0000-00000000000b", "tid": "aaaabbbb-0000-cccc-1111-dddd2222eeee",
		"uti": "abcdefghijklmnopqrstuv", "ver": "1.0", "xms_az_rid": "/subscriptions/s/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
		"xms_mirid": "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi",
		"xms_cae":   "1", "xms_tcdt": 1600000000, "xms_idrel": "7 12",
	}, strings.Repeat("s", 342))
}

func BenchmarkFromAuthorization(b *testing.B) {
	h := "Bearer " + realisticToken()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := principal.FromAuthorization(h, false); !ok {
			b.Fatal("not decoded")
		}
	}
}
