package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/azauthtrace/azauthtrace/internal/aadsts"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns Microsoft's reference page (reference.md) and the mapping
// rules (rules.tsv) into the table codes.tsv. The generator in ./gen writes
// its output, and the tests check that codes.tsv is what it would write.

// maxSummary is the most bytes a summary may take, ellipsis included.
const maxSummary = 200

// row is one code of the reference page.
type row struct {
	code    int
	name    string // the CamelCase identifier opening the description, or ""
	summary string // the description's first sentence, as plain text
	text    string // the whole description, as plain text
}

// parseReference reads the rows of the "AADSTS error codes" table of
// Microsoft's page. Every line from the table's header to the blank line
// that ends it must be a row. A code listed twice keeps the first of its
// rows that has a name, or else its first row.
func parseReference(page []byte) ([]row, error) {
	if !utf8.Valid(page) {
		return nil, errors.New("reference: not valid UTF-8")
	}
	lines := strings.Split(strings.ReplaceAll(string(page), "\r\n", "\n"), "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) != "## AADSTS error codes" {
		i++
	}
	if i == len(lines) {
		return nil, errors.New(`reference: no "## AADSTS error codes" heading`)
	}
	i++
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i+1 >= len(lines) || !tableHeader.MatchString(lines[i]) || !tableRule.MatchString(lines[i+1]) {
		return nil, fmt.Errorf("reference line %d: want the table header | Error | Description |", i+1)
	}
	i += 2
	byCode := map[int]int{} // code -> index in rows
	var rows []row
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		m := tableRow.FindStringSubmatch(lines[i])
		if m == nil {
			return nil, fmt.Errorf("reference line %d: not a table row: %.60q", i+1, lines[i])
		}
		code, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("reference line %d: code %q: %v", i+1, m[1], err)
		}
		desc := strings.TrimSpace(m[2])
		desc = strings.TrimSpace(strings.TrimSuffix(desc, "|"))
		r := row{code: code, text: plain(desc)}
		rest := desc
		if name, after, ok := leadingName(desc); ok {
			r.name, rest = name, after
		}
		r.summary = summarize(plain(rest))
		if j, dup := byCode[code]; dup {
			if rows[j].name == "" && r.name != "" {
				rows[j] = r
			}
			continue
		}
		byCode[code] = len(rows)
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, errors.New("reference: the AADSTS table has no rows")
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].code < rows[b].code })
	return rows, nil
}

var (
	tableHeader = regexp.MustCompile(`^\|\s*Error\s*\|\s*Description\s*\|\s*$`)
	tableRule   = regexp.MustCompile(`^\|\s*-+\s*\|\s*-+\s*\|\s*$`)
	tableRow    = regexp.MustCompile(`^\|\s*AADSTS(\d+)\s*\|(.*)$`)
	leadingWord = regexp.MustCompile(`^[A-Za-z0-9_]+`)
	nameEnd     = regexp.MustCompile(`^\s*(?:-\s*|$)`)
)

// leadingName splits "Name - text" into the name and the text. The name must
// be a CamelCase identifier (an upper-case letter, then letters, digits or
// underscores with at least one lower-case letter followed later by an
// upper-case letter or digit) ending the description or followed by a dash.
func leadingName(desc string) (name, rest string, ok bool) {
	word := leadingWord.FindString(desc)
	if word == "" || !camelCase(word) {
		return "", desc, false
	}
	end := nameEnd.FindString(desc[len(word):])
	if end == "" && len(desc) > len(word) {
		return "", desc, false
	}
	return word, desc[len(word)+len(end):], true
}

func camelCase(word string) bool {
	if !unicode.IsUpper(rune(word[0])) {
		return false
	}
	lower := false
	for _, c := range word[1:] {
		switch {
		case unicode.IsLower(c):
			lower = true
		case (unicode.IsUpper(c) || unicode.IsDigit(c)) && lower:
			return true
		}
	}
	return false
}

