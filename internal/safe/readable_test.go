package safe

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusTexts returns the descriptions of the recorded failures under
// internal/testing/corpus/cases and more: the error texts, and the
// messages and error descriptions of the bodies (a body that is not JSON
// as a whole).
func corpusTexts(t testing.TB) []string {
	var files []string
	for _, dir := range []string{"../testing/corpus/cases", "../testing/corpus/more"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no corpus cases here")
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Body      string `json:"body"`
			ErrorText string `json:"error_text"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.ErrorText != "" {
			texts = append(texts, c.ErrorText)
		}
		var body any
		if json.Unmarshal([]byte(c.Body), &body) != nil {
			if c.Body != "" {
				texts = append(texts, c.Body)
			}
			continue
		}
		texts = appendMessages(texts, body, false)
	}
	return texts
}

// appendMessages appends the strings of v that are messages: the values
// of keys named message or error_description, or inside such a key.
func appendMessages(texts []string, v any, inMessage bool) []string {
	switch v := v.(type) {
	case string:
		if inMessage && v != "" {
			texts = append(texts, v)
		}
	case []any:
		for _, e := range v {
			texts = appendMessages(texts, e, inMessage)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch strings.ToLower(k) {
			case "message", "error_description", "errormessage":
				texts = appendMessages(texts, v[k], true)
			default:
				texts = appendMessages(texts, v[k], inMessage)
			}
		}
	}
	return texts
}

// TestCorpusDescriptionsStayReadable cleans every description of the
// corpus and counts the words that come out as they went in: the
// redaction must leave the prose of real Azure errors readable. With -v
// it lists the words it redacted.
func TestCorpusDescriptionsStayReadable(t *testing.T) {
	in, kept := 0, 0
	redacted := map[string]int{}
	for _, s := range corpusTexts(t) {
		line := normalize(s, len(s))
		words := strings.Fields(line)
		out := Scrubber{}.redact(line, true)
		outWords := map[string]int{}
		for _, w := range strings.Fields(out) {
			outWords[w]++
		}
		in += len(words)
		for _, w := range words {
			if outWords[w] > 0 {
				outWords[w]--
				kept++
			} else {
				redacted[w]++
			}
		}
	}
	share := float64(kept) / float64(in)
	t.Logf("descriptions: words in %d, kept %d, share %.4f", in, kept, share)
	if testing.Verbose() {
		ws := make([]string, 0, len(redacted))
		for w := range redacted {
			ws = append(ws, w)
		}
		sort.Strings(ws)
		for _, w := range ws {
			t.Logf("redacted %dx: %q", redacted[w], w)
		}
	}
	if share < 0.90 {
		t.Errorf("only %.1f%% of the corpus's description words kept", 100*share)
	}
}
