package azauthtrace

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// ParseChallenge summarises the WWW-Authenticate challenges of h. With
// several challenges (in one header value or in several), it returns the
// one a Bearer token client acts on: a Bearer challenge carrying claims or
// an error, else the first Bearer challenge, else the first challenge. It
// understands quoted and unquoted parameters, separated by commas or
// spaces. The claims value is never kept: only whether it was present.
func ParseChallenge(h http.Header) Challenge {
	values := h["Www-Authenticate"]
	var best Challenge
	bestRank := -1
	for _, v := range values[:min(len(values), maxChallenges)] {
		parseChallenges(v, func(c Challenge) {
			if r := challengeRank(c); r > bestRank {
				best, bestRank = c, r
			}
		})
	}
	best.clean(safe.Scrubber{})
	return best
}

func challengeRank(c Challenge) int {
	r := 0
	if strings.EqualFold(c.Scheme, "Bearer") {
		r = 2
		if c.ClaimsPresent || c.Error != "" {
			r = 3
		}
	}
	return r
}

// maxChallenges bounds the challenges, and the header values, that
// ParseChallenge reads.
const maxChallenges = 16

// parseChallenges calls yield for each challenge in the header value v.
func parseChallenges(v string, yield func(Challenge)) {
	var cur Challenge
	open := false
	n := 0
	i := 0
	for i < len(v) && n < maxChallenges {
		for i < len(v) && (v[i] == ' ' || v[i] == ',' || v[i] == '\t') {
			i++
		}
		if i >= len(v) {
			break
		}
		start := i
		for i < len(v) && v[i] != ' ' && v[i] != '=' && v[i] != ',' && v[i] != '\t' {
			i++
		}
		tok := v[start:i]
		j := i
		for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
			j++
		}
		if j < len(v) && v[j] == '=' && tok != "" {
			// A parameter: tok=value or tok="value".
			i = j + 1
			for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
				i++
			}
			var val string
			if i < len(v) && v[i] == '"' {
				end := 0
				val, end = quotedString(v, i)
				if k := unclosedBefore(val); k >= 0 && end <= len(v) && v[end-1] == '"' {
					// A value whose closing quote is missing (Azure Maps'
					// realm="https://atlas.microsoft.com/, error="InvalidKey"):
					// the quote that ended it opens the next parameter's
					// value. Keep the value up to ", " and read on from
					// that parameter's name.
					val = val[:k]
					end = i + 1 + strings.LastIndex(v[i+1:end-1], ", ") + 2
				}
				i = end
			} else {
				s := i
				for i < len(v) && v[i] != ',' && v[i] != ' ' && v[i] != '\t' && v[i] != '"' {
					i++
				}
				val = v[s:i]
			}
			if open {
				setChallengeParam(&cur, tok, val)
			}
			continue
		}
		if tok == "" {
			i++
			continue
		}
		// A new challenge's scheme. Anything else (a token68 such as
		// "Negotiate abc==", or debris of a malformed header) belongs to
		// the current challenge and is skipped.
		if !knownScheme(tok) {
			continue
		}
		if open {
			yield(cur)
			n++
		}
		cur = Challenge{Scheme: tok}
		open = true
	}
	if open && n < maxChallenges {
		yield(cur)
	}
}

// knownScheme reports whether tok is an HTTP authentication scheme.
func knownScheme(tok string) bool {
	for _, s := range [...]string{"Bearer", "PoP", "Basic", "Digest", "Negotiate", "NTLM", "SharedKey", "SharedKeyLite", "SharedAccessSignature", "HMAC-SHA256", "AzureApiManagementKey", "Mutual", "HOBA"} {
		if strings.EqualFold(tok, s) {
			return true
		}
	}
	return false
}

// unclosedBefore returns the index of the ", " in a quoted value that
// ends with ", name=", the sign of a missing closing quote, or -1.
func unclosedBefore(val string) int {
	if !strings.HasSuffix(val, "=") {
		return -1
	}
	k := strings.LastIndex(val, ", ")
	if k < 0 || strings.ContainsAny(val[k+2:len(val)-1], " \t\",=\\") || k+2 == len(val)-1 {
		return -1
	}
	return k
}

// quotedString reads a quoted-string starting at v[i] == '"' and returns its
// value and the index after it.
func quotedString(v string, i int) (string, int) {
	var b strings.Builder
	for i++; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if i+1 < len(v) {
				i++
				b.WriteByte(v[i])
			}
		case '"':
			return b.String(), i + 1
		default:
			b.WriteByte(v[i])
		}
	}
	return b.String(), i
}

func setChallengeParam(c *Challenge, name, val string) {
	if i := strings.Index(val, "claims="); i >= 0 {
		// A malformed header: never let a claims value ride along.
		val = val[:i]
	}
	switch strings.ToLower(name) {
	case "error":
		c.Error = val
	case "error_description":
		c.Description = val
	case "claims":
		if val != "" {
			c.ClaimsPresent = true
			c.ClaimsReason = claimsReason(val)
		}
	case "authorization_uri", "authorization":
		c.AuthorizationURI = val
	case "resource", "resource_id":
		c.Resource = val
	}
}

// claimsReason reads which claims a challenge asks for and names the reason
// for it: a revoked session, a network location policy, or an
// authentication context (step-up). The claims value itself is discarded.
func claimsReason(claims string) string {
	raw := decodeBase64Loose(claims)
	if raw == nil {
		raw = []byte(claims) // some services send the JSON itself
	}
	s := string(raw)
	switch {
	case strings.Contains(s, `"acrs"`):
		return "authentication_context"
	case strings.Contains(s, `"xms_rp_ipaddr"`):
		return "network_location"
	case strings.Contains(s, `"nbf"`):
		return "token_revoked"
	default:
		return ""
	}
}

// decodeBase64Loose decodes standard or URL base64, padded or not, and
// returns nil when s is neither.
func decodeBase64Loose(s string) []byte {
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}
