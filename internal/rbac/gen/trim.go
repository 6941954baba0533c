package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/rbac"
)

// trimCopy turns a full extraction of the built-in role definitions (the JSON
// with conditions and permission blocks that easimon/azure-builtin-roles
// and Microsoft's docs yield) into the repository's copy: for each role its
// name, GUID, docs category, the four permission lists and, where Azure
// attaches a condition, the patterns whose grant depends on it.
//
// A condition of the form (!(ActionMatches{'A'})) OR (...) restricts only
// the actions it names; any other condition restricts every pattern of its
// permission block.
func trimCopy(full []byte) ([]byte, error) {
	var in struct {
		Source    string            `json:"source"`
		Commits   map[string]string `json:"commits"`
		Extracted string            `json:"extracted"`
		Roles     []struct {
			fullBlock
			Name     string      `json:"name"`
			ID       string      `json:"id"`
			Scopes   []string    `json:"assignableScopes"`
			Category *string     `json:"category"`
			Blocks   []fullBlock `json:"permissionBlocks"`
		} `json:"roles"`
	}
	if err := json.Unmarshal(full, &in); err != nil {
		return nil, fmt.Errorf("reading the full extraction: %w", err)
	}
	out := rbac.CopyFile{Source: in.Source, Commits: in.Commits, Extracted: in.Extracted, Date: dataDate(in.Source)}
	for _, r := range in.Roles {
		t := rbac.CopyRole{
			Name: r.Name, ID: r.ID,
			Actions: nonNil(r.Actions), NotActions: nonNil(r.NotActions),
			DataActions: nonNil(r.DataActions), NotDataActions: nonNil(r.NotDataActions),
		}
		if len(r.Scopes) > 0 && !slices.Contains(r.Scopes, "/") {
			t.AssignableScopes = r.Scopes
		}
		if r.Category != nil {
			t.Category = *r.Category
		}
		blocks := r.Blocks
		if len(blocks) == 0 {
			blocks = []fullBlock{r.fullBlock}
		}
		t.Conditioned = conditioned(blocks)
		out.Roles = append(out.Roles, t)
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

type fullBlock struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
	Condition      string   `json:"condition"`
}

// conditioned lists the patterns of blocks that a role grants only under
// a condition, leaving out those an unconditioned block also grants.
func conditioned(blocks []fullBlock) []string {
	free := map[string]bool{}
	for _, b := range blocks {
		if b.Condition == "" {
			for _, p := range slices.Concat(b.Actions, b.DataActions) {
				free[strings.ToLower(p)] = true
			}
		}
	}
	var out []string
	for _, b := range blocks {
		if b.Condition == "" {
			continue
		}
		actionMatches := regexp.MustCompile(`ActionMatches\{'([^']+)'\}`)
		named := actionMatches.FindAllStringSubmatch(b.Condition, -1)
		if len(named) == 0 {
			named = nil
			for _, p := range slices.Concat(b.Actions, b.DataActions) {
				named = append(named, []string{"", p})
			}
		}
		for _, m := range named {
			if !free[strings.ToLower(m[1])] && !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// dataDate is the date of Azure's own listing named in the source line.
func dataDate(source string) string {
	isoDate := regexp.MustCompile(`\(([0-9]{4}-[0-9]{2}-[0-9]{2})[;)]`)
	if m := isoDate.FindStringSubmatch(source); m != nil {
		return m[1]
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
