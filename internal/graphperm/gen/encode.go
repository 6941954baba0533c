package main

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/graphperm"
)

// header opens the compact table; the version changes with its format
// and must be the one the package reads (graphperm's table.go).
const header = "graphperm\t2"

// methodBits are the bits of an entry's methods, in the order of the
// package's methodNames.
var methodBits = map[string]byte{"GET": 1, "POST": 2, "PUT": 4, "PATCH": 8, "DELETE": 16}

// tnode is a node of the template tree, one path segment a level.
type tnode struct {
	kids    map[string]*tnode
	entries []tentry
}

// tentry is one path entry of a node: its methods and its record.
type tentry struct {
	methods byte
	record  int
}

// record is what path entries share: per token kind the grants and the
// permission to suggest, as its index plus 1 (0 for none).
type record struct {
	grants [2][]mgrant
	choice [2]int
}

// encodeTable writes the compact table (see the package's decode), before
// compression:
//
//	graphperm	2	<commit>	<commit date>
//	<permission names, one a line, sorted>
//	(an empty line)
//	<path segments, one a line, sorted>
//	(an empty line)
//
// and then, in binary, with every number an unsigned varint:
//
//   - the number of records, of tree nodes and of path entries;
//   - a byte of flags per permission: 1 and 2, its application and
//     delegated GUID follow; 4, the delegated permission needs admin
//     consent;
//   - the records, each per token kind (application, delegated) a list
//     of grants: their number (0: that kind is not supported), then per
//     grant its permission and the permissions one of which it needs too
//     (their number, then each); then per token kind the permission to
//     suggest, as its index plus 1, or 0 for none;
//   - the path entries in the tree's order (below), each as a byte of
//     methods (GET 1, POST 2, PUT 4, PATCH 8, DELETE 16) and its record;
//   - the template tree from the root, depth first: a node's number of
//     path entries and of children, then each child as its segment's
//     index (the difference from the previous child's, children in the
//     segments' order) followed by the child's node;
//   - the GUIDs as 16 bytes each, in the permissions' order.
//
// Only the GUIDs of permissions the table suggests are kept. Records are
// numbered by how many entries use them, most first, so that the common
// ones take one byte. A map entry whose methods get different choices is
// written as several path entries of the node; a template with a sample
// item path (root:/foldera/fileb.txt:) is stored as requests are matched
// (root:/{id}:).
func encodeTable(trimmed []byte) ([]byte, error) {
	var doc sourceDoc
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		return nil, fmt.Errorf("trimmed map: %w", err)
	}
	m, err := newModel(&doc)
	if err != nil {
		return nil, err
	}
	root := &tnode{}
	keys := map[string]int{} // record key -> index into recs
	var recs []record        // in the order first met
	var uses []int           // entries per record
	chosen := [2]map[int]bool{{}, {}}
	for _, p := range doc.Paths {
		if strings.ContainsAny(p.Path, "\t\n") || !strings.HasPrefix(p.Path, "/") {
			return nil, fmt.Errorf("trimmed map: bad path %q", p.Path)
		}
		var grants [2][]mgrant
		for k, kind := range kinds {
			list := p.Application
			if kind == kindDelegated {
				list = p.DelegatedWork
			}
			if grants[k], err = m.grants(list, p.LeastPrivileged[kind], p.AlsoRequires[kind]); err != nil {
				return nil, fmt.Errorf("trimmed map: %s: %w", p.Path, err)
			}
		}
		n, err := root.insert(graphperm.CollapseDrivePath(strings.Split(p.Path[1:], "/")))
		if err != nil {
			return nil, fmt.Errorf("trimmed map: %s: %w", p.Path, err)
		}
		first := len(n.entries)
	method:
		for _, meth := range p.Methods {
			bit := methodBits[meth]
			if bit == 0 {
				return nil, fmt.Errorf("trimmed map: %s: unknown method %q", p.Path, meth)
			}
			r := record{grants: grants}
			for k := range r.choice {
				if len(grants[k]) == 0 {
					continue
				}
				if c := m.choose(meth, p.Path, grants[k], k); c >= 0 {
					chosen[k][c] = true
					r.choice[k] = 1 + c
				}
			}
			key := r.key()
			i, ok := keys[key]
			if !ok {
				i = len(recs)
				keys[key] = i
				recs = append(recs, r)
				uses = append(uses, 0)
			}
			// Methods in the map's order, grouped by the record they get.
			for j := first; j < len(n.entries); j++ {
				if n.entries[j].record == i {
					n.entries[j].methods |= bit
					continue method
				}
			}
			n.entries = append(n.entries, tentry{bit, i})
			uses[i]++
		}
	}
	if doc.Commit == "" || len(recs) == 0 {
		return nil, errors.New("trimmed map: no commit or no paths")
	}
	// Renumber the records by use, most used first.
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return uses[order[a]] > uses[order[b]] })
	number := make([]int, len(recs))
	for to, from := range order {
		number[from] = to
	}
	root.renumber(number)
	seen := map[string]bool{}
	root.segments(seen)
	segs := make([]string, 0, len(seen))
	for s := range seen {
		segs = append(segs, s)
	}
	sort.Strings(segs)
	segIndex := make(map[string]int, len(segs))
	for i, s := range segs {
		segIndex[s] = i
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\t%s\t%s\n", header, doc.Commit, doc.CommitDate)
	for _, p := range m.perms {
		b.WriteString(p.name + "\n")
	}
	b.WriteString("\n")
	for _, s := range segs {
		b.WriteString(s + "\n")
	}
	b.WriteString("\n")
	put := func(v int) { b.Write(binary.AppendUvarint(nil, uint64(v))) }
	put(len(recs))
	put(root.count(func(*tnode) int { return 1 }))
	put(root.count(func(n *tnode) int { return len(n.entries) }))
	var guids []byte
	for i, p := range m.perms {
		var flags byte
		for k, id := range []string{p.appID, p.delID} {
			if id == "" || !chosen[k][i] {
				continue
			}
			raw, err := hex.DecodeString(strings.ReplaceAll(id, "-", ""))
			if err != nil {
				return nil, fmt.Errorf("trimmed map: GUID %q: %w", id, err)
			}
			guids = append(guids, raw...)
			flags |= 1 << k
		}
		if p.delAdmin {
			flags |= 4
		}
		b.WriteByte(flags)
	}
	for _, i := range order {
		r := recs[i]
		for _, gs := range r.grants {
			put(len(gs))
			for _, g := range gs {
				put(g.perm)
				put(len(g.also))
				for _, a := range g.also {
					put(a)
				}
			}
		}
		put(r.choice[0])
		put(r.choice[1])
	}
	root.writeEntries(&b, put)
	root.write(segIndex, put)
	b.Write(guids)
	return b.Bytes(), nil
}

