package rbac

//go:generate go run ./gen

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"sync"
)

// roles.bin and ids.bin are generated from data/builtin-roles.json by
// ./gen: the compressed table and, 16 bytes a role in its order, the
// roles' GUIDs, which do not compress.
var (
	//go:embed roles.bin
	rolesBin []byte
	//go:embed ids.bin
	idsBin []byte
)

var builtin = sync.OnceValue(func() *Catalog {
	raws, date := decode(rolesBin, idsBin)
	return newCatalog(raws, date)
})

// Builtin returns the catalog of Azure's built-in roles, decoded from the
// embedded table on the first call.
func Builtin() *Catalog { return builtin() }

// decode reads the compressed table Encode writes. A damaged table yields
// the roles read before the damage.
func decode(bin, ids []byte) ([]rawRole, string) {
	text, _ := io.ReadAll(flate.NewReader(bytes.NewReader(bin)))
	return decodeText(string(text), ids)
}

// decodeText reads the table's text, the roles' GUIDs from ids. A role
// without its GUID's 16 bytes ends the table.
func decodeText(text string, ids []byte) ([]rawRole, string) {
	var (
		roles    []rawRole
		date     string
		patterns []string
	)
	prev := ""
	for line := range strings.SplitSeq(text, "\n") {
		tag, rest, _ := strings.Cut(line, "\t")
		switch {
		case tag == tagDate:
			date = rest
		case strings.HasPrefix(tag, tagPattern):
			// A pattern: the bytes it shares with the one before, and
			// the rest.
			k, err := strconv.Atoi(tag[1:])
			if err != nil || k > len(prev) {
				return roles, date
			}
			prev = prev[:k] + rest
			patterns = append(patterns, prev)
		case tag == tagRole:
			i := 16 * len(roles)
			if i+16 > len(ids) {
				return roles, date
			}
			name, category, _ := strings.Cut(rest, "\t")
			roles = append(roles, rawRole{Role: Role{ID: guid(ids[i : i+16]), Name: name}, category: category, blocks: []block{{}}})
		case len(roles) == 0:
		case tag == tagScope:
			roles[len(roles)-1].restricted = true
		case tag == tagMeasures:
			readMeasures(&roles[len(roles)-1].measures, rest)
		default:
			b := &roles[len(roles)-1].blocks[0]
			var list *[]string
			switch tag {
			case tagAction:
				list = &b.allow[0]
			case tagNotAction:
				list = &b.deny[0]
			case tagData:
				list = &b.allow[1]
			case tagNotData:
				list = &b.deny[1]
			case tagConditioned:
				list = &b.cond
			default:
				continue
			}
			n := 0
			for num := range strings.FieldsSeq(rest) {
				d, err := strconv.ParseUint(num, 36, 16)
				if n += int(d); err != nil || n >= len(patterns) {
					break
				}
				*list = append(*list, patterns[n])
			}
		}
	}
	return roles, date
}

// readMeasures reads a role's measures line: writes, reads, allowed
// patterns, the namespaces it is about, the products its name names (the lists
// comma-separated) and 1 if it changes something.
func readMeasures(m *measures, line string) {
	f := strings.Split(line, "\t")
	if len(f) < 6 {
		return
	}
	m.writes, _ = strconv.Atoi(f[0])
	m.reads, _ = strconv.Atoi(f[1])
	m.patterns, _ = strconv.Atoi(f[2])
	m.about = list(f[3])
	m.products = list(f[4])
	m.changes = f[5] == "1"
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// guid spells 16 bytes as a GUID in its 8-4-4-4-12 hex form.
func guid(b []byte) string {
	var g [36]byte
	hex.Encode(g[:], b[:4])
	g[8] = '-'
	hex.Encode(g[9:], b[4:6])
	g[13] = '-'
	hex.Encode(g[14:], b[6:8])
	g[18] = '-'
	hex.Encode(g[19:], b[8:10])
	g[23] = '-'
	hex.Encode(g[24:], b[10:16])
	return string(g[:])
}
