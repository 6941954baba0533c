package azauthtrace_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
)

// sharedCorpus is where the shared corpus lives beside a checkout; set
// AZAUTHTRACE_CORPUS to use another directory.
func sharedCorpus() string {
	if d := os.Getenv("AZAUTHTRACE_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "corpus")
}

// corpusCases returns the cases of the repository's copy of the shared
// corpus.
func corpusCases(t testing.TB) []corpus.Case {
	t.Helper()
	return corpus.All()
}

// TestCorpusCopyIsCurrent checks that the repository's copy of the shared
// corpus (internal/testing/corpus/cases) is the shared corpus, where a
// checkout has it beside it.
func TestCorpusCopyIsCurrent(t *testing.T) {
	dir := sharedCorpus()
	shared, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(shared) == 0 {
		t.Skipf("no shared corpus at %s", dir)
	}
	copied, err := filepath.Glob(filepath.Join("internal", "testing", "corpus", "cases", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(copied) != len(shared) {
		t.Errorf("%d cases in the copy, %d in %s", len(copied), len(shared), dir)
	}
	for _, p := range shared {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("internal", "testing", "corpus", "cases", filepath.Base(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: the copy differs from %s (copy it again)", filepath.Base(p), dir)
		}
	}
}

type want struct {
	class                  string
	aadsts                 int
	code, corr, reqID      string
	checkCode, checkAADSTS bool
}

func wantOf(e corpus.Expected) want {
	v := e.Values()
	return want{class: v.Class, aadsts: v.AADSTS, code: v.ErrorCode, corr: v.CorrelationID, reqID: v.RequestID, checkCode: true, checkAADSTS: true}
}

func check(t *testing.T, view string, f azauthtrace.Failure, ok bool, w want) {
	t.Helper()
	if !ok {
		t.Errorf("%s: not recognised as an auth failure", view)
		return
	}
	if string(f.Class) != w.class {
		t.Errorf("%s: class = %q, want %q (%s)", view, f.Class, w.class, f.Description)
	}
	if w.checkAADSTS && f.AADSTS != w.aadsts {
		t.Errorf("%s: AADSTS = %d, want %d", view, f.AADSTS, w.aadsts)
	}
	if w.checkCode && f.ErrorCode != w.code {
		t.Errorf("%s: ErrorCode = %q, want %q", view, f.ErrorCode, w.code)
	}
	if f.CorrelationID != w.corr {
		t.Errorf("%s: CorrelationID = %q, want %q", view, f.CorrelationID, w.corr)
	}
	if f.RequestID != w.reqID {
		t.Errorf("%s: RequestID = %q, want %q", view, f.RequestID, w.reqID)
	}
	if f.Mitigation == "" || f.TroubleshootingURL == "" {
		t.Errorf("%s: no mitigation or troubleshooting link: %+v", view, f)
	}
}

// inText returns v when the text carries it, else "".
func inText(text, v string) string {
	if v != "" && strings.Contains(text, v) {
		return v
	}
	return ""
}

// TestCorpus classifies every corpus case the way a program meets it: the
// HTTP response when the case has one, else the error text; then the
// case's other views (the error text beside a response, azidentity's own
// error for the response), which must agree.
func TestCorpus(t *testing.T) {
	testCases(t, corpusCases(t))
}

// TestMoreCases runs this repository's own reconstructed cases, in the
// corpus's format: shapes the corpus lacks (Graph and Key Vault access
// policy denials, Storage bearer and shared key failures, linked
// authorization, consent, wrapper codes, unknown codes, more managed
// identity endpoints, azcore error text, chains decided by a later
// source).
func TestMoreCases(t *testing.T) {
	cases := corpus.More()
	if len(cases) == 0 {
		t.Fatal("no cases in internal/testing/corpus/more")
	}
	testCases(t, cases)
}

// knownMisses are cases whose failure the classifier does not recognise,
// with why: it says so (ok false) rather than guess. Each is checked to
// be still unrecognised, so that a change that reads it is noticed and
// the case moves back to the others.
var knownMisses = map[string]string{
	// A PostgreSQL server's FATAL line names an Entra token type and a
	// role, and no status, code or word of the families: nothing in it
	// says authentication or permission by the evidence the classifier
	// weighs.
	"text_psql_postgres_entra_sp_cannot_generate_app_user_token": "no status, code or auth words",
}

func testCases(t *testing.T, cases []corpus.Case) {
	byErrorText := map[string]corpus.Expected{}
	for _, c := range cases {
		if c.ErrorText != "" {
			byErrorText[c.ErrorText] = c.Expected
		}
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if why, ok := knownMisses[c.Name]; ok {
				if f, ok := azauthtrace.FromError(errors.New(c.ErrorText)); ok {
					t.Errorf("a known miss (%s) is now recognised as %s: move it back to the cases it passes", why, f.Class)
				}
				return
			}
			w := wantOf(c.Expected)
			if resp := c.Response(); resp != nil {
				if !azauthtrace.Recognizes(c.Response()) {
					t.Errorf("Recognizes = false")
				}
				f, ok := azauthtrace.FromResponse(resp)
				check(t, "FromResponse", f, ok, w)
				got, err := io.ReadAll(resp.Body)
				if err != nil || string(got) != c.Body {
					t.Errorf("body after FromResponse = %q, %v; want the original %q", got, err, c.Body)
				}
			} else {
				f, ok := azauthtrace.FromError(errors.New(c.ErrorText))
				check(t, "FromError(error_text)", f, ok, w)
			}
			if c.Response() != nil && c.ErrorText != "" {
				// The same failure as a program's error text, which
				// carries no response headers: expect the codes and IDs
				// that the text itself carries.
				f, ok := azauthtrace.FromError(errors.New(c.ErrorText))
				tw := w
				tw.code = inText(c.ErrorText, w.code)
				tw.corr = inText(c.ErrorText, w.corr)
				tw.reqID = inText(c.ErrorText, w.reqID)
				check(t, "FromError(error_text)", f, ok, tw)
			}
			if c.AzidentityError != "" {
				aw := w
				if e, ok := byErrorText[c.AzidentityError]; ok {
					// Another case describes azidentity's view of this
					// response.
					aw = wantOf(e)
				}
				f, ok := azauthtrace.FromError(errors.New(c.AzidentityError))
				check(t, "FromError(azidentity_error)", f, ok, aw)
			}
		})
	}
}

// TestHeldOutCases measures the classifier on the cases kept out of its
// tuning (internal/testing/corpus/heldout): the share of classes right,
// which BENCHMARKS.md publishes. It fails below heldOutFloor.
func TestHeldOutCases(t *testing.T) {
	cases := corpus.HeldOut()
	if len(cases) == 0 {
		t.Fatal("no held-out cases")
	}
	right := 0
	for _, c := range cases {
		var f azauthtrace.Failure
		var ok bool
		if resp := c.Response(); resp != nil {
			f, ok = azauthtrace.FromResponse(resp)
		} else {
			f, ok = azauthtrace.FromError(errors.New(c.ErrorText))
		}
		if ok && string(f.Class) == c.Expected.Class {
			right++
			continue
		}
		t.Logf("%s: %s (recognised %v), want %s", c.Name, f.Class, ok, c.Expected.Class)
	}
	share := float64(right) / float64(len(cases))
	t.Logf("held-out cases: %d of %d classes right (%.0f%%)", right, len(cases), 100*share)
	if share < heldOutFloor {
		t.Errorf("held-out classes right: %.0f%%, below %.0f%%", 100*share, 100*heldOutFloor)
	}
}

// heldOutFloor is the least share of held-out classes the classifier must
// get right.
const heldOutFloor = 0.9
