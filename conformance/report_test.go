package conformance_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/html"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

const hostile = `<script>alert(1)</script>`

var sampleMeta = conformance.Meta{
	Title:    "qWAVE conformance",
	Target:   "qwave.dll",
	Platform: "windows/amd64, Wine 8.0",
	Commit:   "0123456789abcdef",
	Baseline: "wine-8.0",
}

// sampleReport has every status and verdict, sorted by case as Check sorts.
func sampleReport() conformance.Report {
	r := conformance.Report{Results: []conformance.Result{
		{
			Case: "QOSCloseHandle/QOSHandle-null", Func: "QOSCloseHandle", Status: conformance.Fail,
			Rule: "a NULL QOS handle is invalid", Source: "spec/qos2/nf-qos2-qosclosehandle.md#-parameters",
			Call: "QOSCloseHandle(0x0)", Observed: "FALSE, ERROR_INVALID_PARAMETER", Allowed: "FALSE with one of [ERROR_INVALID_HANDLE]",
			Code: 87, Msg: hostile, Expectation: "observed on Windows", Verdict: "documentation finding",
			Why: "Windows reports a NULL handle with ERROR_INVALID_HANDLE", Fact: "spec/qos2/observed.yaml:73",
		},
		{
			Case: "QOSCloseHandle/valid", Func: "QOSCloseHandle", Status: conformance.Crashed,
			Rule: "a valid call succeeds", Source: "spec/qos2/nf-qos2-qosclosehandle.md#-returns",
			Observed: "exit status 0xc0000005", Msg: "the case's process died: exit status 3221225477",
			ExitCode: 0xc0000005, Stderr: "wine: Unhandled page fault on read access to 0000000000000000\n<b>bold</b> & \x00nul",
			Expectation: "platform baseline", Verdict: "known deviation",
			Why: "Wine 8.0 does not implement QOSCloseHandle",
		},
		{
			Case: "QOSCreateHandle/valid", Func: "QOSCreateHandle", Status: conformance.Pass,
			Rule: "a valid call succeeds", Source: "spec/qos2/nf-qos2-qoscreatehandle.md#-returns",
			Call: "QOSCreateHandle(&{1, 0}, &0x0)", Observed: "TRUE", Allowed: "TRUE",
			Expectation: "documented", Verdict: "pass",
		},
		{
			Case: "QOSEnumerateFlows/short-buffer", Func: "QOSEnumerateFlows", Status: conformance.Skip,
			Rule: "a buffer too small fails with ERROR_INSUFFICIENT_BUFFER", Source: "spec/qos2/nf-qos2-qosenumerateflows.md#-parameters",
			Msg: "setup failed: QOSCreateHandle: ERROR_NOT_SUPPORTED", Expectation: "documented", Verdict: "skip",
		},
		{
			Case: "QOSEnumerateFlows/valid", Func: "QOSEnumerateFlows", Status: conformance.Hung,
			Rule: "a valid call succeeds", Source: "spec/qos2/nf-qos2-qosenumerateflows.md#-returns",
			Msg: "the case's process was killed after 15s", Stderr: "goroutine 1 [syscall]:",
			Expectation: "documented", Verdict: "regression",
		},
		{
			Case: "QOSSetFlow/QOSHandle-garbage", Func: "QOSSetFlow", Status: conformance.Pass,
			Rule: "a handle QOSCreateHandle did not return is invalid", Source: "spec/qos2/nf-qos2-qossetflow.md#-parameters",
			Call: "QOSSetFlow(0xdeadbeef, 1, 0, 4, &…, 0, NULL)", Observed: "FALSE, ERROR_INVALID_HANDLE",
			Allowed: "FALSE with one of [ERROR_INVALID_HANDLE]", Code: 6, Expectation: "documented", Verdict: "pass",
		},
		{
			Case: "QOSSetFlow/valid", Func: "QOSSetFlow", Status: conformance.Fail,
			Rule: "a valid call succeeds", Source: "spec/qos2/nf-qos2-qossetflow.md#-returns",
			Call: "QOSSetFlow(0x1000, 1, 0, 4, &…, 0, NULL)", Observed: "FALSE, ERROR_NOT_SUPPORTED", Allowed: "TRUE",
			Code: 50, Msg: "a valid call failed", Expectation: "documented", Verdict: "regression",
		},
	}}
	return r
}

