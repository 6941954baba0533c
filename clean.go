package azauthtrace

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// MaxDescription is the longest Failure.Description, in bytes.
const MaxDescription = 300

// clean makes every field of f taken from a response or an error text fit
// for telemetry, through the one function that does it (package safe),
// with sc knowing what the request carried. The fields the classifier
// writes itself (class, source, service, mitigation, a troubleshooting
// link of its own) are left as they are.
func (f *Failure) clean(sc safe.Scrubber) {
	text := func(k safe.Kind, s *string) { *s = sc.Clean(k, *s).String() }
	text(safe.Code, &f.ErrorCode)
	text(safe.ID, &f.CorrelationID)
	text(safe.ID, &f.RequestID)
	text(safe.Code, &f.Credential)
	text(safe.Text, &f.Description)
	text(safe.Timestamp, &f.Timestamp)
	fromErrorURI := f.TroubleshootingURL != "" && f.TroubleshootingURL == f.ErrorURI
	text(safe.URI, &f.ErrorURI)
	if fromErrorURI {
		// The link is Entra ID's error page; the others are the library's.
		f.TroubleshootingURL = f.ErrorURI
	}
	f.Challenge.clean(sc)
	text(safe.ID, &f.PrincipalID)
	text(safe.Name, &f.PrincipalName)
	text(safe.Path, &f.Action)
	text(safe.Path, &f.Scope)
	for i := range f.Chain {
		f.Chain[i].clean(sc)
	}
}

// clean makes every field of c fit for telemetry; see Failure.clean.
func (c *Challenge) clean(sc safe.Scrubber) {
	c.Scheme = sc.Clean(safe.Code, c.Scheme).String()
	c.Error = sc.Clean(safe.Code, c.Error).String()
	c.Description = sc.Clean(safe.Text, c.Description).String()
	c.AuthorizationURI = sc.Clean(safe.URI, c.AuthorizationURI).String()
	c.Resource = sc.Clean(safe.URI, c.Resource).String()
}

// detach makes every string f holds its own copy, so that keeping f does
// not keep alive the text it was read from: an error's text, which may
// be megabytes, and of which cleaning returns slices when it changes
// nothing.
func (f *Failure) detach() {
	// The fields taken from the input; the others (class, source,
	// service, mitigation, the claims' reason) are the library's own.
	for _, p := range []*string{
		&f.ErrorCode, &f.CorrelationID, &f.RequestID, &f.Credential, &f.Description,
		&f.Timestamp, &f.ErrorURI, &f.TroubleshootingURL,
		&f.PrincipalID, &f.PrincipalName, &f.Action, &f.Scope,
		&f.Challenge.Scheme, &f.Challenge.Error, &f.Challenge.Description,
		&f.Challenge.AuthorizationURI, &f.Challenge.Resource,
		&f.Grant.Action, &f.Grant.Role, &f.Grant.RoleID, &f.Grant.Scope, &f.Grant.Permission,
		&f.Grant.PermissionType, &f.Grant.Command, &f.Grant.Note,
	} {
		*p = strings.Clone(*p)
	}
	for i := range f.Chain {
		f.Chain[i].detach()
	}
}
