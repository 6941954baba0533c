package safe

import (
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// Canaries of the secret shapes the rules must find. Each holds the word
// CANARY, which no cleaned value may still hold.
const (
	jwt          = "eyJhbGciOiJSUzI1NiJ9.eyJDQU5BUlkiOiJ0b2tlbiJ9.Q0FOQVJZLXNpZ25hdHVyZQ"
	clientSecret = "Xk18Q~CANARYa1b2c3d4e5f6g7h8i9j0kLmNoPqR"
	refreshToken = "0.ARCANARYAAAAAv_i1uGRqJUqzQ2l7Z1JIaWcAAQ"
	accountKey   = "CANARYk9Qz0Wv8sP3+tR/7uY2xL4mN6bV1cD5eF8gH0jK2lM4nO6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hI6jK8lM0nO2p=="
	sasSig       = "CANARYp0Oq2Rs4Tu6Vw8Xy0Za2Bc4De6Fg8Hi0Jk2Lm4%3D"
)

func TestCleanRedactsSecretShapes(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"JWT", "token " + jwt + " was rejected"},
		{"JWT in quotes", `token "` + jwt + `"`},
		{"client secret", "secret " + clientSecret + " is invalid"},
		{"refresh token", "refresh_tok " + refreshToken},
		{"sig=", "url ?sv=2024-01-01&sig=" + sasSig + "&se=2030"},
		{"SIG= upper case", "url ?SIG=CANARYvalue123"},
		{"sig percent-encoded key", "url ?%73ig=CANARYvalue123"},
		{"sig inside an encoded query", "url%3Fsv%3D1%26sig%3DCANARYvalue123%26se%3D2"},
		{"signature=", "signature=CANARYvalue"},
		{"AccountKey= unquoted", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + accountKey + ";EndpointSuffix=core.windows.net"},
		{"SharedAccessKey=", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=CANARYkeyvalue="},
		{"password=", "body grant_type=password&username=u&password=CANARYpw"},
		{"client_secret=", "client_id=c&client_secret=CANARYcs&scope=s"},
		{"JSON password", `{"password":"CANARYpw"}`},
		{"Bearer", "Authorization: Bearer CANARYopaqueToken"},
		{"lower-case bearer", "authorization: bearer CANARYopaqueToken"},
		{"bearer after a tab", "Bearer\tCANARYopaqueToken"},
		{"Basic", "Authorization: Basic Q0FOQVJZOnBhc3N3b3Jk"},
		{"SharedKey", "Authorization: SharedKey account:CANARYsignature123="},
		{"quoted base64url", "the value 'CANARY_x-Y1z2A3b4C5d6E7f8' differs"},
		{"quoted percent-encoded", "the value 'CANARY%2Bx%2FY1z2A3b4C5d6E7f8%3D' differs"},
		{"backtick-quoted", "run `CANARYx9Y8z7W6v5U4t3` again"},
		{"short quoted", "MAC 'CANARYq1W2e3R4t5Y6' differs"},
		{"long base64 unquoted", "key " + accountKey + " used"},
		{"hex key", "key 0123456789abcdef0123456789abcdef used"},
		{"control character inside sig=", "url ?s\u0001ig=CANARYvalue"},
		{"zero-width space inside sig=", "url ?s\u200big=CANARYvalue"},
		{"user and password in a URL", "see https://user:CANARYpw@login.example.com/x?y=1"},
		{"e-mail address", "the user CANARY.user@contoso.com was denied"},
		{"claims=", `error="insufficient_claims", claims="CANARYeyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`},
		// Letters whose lower case is longer or shorter in UTF-8 before
		// the parameter: its place is found in the value as it is.
		{"key= after letters that lower-case longer", "ȺȺȺȺ&key=CANARYsecretvalue"},
		{"key= after letters that lower-case shorter", "İİİİİİİİ&key=CANARYsecretvalue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(Text, tc.in).String()
			if strings.Contains(got, "CANARY") || strings.Contains(got, "Q0FOQVJZ") {
				t.Errorf("Clean(Text, %q) = %q", tc.in, got)
			}
			if !strings.Contains(got, Redacted) && !strings.Contains(tc.name, "URL") {
				t.Errorf("Clean(Text, %q) = %q: nothing redacted", tc.in, got)
			}
		})
	}
}

