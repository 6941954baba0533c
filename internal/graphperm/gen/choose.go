package main

import (
	"slices"
	"strings"
)

// This file holds the rules that choose, for each path entry, method and
// token kind, the permission the package suggests; the table stores the
// choice. docs/grant-graph.md explains each rule.

// mperm is a permission as the rules see it.
type mperm struct {
	name         string
	appID, delID string // "" when the map has none in the form 8-4-4-4-12
	delAdmin     bool   // the delegated permission needs admin consent
	rsc          bool   // granted by resource-specific consent, per team or chat
	appOff       bool   // hidden or disabled as an application permission
	delOff       bool   // hidden or disabled as a delegated permission
}

// mgrant is one permission that grants a path entry's request.
type mgrant struct {
	perm  int
	least bool  // the map marks it least privileged
	also  []int // it works only with one of these granted too
}

// model is the trimmed map's permissions, indexed.
type model struct {
	perms  []mperm
	byName map[string]int
}

// choose returns the permission to suggest for a request and token kind
// (0 application, 1 delegated), given the permissions that grant it, or -1
// when none can be added. The rules, in order:
//
//  1. Only a permission that can be granted tenant-wide is suggested: not a
//     resource-specific consent (RSC) permission, which is granted per team
//     or chat; not one hidden or disabled for the token kind; not one
//     without a GUID for the token kind, which no command can add. A
//     permission that works only together with another is the map's mark
//     or the last resort; the Result's note names the others.
//  2. Where Microsoft Learn's page names another least-privileged
//     permission and no rule below explains it, Learn wins (learnWins).
//  3. Otherwise the map's least-privileged mark, read as the permission it
//     stands for: an RSC mark (ChannelMessage.Read.Group) stands for its
//     tenant-wide form, the same name ending in .All, when that grants the
//     request; an application mark without an app role is the delegated
//     name, and the app role is its .All form when the table has one
//     (Calendars.ReadBasic -> Calendars.ReadBasic.All).
//  4. Without a usable mark, the first of the map's list (least privileged
//     first) after ranking: for a GET read permissions before write ones;
//     a feature permission Resource-Feature.* after the plain Resource.*
//     that grants the request too, because a method and path do not say
//     the request touches only that feature; the plain operations (Read,
//     ReadBasic, ReadWrite) before special ones (Manage..., Create,
//     Send, ...); a resource's own permissions before Directory.*.
//  5. The directory's Basic permissions give way to their Read.All form
//     when it grants the request: User.ReadBasic.All for an application
//     token, Group.ReadBasic.All and GroupMember.ReadBasic.All for both
//     kinds. Learn's pages name User.Read.All for an app listing or
//     reading users (an app-only call with User.ReadBasic.All is answered
//     403), and GroupMember.Read.All for groups and their members, for
//     both kinds; for a user's token User.ReadBasic.All is Learn's own
//     least privilege for reading other users.
func (m *model) choose(method, template string, grants []mgrant, kind int) int {
	if name := learnWins(method, template, kind); name != "" {
		for _, g := range grants {
			if m.perms[g.perm].name == name && m.grantable(g.perm, kind) && len(g.also) == 0 {
				return g.perm
			}
		}
	}
	best := -1
	if i := slices.IndexFunc(grants, func(g mgrant) bool { return g.least }); i >= 0 {
		p := grants[i].perm
		switch {
		case m.perms[p].rsc:
			best = m.tenantWideOf(p, grants, kind)
		case kind == 0 && m.perms[p].appID == "":
			best = m.appRoleOf(p)
		case m.grantable(p, kind):
			best = p
		}
	}
	if best < 0 {
		best = m.ranked(method, grants, kind, false)
	}
	if best < 0 {
		// Every permission needs another one too: suggest the best, and
		// the Result's note names what it needs.
		best = m.ranked(method, grants, kind, true)
	}
	if best >= 0 {
		best = m.fullDirectoryRead(best, grants, kind)
	}
	return best
}

