package safe

import "strings"

// isID reports whether s, as a whole, has the shape of a correlation or
// request ID (see [ID]). Each shape is matched exactly: a value is not an
// ID for the hex it contains.
func isID(s string) bool {
	if isPlaceholder(s) {
		return true
	}
	if word, rest, ok := strings.Cut(s, ";"); ok {
		// Kusto's client request IDs: "<word>;<GUID>"
		// (https://learn.microsoft.com/en-us/kusto/api/netfx/client-request-properties).
		return isIDWord(word) && IsGUID(rest)
	}
	if parts := strings.SplitN(s, ":", 3); len(parts) == 3 && isRoutingTime(parts[1]) {
		// ARM's routing request IDs: "WESTUS2:20240501T100000Z:<GUID>".
		return isIDWord(parts[0]) && IsGUID(parts[2])
	}
	if hex, n, ok := strings.Cut(s, "_G"); ok {
		// Service Bus's tracking IDs: "<GUID>_G12", "<GUID>_G9S2".
		g, sub, _ := strings.Cut(n, "S")
		return isHexID(hex) && IsDigits(g) && (sub == "" || IsDigits(sub)) && !strings.HasSuffix(n, "S")
	}
	if hex, n, ok := strings.Cut(s, "-G:"); ok {
		// IoT Hub's: "<GUID>-G:4".
		return isHexID(hex) && IsDigits(n)
	}
	return isHexID(s)
}

// isHexID reports whether s is a GUID (with or without braces), a GUID
// without its dashes (32 hex digits, .NET's "N" format), or a part of a
// GUID a pasted error kept: hex groups of at most 12 digits separated by
// single dashes, at least 8 digits in all, where a group may be masked
// whole with x's ("xxxxxxxx-xxxx-464b-8f91-8e9545f8e1ec", as people paste
// an error). A longer run of hex is a key or a hash, not an ID.
func isHexID(s string) bool {
	if IsGUID(s) || len(s) == 32 && isHexRun(s) {
		return true
	}
	if s == "" || len(s) > 36 {
		return false
	}
	digits := 0
	for _, g := range strings.Split(s, "-") {
		switch {
		case g == "" || len(g) > 12:
			return false
		case strings.Trim(g, "xX") == "":
			continue // masked
		case !isHexRun(g):
			return false
		}
		digits += len(g)
	}
	return digits >= 8
}

// isHexRun reports whether s is a non-empty run of hex digits.
func isHexRun(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return s != ""
}

// isIDWord reports whether s is the word an ID puts before its GUID: a
// region ("WESTUS2") or a name ("KD2RunQuery") of at most 32 letters and
// digits, that the word rules keep.
func isIDWord(s string) bool {
	if s == "" || len(s) > 32 || !isWord(s) || strings.IndexByte(s, '_') >= 0 {
		return false
	}
	return asciiSegment(s)
}

// isPlaceholder reports whether s is what people put in place of an ID in
// a pasted error: "<traceId>", "xxxx-xxxx", "REDACTED".
func isPlaceholder(s string) bool {
	switch {
	case len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>':
		return isIDWord(s[1 : len(s)-1])
	case strings.EqualFold(s, "redacted"):
		return true
	}
	return strings.Trim(s, "xX-") == "" && strings.ContainsAny(s, "xX")
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(rune(s[i])) && s[i] != '_' {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is a non-empty run of ASCII digits.
func IsDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// isRoutingTime reports whether s is a time as ARM writes it in its
// routing request IDs: "20240501T100000Z".
func isRoutingTime(s string) bool {
	return len(s) == 16 && IsDigits(s[:8]) && s[8] == 'T' && IsDigits(s[9:15]) && s[15] == 'Z'
}

// IsBareGUID reports whether s is a GUID in its 8-4-4-4-12 hex form,
// without braces: the form an ID has in a command or an ARM path.
func IsBareGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// IsGUID reports whether s is a GUID, 8-4-4-4-12 hex digits, also in
// braces.
func IsGUID(s string) bool {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	return IsBareGUID(s)
}

// IsVersion reports whether v has the shape of an api-version: digits,
// dots and dashes, letters only after a dash ("2022-09-01", "7.5",
// "2024-05-01-preview").
func IsVersion(v string) bool {
	if v == "" || len(v) > 32 || v[0] < '0' || v[0] > '9' {
		return false
	}
	dash := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case '0' <= c && c <= '9', c == '.':
		case c == '-':
			dash = true
		case dash && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'):
		default:
			return false
		}
	}
	return true
}
