package conformance_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/internal/scratch"
)

// maxDetailsColumns is how many columns the details table may have and still
// fit a laptop's width (1280 px) without scrolling the page sideways: the
// case, the call with what it did, why and the message, the rule and source.
const maxDetailsColumns = 5

// TestHTMLDetailsFit checks the layout rules of the details table: at most
// maxDetailsColumns header cells, every row with as many cells as the
// header, status, verdict and expectation under the case name, long names
// and paths breakable at their punctuation (<wbr>), and no style that wraps
// words mid-word.
func TestHTMLDetailsFit(t *testing.T) {
	r := sampleReport()
	page := writeHTML(t, sampleMeta, r, nil)
	doc := parseHTML(t, page)
	details := one(t, doc, "details tables", byAttr("id", "details-table"))
	head := one(t, details, "details heads", byTag("thead"))
	cols := len(findAll(head, byTag("th")))
	if cols == 0 || cols > maxDetailsColumns {
		t.Fatalf("the details table has %d columns; want 1 to %d", cols, maxDetailsColumns)
	}
	if n := len(findAll(details, byTag("col"))); n != cols {
		t.Errorf("%d <col> widths for %d columns", n, cols)
	}
	body := one(t, details, "details bodies", byTag("tbody"))
	rows := findAll(body, byTag("tr"))
	if len(rows) != len(r.Results) {
		t.Fatalf("%d detail rows for %d results", len(rows), len(r.Results))
	}
	for _, tr := range rows {
		c, _ := attr(tr, "data-case")
		if n := len(findAll(tr, byTag("td"))); n != cols {
			t.Errorf("%s: %d cells under %d columns", c, n, cols)
		}
		// The case's status (and verdict and expectation) are badges in
		// its own cell, not columns of their own.
		cell := findAll(tr, byTag("td"))[0]
		if !strings.HasPrefix(text(cell), c) {
			t.Errorf("%s: first cell %q does not start with the case", c, text(cell))
		}
		if len(findAll(cell, byAttr("title", "status"))) == 0 && len(findAll(cell, byAttr("title", "status and verdict"))) == 0 {
			t.Errorf("%s: no status badge under the case name", c)
		}
		// A name with a "/" may wrap after it, nowhere else.
		if strings.Contains(c, "/") && len(findAll(cell, byTag("wbr"))) == 0 {
			t.Errorf("%s: the case name cannot wrap at its /", c)
		}
	}
	// A verdict is shown beside the status only when it says something
	// else.
	fail := one(t, body, "rows of QOSCloseHandle/QOSHandle-null", byAttr("data-case", "QOSCloseHandle/QOSHandle-null"))
	if v := findAll(fail, byAttr("title", "verdict")); len(v) != 1 || text(v[0]) != "documentation finding" {
		t.Errorf("a failed case's verdict badges: %d; want 1 reading documentation finding", len(v))
	}
	pass := one(t, body, "rows of QOSCreateHandle/valid", byAttr("data-case", "QOSCreateHandle/valid"))
	if v := findAll(pass, byAttr("title", "status and verdict")); len(v) != 1 || text(v[0]) != "pass" || len(findAll(pass, byAttr("title", "verdict"))) != 0 {
		t.Error("a passed case does not show pass once as its status and verdict")
	}

	for _, p := range []string{page, mergedSamplePage(t)} {
		checkNoMidWordWrap(t, p)
	}
}

// checkNoMidWordWrap fails when a page's style lets words break anywhere.
func checkNoMidWordWrap(t *testing.T, page string) {
	t.Helper()
	style := text(one(t, parseHTML(t, page), "style elements", byTag("style")))
	if !strings.Contains(style, "overflow-wrap: normal") {
		t.Error("the page does not set overflow-wrap: normal")
	}
	if m := regexp.MustCompile(`(?:word-break|overflow-wrap|word-wrap):\s*(?:break-all|anywhere|break-word)`).FindString(style); m != "" {
		t.Errorf("the page breaks words mid-word: %q", m)
	}
}

