package azauthtrace

import "strings"

// firstLine returns s up to its first line break, trimmed.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s, _, _ = strings.Cut(s, "\r")
	return strings.TrimSpace(s)
}

// labelled returns the token after label ("Trace ID:", "RequestId:") in s.
func labelled(s, label string) string {
	i := strings.Index(s, label)
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len(label):], " ")
	end := 0
	for end < len(s) && s[end] != ' ' && s[end] != '\r' && s[end] != '\n' && s[end] != ',' && s[end] != '\t' && s[end] != '"' && s[end] != '\\' {
		end++
	}
	return s[:end]
}
