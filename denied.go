package azauthtrace

import (
	"cmp"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// deniedPrincipal reads who was denied what from a service message: ARM's
// "The client 'X' with object id 'Y' does not have authorization to
// perform action 'A' over scope 'S'" (and LinkedAuthorizationFailed's
// linked action and scope), Key Vault's Caller, Action and Resource lines,
// Foundry's "The principal X lacks the required data action A".
func deniedPrincipal(f *Failure, msg string) {
	switch {
	case armDenial(f, msg):
	case strings.Contains(msg, "Caller: "):
		readPrincipal(f, firstLine(msg[strings.Index(msg, "Caller: ")+len("Caller: "):]))
		f.Action = quotedAfter(msg, "Action: '")
		f.Scope = quotedAfter(msg, "Resource: '")
	case strings.HasPrefix(msg, "The principal "):
		rest := msg[len("The principal "):]
		f.PrincipalID, _, _ = strings.Cut(rest, " ")
		if _, a, ok := strings.Cut(rest, "data action "); ok {
			f.Action, _, _ = strings.Cut(a, " ")
		}
	case strings.Contains(msg, "principal ["):
		// Cosmos DB: "principal [oid] does not have required RBAC
		// permissions to perform action [A] on resource [R]".
		f.PrincipalID = bracketedAfter(msg, "principal [")
		f.Action = bracketedAfter(msg, "action [")
		f.Scope = bracketedAfter(msg, "resource [")
	case strings.Contains(msg, "'appid="):
		// Key Vault access policies: "The user, group or application
		// 'appid=A;oid=O;iss=I' does not have secrets get permission on
		// key vault 'V;location=L'".
		readPrincipal(f, "appid="+quotedAfter(msg, "'appid="))
		if _, rest, ok := strings.Cut(msg, "does not have "); ok {
			if a, _, ok := strings.Cut(rest, " permission on "); ok && len(a) < 64 {
				f.Action = a
			}
		}
		f.Scope, _, _ = strings.Cut(quotedAfter(msg, "key vault '"), ";")
	}
	if !safe.IsGUID(f.PrincipalID) {
		// A name, a placeholder or a masked ID is not an object ID.
		f.PrincipalID = ""
	}
	if f.PrincipalName == f.PrincipalID {
		f.PrincipalName = ""
	}
}

// readPrincipal reads the principal of a list of key=value pairs
// separated by ";", such as Key Vault's "appid=A;oid=O;iss=I": the object
// ID, and the application ID as its name.
func readPrincipal(f *Failure, pairs string) {
	for _, kv := range strings.Split(pairs, ";") {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.TrimSpace(k) {
		case "oid":
			f.PrincipalID = v
		case "appid":
			f.PrincipalName = v
		}
	}
}

// armDenial reads ARM's (and Key Vault RBAC's) denial message, "The client
// 'name' with object id 'oid' does not have authorization to perform
// action 'A' over scope 'S'", and LinkedAuthorizationFailed's, whose
// denied action(s) and scope(s) follow "does not have". It reports whether
// msg names an object ID that way. One pass looks at the word before each
// quote.
func armDenial(f *Failure, msg string) bool {
	var (
		name, id, actions, action, scopes, scope string
		found                                    bool
	)
	denied := strings.Index(msg, "does not have")
	after := func(i int, label string) bool {
		return strings.HasSuffix(msg[:i], label) && i-len(label) >= denied
	}
	for i := strings.IndexByte(msg, '\''); i >= 0; {
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			break
		}
		v := msg[i+1 : i+1+j]
		switch {
		case i == 0 || msg[i-1] != ' ':
			// Every label ends with a space: this quote closes a value.
		case !found && strings.HasSuffix(msg[:i], "object id "):
			id, found = v, true
		case name == "" && strings.HasSuffix(msg[:i], "The client "):
			name = v
		case actions == "" && after(i, "action(s) "):
			actions = v
		case action == "" && after(i, "action "):
			action = v
		case scopes == "" && after(i, "scope(s) "):
			scopes = v
		case scope == "" && after(i, "scope "):
			scope = v
		}
		i += 1 + j
	}
	if !found {
		return false
	}
	f.PrincipalName, f.PrincipalID = name, id
	f.Action, f.Scope = cmp.Or(actions, action), cmp.Or(scopes, scope)
	return true
}

// quotedAfter returns the text between prefix, which ends with an opening
// single quote, and the closing quote.
func quotedAfter(s, prefix string) string { return between(s, prefix, '\'') }

// bracketedAfter returns the text between prefix, which ends with "[", and
// the next "]".
func bracketedAfter(s, prefix string) string { return between(s, prefix, ']') }

// between returns the text after the first prefix in s up to the next
// closing byte, or "" when either is missing.
func between(s, prefix string, closing byte) string {
	i := strings.Index(s, prefix)
	if i < 0 {
		return ""
	}
	s = s[i+len(prefix):]
	j := strings.IndexByte(s, closing)
	if j < 0 {
		return ""
	}
	return s[:j]
}
