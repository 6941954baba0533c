package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
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

// newModel indexes the trimmed map's permissions, sorted by name. A GUID is
// kept only in its 8-4-4-4-12 form, in either case: the map has one with
// nine digits in its first group, which no command could use; such a
// permission counts as having no GUID.
func newModel(doc *sourceDoc) (*model, error) {
	names := make([]string, 0, len(doc.Permissions))
	for n := range doc.Permissions {
		if strings.ContainsAny(n, "\t\n,+*") || n == "" {
			return nil, fmt.Errorf("trimmed map: bad permission name %q", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	m := &model{byName: make(map[string]int, len(names))}
	guid := func(s *string) string {
		if s == nil || !safe.IsBareGUID(*s) {
			return ""
		}
		return strings.ToLower(*s)
	}
	for i, n := range names {
		p := doc.Permissions[n]
		off := append(append([]string(nil), p.Hidden...), p.Disabled...)
		m.byName[n] = i
		m.perms = append(m.perms, mperm{
			name:   n,
			appID:  guid(p.ApplicationID),
			delID:  guid(p.DelegatedID),
			rsc:    p.RSC,
			appOff: contains(off, kindApplication),
			delOff: contains(off, kindDelegated),
			// Unknown consent: say admin consent, the safe side.
			delAdmin: p.DelegatedID != nil && (p.AdminConsentDelegated == nil || *p.AdminConsentDelegated),
		})
	}
	return m, nil
}

// grants indexes one token kind's permissions of a path entry.
func (m *model) grants(list []string, least string, also map[string][]string) ([]mgrant, error) {
	out := make([]mgrant, 0, len(list))
	for _, n := range list {
		i, ok := m.byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown permission %q", n)
		}
		g := mgrant{perm: i, least: n == least}
		for _, a := range also[n] {
			j, ok := m.byName[a]
			if !ok {
				return nil, fmt.Errorf("unknown permission %q", a)
			}
			g.also = append(g.also, j)
		}
		out = append(out, g)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