func TestJSONLRoundTrip(t *testing.T) {
	want := sampleReport()
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, want); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != len(want.Results) {
		t.Errorf("%d lines for %d results", n, len(want.Results))
	}
	got, err := conformance.ReadJSONL(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// A last line without its newline that is whole still counts.
	got, err = conformance.ReadJSONL(bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("without the final newline (-want +got):\n%s", diff)
	}

	// Blank lines and CRLF endings are harmless.
	crlf := strings.ReplaceAll(buf.String(), "\n", "\r\n\r\n")
	got, err = conformance.ReadJSONL(strings.NewReader(crlf))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with CRLF and blank lines (-want +got):\n%s", diff)
	}

	got, err = conformance.ReadJSONL(strings.NewReader(""))
	if err != nil || len(got.Results) != 0 {
		t.Errorf("empty input: %v, %v", got, err)
	}
}

func TestJSONLTruncated(t *testing.T) {
	want := sampleReport()
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, want); err != nil {
		t.Fatal(err)
	}
	full := buf.Bytes()
	lastStart := bytes.LastIndexByte(full[:len(full)-1], '\n') + 1
	// Cut the last line at every point short of its end: the result is the
	// report without that line.
	for cut := lastStart; cut < len(full)-1; cut++ {
		got, err := conformance.ReadJSONL(bytes.NewReader(full[:cut]))
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if diff := cmp.Diff(want.Results[:len(want.Results)-1], got.Results); diff != "" {
			t.Fatalf("cut at %d (-want +got):\n%s", cut, diff)
		}
	}
}

func TestJSONLMalformed(t *testing.T) {
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	replace := func(i int, with string) string {
		l := append([]string(nil), lines...)
		l[i] = with
		return strings.Join(l, "")
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"cut middle line", replace(2, lines[2][:20]+"\n"), "line 3: "},
		{"not an object", replace(1, "[1, 2]\n"), "line 2: not a JSON object"},
		{"no case name", replace(0, `{"status":"pass"}`+"\n"), "line 1: result without a case name"},
		{"wrong type", replace(3, `{"case":"x","exit_code":"one"}`+"\n"), "line 4: "},
		{"trailing garbage", replace(4, strings.TrimSuffix(lines[4], "\n")+"}\n"), "line 5: "},
		// A bad last line that has its newline was written whole: it is an
		// error, not a truncation.
		{"bad complete last line", buf.String() + "{\"case\":\n", fmt.Sprintf("line %d: ", len(lines))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := conformance.ReadJSONL(strings.NewReader(tc.input))
			if err == nil {
				t.Fatalf("no error; read %d results", len(r.Results))
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want it to start with %q", err, tc.want)
			}
		})
	}
}