func TestCleanKeepsOrdinaryText(t *testing.T) {
	for in, want := range map[string]string{
		"Caller is not authorized.\r\nCaller: appid=x": "Caller is not authorized. Caller: appid=x",
		"The client 'b9bc1545-a684-4e50-9a4d-2e2ee90bed6a' does not have authorization over scope '/subscriptions/225e02bc-43d0-43d1-a01a-17e584a4ef69/resourcegroups/aro-6hwuovvq/providers/Microsoft.Storage/storageAccounts/clusterixgbq'.": "",
		"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.":                                                                                                    "",
		"Signature did not match. String to sign used was r 2024-01-01T00:00:00Z /blob/acct/c 2021-06-08":                                                                                                                                      "",
		"The token is expired; RequestId:6d0f5e1e-101e-0041-4d2f-1e4a7a000000 Time:2024-05-01T10:00:00.1234567Z":                                                                                                                               "",
		"short 'abc' quoted":                          "",
		"url ?sv=1&sig=abc&se=2":                      "url ?sv=1&sig=" + Redacted + "&se=2",
		"see https://login.example.com/x?secret=1 ok": "see https://login.example.com/x ok",
		"Token parsing failure: a b  c":               "Token parsing failure: a b c",
	} {
		if want == "" {
			want = in
		}
		if got := Clean(Text, in).String(); got != want {
			t.Errorf("Clean(Text, %q)\n = %q\nwant %q", in, got, want)
		}
	}
}

