package conformance_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/internal/scratch"
)

// writeSet writes a report as a machine's result directory.
func writeSet(t *testing.T, r conformance.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, r); err != nil {
		t.Fatal(err)
	}
	dir := scratch.Dir(t)
	if err := os.WriteFile(filepath.Join(dir, "results.jsonl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestMerge merges the model run, the Wine 8.0 run qoslab -wine recorded
// (testdata/wine-8.0) and a copy of the Wine run truncated mid-line with a
// broken line: a column per machine, grouped; the disagreement view lists
// exactly the cases whose results differ; the truncated machine counts what
// it finished and its broken line is reported.
func TestMerge(t *testing.T) {
	model := conformance.Check(newModel)
	conformance.Classify(&model, nil)
	model.Machine = &conformance.Machine{Name: "model", Target: "model", Profile: "documented", OS: "linux"}
	wineDir := filepath.Join("testdata", "wine-8.0")
	src, err := os.ReadFile(filepath.Join(wineDir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	cutDir := scratch.Dir(t)
	cut := strings.Join(lines[:21], "") + "{broken\n" + lines[21][:40] // the machine, 20 results, a broken line, a cut one
	if err := os.WriteFile(filepath.Join(cutDir, "results.jsonl"), []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	sets, problems, err := conformance.ReadResultSets([]string{writeSet(t, model), wineDir, cutDir, filepath.Join(scratch.Dir(t), "missing")})
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 3 || len(problems) != 1 || !strings.Contains(problems[0], "missing") {
		t.Fatalf("%d sets, problems %q; want 3 and the missing directory", len(sets), problems)
	}
	if n := len(sets[2].Report.Results); n != 20 {
		t.Fatalf("the truncated copy gave %d results; want 20", n)
	}
	if len(sets[2].Problems) != 1 || !strings.Contains(sets[2].Problems[0], "line 22: ") {
		t.Errorf("truncated copy problems %q; want line 22 reported", sets[2].Problems)
	}

	// The cases whose results differ between the machines that ran them,
	// worked out from the inputs.
	byCase := map[string][]string{}
	for _, s := range sets {
		for _, r := range s.Report.Results {
			byCase[r.Case] = append(byCase[r.Case], string(r.Status)+"|"+r.Observed)
		}
	}
	var want []string
	for name, outs := range byCase {
		for _, o := range outs[1:] {
			if o != outs[0] {
				want = append(want, name)
				break
			}
		}
	}
	sort.Strings(want)
	if len(want) == 0 {
		t.Fatal("no case differs between the model and Wine: the test proves nothing")
	}

	mg := conformance.Merge(sets)
	var cols []string
	for _, m := range mg.Machines {
		cols = append(cols, m.Group+": "+m.Label)
	}
	if diff := cmp.Diff([]string{"Wine 8.0: vm", "Wine 8.0: vm #2", "model: model (documented)"}, cols); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	var got []string
	for _, c := range mg.Disagreements() {
		got = append(got, c.Case)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("disagreements (-want +got):\n%s", diff)
	}
	if len(mg.Cases) != len(byCase) {
		t.Errorf("%d rows for %d cases", len(mg.Cases), len(byCase))
	}

	var page bytes.Buffer
	if err := conformance.WriteMergedHTML(&page, mg); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, page.String())
	view := one(t, doc, "disagreement views", byAttr("id", "disagree-table"))
	if n := len(findAll(view, byAttr("scope", "col"))); n != 3 {
		t.Errorf("%d machine columns in the disagreement view; want 3", n)
	}
	var rows []string
	for _, tr := range findAll(view, hasAttr("data-case")) {
		c, _ := attr(tr, "data-case")
		rows = append(rows, c)
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("disagreement view (-want +got):\n%s", diff)
	}
	matrix := one(t, doc, "matrices", byAttr("id", "matrix-table"))
	if n, want := strings.Count(text(matrix), "not run"), len(byCase)-20; n != want {
		t.Errorf("%d cells not run; want %d, the truncated machine's missing cases", n, want)
	}
	funcs := one(t, doc, "function summaries", byAttr("id", "functions-table"))
	if n := len(findAll(funcs, hasAttr("data-func"))); n != 11 {
		t.Errorf("summary of %d functions; want 11", n)
	}
	if len(findAll(doc, byTag("script"))) != 1 || len(findAll(one(t, doc, "filter forms", byAttr("id", "filters")), byTag("select"))) != 3 {
		t.Error("the page lacks its filters by status, verdict and function")
	}
	if !strings.Contains(text(one(t, doc, "problem lists", byAttr("id", "problems"))), "line 22: ") {
		t.Error("the page does not report the broken line")
	}
	var again bytes.Buffer
	conformance.WriteMergedHTML(&again, conformance.Merge(sets))
	if again.String() != page.String() {
		t.Error("two merges of the same runs differ")
	}
}