var (
	listItemBreak = regexp.MustCompile(`(?i)</li>\s*<li>`)
	htmlTag       = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*\s*/?>`)
	mdLink        = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
	mdEscape      = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+.!\"'-])")
	spaces        = regexp.MustCompile(`\s+`)
)

// plain reduces a description's markdown and HTML to plain text on one line:
// list items are joined with "; ", links become their text, and emphasis,
// code marks and escapes are dropped.
func plain(s string) string {
	s = listItemBreak.ReplaceAllString(s, "; ")
	s = htmlTag.ReplaceAllString(s, " ")
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "`", "")
	s = mdEscape.ReplaceAllString(s, "$1")
	s = spaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// summarize returns the first sentence of s, at most maxSummary bytes: a
// longer one is cut at a word boundary and ends with an ellipsis.
func summarize(s string) string {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(".!?", s[i]) >= 0 && (i+1 == len(s) || s[i+1] == ' ') {
			s = s[:i+1]
			break
		}
	}
	if len(s) <= maxSummary {
		return s
	}
	const ellipsis = "…"
	cut := maxSummary - len(ellipsis)
	if sp := strings.LastIndexByte(s[:cut+1], ' '); sp > 0 {
		cut = sp
	} else {
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:-") + ellipsis
}

// rule is one line of rules.tsv.
type rule struct {
	line   int
	kind   string // "reviewed", "wrapper" or "keyword"
	code   int    // reviewed and wrapper
	id     string // keyword
	class  string
	field  string         // keyword: "name", "summary" or "text"
	re     *regexp.Regexp // keyword
	except *regexp.Regexp // keyword, optional
	used   bool
}

// parseRules reads rules.tsv. Lines are tab-separated; blank lines and lines
// starting with # are ignored:
//
//	reviewed <code> <class> <reason>
//	wrapper  <code> <class> <reason>
//	keyword  <id>   <class> <field> <regexp> [<except regexp>]
//
// The per-code lines (reviewed, wrapper) must all come before the keyword
// rules, and the rules apply in file order: the first that matches wins.
func parseRules(text []byte) ([]*rule, error) {
	var rules []*rule
	codes := map[int]int{}
	ids := map[string]int{}
	keywords := false
	for n, line := range strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n") {
		n++
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		bad := func(format string, a ...any) error {
			return fmt.Errorf("rules line %d: %s", n, fmt.Sprintf(format, a...))
		}
		if len(f) < 4 {
			return nil, bad("want at least 4 tab-separated fields, have %d", len(f))
		}
		r := &rule{line: n, kind: f[0], class: f[2]}
		if !aadsts.ValidClass(r.class) {
			return nil, bad("unknown class %q", r.class)
		}
		switch r.kind {
		case "reviewed", "wrapper":
			if keywords {
				return nil, bad("per-code decisions must come before the keyword rules")
			}
			if len(f) != 4 || strings.TrimSpace(f[3]) == "" {
				return nil, bad("want %s<TAB>code<TAB>class<TAB>reason", r.kind)
			}
			code, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, bad("code %q: %v", f[1], err)
			}
			if prev, dup := codes[code]; dup {
				return nil, bad("code %d already decided on line %d", code, prev)
			}
			codes[code] = n
			r.code = code
		case "keyword":
			keywords = true
			if len(f) != 5 && len(f) != 6 {
				return nil, bad("want keyword<TAB>id<TAB>class<TAB>field<TAB>regexp[<TAB>except]")
			}
			r.id, r.field = f[1], f[3]
			if r.id == "" || r.id == "reviewed" || r.id == "wrapper" {
				return nil, bad("rule id %q is empty or reserved", r.id)
			}
			if prev, dup := ids[r.id]; dup {
				return nil, bad("rule id %q already used on line %d", r.id, prev)
			}
			ids[r.id] = n
			if r.field != "name" && r.field != "summary" && r.field != "text" {
				return nil, bad("field %q: want name, summary or text", r.field)
			}
			var err error
			if r.re, err = regexp.Compile(f[4]); err != nil {
				return nil, bad("%v", err)
			}
			if len(f) == 6 {
				if r.except, err = regexp.Compile(f[5]); err != nil {
					return nil, bad("%v", err)
				}
			}
		default:
			return nil, bad("unknown kind %q: want reviewed, wrapper or keyword", r.kind)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// match reports whether r decides the class of row c.
func (r *rule) match(c row) bool {
	switch r.kind {
	case "reviewed", "wrapper":
		return r.code == c.code
	}
	var s string
	switch r.field {
	case "name":
		s = c.name
	case "summary":
		s = c.summary
	default:
		s = c.text
	}
	return r.re.MatchString(s) && (r.except == nil || !r.except.MatchString(s))
}

// name is what the rule column of codes.tsv says about r.
func (r *rule) name() string {
	if r.kind == "keyword" {
		return r.id
	}
	return r.kind
}

// classified is one row of codes.tsv.
type classified struct {
	row
	class, rule string
}

// classify gives every row the class of the first rule that matches it. It
// fails listing every row no rule matches, every per-code rule for a code
// the page does not have, and every keyword rule that decides no code.
func classify(rows []row, rules []*rule) ([]classified, error) {
	var out []classified
	var problems []string
	onPage := map[int]bool{}
	for _, c := range rows {
		onPage[c.code] = true
		var hit *rule
		for _, r := range rules {
			if r.match(c) {
				hit = r
				break
			}
		}
		if hit == nil {
			problems = append(problems, fmt.Sprintf("AADSTS%d %s: no rule matches: %s", c.code, c.name, c.summary))
			continue
		}
		hit.used = true
		out = append(out, classified{row: c, class: hit.class, rule: hit.name()})
	}
	for _, r := range rules {
		switch {
		case r.kind != "keyword" && !onPage[r.code]:
			problems = append(problems, fmt.Sprintf("rules line %d: code %d is not on the reference page", r.line, r.code))
		case r.kind == "keyword" && !r.used:
			problems = append(problems, fmt.Sprintf("rules line %d: keyword rule %s decides no code", r.line, r.id))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	return out, nil
}

// Generate builds the contents of codes.tsv from Microsoft's reference page
// and the mapping rules: one line per code, sorted by code, with the columns
// code, name, class, rule and summary. It fails, listing them all, if a
// code matches no rule or a rule is stale (a per-code rule for a code the
// page lacks, a keyword rule that decides no code).
func Generate(reference, rules []byte) ([]byte, error) {
	rows, err := parseReference(reference)
	if err != nil {
		return nil, err
	}
	rs, err := parseRules(rules)
	if err != nil {
		return nil, err
	}
	table, err := classify(rows, rs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Generated from reference.md and rules.tsv by go run ./internal/aadsts/gen. DO NOT EDIT.\n")
	b.WriteString("code\tname\tclass\trule\tsummary\n")
	for _, c := range table {
		fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\n", c.code, c.name, c.class, c.rule, c.summary)
	}
	return b.Bytes(), nil
}
