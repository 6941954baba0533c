package safe

import (
	"net"
	"net/url"
	"strings"
	"unicode/utf8"
)

// allowedDomains are the domains whose hosts a URI keeps, with their
// subdomains: Microsoft's sign-in, documentation and link hosts, the
// Azure clouds' service domains
// (https://learn.microsoft.com/en-us/azure/security/fundamentals/azure-domains),
// and the names reserved for examples and tests (RFC 2606, RFC 6761),
// which no one's host is in.
var allowedDomains = []string{
	"microsoftonline.com", "microsoft.com", "windows.net", "azure.com", "azure.net",
	"aka.ms", "live.com", "azurewebsites.net", "azure-api.net", "azurecr.io",
	"azure-devices.net", "azureedge.net", "azurefd.net", "visualstudio.com",
	"microsoftonline.us", "azure.us", "usgovcloudapi.net", "chinacloudapi.cn",
	"azure.cn", "microsoftonline.cn", "sharepoint.com", "dynamics.com",
	"office.com", "office365.com", "powerbi.com", "applicationinsights.io",
	"loganalytics.io", "azconfig.io", "azmk8s.io", "azurecontainer.io",
	"azurecontainerapps.io", "azurestaticapps.net", "azurehdinsight.net",
	"azuresynapse.net", "cloudapp.net", "trafficmanager.net", "azure-mobile.net",
	"example.com", "example.net", "example.org", "example", "test", "invalid", "localhost",
}

// allowedAddresses are the addresses a URI keeps: the loopback, where App
// Service's and Arc's identity endpoints listen, IMDS
// (https://learn.microsoft.com/en-us/azure/virtual-machines/instance-metadata-service)
// and the Azure platform's WireServer.
var allowedAddresses = []string{"127.0.0.1", "::1", "169.254.169.254", "168.63.129.16"}

// hostOK reports whether a URL's host (with its port) may be kept: a host
// of allowedDomains, an address of allowedAddresses, a GUID, the host of the request sc
// knows, or any host of an application ID URI ("api://AzureADTokenExchange");
// and its labels have the word rules' shapes, so that a token
// cannot pass as a subdomain.
func (sc Scrubber) hostOK(scheme, host string) bool {
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	}
	if port != "" && !IsDigits(port) || name == "" {
		return false
	}
	for _, h := range sc.hosts {
		if strings.EqualFold(h, host) || strings.EqualFold(h, name) {
			return true
		}
	}
	name = LowerASCII(strings.Trim(name, "[]"))
	if !harmless(name) {
		return false
	}
	for _, a := range allowedAddresses {
		if name == a {
			return true
		}
	}
	if IsGUID(name) || scheme == "api" {
		return true // an application ID URI names an application, not a place
	}
	for _, d := range allowedDomains {
		if name == d || strings.HasSuffix(name, "."+d) {
			return true
		}
	}
	return false
}

// uri returns s as a URI value: see [URI].
func (sc Scrubber) uri(s string) Value {
	if s == "" || strings.Contains(s, " ") {
		return Value{}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return sc.token(s, bounds[Code], isCodeRune)
	}
	return sc.URL(u)
}

func isCodeRune(r rune) bool { return isAlnum(r) || strings.ContainsRune("_.:/-", r) }

// URL returns u as a URI value (see [URI]), without parsing it again:
// for the URL of a request, whose host the Scrubber of FromRequest knows.
// A URL whose host is not kept is nothing.
func (sc Scrubber) URL(u *url.URL) Value {
	out, ok := sc.cleanURL(u)
	if !ok || len(out) > bounds[URI] || !utf8.ValidString(out) {
		return Value{}
	}
	return Value{out}
}

// cleanURL returns u's scheme, host and path, each segment of the path
// that the word rules do not keep redacted, its kept query and its
// fragment when that is a page's anchor; or false when its host is not
// kept.
func (sc Scrubber) cleanURL(u *url.URL) (string, bool) {
	scheme := LowerASCII(u.Scheme)
	if scheme == "" || strings.Trim(scheme, "abcdefghijklmnopqrstuvwxyz0123456789+-.") != "" || !sc.hostOK(scheme, u.Host) {
		return "", false
	}
	out := scheme + "://" + u.Host
	if path := u.EscapedPath(); path != "" {
		segments := strings.Split(path, "/")
		for i, seg := range segments {
			if seg != "" && seg != Redacted && sc.redactWord(percentDecode(seg), true) != percentDecode(seg) {
				segments[i] = Redacted
			}
		}
		out += strings.Join(segments, "/")
	}
	if q := keptQuery(u.Path, u.RawQuery); q != "" {
		out += "?" + q
	}
	if isAnchor(u.Fragment) {
		out += "#" + u.Fragment
	}
	return out, true
}

// cleanURLs replaces each URL in w (a word or a line) by what cleanURL keeps of it, or
// Redacted.
func (sc Scrubber) cleanURLs(w string) string {
	var b strings.Builder
	changed, rest := false, w
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeChar(rest[start-1]) {
			start--
		}
		end := i + 3
		for end < len(rest) && !strings.ContainsRune(" ;'\"`<>()[]{}\\", rune(rest[end])) {
			end++
		}
		raw := strings.TrimRight(rest[start:end], ".,;:")
		end = start + len(raw)
		out := Redacted
		if u, err := url.Parse(raw); err == nil && u.Host != "" && u.Opaque == "" {
			if s, ok := sc.cleanURL(u); ok {
				out = s
			}
		}
		if out != raw && !changed {
			changed = true
			b.Grow(len(w))
			b.WriteString(w[:len(w)-len(rest)])
		}
		if changed {
			b.WriteString(rest[:start])
			b.WriteString(out)
		}
		rest = rest[end:]
	}
	if !changed {
		return w
	}
	b.WriteString(rest)
	return b.String()
}

func isSchemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// isAnchor reports whether a URL's fragment is a page's anchor, such as
// "client-secret": words and dashes, at most 64 bytes, and not data (an
// implicit flow puts tokens there).
func isAnchor(f string) bool {
	return f != "" && len(f) <= 64 && strings.IndexFunc(f, func(r rune) bool { return !isAlnum(r) && r != '-' }) < 0 && harmless(f)
}

// keptQuery returns the query parameters a URI value keeps: api-version
// with a version's shape, and code with digits on Entra ID's error page
// ("https://login.microsoftonline.com/error?code=7000215").
func keptQuery(path, raw string) string {
	var kept []string
	for _, kv := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == "api-version" && IsVersion(v), k == "code" && path == "/error" && len(v) <= 10 && IsDigits(v):
			kept = append(kept, k+"="+v)
		}
	}
	return strings.Join(kept, "&")
}
