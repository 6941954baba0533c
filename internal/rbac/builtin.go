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
		roles []rawRole
		date  string
	)
	prev := ""
	for line := range strings.SplitSeq(text, "\n") {
		tag, rest, _ := strings.Cut(line, "\t")
		switch {
		case tag == tagDate:
			date = rest
			continue
		case tag == tagRole:
			i := 16 * len(roles)
			if i+16 > len(ids) {
				return roles, date
			}
			name, category, _ := strings.Cut(rest, "\t")
			roles = append(roles, rawRole{Role: Role{ID: guid(ids[i : i+16]), Name: name}, category: category, blocks: []rawBlock{{}}})
			prev = ""
			continue
		case len(roles) == 0 || tag == "":
			continue
		case tag == tagScope:
			roles[len(roles)-1].restricted = true
			continue
		case tag == tagMeasures:
			readMeasures(&roles[len(roles)-1].measures, rest)
			continue
		}
		// A pattern: its tag, the bytes it shares with the one before,
		// and the rest.
		k, err := strconv.Atoi(tag[1:])
		if err != nil || k > len(prev) {
			continue
		}
		p := prev[:k] + rest
		prev = p
		b := &roles[len(roles)-1].blocks[0]
		switch tag[:1] {
		case tagAction:
			b.allow[0] = append(b.allow[0], p)
		case tagNotAction:
			b.deny[0] = append(b.deny[0], p)
		case tagData:
			b.allow[1] = append(b.allow[1], p)
		case tagNotData:
			b.deny[1] = append(b.deny[1], p)
		case tagConditioned:
			b.cond = append(b.cond, p)
		}
	}
	return roles, date
}

// readMeasures reads a role's measures line: writes, reads, the
// namespaces it is about, the products its name names (the lists
// comma-separated) and 1 if it changes something.
func readMeasures(m *measures, line string) {
	f := strings.Split(line, "\t")
	if len(f) < 4 {
		return
	}
	m.writes, _ = strconv.Atoi(f[0])
	m.reads, _ = strconv.Atoi(f[1])
	m.about = list(f[2])
	m.products = list(f[3])
	m.changes = len(f) > 4 && f[4] == "1"
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// guid spells 16 bytes as a GUID in its 8-4-4-4-12 hex form.
func guid(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
