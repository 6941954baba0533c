package rbac

//go:generate go run ./gen

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"io"
	"strconv"
	"strings"
	"sync"
)

// roles.bin is generated from data/builtin-roles.json by ./gen.
//
//go:embed roles.bin
var rolesBin []byte

var builtin = sync.OnceValue(func() *Catalog {
	raws, date := decode(rolesBin)
	return newCatalog(raws, vocabularyOf(raws), date)
})

// Builtin returns the catalog of Azure's built-in roles, decoded from the
// embedded table on the first call.
func Builtin() *Catalog { return builtin() }

// decode reads the compressed table Encode writes. A damaged table yields
// the roles read before the damage.
func decode(bin []byte) ([]rawRole, string) {
	text, _ := io.ReadAll(flate.NewReader(bytes.NewReader(bin)))
	return decodeText(string(text))
}

// decodeText reads the table's text.
func decodeText(text string) ([]rawRole, string) {
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
			f := strings.Split(rest, "\t")
			if len(f) < 3 {
				continue
			}
			roles = append(roles, rawRole{Role: Role{ID: f[0], Name: f[1]}, category: f[2], blocks: []rawBlock{{}}})
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
