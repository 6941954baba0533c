package graphperm

//go:generate go run ./gen

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"errors"
	"io"
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

// record is what path entries share: per token kind (application,
// delegated) the permissions that grant the request (nil: that kind is
// not supported) and the one to suggest, or -1.
type record struct {
	grants  [2][]grant
	suggest [2]int
}

// entry is one path entry of a node: the methods it lists (methodBit)
// and its record.
type entry struct {
	methods byte
	record  int32
}

// node is a node of the template tree, one path segment a level.
type node struct {
	parent, seg int32   // the parent node and the segment's index; -1 for the root
	kids        []int32 // child nodes
	entries     []entry
}

// table is the decoded table.
type table struct {
	commit  string
	perms   []perm
	segs    []string // the templates' segments, sorted
	records []record
	nodes   []node // nodes[0] is the root
}

// load decodes the embedded table once, on the first lookup.
var load = sync.OnceValues(func() (*table, error) { return decode(compact) })

// header opens the compact table; the version changes with its format.
const header = "graphperm\t2\t"

// errMalformed reports a table that does not decode.
var errMalformed = errors.New("graphperm: malformed table")

// decode reads graphperm.dat, the compact table the generator writes (see
// gen/encode.go, encodeTable) compressed with DEFLATE: a text header, the
// permission names and the path segments, one a line, then in binary the
// permissions' flags, the records, the path entries, the template tree
// and the GUIDs.
func decode(dat []byte) (*table, error) {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(dat)))
	if err != nil {
		return nil, errMalformed
	}
	return decodeTable(raw)
}

// decodeTable reads the decompressed table.
func decodeTable(raw []byte) (*table, error) {
	head, rest, _ := bytes.Cut(raw, []byte("\n"))
	names, rest, ok1 := bytes.Cut(rest, []byte("\n\n"))
	segs, rest, ok2 := bytes.Cut(rest, []byte("\n\n"))
	meta := strings.Split(string(head), "\t")
	if !ok1 || !ok2 || !strings.HasPrefix(string(head), header) || len(meta) != 4 {
		return nil, errMalformed
	}
	t := &table{commit: meta[2], segs: strings.Split(string(segs), "\n")}
	r := &reader{b: rest}
	nRecords, nNodes, nEntries := r.count(len(rest)), r.count(len(rest)), r.count(len(rest))
	list := strings.Split(string(names), "\n")
	flags := r.bytes(len(list))
	t.perms = make([]perm, len(list))
	for i, name := range list {
		t.perms[i] = perm{name: name, delAdmin: flags[i]&4 != 0}
	}
	t.records = make([]record, nRecords)
	for i := range t.records {
		t.records[i] = r.record(len(t.perms))
	}
	entries := make([]entry, nEntries)
	for i := range entries {
		e := &entries[i]
		if e.methods = r.bytes(1)[0]; e.methods == 0 || e.methods >= 32 {
			r.err = true
		}
		e.record = int32(r.index(len(t.records)))
	}
	d := &treeDecoder{reader: r, t: t, kids: make([]int32, nNodes), entries: entries}
	t.nodes = make([]node, 0, nNodes)
	d.node(-1, -1)
	// What is left are the GUIDs the flags announce.
	for i, f := range flags {
		for k, id := range [2]*string{&t.perms[i].appID, &t.perms[i].delID} {
			if f&(1<<k) != 0 {
				*id = formatGUID(r.bytes(16))
			}
		}
	}
	if r.err || len(r.b) != 0 || len(t.nodes) != nNodes || len(d.entries) != 0 {
		return nil, errMalformed
	}
	return t, nil
}

// reader reads the binary part of the table; after the first error it
// sets err and returns zeros.
type reader struct {
	b   []byte
	err bool
}

// count reads a number that must not exceed limit.
func (r *reader) count(limit int) int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(limit) {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// index reads a number that must be less than n.
func (r *reader) index(n int) int {
	v := r.count(n)
	if v == n {
		r.err, r.b = true, nil
		return 0
	}
	return v
}

// bytes reads n bytes.
func (r *reader) bytes(n int) []byte {
	if len(r.b) < n {
		r.err, r.b = true, nil
		return make([]byte, n)
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

// record reads a record of a table with n permissions.
func (r *reader) record(n int) record {
	var rec record
	for k := range rec.grants {
		if c := r.count(n); c > 0 {
			rec.grants[k] = make([]grant, c)
		}
		for i := range rec.grants[k] {
			g := &rec.grants[k][i]
			g.perm = r.index(n)
			if c := r.count(n); c > 0 {
				g.also = make([]int, c)
			}
			for j := range g.also {
				g.also[j] = r.index(n)
			}
		}
	}
	for k := range rec.suggest {
		rec.suggest[k] = r.count(n) - 1
	}
	return rec
}

// treeDecoder reads the template tree into the table's nodes, giving
// them their children from kids and their entries, in order, from
// entries.
type treeDecoder struct {
	*reader
	t       *table
	kids    []int32
	entries []entry
}

// node reads a node and its subtree, depth first, and returns its index.
func (d *treeDecoder) node(parent, seg int32) int32 {
	i := int32(len(d.t.nodes))
	if d.err || len(d.t.nodes) == cap(d.t.nodes) {
		d.err = true
		return 0
	}
	d.t.nodes = append(d.t.nodes, node{parent: parent, seg: seg})
	n := d.count(len(d.entries))
	es := d.entries[:n:n]
	d.entries = d.entries[n:]
	n = d.count(len(d.kids))
	kids := d.kids[:n:n]
	d.kids = d.kids[n:]
	s := 0
	for j := range kids {
		// Children come in the segments' order, each as the difference
		// from the previous one's index.
		delta := d.count(len(d.t.segs))
		if j > 0 && delta == 0 {
			d.err = true
		}
		if s += delta; s >= len(d.t.segs) {
			d.err = true
			return i
		}
		kids[j] = d.node(i, int32(s))
	}
	d.t.nodes[i].kids, d.t.nodes[i].entries = kids, es
	return i
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
