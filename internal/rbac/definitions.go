package rbac

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// Definition is a role definition of the caller's own, as
// az role definition list --custom-role-only true prints it.
type Definition struct {
	// Name is the role's name (roleName).
	Name string
	// ID is the role definition's GUID (name).
	ID string
	// Permissions are the role's permission blocks.
	Permissions []Permission
}

// Permission is one permission block of a role definition.
type Permission struct {
	// Actions, NotActions, DataActions and NotDataActions are the
	// block's patterns, as Azure writes them.
	Actions, NotActions, DataActions, NotDataActions []string
	// Condition is the block's ABAC condition, if any. A conditioned
	// block's grants are suggested only where no other role grants.
	Condition string
}

// maxRoleName bounds a custom role's name as recorded.
const maxRoleName = 128

// ParseDefinitions reads the JSON array that
// az role definition list --custom-role-only true prints (fields
// roleName, name, permissions[].actions, notActions, dataActions,
// notDataActions, condition). Entries without a role definition GUID in
// name (or at the end of id) are left out. A name of other characters than
// letters, digits, spaces and - _ . ( ) , & ' is replaced by
// "Custom role <GUID>".
func ParseDefinitions(azJSON []byte) ([]Definition, error) {
	var in []struct {
		RoleName    string `json:"roleName"`
		Name        string `json:"name"`
		ID          string `json:"id"`
		Permissions []struct {
			Actions        []string `json:"actions"`
			NotActions     []string `json:"notActions"`
			DataActions    []string `json:"dataActions"`
			NotDataActions []string `json:"notDataActions"`
			Condition      string   `json:"condition"`
		} `json:"permissions"`
	}
	if err := json.Unmarshal(azJSON, &in); err != nil {
		return nil, fmt.Errorf("rbac: reading role definitions: %w", err)
	}
	var out []Definition
	for _, d := range in {
		id := d.Name
		if !safe.IsBareGUID(id) {
			id = d.ID[strings.LastIndexByte(d.ID, '/')+1:]
		}
		if !safe.IsBareGUID(id) {
			continue
		}
		def := Definition{Name: roleName(d.RoleName, id), ID: strings.ToLower(id)}
		for _, p := range d.Permissions {
			def.Permissions = append(def.Permissions, Permission{
				Actions: p.Actions, NotActions: p.NotActions,
				DataActions: p.DataActions, NotDataActions: p.NotDataActions,
				Condition: p.Condition,
			})
		}
		out = append(out, def)
	}
	return out, nil
}

// roleName keeps a custom role's name when it is plainly a name.
func roleName(name, id string) string {
	name = strings.TrimSpace(name)
	ok := name != "" && len(name) <= maxRoleName
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = isAlnum(c) || strings.IndexByte(" -_.(),&'", c) >= 0
	}
	if !ok {
		return "Custom role " + strings.ToLower(id)
	}
	return name
}

// With returns a catalog holding c's roles and the given definitions,
// which replace any of c's roles with the same GUID. Definitions without
// a GUID are left out. The definitions are measured against the built-in
// roles, so that custom and built-in roles rank on one scale.
func (c *Catalog) With(defs ...Definition) *Catalog {
	ids := map[string]bool{}
	var custom []rawRole
	for _, d := range defs {
		id := strings.ToLower(d.ID)
		if !safe.IsBareGUID(id) || ids[id] {
			continue
		}
		ids[id] = true
		raw := rawRole{Role: Role{Name: roleName(d.Name, id), ID: id, Custom: true}}
		for _, p := range d.Permissions {
			raw.blocks = append(raw.blocks, block{
				allow:   [2][]string{lowered(p.Actions), lowered(p.DataActions)},
				deny:    [2][]string{lowered(p.NotActions), lowered(p.NotDataActions)},
				condAll: strings.TrimSpace(p.Condition) != "",
			})
		}
		custom = append(custom, raw)
	}
	var builtins []rawRole
	for _, r := range c.raws {
		if !r.Custom {
			builtins = append(builtins, r)
		}
	}
	y := yardstickOf(builtins)
	raws := make([]rawRole, 0, len(c.raws)+len(custom))
	for _, r := range c.raws {
		if !ids[strings.ToLower(r.ID)] {
			raws = append(raws, r)
		}
	}
	for i := range custom {
		y.measure(&custom[i])
		for j := range custom[i].blocks {
			b := &custom[i].blocks[j]
			b.allow = [2][]string{compile(b.allow[0]), compile(b.allow[1])}
			b.deny = [2][]string{compile(b.deny[0]), compile(b.deny[1])}
		}
	}
	raws = append(raws, custom...)
	return newCatalog(raws, c.date)
}

// lowered is the patterns lowered and trimmed, as Azure compares them.
func lowered(patterns []string) []string {
	out := make([]string, 0, len(patterns))
	for _, p := range patterns {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}
