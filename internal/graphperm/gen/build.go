package main

import (
	"bytes"
	"compress/flate"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file turns Microsoft's Graph permissions map into the repository's
// trimmed copy (data/permissions.json) and that copy into the compact table
// (graphperm.dat) the package embeds; the tests check that graphperm.dat is
// what it would write. It lives here, not in the package, so that programs
// importing the package do not link encoding/json and a gzip writer.

// Token kinds, as the map's keys name them.
const (
	kindApplication = "application"    // app-only token, roles claim
	kindDelegated   = "delegated_work" // a work or school user's token, scp claim
)

// sourceDoc is the map's JSON document (see /data/permissions.json and the
// README of its extractor): metadata, permissions by name, path entries.
type sourceDoc struct {
	Source      string                `json:"source"`
	SourceGUIDs string                `json:"source_guids"`
	Commit      string                `json:"commit"`
	CommitDate  string                `json:"commit_date"`
	Extracted   string                `json:"extracted"`
	Permissions map[string]sourcePerm `json:"permissions"`
	Paths       []sourcePath          `json:"paths"`
}

// sourcePerm is one permission of the map.
type sourcePerm struct {
	ApplicationID           *string  `json:"application_id"`
	DelegatedID             *string  `json:"delegated_id"`
	AdminConsentApplication *bool    `json:"admin_consent_application"`
	AdminConsentDelegated   *bool    `json:"admin_consent_delegated"`
	RSC                     bool     `json:"rsc,omitempty"`
	Hidden                  []string `json:"hidden,omitempty"`
	Disabled                []string `json:"disabled,omitempty"`
}

// sourcePath is one path entry of the map: a normalised path template, the
// methods that share its data, and per token kind the permissions that grant
// it, the one marked least privileged, and those that never work alone.
type sourcePath struct {
	Path            string                         `json:"path"`
	Methods         []string                       `json:"methods"`
	Application     []string                       `json:"application,omitempty"`
	DelegatedWork   []string                       `json:"delegated_work,omitempty"`
	LeastPrivileged map[string]string              `json:"least_privileged"`
	AlsoRequires    map[string]map[string][]string `json:"also_requires,omitempty"`
}

// kinds are the token kinds kept; the map's third, delegated_personal
// (personal Microsoft accounts), is dropped: their calls are not denied by a
// tenant's consent.
var kinds = []string{kindApplication, kindDelegated}

// Trim keeps of the full map what the package uses: the two token kinds,
// the path entries that have one of them, and the permissions those entries
// name. Unknown fields of the full map are dropped by decoding.
func Trim(full []byte) ([]byte, error) {
	var doc sourceDoc
	if err := json.Unmarshal(full, &doc); err != nil {
		return nil, fmt.Errorf("permissions map: %w", err)
	}
	used := map[string]bool{}
	var paths []sourcePath
	for _, p := range doc.Paths {
		if len(p.Application) == 0 && len(p.DelegatedWork) == 0 {
			continue
		}
		lp := map[string]string{}
		for _, k := range kinds {
			if v := p.LeastPrivileged[k]; v != "" {
				lp[k] = v
			}
		}
		p.LeastPrivileged = lp
		if p.AlsoRequires != nil {
			ar := map[string]map[string][]string{}
			for _, k := range kinds {
				if v := p.AlsoRequires[k]; len(v) > 0 {
					ar[k] = v
				}
			}
			p.AlsoRequires = nil
			if len(ar) > 0 {
				p.AlsoRequires = ar
			}
		}
		for _, n := range append(append([]string(nil), p.Application...), p.DelegatedWork...) {
			used[n] = true
		}
		paths = append(paths, p)
	}
	// The .All form of a name is kept too: an application mark without an
	// app role is read as its .All app role (see choose).
	for n := range used {
		if _, ok := doc.Permissions[n+".All"]; ok {
			used[n+".All"] = true
		}
	}
	perms := map[string]sourcePerm{}
	for n := range used {
		sp, ok := doc.Permissions[n]
		if !ok {
			return nil, fmt.Errorf("permissions map: path names unknown permission %q", n)
		}
		sp.Hidden = keepKinds(sp.Hidden)
		sp.Disabled = keepKinds(sp.Disabled)
		perms[n] = sp
	}
	doc.Permissions, doc.Paths = perms, paths
	return marshalDoc(&doc)
}

// keepKinds returns the token kinds of list that the package keeps.
func keepKinds(list []string) []string {
	var out []string
	for _, k := range list {
		if k == kindApplication || k == kindDelegated {
			out = append(out, k)
		}
	}
	return out
}

// marshalDoc writes the document with one permission and one path entry a
// line, so that a refresh shows in a diff as the lines that changed.
func marshalDoc(doc *sourceDoc) ([]byte, error) {
	var b bytes.Buffer
	meta, err := json.Marshal(struct {
		Source      string `json:"source"`
		SourceGUIDs string `json:"source_guids"`
		Commit      string `json:"commit"`
		CommitDate  string `json:"commit_date"`
		Extracted   string `json:"extracted"`
	}{doc.Source, doc.SourceGUIDs, doc.Commit, doc.CommitDate, doc.Extracted})
	if err != nil {
		return nil, err
	}
	b.Write(meta[:len(meta)-1])
	b.WriteString(",\n\"permissions\":{\n")
	names := make([]string, 0, len(doc.Permissions))
	for n := range doc.Permissions {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		k, _ := json.Marshal(n)
		v, err := json.Marshal(doc.Permissions[n])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("},\n\"paths\":[\n")
	for i, p := range doc.Paths {
		v, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		b.Write(v)
		if i < len(doc.Paths)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// header opens the compact table; the version changes with its format
// and must be the one the package reads (graphperm's table.go).
const header = "graphperm\t1"

// encodeText writes the compact table (see decodeText), before
// compression:
//
//	graphperm	1	<commit>	<commit date>	<number of GUIDs>
//	p	<name>	<+ or ->	<+ or ->	<flags>
//	e	<n>	<path after n bytes>	<methods>	<application grants>	<delegated grants>
//
// followed by the GUIDs as 16 bytes each (the bytes of the 32 hexadecimal
// digits, in the order written): + marks a permission's application and
// delegated GUID, which are the next ones, - its absence. They are binary
// because, as text, they would be a third of the compressed table. A path
// is written as its difference from the one before: the first n bytes are
// the previous path's.
//
// Flags: d = the delegated permission needs admin consent, r = granted by
// resource-specific consent, h / H = hidden or disabled as an application /
// delegated permission. Grants are comma-separated indexes into the p lines,
// in the map's order (least privileged first); * marks the one the map marks
// least privileged, and +i+j follow a permission that works only together
// with one of i, j. An empty field: that token kind is not supported.
func encodeText(trimmed []byte) ([]byte, error) {
	var doc sourceDoc
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		return nil, fmt.Errorf("trimmed map: %w", err)
	}
	if doc.Commit == "" || len(doc.Paths) == 0 {
		return nil, errors.New("trimmed map: no commit or no paths")
	}
	names := make([]string, 0, len(doc.Permissions))
	for n := range doc.Permissions {
		if strings.ContainsAny(n, "\t\n,+*") || n == "" {
			return nil, fmt.Errorf("trimmed map: bad permission name %q", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	index := make(map[string]int, len(names))
	var b strings.Builder
	var guids []byte
	// A GUID is kept only in its 8-4-4-4-12 form, in either case: the
	// map has one with nine digits in its first group, which no command
	// could use; such a permission counts as having no GUID.
	guid := func(s *string) (string, error) {
		if s == nil || !isGUID(*s) {
			return "-", nil
		}
		raw, err := hex.DecodeString(strings.ReplaceAll(*s, "-", ""))
		if err != nil {
			return "", fmt.Errorf("trimmed map: GUID %q: %w", *s, err)
		}
		guids = append(guids, raw...)
		return "+", nil
	}
	var body strings.Builder
	for i, n := range names {
		index[n] = i
		p := doc.Permissions[n]
		var flags []byte
		if p.DelegatedID != nil && (p.AdminConsentDelegated == nil || *p.AdminConsentDelegated) {
			flags = append(flags, 'd') // unknown: say admin consent, the safe side
		}
		if p.RSC {
			flags = append(flags, 'r')
		}
		off := append(append([]string(nil), p.Hidden...), p.Disabled...)
		if contains(off, kindApplication) {
			flags = append(flags, 'h')
		}
		if contains(off, kindDelegated) {
			flags = append(flags, 'H')
		}
		app, err := guid(p.ApplicationID)
		if err != nil {
			return nil, err
		}
		del, err := guid(p.DelegatedID)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&body, "p\t%s\t%s\t%s\t%s\n", n, app, del, flags)
	}
	prev := ""
	for _, p := range doc.Paths {
		if strings.ContainsAny(p.Path, "\t\n") || !strings.HasPrefix(p.Path, "/") {
			return nil, fmt.Errorf("trimmed map: bad path %q", p.Path)
		}
		k := 0
		for k < len(p.Path) && k < len(prev) && p.Path[k] == prev[k] {
			k++
		}
		prev = p.Path
		fields := []string{"e", strconv.Itoa(k), p.Path[k:], strings.Join(p.Methods, ",")}
		for _, k := range kinds {
			list := p.Application
			if k == kindDelegated {
				list = p.DelegatedWork
			}
			g, err := grantsText(list, p.LeastPrivileged[k], p.AlsoRequires[k], index)
			if err != nil {
				return nil, fmt.Errorf("trimmed map: %s: %w", p.Path, err)
			}
			fields = append(fields, g)
		}
		body.WriteString(strings.Join(fields, "\t"))
		body.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s\t%s\t%s\t%d\n", header, doc.Commit, doc.CommitDate, len(guids)/16)
	b.WriteString(body.String())
	b.Write(guids)
	return []byte(b.String()), nil
}

// grantsText writes one token kind's grants of a path entry.
func grantsText(list []string, least string, also map[string][]string, index map[string]int) (string, error) {
	items := make([]string, 0, len(list))
	for _, n := range list {
		i, ok := index[n]
		if !ok {
			return "", fmt.Errorf("unknown permission %q", n)
		}
		s := strconv.Itoa(i)
		if n == least {
			s = "*" + s
		}
		for _, a := range also[n] {
			j, ok := index[a]
			if !ok {
				return "", fmt.Errorf("unknown permission %q", a)
			}
			s += "+" + strconv.Itoa(j)
		}
		items = append(items, s)
	}
	return strings.Join(items, ","), nil
}

// Encode writes graphperm.dat from the trimmed map: the compact table
// (see encodeText), compressed with DEFLATE.
func Encode(trimmed []byte) ([]byte, error) {
	text, err := encodeText(trimmed)
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

// isGUID reports whether s has the form 8-4-4-4-12 of hexadecimal digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
