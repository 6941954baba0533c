package rbac

import (
	"net/url"
	"slices"
	"strings"
)

// Denial is what is known of a denied request. Every field is optional
// and every string in it is taken as hostile: only values of the shapes
// this package names reach a Grant.
type Denial struct {
	// Action is the operation the service named (ARM's
	// AuthorizationFailed, Key Vault's Action line, Azure AI's "lacks the
	// required data action").
	Action string
	// Scope is the scope or resource the service named, an ARM ID.
	Scope string
	// Method and URL are the denied request's. For AMQP, URL is the
	// endpoint, sb://<namespace>.servicebus.windows.net/<entity>.
	Method string
	URL    *url.URL
	// Service is the service's name, as the classifier spells it; it
	// tells Event Hubs ("Azure Event Hubs") from Service Bus, which share
	// a host.
	Service string
	// Assignee is the object ID (oid) of the denied principal and
	// AssigneeType its kind: User, ServicePrincipal (or app, managed
	// identity) or Group; "" when unknown.
	Assignee, AssigneeType string
	// CosmosSubstatus is Cosmos DB's x-ms-substatus.
	CosmosSubstatus int
	// Claims are the claims Service Bus or Event Hubs said the token
	// lacked: Send, Listen, Manage.
	Claims []string
	// Entity is the Service Bus or Event Hubs entity, when the URL does
	// not name it.
	Entity string
}

// Grant is the role assignment that would have allowed a denied request.
type Grant struct {
	// Action is the operation denied, as Azure spells it; "" for a
	// Manage claim, which no single operation names.
	Action string
	// DataAction reports a data action.
	DataAction bool
	// Role is the least privileged role that grants Action.
	Role Role
	// Scope is the narrowest sensible scope: an ARM ID, or the form
	// $(az ... show ...)/<child> that the command resolves. It is ""
	// when the denial names no resource of a known shape.
	Scope string
	// Command is a POSIX shell command that creates the assignment, or ""
	// without a scope.
	Command string
	// Note says what the user should know before running it.
	Note string
}

// maxAction bounds an operation's length, maxSegment each of its
// segments' (the longest in the built-in roles has 46 characters).
const (
	maxAction  = 256
	maxSegment = 64
)

// cleanAction returns the operation s when it has an operation's shape:
// a provider namespace (with a dot) and segments of at most maxSegment
// letters, digits and . _ - that do not begin as a JSON Web Token does
// (eyJ); "" otherwise.
func cleanAction(s string) string {
	s = strings.TrimSpace(s)
	segs := strings.Split(s, "/")
	if len(s) > maxAction || len(segs) < 2 || !strings.Contains(segs[0], ".") {
		return ""
	}
	for _, seg := range segs {
		if seg == "" || len(seg) > maxSegment || strings.HasPrefix(seg, "eyJ") {
			return ""
		}
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
				return ""
			}
		}
	}
	return s
}

// Grant finds the role assignment that would have allowed the denied
// request: the operation the service named, or failing that the one its
// request implies; the least privileged role that grants it; the scope;
// and the command. It reports false when nothing names or implies the
// operation, or no role grants it: no grant rather than a guess.
func (c *Catalog) Grant(d Denial) (Grant, bool) {
	r, _ := readRequest(d.Method, d.URL)
	action := cleanAction(d.Action)
	if d.CosmosSubstatus == CosmosSubstatusNoRole ||
		r.service == svcCosmos && strings.HasPrefix(strings.ToLower(action), "microsoft.documentdb/") {
		return cosmosGrant(d, r, action)
	}
	if action == "" && len(d.Claims) > 0 {
		return c.claimGrant(d, r)
	}
	var inf inferred
	if action != "" {
		inf.action = action
	} else if f := inferrer(r.service); f != nil && r.resource != "" {
		var ok bool
		if inf, ok = f(r); !ok {
			return Grant{}, false
		}
	}
	if inf.action == "" {
		return Grant{}, false
	}
	// An operation is of one kind only: a data action no role grants is
	// not granted by the roles (Contributor among them) that allow every
	// action.
	data := c.isData(inf.action, r.service != "" && r.service != svcARM)
	ops := []operation{{inf.action, data}}
	for _, a := range inf.also {
		ops = append(ops, operation{a, data})
	}
	role, ok := c.leastAll(ops)
	if !ok {
		return Grant{}, false
	}
	g := Grant{Action: inf.action, DataAction: data, Role: role}
	scope, note := c.scopeOf(d, r, inf)
	g.Note = joinNotes(inf.note, note, roleNote(role))
	if !scope.empty() {
		g.Scope = scope.display()
		g.Command = assignmentCommand(d.Assignee, d.AssigneeType, role.ID, scope)
	}
	return g, true
}