func TestCleanKinds(t *testing.T) {
	for _, tc := range []struct {
		kind     Kind
		in, want string
	}{
		{ID, "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a", "b9bc1545-a684-4e50-9a4d-2e2ee90bed6a"},
		{ID, "a1b2c3d4_G2", "a1b2c3d4_G2"},
		{ID, "WESTUS2:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11", "WESTUS2:20240501T100000Z:5b0a4a3d-6a57-4d0e-9f5e-2d4d3c1a7b11"},
		{ID, "<traceId>", "<traceId>"},
		{ID, jwt, ""},
		{ID, "sig=abc", ""},
		{ID, "two words", ""},
		{ID, strings.Repeat("a", 65), ""},
		{ID, "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"}, // a GUID without dashes
		{ID, "e5ea01bb7ec44523acf8f8a4f1b6b8d1_G2", "e5ea01bb7ec44523acf8f8a4f1b6b8d1_G2"},
		{ID, "5e9ff2d0-343f-48ec-bd87-140f8291b4ae_G9S2", "5e9ff2d0-343f-48ec-bd87-140f8291b4ae_G9S2"},
		{ID, "aaaabbbb00001111cccc2222dddd3333-G:4", "aaaabbbb00001111cccc2222dddd3333-G:4"},
		{ID, "KD2RunQuery;11112222-bbbb-3333-cccc-4444dddd5555", "KD2RunQuery;11112222-bbbb-3333-cccc-4444dddd5555"},
		{ID, "{b9bc1545-a684-4e50-9a4d-2e2ee90bed6a}", "{b9bc1545-a684-4e50-9a4d-2e2ee90bed6a}"},
		{ID, "3245c4e1-4d0c-94c2-234234", "3245c4e1-4d0c-94c2-234234"},
		{ID, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"},
		{ID, "xxxxxxx-xxxx-464b-8f91-8e9545f8e1ec", "xxxxxxx-xxxx-464b-8f91-8e9545f8e1ec"},
		{ID, "xxxxxxxx-0123456789abcdef0123456789abcdef", ""},
		{ID, "REDACTED", "REDACTED"},
		{ID, "Q0FOQVJZc2lnbmF0dXJlX0cy", ""},
		{ID, "abc-def", ""},
		{ID, "short;b9bc1545-a684-4e50-9a4d-2e2ee90bed6a;x", ""},
		{Code, "AuthorizationFailed", "AuthorizationFailed"},
		{Code, "amqp:unauthorized-access", "amqp:unauthorized-access"},
		{Code, "AuthorizationFailed sig=x", ""},
		{Code, "sig=CANARY", ""},
		{Code, "\u202eAuthorizationFailed", "AuthorizationFailed"},
		{URI, "https://login.microsoftonline.com/error?code=7000215", "https://login.microsoftonline.com/error?code=7000215"},
		{URI, "https://user:pass@login.microsoftonline.com/common/oauth2/authorize?x=secret#access_token=eyJx", "https://login.microsoftonline.com/common/oauth2/authorize"},
		{URI, "https://aka.ms/azsdk/go/identity/troubleshoot#client-secret", "https://aka.ms/azsdk/go/identity/troubleshoot#client-secret"},
		{URI, "https://management.azure.com/subscriptions/s?api-version=2022-09-01&sig=x", "https://management.azure.com/subscriptions/s?api-version=2022-09-01"},
		{URI, "https://management.azure.com/s?api-version=2022-09-01;sig=CANARY", "https://management.azure.com/s?api-version=2022-09-01"},
		{URI, "https://management.azure.com/s?api-version=2022-09-01%3Bsig%3DCANARY", "https://management.azure.com/s"},
		{URI, "https://vault.azure.net", "https://vault.azure.net"},
		{URI, "00000003-0000-0000-c000-000000000000", "00000003-0000-0000-c000-000000000000"},
		{URI, "javascript alert(1)", ""},
		{Timestamp, "2022-03-02 18:25:26Z", "2022-03-02 18:25:26Z"},
		{Timestamp, "2022-03-02 <script>", ""},
		{Host, "management.azure.com", "management.azure.com"},
		{Host, "[::1]:8443", "[::1]:8443"},
		{Host, "evil.com/path", ""},
		{Method, "GET", "GET"},
		{Method, "get", ""},
		{Name, "someone@contoso.com", "someone@contoso.com"},
		{Text, "someone@contoso.com", Redacted},
	} {
		if got := Clean(tc.kind, tc.in).String(); got != tc.want {
			t.Errorf("Clean(%d, %q) = %q, want %q", tc.kind, tc.in, got, tc.want)
		}
	}
}

func TestScrubberRedactsExactValues(t *testing.T) {
	const token = "opaqueCANARYtoken"
	// Quotes of each kind around a value are not part of it; a value with
	// spaces is matched whole.
	sc := Scrubber{}.With("pass phrase "+token, "CANARYqueryValue", "short", "`CANARYbacktick`", "'CANARYapostrophe'")
	for _, in := range []string{
		"the service echoed pass phrase " + token,
		"echo%3A%20opaque%43ANARYtoken",
		"query=CANARYqueryValue&x=1",
		"echoed CANARYbacktick and CANARYapostrophe",
	} {
		if got := sc.Clean(Text, in).String(); strings.Contains(strings.ToUpper(got), "CANARY") {
			t.Errorf("Clean(%q) = %q", in, got)
		}
	}
	if got := sc.Clean(Text, "a short word").String(); got != "a short word" {
		t.Errorf("a value shorter than 8 bytes was redacted: %q", got)
	}
	if got := sc.Clean(ID, "x-"+token).String(); got != "" {
		t.Errorf("an ID holding a known value = %q, want nothing", got)
	}
}

func TestCleanBoundsAndUTF8(t *testing.T) {
	// Lower-casing changes these letters' length in UTF-8: a secret
	// parameter after them is cut where it is, without a panic or invalid
	// UTF-8.
	for _, s := range []string{strings.Repeat("Ⱥ", 20) + "&key=a", strings.Repeat("İ", 20) + "&key=a", strings.Repeat("Ⱥ", 20) + "&sig="} {
		for k := Text; k <= Method; k++ {
			if got := Clean(k, s).String(); !utf8.ValidString(got) {
				t.Errorf("Clean(%d, %q) = %q: not valid UTF-8", k, s, got)
			}
		}
	}
	long := strings.Repeat("word ", 200)
	if got := Clean(Text, long).String(); len(got) > TextBound || !strings.HasSuffix(got, "…") {
		t.Errorf("Clean of %d bytes = %d bytes", len(long), len(got))
	}
	if got := Clean(Text, strings.Repeat("é", 400)).String(); got != Redacted {
		t.Errorf("a single word longer than the bound = %q, want it redacted", got)
	}
	mixed := "ok \xff\xfe bytes " + strings.Repeat("é ", 200)
	for k := Text; k <= Method; k++ {
		got := Clean(k, mixed).String()
		if !utf8.ValidString(got) || len(got) > bounds[k] {
			t.Errorf("kind %d: %d bytes, valid UTF-8: %v", k, len(got), utf8.ValidString(got))
		}
	}
}

// TestCleanAtTheCut puts secrets across the places where a long value is
// cut (the bound, and the limit of what Clean reads): no part may show.
func TestCleanAtTheCut(t *testing.T) {
	for _, secret := range []string{jwt, "sig=CANARYSIGNATURE%2B", "Bearer " + jwt[:40], "'Q0FOQVJZQ0FOQVJZQ0FOQVJZQ0FOQVJZ'", clientSecret} {
		for _, edge := range []int{TextBound, 4 * TextBound} {
			for at := edge - 60; at <= edge+5; at++ {
				s := strings.Repeat("x ", at/2) + strings.Repeat("y", at%2) + ":" + secret + " and then more words follow"
				got := Clean(Text, s).String()
				if strings.Contains(got, "CANARY") || strings.Contains(got, "Q0FOQVJZ") || strings.Contains(got, "eyJDQU5B") {
					t.Fatalf("secret %q at %d: %q", secret, at, got)
				}
			}
		}
	}
}

// TestCleanIsLinear cleans values of 64 KiB and 1 MiB: the memory it
// allocates is bounded by what it reads, whatever the input's size.
func TestCleanIsLinear(t *testing.T) {
	for _, unit := range []string{"a", "%41", "é", "sig=", "'", "a@b.c ", "\u200b", "eyJ", "~", "Bearer "} {
		for _, size := range []int{64 << 10, 1 << 20} {
			s := strings.Repeat(unit, size/len(unit))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for k := Text; k <= Method; k++ {
				Clean(k, s)
			}
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 200<<10 {
				t.Errorf("%q×%d: %d bytes allocated", unit, size/len(unit), got)
			}
		}
	}
}

// FuzzClean checks the properties every value has, whatever the input:
// valid UTF-8, within its bound, one line, Clean of it is itself, no
// planted canary survives, and memory bounded by what Clean reads.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"plain text", "a  b", "x@y.z", "'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY='", jwt, "sig=abc", clientSecret, "https://u:p@h/x?y#z"} {
		f.Add(s, uint8(0))
	}
	// The planted canaries hold ZQXJ, which the input must not: a JWT, a
	// SAS signature, a client secret, a refresh token, credentials after
	// a scheme, a base32 token, and passwords and secrets written as the
	// parameter rule reads them.
	canaries := []string{
		"eyJhbGciOiJSUzI1NiJ9.eyJaUVhKIjoxfQ.WlFYSi1zaWduYXR1cmU", "sig=ZQXJfuzz", "Xk18Q~ZQXJa1b2c3d4e5f6g7h8i9j0kLmNoPqR",
		"0.ARZQXJAAAAAv_i1uGRqJUqzQ2l7Z1JIaWcAAQ", "Bearer ZQXJfuzzToken", "Authorization:Basic zqxjZQXJ",
		"jq4kztvmwx7nrhpfy2dlocbsg5zqxjaeiuqvwtz3krmnpx6dflhy", "Password=ZQXJ horse battery staple;",
		"Password='ZQXJ staple'", `"client_secret": "ZQXJ staple"`, `Pwd={ZQXJ;staple}`, `\"password\":\"ZQXJ\"`,
	}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		kind := Kind(k % uint8(len(bounds)))
		// Measured the second time: the first call of a process builds
		// the tables some rules read, once.
		Clean(kind, s)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := Clean(kind, s).String()
		runtime.ReadMemStats(&after)
		if !utf8.ValidString(got) || len(got) > bounds[kind] || strings.ContainsAny(got, "\r\n\t") {
			t.Fatalf("Clean(%d, %q) = %q", kind, s, got)
		}
		if again := Clean(kind, got).String(); again != got {
			t.Fatalf("Clean(%d, %q) = %q, but Clean of that = %q", kind, s, got, again)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(64*min(len(s), 4*bounds[kind])+64<<10) {
			t.Fatalf("Clean(%d, %d bytes) allocated %d bytes", kind, len(s), n)
		}
		if strings.Contains(s, "ZQXJ") || strings.Contains(s, "WlFYS") {
			return
		}
		for _, c := range canaries {
			planted := s[:len(s)/2] + " " + c + " " + s[len(s)/2:]
			if out := Clean(kind, planted).String(); strings.Contains(strings.ToUpper(out), "ZQXJ") || strings.Contains(out, "WlFYS") || strings.Contains(out, "eyJaUVhK") {
				t.Fatalf("canary %q survived in %q", c, out)
			}
		}
		// Whatever the input, no JWT and no run of hex as long as a key
		// (a GUID's groups are shorter; an ID may be a GUID without its
		// dashes) comes out.
		if hasJWT(got) || kind != ID && hexRun(got) >= hexKey {
			t.Fatalf("Clean(%d, %q) = %q: a secret's shape", kind, s, got)
		}
	})
}