// key identifies a record's content.
func (r record) key() string {
	var b strings.Builder
	for k, gs := range r.grants {
		for _, g := range gs {
			fmt.Fprintf(&b, "%d%v,", g.perm, g.also)
		}
		fmt.Fprintf(&b, ";%d;", r.choice[k])
	}
	return b.String()
}

// insert returns the node for a template's segments, adding the nodes it
// lacks.
func (n *tnode) insert(segs []string) (*tnode, error) {
	for _, s := range segs {
		if s == "" || strings.Contains(s, "\n") {
			return nil, fmt.Errorf("bad segment %q", s)
		}
		if n.kids == nil {
			n.kids = map[string]*tnode{}
		}
		k := n.kids[s]
		if k == nil {
			k = &tnode{}
			n.kids[s] = k
		}
		n = k
	}
	return n, nil
}

// sortedKids returns the node's segments in order.
func (n *tnode) sortedKids() []string {
	out := make([]string, 0, len(n.kids))
	for s := range n.kids {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// segments adds the segments under n to seen.
func (n *tnode) segments(seen map[string]bool) {
	for s, k := range n.kids {
		seen[s] = true
		k.segments(seen)
	}
}

// renumber gives the entries under n their records' new numbers.
func (n *tnode) renumber(number []int) {
	for i := range n.entries {
		n.entries[i].record = number[n.entries[i].record]
	}
	for _, k := range n.kids {
		k.renumber(number)
	}
}

// count sums f over the subtree of n.
func (n *tnode) count(f func(*tnode) int) int {
	c := f(n)
	for _, k := range n.kids {
		c += k.count(f)
	}
	return c
}

// writeEntries writes the entries of the subtree of n, depth first.
func (n *tnode) writeEntries(b *bytes.Buffer, put func(int)) {
	for _, e := range n.entries {
		b.WriteByte(e.methods)
		put(e.record)
	}
	for _, s := range n.sortedKids() {
		n.kids[s].writeEntries(b, put)
	}
}

// write writes the subtree of n, depth first: its number of entries and
// of children, then each child's segment and subtree.
func (n *tnode) write(segIndex map[string]int, put func(int)) {
	put(len(n.entries))
	put(len(n.kids))
	prev := 0
	for _, s := range n.sortedKids() {
		put(segIndex[s] - prev)
		prev = segIndex[s]
		n.kids[s].write(segIndex, put)
	}
}

// Encode writes graphperm.dat from the trimmed map: the compact table
// (see encodeTable), compressed with DEFLATE.
func Encode(trimmed []byte) ([]byte, error) {
	text, err := encodeTable(trimmed)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(text); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