// mergedSamplePage is the merged page of the reference model and the
// recorded Wine 8.0 run.
func mergedSamplePage(t *testing.T) string {
	t.Helper()
	sets, _, err := conformance.ReadResultSets([]string{filepath.Join("testdata", "wine-8.0")})
	if err != nil {
		t.Fatal(err)
	}
	model := conformance.Check(newModel)
	conformance.Classify(&model, nil)
	model.Machine = &conformance.Machine{Name: "model", Target: "model", Profile: "documented", OS: "linux", Arch: "amd64"}
	sets = append(sets, conformance.ResultSet{Dir: "model", Report: model})
	var buf bytes.Buffer
	if err := conformance.WriteMergedHTML(&buf, conformance.Merge(sets)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestHTMLHeaderOnce checks the header states each fact once: with a
// machine that shows the target, platform and commit, the meta rows for
// them are left out, and a target the meta words more fully replaces the
// machine's word.
func TestHTMLHeaderOnce(t *testing.T) {
	for _, tc := range []struct {
		machine    conformance.Machine
		target     string
		wantTarget string
	}{
		{conformance.Machine{Name: "vm", Target: "qwave.dll", OS: "Microsoft Windows 7", Version: "6.1.7601", Wine: "8.0", Arch: "amd64", Commit: "fc8c2aebe4552546f9b4a06bcd2959333e2df99d"}, "qwave.dll", "qwave.dll"},
		{conformance.Machine{Name: "model", Target: "model", OS: "linux", Arch: "amd64", Commit: "fc8c2aebe4552546f9b4a06bcd2959333e2df99d"}, "reference model (qwavetest)", "reference model (qwavetest)"},
	} {
		m := tc.machine
		r := sampleReport()
		r.Machine = &m
		meta := conformance.Meta{Title: "qWAVE conformance", Target: tc.target, Platform: m.Platform(), Commit: m.Commit, Baseline: "wine-8.0"}
		doc := parseHTML(t, writeHTML(t, meta, r, nil))
		header := text(one(t, doc, "headers", byTag("header")))
		for _, fact := range []string{m.Commit, "Target"} {
			if n := strings.Count(header, fact); n != 1 {
				t.Errorf("%s: the header shows %q %d times; want once", m.Name, fact, n)
			}
		}
		metaTable := one(t, doc, "meta tables", byAttr("id", "meta"))
		for _, name := range []string{"target", "platform", "commit"} {
			if len(findAll(metaTable, byAttr("data-meta", name))) != 0 {
				t.Errorf("%s: the meta repeats the machine's %s", m.Name, name)
			}
		}
		for _, name := range []string{"baseline", "cases"} {
			if len(findAll(metaTable, byAttr("data-meta", name))) != 1 {
				t.Errorf("%s: the meta lacks the %s", m.Name, name)
			}
		}
		machine := one(t, doc, "machine tables", byAttr("id", "machine"))
		if got := text(one(t, machine, "target rows", byAttr("data-property", "target"))); !strings.Contains(got, tc.wantTarget) {
			t.Errorf("%s: the machine's target row reads %q; want %q", m.Name, got, tc.wantTarget)
		}
		for _, p := range []string{m.OS, m.Arch, m.Commit} {
			if !strings.Contains(text(machine), p) {
				t.Errorf("%s: the machine table lacks %q", m.Name, p)
			}
		}
	}
}

// TestHTMLFitsLaptop renders the single-run page of the recorded Wine run
// and of the sample report, and the merged page, in headless Chromium 1280
// px wide and fails when the page is wider than the window (it would
// scroll sideways). Skipped without Chromium, except in CI on Linux.
func TestHTMLFitsLaptop(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("CI") == "true" && runtime.GOOS == "linux" {
			t.Fatal("no Chromium to lay the pages out; CI must have it (.ci/run installs Debian's chromium)")
		}
		t.Skip("no Chromium to lay the pages out (apt-get install -y --no-install-recommends chromium)")
	}
	sets, _, err := conformance.ReadResultSets([]string{filepath.Join("testdata", "wine-8.0")})
	if err != nil {
		t.Fatal(err)
	}
	wine := sets[0].Report
	wineMeta := conformance.Meta{Title: "qWAVE conformance", Target: "qwave.dll", Platform: wine.Machine.Platform(), Commit: wine.Machine.Commit, Baseline: "wine-8.0"}
	pages := map[string]string{
		"wine":   writeHTML(t, wineMeta, wine, nil),
		"sample": writeHTML(t, sampleMeta, sampleReport(), nil),
		"merged": mergedSamplePage(t),
	}
	dir := scratch.Dir(t)
	for _, name := range []string{"merged", "sample", "wine"} {
		// The page reports its own widths once laid out.
		page := strings.Replace(pages[name], "</body>", `<script>document.body.setAttribute("data-layout", document.documentElement.scrollWidth + " " + document.documentElement.clientWidth);</script></body>`, 1)
		path := filepath.Join(dir, name+".html")
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		const width = 1280 // the narrowest laptop width the pages are made for
		if scroll, client := layout(t, browser, path, width); scroll > client {
			t.Errorf("%s at %d px: the page is %d px wide in a %d px window (reproduce: go test ./conformance -run TestHTMLFitsLaptop; see it: qoslab's report.html, chromium --headless --window-size=%d,2400 --screenshot=/tmp/x.png)", name, width, scroll, client, width)
		}
	}
}

// layout opens a page in headless Chromium and returns the widths it
// recorded in the body's data-layout attribute.
func layout(t *testing.T, browser, path string, width int) (scroll, client int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+scratch.Dir(t), fmt.Sprintf("--window-size=%d,900", width), "--dump-dom", "file://"+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range findAll(doc, byTag("body")) {
		if v, ok := attr(body, "data-layout"); ok {
			if _, err := fmt.Sscan(v, &scroll, &client); err != nil {
				t.Fatalf("data-layout %q: %v", v, err)
			}
			return scroll, client
		}
	}
	t.Fatalf("%s at %d px: the page recorded no layout", path, width)
	return 0, 0
}