// grantable reports rule 1 for a permission and token kind.
func (m *model) grantable(p, kind int) bool {
	pm := m.perms[p]
	if pm.rsc {
		return false
	}
	if kind == 0 {
		return pm.appID != "" && !pm.appOff
	}
	return pm.delID != "" && !pm.delOff
}

// appRoleOf returns the grantable app role named like p with .All
// appended, or -1.
func (m *model) appRoleOf(p int) int {
	if r, ok := m.byName[m.perms[p].name+".All"]; ok && m.grantable(r, 0) {
		return r
	}
	return -1
}

// tenantWideOf returns the grantable permission of grants named like the
// RSC permission p with its last part replaced by All, or -1.
func (m *model) tenantWideOf(p int, grants []mgrant, kind int) int {
	name := m.perms[p].name
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return -1
	}
	for _, g := range grants {
		if m.perms[g.perm].name == name[:i]+".All" && m.grantable(g.perm, kind) && len(g.also) == 0 {
			return g.perm
		}
	}
	return -1
}

// featureOfGranted reports whether p is a feature permission
// Resource-Feature.* and a grantable Resource.* grants the request too.
func (m *model) featureOfGranted(p int, grants []mgrant, kind int) bool {
	res, _, ok := strings.Cut(resource(m.perms[p].name), "-")
	if !ok {
		return false
	}
	for _, g := range grants {
		if m.grantable(g.perm, kind) && len(g.also) == 0 && resource(m.perms[g.perm].name) == res {
			return true
		}
	}
	return false
}

// ranked applies rule 4: the best grantable permission of the list, or -1;
// one that works only with another too only when withOthers is set.
func (m *model) ranked(method string, grants []mgrant, kind int, withOthers bool) int {
	best, bestRank := -1, 0
	for _, g := range grants {
		if !m.grantable(g.perm, kind) || len(g.also) > 0 && !withOthers {
			continue
		}
		name := m.perms[g.perm].name
		rank := 0
		if method == "GET" && isWrite(name) {
			rank += 8
		}
		if m.featureOfGranted(g.perm, grants, kind) {
			rank += 4
		}
		if !plainOperation(name) {
			rank += 2
		}
		if resource(name) == "Directory" {
			rank++
		}
		if best < 0 || rank < bestRank {
			best, bestRank = g.perm, rank
		}
	}
	return best
}

// fullDirectoryRead applies rule 5.
func (m *model) fullDirectoryRead(p int, grants []mgrant, kind int) int {
	res, ok := strings.CutSuffix(m.perms[p].name, ".ReadBasic.All")
	if !ok || !(res == "User" && kind == 0 || res == "Group" || res == "GroupMember") {
		return p
	}
	for _, g := range grants {
		if m.perms[g.perm].name == res+".Read.All" && m.grantable(g.perm, kind) && len(g.also) == 0 {
			return g.perm
		}
	}
	return p
}

// resource is a permission name's resource: the part before the first dot.
func resource(name string) string {
	r, _, _ := strings.Cut(name, ".")
	return r
}

// operation is a permission name's operation: the part after the first
// dot, up to the next (User.ReadWrite.All -> ReadWrite).
func operation(name string) string {
	_, rest, _ := strings.Cut(name, ".")
	op, _, _ := strings.Cut(rest, ".")
	return op
}

// plainOperation reports the operations every resource has.
func plainOperation(name string) bool {
	switch operation(name) {
	case "Read", "ReadBasic", "ReadWrite":
		return true
	}
	return false
}

// isWrite reports a permission that changes data, by the words of its
// operation, as the map's extractor orders them.
func isWrite(name string) bool {
	op := operation(name)
	for _, w := range []string{"Write", "Manage", "Create", "Delete", "Send", "Update"} {
		if strings.Contains(op, w) {
			return true
		}
	}
	return false
}