// JUnit, as a dashboard reads it.
type junitDoc struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string `xml:"name,attr"`
	Tests      int    `xml:"tests,attr"`
	Failures   int    `xml:"failures,attr"`
	Errors     int    `xml:"errors,attr"`
	Skipped    int    `xml:"skipped,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Cases []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"error"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

func (c junitCase) kind() string {
	switch {
	case c.Failure != nil && c.Error == nil && c.Skipped == nil:
		return "failure"
	case c.Error != nil && c.Failure == nil && c.Skipped == nil:
		return "error:" + c.Error.Type
	case c.Skipped != nil && c.Failure == nil && c.Error == nil:
		return "skipped"
	case c.Failure == nil && c.Error == nil && c.Skipped == nil:
		return "pass"
	}
	return "several"
}

func TestJUnit(t *testing.T) {
	r := sampleReport()
	var buf bytes.Buffer
	if err := conformance.WriteJUnit(&buf, sampleMeta, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, xml.Header) {
		t.Errorf("no XML header:\n%.100s", out)
	}
	for _, word := range []string{"timestamp", "time="} {
		if strings.Contains(out, word) {
			t.Errorf("output has %q; it must not depend on when it was written", word)
		}
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	type counts struct{ Tests, Failures, Errors, Skipped int }
	if got, want := (counts{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}), (counts{7, 2, 2, 1}); got != want {
		t.Errorf("testsuites counts %+v, want %+v", got, want)
	}
	if doc.Name != sampleMeta.Title {
		t.Errorf("testsuites name %q, want %q", doc.Name, sampleMeta.Title)
	}
	wantSuites := map[string]counts{
		"QOSCloseHandle":    {2, 1, 1, 0},
		"QOSCreateHandle":   {1, 0, 0, 0},
		"QOSEnumerateFlows": {2, 0, 1, 1},
		"QOSSetFlow":        {2, 1, 0, 0},
	}
	var names []string
	gotKinds := map[string]string{}
	byName := map[string]junitCase{}
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if got, want := (counts{s.Tests, s.Failures, s.Errors, s.Skipped}), wantSuites[s.Name]; got != want {
			t.Errorf("suite %s: counts %+v, want %+v", s.Name, got, want)
		}
		props := map[string]string{}
		for _, p := range s.Properties {
			props[p.Name] = p.Value
		}
		wantProps := map[string]string{
			"title": sampleMeta.Title, "target": sampleMeta.Target, "platform": sampleMeta.Platform,
			"commit": sampleMeta.Commit, "baseline": sampleMeta.Baseline,
		}
		if diff := cmp.Diff(wantProps, props); diff != "" {
			t.Errorf("suite %s: properties (-want +got):\n%s", s.Name, diff)
		}
		for _, c := range s.Cases {
			if want := "conformance." + s.Name; c.Classname != want {
				t.Errorf("%s: classname %q, want %q", c.Name, c.Classname, want)
			}
			gotKinds[c.Name] = c.kind()
			byName[c.Name] = c
		}
	}
	if !sort.StringsAreSorted(names) || len(names) != len(wantSuites) {
		t.Errorf("suites %q, want one per function, sorted", names)
	}
	wantKinds := map[string]string{
		"QOSCloseHandle/QOSHandle-null":  "failure",
		"QOSCloseHandle/valid":           "error:crashed",
		"QOSCreateHandle/valid":          "pass",
		"QOSEnumerateFlows/short-buffer": "skipped",
		"QOSEnumerateFlows/valid":        "error:hung",
		"QOSSetFlow/QOSHandle-garbage":   "pass",
		"QOSSetFlow/valid":               "failure",
	}
	if diff := cmp.Diff(wantKinds, gotKinds); diff != "" {
		t.Errorf("element kinds (-want +got):\n%s", diff)
	}

	// What the elements say.
	if f := byName["QOSCloseHandle/QOSHandle-null"].Failure; f != nil {
		if !strings.Contains(f.Message, hostile) || f.Type != "documentation finding" ||
			!strings.Contains(f.Text, "observed: FALSE, ERROR_INVALID_PARAMETER") {
			t.Errorf("failure %+v", *f)
		}
	}
	if strings.ContainsRune(out, 0) {
		t.Error("the XML has a NUL byte")
	}
	if e := byName["QOSCloseHandle/valid"].Error; e != nil {
		for _, want := range []string{"exit code: 3221225477 (0xc0000005)", "Unhandled page fault", "<b>bold</b> & \uFFFDnul", "verdict: known deviation"} {
			if !strings.Contains(e.Text, want) {
				t.Errorf("crashed error text lacks %q:\n%s", want, e.Text)
			}
		}
	}
	if e := byName["QOSEnumerateFlows/valid"].Error; e != nil {
		if !strings.Contains(e.Text, "goroutine 1 [syscall]:") || !strings.Contains(e.Message, "killed after 15s") {
			t.Errorf("hung error %+v", *e)
		}
	}
	if s := byName["QOSEnumerateFlows/short-buffer"].Skipped; s != nil && !strings.Contains(s.Message, "setup failed") {
		t.Errorf("skipped message %q", s.Message)
	}

	var again bytes.Buffer
	if err := conformance.WriteJUnit(&again, sampleMeta, r); err != nil {
		t.Fatal(err)
	}
	if again.String() != out {
		t.Error("two writes of the same report differ")
	}
}

// Reading HTML pages.

func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// findAll lists the elements under n for which match returns true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byAttr(key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { v, ok := attr(n, key); return ok && v == val }
}

func hasAttr(key string) func(*html.Node) bool {
	return func(n *html.Node) bool { _, ok := attr(n, key); return ok }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func one(t *testing.T, n *html.Node, what string, match func(*html.Node) bool) *html.Node {
	t.Helper()
	found := findAll(n, match)
	if len(found) != 1 {
		t.Fatalf("%d %s, want 1", len(found), what)
	}
	return found[0]
}

func writeHTML(t *testing.T, meta conformance.Meta, r conformance.Report, diffs []conformance.BaselineDiff) string {
	t.Helper()
	var buf bytes.Buffer
	if err := conformance.WriteHTML(&buf, meta, r, diffs); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkMatrix checks the page's matrix has a row per function of r, sorted,
// and a cell per case of r, coloured by its status and showing what it did.
func checkMatrix(t *testing.T, doc *html.Node, r conformance.Report) {
	t.Helper()
	matrix := one(t, doc, "matrix tables", byAttr("id", "matrix-table"))
	funcs := map[string]bool{}
	kinds := map[string]bool{}
	for _, res := range r.Results {
		fn, kind, _ := strings.Cut(res.Case, "/")
		funcs[fn], kinds[kind] = true, true
	}
	var wantCols, wantRows []string
	for fn := range funcs {
		wantCols = append(wantCols, fn)
	}
	for k := range kinds {
		wantRows = append(wantRows, k)
	}
	sort.Strings(wantCols)
	sort.Strings(wantRows)

	var gotCols []string
	for _, th := range findAll(matrix, byAttr("scope", "col")) {
		gotCols = append(gotCols, text(th))
	}
	if diff := cmp.Diff(wantCols, gotCols); diff != "" {
		t.Errorf("matrix columns (-want +got):\n%s", diff)
	}
	rows := findAll(matrix, hasAttr("data-kind"))
	var gotRows []string
	for _, tr := range rows {
		kind, _ := attr(tr, "data-kind")
		gotRows = append(gotRows, kind)
		if th := findAll(tr, byAttr("scope", "row")); len(th) != 1 || text(th[0]) != kind {
			t.Errorf("row %s: no header naming it", kind)
		}
		if tds := findAll(tr, byTag("td")); len(tds) != len(wantCols) {
			t.Errorf("row %s: %d cells, want %d", kind, len(tds), len(wantCols))
		}
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		t.Errorf("matrix rows (-want +got):\n%s", diff)
	}
	cells := findAll(matrix, func(n *html.Node) bool { return n.Data == "td" && hasAttr("data-case")(n) })
	if len(cells) != len(r.Results) {
		t.Errorf("%d cells with a case, want %d", len(cells), len(r.Results))
	}
	for _, res := range r.Results {
		cell := one(t, matrix, "cells for "+res.Case, byAttr("data-case", res.Case))
		fn, kind, _ := strings.Cut(res.Case, "/")
		row := cell.Parent
		if got, _ := attr(row, "data-kind"); got != kind {
			t.Errorf("%s: in row %q", res.Case, got)
		}
		col := 0
		for c := cell.PrevSibling; c != nil; c = c.PrevSibling {
			if c.Type == html.ElementNode && c.Data == "td" {
				col++
			}
		}
		if wantCols[col] != fn {
			t.Errorf("%s: in column %q", res.Case, wantCols[col])
		}
		if got, _ := attr(cell, "data-func"); got != fn {
			t.Errorf("%s: data-func %q", res.Case, got)
		}
		class, _ := attr(cell, "class")
		if !strings.Contains(" "+class+" ", " s-"+string(res.Status)+" ") {
			t.Errorf("%s: class %q does not colour status %s", res.Case, class, res.Status)
		}
		if got := text(cell); !strings.HasPrefix(got, string(res.Status)) {
			t.Errorf("%s: cell shows %q, want the status %q", res.Case, got, res.Status)
		}
		title, _ := attr(cell, "title")
		if res.Allowed != "" && !strings.Contains(title, "allowed: "+res.Allowed) {
			t.Errorf("%s: title %q lacks the allowed outcome %q", res.Case, title, res.Allowed)
		}
		if res.Observed != "" && !strings.Contains(title, res.Observed) {
			t.Errorf("%s: title %q lacks the observed outcome %q", res.Case, title, res.Observed)
		}
	}
}

func TestHTML(t *testing.T) {
	r := sampleReport()
	page := writeHTML(t, sampleMeta, r, nil)
	doc := parseHTML(t, page)

	checkMatrix(t, doc, r)

	// Header.
	header := one(t, doc, "headers", byTag("header"))
	for _, want := range []string{sampleMeta.Title, sampleMeta.Target, sampleMeta.Platform, sampleMeta.Commit, sampleMeta.Baseline} {
		if !strings.Contains(text(header), want) {
			t.Errorf("header lacks %q", want)
		}
	}
	wantStatus := map[string]string{"pass": "2", "fail": "2", "skip": "1", "crashed": "1", "hung": "1"}
	gotStatus := map[string]string{}
	for _, li := range findAll(header, hasAttr("data-count-status")) {
		s, _ := attr(li, "data-count-status")
		gotStatus[s] = text(one(t, li, "counts", byAttr("class", "n")))
	}
	if diff := cmp.Diff(wantStatus, gotStatus); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
	wantVerdict := map[string]string{"pass": "2", "skip": "1", "documentation finding": "1", "known deviation": "1", "regression": "2"}
	gotVerdict := map[string]string{}
	for _, li := range findAll(header, hasAttr("data-count-verdict")) {
		v, _ := attr(li, "data-count-verdict")
		gotVerdict[v] = text(one(t, li, "counts", byAttr("class", "n")))
	}
	if diff := cmp.Diff(wantVerdict, gotVerdict); diff != "" {
		t.Errorf("verdict counts (-want +got):\n%s", diff)
	}

	// Details: a row per result, with every field shown.
	details := one(t, doc, "details tables", byAttr("id", "details-table"))
	for _, res := range r.Results {
		tr := one(t, details, "detail rows for "+res.Case, byAttr("data-case", res.Case))
		got := text(tr)
		msg := res.Msg
		if res.Status == conformance.Skip {
			msg = "skipped by setup failure 1" // the message is shown once, in the setup failures
		}
		for _, want := range []string{res.Case, string(res.Status), res.Verdict, res.Expectation, res.Why, res.Call, res.Observed, res.Allowed, msg, res.Rule, res.Source} {
			if !strings.Contains(got, want) {
				t.Errorf("details of %s lack %q", res.Case, want)
			}
		}
		// Each spec source is a link to the spec file and to its
		// learn.microsoft.com page.
		page := strings.TrimSuffix(strings.SplitN(res.Source, "#", 2)[0], ".md")
		var hrefs []string
		for _, a := range findAll(tr, byAttr("class", "source")) {
			h, _ := attr(a, "href")
			hrefs = append(hrefs, h)
		}
		wantLinks := []string{
			"https://github.com/winqos/winqos/blob/main/" + res.Source,
			"https://learn.microsoft.com/en-us/windows/win32/api/qos2/" + strings.TrimPrefix(page, "spec/qos2/"),
		}
		if res.Fact != "" {
			wantLinks = append(wantLinks, "https://github.com/winqos/winqos/blob/main/spec/qos2/observed.yaml#L73")
		}
		if diff := cmp.Diff(wantLinks, hrefs); diff != "" {
			t.Errorf("%s: source links (-want +got):\n%s", res.Case, diff)
		}
		// The matrix cell links to it, and so does its setup failure.
		id, _ := attr(tr, "id")
		links := findAll(doc, byAttr("href", "#"+id))
		want := 1
		if res.Status == conformance.Skip {
			want = 2
		}
		if len(links) != want {
			t.Errorf("%s: %d links to #%s, want %d", res.Case, len(links), id, want)
		}
	}
	setups := one(t, doc, "setup failure sections", byAttr("id", "setup-failures"))
	if got := text(setups); !strings.Contains(got, "1 cases skipped: setup failed: QOSCreateHandle: ERROR_NOT_SUPPORTED") {
		t.Errorf("setup failures: %q", got)
	}
	if strings.Count(page, "setup failed: QOSCreateHandle") != 1 {
		t.Error("the setup failure is shown more than once")
	}
	crashed := text(one(t, details, "crashed rows", byAttr("data-case", "QOSCloseHandle/valid")))
	for _, want := range []string{"exit code 3221225477 (0xc0000005)", "Unhandled page fault", "<b>bold</b> & "} {
		if !strings.Contains(crashed, want) {
			t.Errorf("crashed details lack %q", want)
		}
	}

	// Hostile text is escaped: it shows as text, never as markup.
	if strings.Contains(page, hostile) {
		t.Errorf("the page has %s raw", hostile)
	}
	if strings.Contains(page, "<b>bold</b>") {
		t.Error("the page has stderr markup raw")
	}
	if scripts := findAll(doc, byTag("script")); len(scripts) != 1 || strings.Contains(text(scripts[0]), "deadbeef") {
		t.Errorf("%d script elements; want the one filter script", len(scripts))
	}
	if !strings.Contains(text(doc), hostile) {
		t.Errorf("the text of the page lacks %s", hostile)
	}

	// Self-contained: no external resources.
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasAttr("src")(n) || n.Data == "link" }) {
		t.Errorf("external resource: <%s %v>", n.Data, n.Attr)
	}
	for _, a := range findAll(doc, hasAttr("href")) {
		href, _ := attr(a, "href")
		if !strings.HasPrefix(href, "#") && !strings.HasPrefix(href, "https://github.com/winqos/winqos/blob/") && !strings.HasPrefix(href, "https://learn.microsoft.com/") {
			t.Errorf("link out of the page, not to a source: %q", href)
		}
	}

	// Deterministic.
	for i := 0; i < 3; i++ {
		if again := writeHTML(t, sampleMeta, r, nil); again != page {
			t.Fatal("two renders of the same report differ")
		}
	}

	// No differences section without differences.
	if strings.Contains(page, "Differences from the baseline") || len(findAll(doc, byAttr("id", "baseline-diffs"))) != 0 {
		t.Error("differences section without differences")
	}
}

func TestHTMLBaselineDiffs(t *testing.T) {
	r := sampleReport()
	// A baseline that knows the crash but expects the rest to pass, and
	// lists a hang that went away.
	base := conformance.Baseline{Platform: "wine-8.0", Deviations: map[string]conformance.Deviation{
		"QOSCloseHandle/valid":  {Status: conformance.Crashed},
		"QOSCreateHandle/valid": {Status: conformance.Hung},
	}}
	diffs := base.Compare(r)
	if len(diffs) == 0 {
		t.Fatal("no differences to show")
	}
	page := writeHTML(t, sampleMeta, r, diffs)
	doc := parseHTML(t, page)
	section := one(t, doc, "differences sections", byAttr("id", "baseline-diffs"))
	if h := findAll(section, byTag("h2")); len(h) != 1 || text(h[0]) != "Differences from the baseline" {
		t.Error("differences section has no heading")
	}
	var got []string
	for _, li := range findAll(section, byTag("li")) {
		got = append(got, text(li))
	}
	var want []string
	for _, d := range diffs {
		want = append(want, d.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	if strings.Contains(page, hostile) {
		t.Errorf("the differences have %s raw", hostile)
	}
	checkMatrix(t, doc, r)
	if again := writeHTML(t, sampleMeta, r, diffs); again != page {
		t.Error("two renders of the same report differ")
	}
}

func TestHTMLEmpty(t *testing.T) {
	doc := parseHTML(t, writeHTML(t, conformance.Meta{}, conformance.Report{}, nil))
	if len(findAll(doc, byAttr("id", "matrix-table"))) != 0 {
		t.Error("a matrix for no results")
	}
	if !strings.Contains(text(doc), "No results.") {
		t.Error("no word that there are no results")
	}
}

// TestReportsModel renders the reports of a run against the reference model.
func TestReportsModel(t *testing.T) {
	r := conformance.Check(func() qwave.API { return qwavetest.New() })
	if len(r.Results) == 0 {
		t.Fatal("no results")
	}
	conformance.Classify(&r, nil)
	meta := conformance.Meta{Title: "qWAVE conformance", Target: "model", Platform: "linux/amd64"}

	var jsonl bytes.Buffer
	if err := conformance.WriteJSONL(&jsonl, r); err != nil {
		t.Fatal(err)
	}
	back, err := conformance.ReadJSONL(&jsonl)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back, cmpopts.IgnoreFields(conformance.Result{}, "Elapsed")); diff != "" {
		t.Errorf("JSONL round trip (-want +got):\n%s", diff)
	}

	var junit bytes.Buffer
	if err := conformance.WriteJUnit(&junit, meta, r); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(junit.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != len(r.Results) || doc.Failures+doc.Errors != 0 {
		t.Errorf("JUnit: %d tests, %d failures, %d errors; want %d, 0, 0", doc.Tests, doc.Failures, doc.Errors, len(r.Results))
	}

	page := writeHTML(t, meta, r, nil)
	checkMatrix(t, parseHTML(t, page), r)
}
