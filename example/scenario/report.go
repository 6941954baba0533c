package scenario

import (
	"fmt"
	"io"
	"strings"
)

// reportWidth is the width the report's long lines are wrapped to.
const reportWidth = 100

// WriteBlock writes the report block of one result: a heading line, then
// the diagnosis, one labelled line per fact. It shows only what the
// telemetry recorded, which never holds a secret or a token.
func WriteBlock(w io.Writer, r Result) {
	d := r.Diagnosis
	mark := "✓"
	if d.Class != "" {
		mark = "✗"
	}
	fmt.Fprintf(w, "%s %s — %s\n", mark, r.Scenario.Name, r.Scenario.Title)
	line := func(label, text string) {
		if text != "" {
			writeWrapped(w, fmt.Sprintf("    %-12s ", label), text)
		}
	}
	if d.Class == "" {
		line("outcome", fmt.Sprintf("success (HTTP %d)", d.StatusCode))
	} else {
		var codes []string
		if d.AADSTS != 0 {
			codes = append(codes, fmt.Sprintf("AADSTS%d", d.AADSTS))
		}
		if d.ErrorCode != "" {
			codes = append(codes, d.ErrorCode)
		}
		if d.StatusCode != 0 {
			codes = append(codes, fmt.Sprintf("HTTP %d", d.StatusCode))
		}
		class := string(d.Class)
		if len(codes) > 0 {
			class = fmt.Sprintf("%-16s (%s)", class, strings.Join(codes, ", "))
		}
		line("class", class)
	}
	cred := d.Credential
	if d.FailedCredential != "" && d.FailedCredential != d.Credential {
		cred += " → " + d.FailedCredential
	}
	line("credential", cred)
	for _, a := range d.Chain {
		t := fmt.Sprintf("%s: %s", a.Credential, a.Class)
		if a.Description != "" {
			t += " — " + a.Description
		}
		line("  tried", t)
	}
	if d.Service != "" && d.Class != "" {
		line("service", d.Service)
	}
	ids := d.CorrelationID
	if d.RequestID != "" && d.RequestID != d.CorrelationID {
		if ids != "" {
			ids += "   "
		}
		ids += "request " + d.RequestID
	}
	line("correlation", ids)
	if d.PrincipalID != "" {
		who := d.PrincipalID
		if d.PrincipalAppID != "" && d.PrincipalAppID != d.PrincipalID {
			who += " (app " + d.PrincipalAppID + ")"
		}
		if d.Action != "" {
			who += " → " + d.Action
		}
		if d.Scope != "" {
			who += " on " + d.Scope
		}
		line("denied", who)
		if d.DeniedObjectID != "" {
			line("named", d.DeniedObjectID+" (by the service: not the token's)")
		}
	}
	if d.Challenge != "" {
		line("challenge", d.Challenge+", answered by the SDK (not a failure)")
	}
	if d.ClaimsReason != "" {
		line("claims", d.ClaimsReason)
	}
	if d.RetryStatus != 0 {
		line("retry", fmt.Sprintf("with a token for the claims: HTTP %d", d.RetryStatus))
	}
	if d.Class != "" {
		line("what", d.Description)
		line("mitigation", d.Mitigation)
		g := d.Grant
		switch {
		case g.Role != "":
			line("grant", g.Role+" ("+g.RoleID+") for "+g.Action)
		case g.Permission != "":
			line("grant", g.Permission+" ("+g.PermissionType+" permission)")
		}
		line("  scope", g.Scope)
		if g.Command != "" {
			// Whole, to be pasted: a command is not wrapped.
			fmt.Fprintf(w, "    %-12s %s\n", "  run", g.Command)
		}
		line("  note", g.Note)
		line("docs", d.Troubleshooting)
	}
	line("trace", d.TraceID)
	for _, m := range r.Mismatches {
		line("MISMATCH", m)
	}
	fmt.Fprintln(w)
}

// WriteSummary writes the closing line of a report.
func WriteSummary(w io.Writer, results []Result) {
	bad := 0
	for _, r := range results {
		if !r.OK() {
			bad++
		}
	}
	if bad == 0 {
		fmt.Fprintf(w, "%d scenarios, every diagnosis as expected.\n", len(results))
		return
	}
	fmt.Fprintf(w, "%d scenarios, %d diagnosed otherwise than expected (see MISMATCH).\n", len(results), bad)
}

// writeWrapped writes text after prefix, wrapped at reportWidth with the
// continuation lines indented under the text.
func writeWrapped(w io.Writer, prefix, text string) {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	width := max(reportWidth-len(indent), 40)
	if !strings.Contains(text, "\n") && len([]rune(text)) <= width {
		fmt.Fprintln(w, prefix+text)
		return
	}
	cur := prefix
	n := 0
	for _, word := range strings.Fields(text) {
		if n > 0 && n+1+len([]rune(word)) > width {
			fmt.Fprintln(w, cur)
			cur, n = indent, 0
		}
		if n > 0 {
			cur += " "
			n++
		}
		cur += word
		n += len([]rune(word))
	}
	fmt.Fprintln(w, cur)
}
