package azauthtrace

import (
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// firstLine returns s up to its first line break, trimmed.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s, _, _ = strings.Cut(s, "\r")
	return strings.TrimSpace(s)
}

// labelled returns the token after the first of labels ("Trace ID:",
// "RequestId:") that s holds, or "".
//
// The labels are matched ignoring ASCII case; the value ends at a space,
// a line break, a comma, a semicolon, a closing parenthesis, a quote or a
// backslash, and before "-TimeStamp",
// which follows IoT Hub's tracking IDs.
func labelled(s string, labels ...string) string {
	lower := safe.LowerASCII(s) // the same offsets as s
	for _, label := range labels {
		i := strings.Index(lower, safe.LowerASCII(label))
		if i < 0 {
			continue
		}
		v := strings.TrimLeft(s[i+len(label):], " ")
		if end := strings.IndexAny(v, " \r\n,;)\t\"\\"); end >= 0 {
			v = v[:end]
		}
		if j := strings.Index(safe.LowerASCII(v), "-timestamp"); j >= 0 {
			v = v[:j]
		}
		return v
	}
	return ""
}
