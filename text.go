package azauthtrace

import "strings"

// firstLine returns s up to its first line break, trimmed.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s, _, _ = strings.Cut(s, "\r")
	return strings.TrimSpace(s)
}

// labelled returns the token after label ("Trace ID:", "RequestId:") in s.
//
// The label is matched ignoring ASCII case; the value ends at a space, a
// line break, a comma, a quote or a backslash, and before "-TimeStamp",
// which follows IoT Hub's tracking IDs.
func labelled(s, label string) string {
	_, s, ok := cutFold(s, label)
	if !ok {
		return ""
	}
	s = strings.TrimLeft(s, " ")
	end := strings.IndexAny(s, " \r\n,\t\"\\")
	if end < 0 {
		end = len(s)
	}
	s = s[:end]
	if before, _, ok := cutFold(s, "-TimeStamp"); ok {
		s = before
	}
	return s
}