// TestFromRequest knows what a request carried: its credential headers
// and the values of its query that may be secrets, not plain words nor
// versions.
func TestFromRequest(t *testing.T) {
	u, _ := url.Parse("https://acct.blob.core.windows.net/container/blob?restype=container&comp=list&sv=2024-01-01&sig=c2lnCANARY&code=CANARYfnkey&x=CANARYz9")
	req := &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer opaqueCANARYtoken"}, "Ocp-Apim-Subscription-Key": {"0123CANARY4567"}}}
	sc := FromRequest(req)
	for _, echoed := range []string{"c2lnCANARY", "CANARYfnkey", "CANARYz9", "opaqueCANARYtoken", "0123CANARY4567"} {
		if got := sc.Clean(Text, "echo "+echoed).String(); strings.Contains(got, "CANARY") {
			t.Errorf("%q echoed: %q", echoed, got)
		}
	}
	if got := sc.Clean(URI, "https://acct.blob.core.windows.net/container/list").String(); got != "https://acct.blob.core.windows.net/container/list" {
		t.Errorf("plain query words redacted: %q", got)
	}
	if got := sc.Clean(Text, "on 2024-01-01 at noon").String(); got != "on 2024-01-01 at noon" {
		t.Errorf("a version-shaped value redacted: %q", got)
	}
}

// hexRun returns the length of the longest run of hex digits in s.
func hexRun(s string) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if isHex(s[i]) {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}
