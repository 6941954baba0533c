package azauthtrace

import (
	"cmp"
	"log/slog"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// String returns a one-line summary of f for logs and messages, such as
// "permission (403 AuthorizationFailed) from Azure Resource Manager: The
// client ... [correlation 5b0a4a3d-...]". It holds only what the spans
// carry, each string cleaned as they clean it, also for a Failure built by
// hand.
func (f Failure) String() string {
	c := f.cleaned()
	var b strings.Builder
	b.WriteString(cmp.Or(string(c.Class), "unknown"))
	var codes []string
	if c.StatusCode != 0 {
		codes = append(codes, strconv.Itoa(c.StatusCode))
	}
	if c.AADSTS != 0 {
		codes = append(codes, "AADSTS"+strconv.Itoa(c.AADSTS))
	}
	if c.ErrorCode != "" {
		codes = append(codes, c.ErrorCode)
	}
	if len(codes) > 0 {
		b.WriteString(" (" + strings.Join(codes, " ") + ")")
	}
	if c.Service != "" {
		b.WriteString(" from " + c.Service)
	}
	if c.Credential != "" {
		b.WriteString(" for " + c.Credential)
	}
	if c.Description != "" {
		b.WriteString(": " + c.Description)
	}
	var ids []string
	if c.CorrelationID != "" {
		ids = append(ids, "correlation "+c.CorrelationID)
	}
	if c.RequestID != "" && c.RequestID != c.CorrelationID {
		ids = append(ids, "request "+c.RequestID)
	}
	if len(ids) > 0 {
		b.WriteString(" [" + strings.Join(ids, ", ") + "]")
	}
	g := c.Grant
	switch {
	case g.Role != "":
		b.WriteString("; grant " + g.Role + " for " + g.Action)
	case g.Permission != "":
		b.WriteString("; grant " + g.Permission + " (" + g.PermissionType + ")")
	}
	if g.Command != "" {
		b.WriteString(": " + g.Command)
	}
	return b.String()
}

// LogValue implements [slog.LogValuer]: f as a group of the fields the
// spans carry, by the names of their attributes without the azauth.
// prefix, each string cleaned as the spans clean it. Empty fields are left
// out, and so is the principal's name, which is personal data.
func (f Failure) LogValue() slog.Value {
	c := f.cleaned()
	attrs := []slog.Attr{slog.String("class", string(c.Class))}
	if c.StatusCode != 0 {
		attrs = append(attrs, slog.Int("http.response.status_code", c.StatusCode))
	}
	if c.AADSTS != 0 {
		attrs = append(attrs, slog.Int("aadsts", c.AADSTS))
	}
	for _, kv := range []struct{ key, value string }{
		{"error_code", c.ErrorCode},
		{"source", string(c.Source)},
		{"service", c.Service},
		{"failed_credential", c.Credential},
		{"correlation_id", c.CorrelationID},
		{"azure.service.request.id", c.RequestID},
		{"description", c.Description},
		{"principal.object_id", c.PrincipalID},
		{"denied.action", c.Action},
		{"denied.scope", c.Scope},
		{"challenge.error", c.Challenge.Error},
		{"mitigation", c.Mitigation},
		{"troubleshooting_url", c.TroubleshootingURL},
		{"grant.action", c.Grant.Action},
		{"grant.role", c.Grant.Role},
		{"grant.role_id", c.Grant.RoleID},
		{"grant.scope", c.Grant.Scope},
		{"grant.permission", c.Grant.Permission},
		{"grant.permission_type", c.Grant.PermissionType},
		{"grant.command", c.Grant.Command},
		{"grant.note", c.Grant.Note},
	} {
		if kv.value != "" {
			attrs = append(attrs, slog.String(kv.key, kv.value))
		}
	}
	return slog.GroupValue(attrs...)
}

// cleaned returns f with every string cleaned, and without its chain and
// the principal's name. The classifier writes the class, source, service,
// mitigation and troubleshooting link itself; they are cleaned too here,
// as the Failure may have been built by hand.
func (f Failure) cleaned() Failure {
	f.Chain = nil
	f.PrincipalName = ""
	f.clean(safe.Scrubber{})
	f.Class = Class(safe.Clean(safe.Code, string(f.Class)).String())
	f.Source = Source(safe.Clean(safe.Code, string(f.Source)).String())
	f.Service = safe.Clean(safe.Text, f.Service).String()
	f.Mitigation = safe.Clean(safe.Text, f.Mitigation).String()
	f.TroubleshootingURL = safe.Clean(safe.URI, f.TroubleshootingURL).String()
	f.Grant.clean(safe.Scrubber{})
	return f
}
