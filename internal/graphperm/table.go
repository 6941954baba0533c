package graphperm

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed graphperm.dat
var compact []byte

// perm is one permission of the table.
type perm struct {
	name     string
	appID    string // app role GUID, "" when the table suggests it for no app-only token
	delID    string // delegated scope GUID, "" when the table suggests it for no user token
	delAdmin bool   // the delegated permission needs admin consent
}

// grant is one permission that grants a path entry's request.
type grant struct {
	perm int
	also []int // it works only with one of these granted too
}

// entry is one path entry: a template and the methods that share its data.
type entry struct {
	template string
	methods  []string
	grants   [2][]grant // by token kind: application, delegated; nil: not supported
	suggest  [2]int     // by token kind: the permission to suggest, or -1
}

// node is a node of the template tree, one path segment a level.
type node struct {
	kids    []kid // sorted by segment
	entries []*entry
}

// kid is a node's child and the segment that leads to it.
type kid struct {
	seg  string
	node *node
}

// child returns the child for a segment, or nil.
func (n *node) child(seg string) *node {
	if i := n.search(seg); i < len(n.kids) && n.kids[i].seg == seg {
		return n.kids[i].node
	}
	return nil
}

// search returns the index of the first child whose segment is not less
// than seg.
func (n *node) search(seg string) int {
	return sort.Search(len(n.kids), func(i int) bool { return n.kids[i].seg >= seg })
}

// table is the decoded table.
type table struct {
	commit string
	perms  []perm
	root   *node
}

// load decodes the embedded table once, on the first lookup.
var load = sync.OnceValues(func() (*table, error) { return decode(compact) })

// decode reads graphperm.dat: the compact table's text, compressed with
// DEFLATE.
func decode(dat []byte) (*table, error) {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(dat)))
	if err != nil {
		return nil, fmt.Errorf("graphperm: %w", err)
	}
	return decodeText(raw)
}

// header opens the compact table; the version changes with its format.
const header = "graphperm\t1"

// decodeText reads the compact table, as the generator writes it
// (gen/build.go, encodeText):
//
//	graphperm	1	<commit>	<commit date>	<number of GUIDs>
//	p	<name>	<+ or ->	<+ or ->	<flags>
//	e	<n>	<path after n bytes>	<methods>	<application grants>	<delegated grants>	<application choice>	<delegated choice>
//
// followed by the GUIDs as 16 bytes each: + marks a permission's
// application and delegated GUID, which are the next ones, - its absence.
// A path is written as its difference from the one before: the first n
// bytes are the previous path's. Flags: d = the delegated permission needs
// admin consent. Grants are comma-separated indexes of p lines, +i+j
// following a permission that works only together with one of i, j; an
// empty field: that token kind is not supported. A choice is the index of
// the permission to suggest, chosen by the generator's rules, or -.
func decodeText(raw []byte) (*table, error) {
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	head := strings.Split(string(first), "\t")
	if len(head) != 5 || head[0]+"\t"+head[1] != header {
		return nil, errors.New("graphperm: not a version 1 table")
	}
	n, err := strconv.Atoi(head[4])
	if err != nil || n < 0 || n*16 > len(raw)-len(first) {
		return nil, errors.New("graphperm: bad GUID count")
	}
	guids := raw[len(raw)-n*16:]
	lines := strings.Split(string(raw[len(first)+1:len(raw)-n*16]), "\n")
	next := func(mark string) (string, error) {
		switch {
		case mark == "-":
			return "", nil
		case mark != "+":
			return "", errors.New("bad GUID mark")
		case len(guids) < 16:
			return "", errors.New("too few GUIDs")
		}
		g := formatGUID(guids[:16])
		guids = guids[16:]
		return g, nil
	}
	t := &table{commit: head[2], root: &node{}}
	prev := ""
	lists := map[string][]grant{}    // grant lists read, shared by entries
	methods := map[string][]string{} // method lists read, shared likewise
	for i, line := range lines {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		var err error
		switch {
		case f[0] == "p" && len(f) == 5:
			p := perm{name: f[1]}
			if p.appID, err = next(f[2]); err != nil {
				break
			}
			if p.delID, err = next(f[3]); err != nil {
				break
			}
			p.delAdmin = f[4] == "d"
			t.perms = append(t.perms, p)
		case f[0] == "e" && len(f) == 8:
			k, aerr := strconv.Atoi(f[1])
			if aerr != nil || k < 0 || k > len(prev) {
				err = errors.New("bad path prefix")
				break
			}
			prev = prev[:k] + f[2]
			ms, seen := methods[f[3]]
			if !seen {
				ms = strings.Split(f[3], ",")
				methods[f[3]] = ms
			}
			e := &entry{template: prev, methods: ms}
			for k := range e.grants {
				if e.grants[k], err = t.parseGrants(f[4+k], lists); err != nil {
					break
				}
				if e.suggest[k], err = t.parseChoice(f[6+k]); err != nil {
					break
				}
			}
			if err == nil {
				t.insert(e)
			}
		default:
			err = errors.New("malformed")
		}
		if err != nil {
			return nil, fmt.Errorf("graphperm: table line %d: %v", i+2, err)
		}
	}
	if len(guids) != 0 {
		return nil, errors.New("graphperm: GUIDs left over")
	}
	return t, nil
}

// parseChoice reads an entry's choice for a token kind: a permission
// index, or - for none.
func (t *table) parseChoice(s string) (int, error) {
	if s == "-" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n >= len(t.perms) {
		return 0, fmt.Errorf("bad choice %q", s)
	}
	return n, nil
}

// formatGUID writes 16 bytes as a GUID in its usual form, in lower case.
func formatGUID(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// parseGrants reads one token kind's grants of an entry. Entries share
// the lists already read, which are read-only.
func (t *table) parseGrants(s string, lists map[string][]grant) ([]grant, error) {
	if s == "" {
		return nil, nil
	}
	if g, ok := lists[s]; ok {
		return g, nil
	}
	items := strings.Split(s, ",")
	out := make([]grant, 0, len(items))
	for _, it := range items {
		var g grant
		parts := strings.Split(it, "+")
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n >= len(t.perms) {
				return nil, fmt.Errorf("bad permission index %q", p)
			}
			if i == 0 {
				g.perm = n
			} else {
				g.also = append(g.also, n)
			}
		}
		out = append(out, g)
	}
	lists[s] = out
	return out, nil
}

// insert adds an entry to the template tree.
func (t *table) insert(e *entry) {
	n := t.root
	// Two templates write a sample item path (root:/foldera/fileb.txt:);
	// they are collapsed as requests are, so that requests reach them.
	for _, seg := range collapseDrivePath(splitPath(e.template)) {
		i := n.search(seg)
		if i == len(n.kids) || n.kids[i].seg != seg {
			n.kids = append(n.kids, kid{})
			copy(n.kids[i+1:], n.kids[i:])
			n.kids[i] = kid{seg, &node{}}
		}
		n = n.kids[i].node
	}
	n.entries = append(n.entries, e)
}

// splitPath splits a normalised path into its segments; "/" has none.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
