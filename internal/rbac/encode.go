package rbac

import (
	"bytes"
	"compress/flate"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/azauthtrace/azauthtrace/internal/safe"
)

// The embedded table is DEFLATE-compressed text, one fact per line, fields
// separated by tabs:
//
//	#	<date of the data>
//	p<k>	<rest of pattern>
//	R	<role name>	<docs category: privileged, d for another, or none>
//	a|n|d|x|c	<pattern numbers>
//	s
//	m	<writes>	<reads>	<patterns>	<about>	<products>	<changes>
//
// The p lines are every pattern of the roles, lowered (Azure compares
// them without regard to case) and compiled (see compile), sorted, each
// once, and written as the
// number k of leading bytes it shares with the pattern before it and the
// rest; they are numbered from 0 in that order. Each role's a, n, d, x and
// c lines list the numbers of its actions, not-actions, data actions,
// not-data-actions and conditioned patterns, ascending, each written in
// base 36 as its difference from the one before, separated by spaces. An
// s line marks a role assignable only at some scopes. The m line holds
// the role's measures against all the roles of the table (see measures),
// its two lists comma-separated.
const (
	tagDate        = "#"
	tagPattern     = "p"
	tagRole        = "R"
	tagAction      = "a"
	tagNotAction   = "n"
	tagData        = "d"
	tagNotData     = "x"
	tagConditioned = "c"
	tagScope       = "s"
	tagMeasures    = "m"
)

// Encode turns the repository's copy of the role facts
// (data/builtin-roles.json) into the compressed table the package embeds
// and the roles' GUIDs, 16 bytes each. It is used by the generator and by
// the test that keeps them in step.
func Encode(copyJSON []byte) (table, ids []byte, err error) {
	var in CopyFile
	if err := json.Unmarshal(copyJSON, &in); err != nil {
		return nil, nil, fmt.Errorf("rbac: reading the copy: %w", err)
	}
	var text strings.Builder
	line := func(fields ...string) error {
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\n") {
				return fmt.Errorf("rbac: a tab or newline in %q", f)
			}
		}
		text.WriteString(strings.Join(fields, "\t"))
		text.WriteByte('\n')
		return nil
	}
	if err := line(tagDate, in.Date); err != nil {
		return nil, nil, err
	}
	lists := func(r CopyRole) [][]string {
		var out [][]string
		for _, l := range [][]string{r.Actions, r.NotActions, r.DataActions, r.NotDataActions, r.Conditioned} {
			out = append(out, compile(sortedLower(l)))
		}
		return out
	}
	var all []string
	for _, r := range in.Roles {
		for _, l := range lists(r) {
			all = append(all, l...)
		}
	}
	number := map[string]int{}
	prev := ""
	for i, p := range sortedLower(all) {
		number[p] = i
		k := 0
		for k < len(p) && k < len(prev) && p[k] == prev[k] {
			k++
		}
		if err := line(tagPattern+strconv.Itoa(k), p[k:]); err != nil {
			return nil, nil, err
		}
		prev = p
	}
	// The roles are measured on their patterns as written.
	raws := make([]rawRole, len(in.Roles))
	for i, r := range in.Roles {
		raws[i] = rawRole{Role: Role{Name: r.Name}, blocks: []block{{
			allow: [2][]string{sortedLower(r.Actions), sortedLower(r.DataActions)},
			deny:  [2][]string{sortedLower(r.NotActions), sortedLower(r.NotDataActions)},
			cond:  sortedLower(r.Conditioned),
		}}}
	}
	y := yardstickOf(raws)
	for n, r := range in.Roles {
		if !safe.IsBareGUID(r.ID) || r.Name == "" {
			return nil, nil, fmt.Errorf("rbac: role %q has no name or no GUID", r.ID)
		}
		id, _ := hex.DecodeString(strings.ReplaceAll(r.ID, "-", ""))
		ids = append(ids, id...)
		if err := line(tagRole, r.Name, category(r.Category)); err != nil {
			return nil, nil, err
		}
		m := &raws[n]
		y.measure(m)
		changes := "0"
		if m.changes {
			changes = "1"
		}
		fmt.Fprintf(&text, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", tagMeasures, m.writes, m.reads, m.patterns, strings.Join(m.about, ","), strings.Join(m.products, ","), changes)
		for i, l := range lists(r) {
			var nums []string
			last := 0
			for _, p := range sortedLower(l) {
				nums = append(nums, strconv.FormatInt(int64(number[p]-last), 36))
				last = number[p]
			}
			if len(nums) > 0 {
				text.WriteString([]string{tagAction, tagNotAction, tagData, tagNotData, tagConditioned}[i] + "\t" + strings.Join(nums, " ") + "\n")
			}
		}
		if len(r.AssignableScopes) > 0 {
			text.WriteString(tagScope + "\n")
		}
	}
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, nil, err
	}
	if _, err := w.Write([]byte(text.String())); err != nil {
		return nil, nil, err
	}
	if err := w.Close(); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), ids, nil
}

// category is what the table keeps of a role's docs category: privileged,
// none, or d for any other.
func category(c string) string {
	if c == "" || c == "privileged" {
		return c
	}
	return "d"
}

// sortedLower is the patterns lowered, trimmed, sorted and each once.
func sortedLower(patterns []string) []string {
	out := lowered(patterns)
	slices.Sort(out)
	return slices.Compact(out)
}