// inferrer reads the operation from a data-plane request of the service.
func inferrer(service string) func(request) (inferred, bool) {
	switch service {
	case svcBlob, svcDFS:
		return inferBlob
	case svcQueue:
		return inferQueue
	case svcTable:
		return inferTable
	case svcFile:
		return inferFile
	case svcKeyVault:
		return inferKeyVault
	case svcAppConfig:
		return inferAppConfig
	case svcRegistry:
		return inferRegistry
	}
	return nil
}

// isData reports whether roles grant the operation as a data action:
// the operation some role names in full as one kind only, otherwise as
// a data-plane request suggests.
func (c *Catalog) isData(op string, dataPlane bool) bool {
	op = strings.ToLower(op)
	inAction := c.names(0, op)
	inData := c.names(1, op)
	if inAction != inData {
		return inData
	}
	return dataPlane
}

// names reports whether a role names the lowered operation op in full as
// one of kind k.
func (c *Catalog) names(k int, op string) bool {
	for _, cand := range c.byProvider[k][provider(op)] {
		if slices.Contains(cand.patterns, op) {
			return true
		}
	}
	return false
}

// scopeOf is the narrowest sensible scope: the ARM ID the service named
// (its resource group for a create, which has no resource to assign at
// yet), the resource the request inferred, the ARM resource of an ARM
// request, or the resource the data-plane host names.
func (c *Catalog) scopeOf(d Denial, r request, inf inferred) (scopeArg, string) {
	id := armID(strings.TrimSpace(d.Scope))
	if id == "" && r.service == svcARM {
		id = armResourceOf(r)
	}
	if id != "" {
		if r.method == "PUT" && strings.HasSuffix(strings.ToLower(inf.action), "/write") {
			if parent := createScope(id); parent != "" {
				return scopeArg{id: parent}, "The resource does not exist yet, so the role is assigned where it is created; once it exists, " + id + " is narrower."
			}
		}
		return scopeArg{id: id}, ""
	}
	if !inf.scope.empty() {
		return inf.scope, ""
	}
	if r.resource == "" {
		return scopeArg{}, "The failure names no resource to assign the role at."
	}
	if t := hostResourceType(r.service); t != "" {
		return scopeArg{resolve: showID(t, r.resource)}, ""
	}
	if r.service == svcMessaging {
		return messagingScope(messagingProvider(d.Service), r, d.Entity)
	}
	return scopeArg{}, "The failure names no resource to assign the role at."
}

// hostResourceType is the resource type whose name a data-plane host of
// the service carries.
func hostResourceType(service string) string {
	switch service {
	case svcKeyVault:
		return "Microsoft.KeyVault/vaults"
	case svcBlob, svcDFS, svcQueue, svcTable, svcFile:
		return "Microsoft.Storage/storageAccounts"
	case svcRegistry:
		return "Microsoft.ContainerRegistry/registries"
	case svcAppConfig:
		return "Microsoft.AppConfiguration/configurationStores"
	case svcCognitive:
		return "Microsoft.CognitiveServices/accounts"
	}
	return ""
}

// createScope is where a role lets its holder create the resource id: its
// resource group, or for a resource group its subscription; "" for a
// subscription.
func createScope(id string) string {
	rg := resourceGroupOf(id)
	switch {
	case rg != "" && rg != id:
		return rg
	case rg == id:
		return id[:len("/subscriptions/")+36]
	}
	return ""
}

// armResourceOf is the resource an ARM request's path names: the path
// without a trailing operation (…/listKeys) when it is an ARM ID.
func armResourceOf(r request) string {
	segs := r.segs
	// An odd last segment is an operation (POST …/listKeys) or a
	// collection (GET …/virtualMachines), not a resource.
	if len(segs)%2 == 1 {
		segs = segs[:len(segs)-1]
	}
	return armID("/" + strings.Join(segs, "/"))
}

// claimGrant is the grant for a missing Service Bus or Event Hubs claim.
func (c *Catalog) claimGrant(d Denial, r request) (Grant, bool) {
	prov := messagingProvider(d.Service)
	ops, ok := claimOperations(prov, d.Claims)
	if !ok {
		return Grant{}, false
	}
	role, ok := c.leastAll(ops)
	if !ok {
		return Grant{}, false
	}
	g := Grant{Role: role, DataAction: true}
	if len(ops) == 1 {
		g.Action = ops[0].name
	}
	scope, note := messagingScope(prov, r, d.Entity)
	if scope.empty() {
		note = "The failure names no namespace to assign the role at."
	}
	g.Note = joinNotes(note, roleNote(role))
	if !scope.empty() {
		g.Scope = scope.display()
		g.Command = assignmentCommand(d.Assignee, d.AssigneeType, role.ID, scope)
	}
	return g, true
}

// roleNote says what the role's flags mean for the user.
func roleNote(r Role) string {
	switch {
	case r.Privileged:
		return "Only a privileged administrator role grants this operation; consider a custom role."
	case r.Conditioned:
		return "The role grants this operation only where its ABAC condition holds."
	}
	return ""
}

func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}
