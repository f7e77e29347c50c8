package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/winqos/winqos/qwave"
)

// Meta is what a report says about the run at its top.
type Meta struct {
	Title    string // e.g. "qWAVE conformance"
	Target   string // what was tested: "model", "qwave.dll"
	Platform string // e.g. "windows/amd64, Wine 8.0" or "linux/amd64"
	Commit   string // VCS revision (may be empty)
	Baseline string // name of the platform baseline compared against, or ""
}

// baselineName is the baseline the run was compared against, or "" for none.
func (m Meta) baselineName() string {
	if m.Baseline == "none" {
		return ""
	}
	return m.Baseline
}

// machineLine is the JSON Lines record of a report's machine.
type machineLine struct {
	Machine *Machine `json:"machine"`
}

// WriteJSONL writes r as JSON Lines: first, when r has a Machine, a line
// {"machine": {...}}; then one JSON object per result (as json.Marshal
// encodes a Result), in order, each ending in a newline. Each line is one
// Write, so a report appended to result by result keeps every complete line
// when the run is killed.
func WriteJSONL(w io.Writer, r Report) error {
	if r.Machine != nil {
		line, err := json.Marshal(machineLine{r.Machine})
		if err != nil {
			return fmt.Errorf("conformance: machine: %w", err)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	for _, res := range r.Results {
		line, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("conformance: %s: %w", res.Case, err)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// ReadJSONL reads a report WriteJSONL wrote. Blank lines are ignored, and so
// is a last line that is cut short (it lacks its newline and does not parse),
// as a run killed mid-write leaves it. Any other line that is not a result
// or the machine is an error naming the line ("line 3: ...").
func ReadJSONL(rd io.Reader) (Report, error) {
	r, bad, err := ReadJSONLLenient(rd)
	if err != nil {
		return Report{}, err
	}
	if len(bad) > 0 {
		return Report{}, bad[0]
	}
	return r, nil
}

// LineError is a line of a JSON Lines report that is not a result.
type LineError struct {
	Line int
	Err  error
}

// Error names the line: "line 3: ...".
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the parse error.
func (e *LineError) Unwrap() error { return e.Err }

// ReadJSONLLenient reads a report as ReadJSONL does, but keeps going past a
// line that is not a result, returning every such line as a *LineError, so a
// damaged file still yields what it holds. err is only a read error.
func ReadJSONLLenient(rd io.Reader) (r Report, bad []*LineError, err error) {
	br := bufio.NewReader(rd)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			return r, bad, fmt.Errorf("line %d: %w", n, err)
		}
		if text := bytes.TrimSpace(line); len(text) > 0 {
			res, m, perr := parseLine(text)
			switch {
			case perr != nil && eof:
				// The last line, without its newline: a truncated write.
			case perr != nil:
				bad = append(bad, &LineError{Line: n, Err: perr})
			case m != nil:
				r.Machine = m
			default:
				r.Results = append(r.Results, res)
			}
		}
		if eof {
			return r, bad, nil
		}
	}
}

// parseLine reads one line: a result, or the machine record.
func parseLine(text []byte) (Result, *Machine, error) {
	if text[0] != '{' {
		return Result{}, nil, errors.New("not a JSON object")
	}
	if bytes.HasPrefix(text, []byte(`{"machine":`)) {
		var ml machineLine
		if err := json.Unmarshal(text, &ml); err != nil {
			return Result{}, nil, err
		}
		if ml.Machine == nil {
			return Result{}, nil, errors.New("machine record without a machine")
		}
		return Result{}, ml.Machine, nil
	}
	var res Result
	if err := json.Unmarshal(text, &res); err != nil {
		return Result{}, nil, err
	}
	if res.Case == "" {
		return Result{}, nil, errors.New("result without a case name")
	}
	return res, nil, nil
}

// splitCase returns the function a result's case belongs to (the part of its
// name before the first "/") and the case's name within that function.
func splitCase(res Result) (fn, suffix string) {
	if fn, suffix, ok := strings.Cut(res.Case, "/"); ok {
		return fn, suffix
	}
	if res.Func != "" {
		return res.Func, res.Case
	}
	return res.Case, ""
}

// funcOf is the function a result belongs to: its Func, or else the part of
// its case name before "/".
func funcOf(res Result) string {
	if res.Func != "" {
		return res.Func
	}
	fn, _ := splitCase(res)
	return fn
}

// statusOrder lists the statuses in the order reports show them.
var statusOrder = []Status{Pass, Fail, Skip, Crashed, Hung}

// verdictOrder lists the verdicts Classify sets, in the order reports show
// them.
var verdictOrder = []string{VerdictPass, VerdictSkip, VerdictFinding, VerdictKnown, VerdictRegression}

// severity orders statuses from harmless to worst.
func severity(s Status) int {
	switch s {
	case Pass:
		return 0
	case Skip:
		return 1
	case Fail:
		return 3
	case Hung:
		return 4
	case Crashed:
		return 5
	}
	return 2
}

// exitCodeString formats a process exit code, in hex too when it looks like
// an NTSTATUS (0xc0000005) rather than a small exit status.
func exitCodeString(c int64) string {
	switch {
	case c >= 0x10000:
		return fmt.Sprintf("%d (%#x)", c, c)
	case c <= -0x10000 && c >= -1<<31:
		return fmt.Sprintf("%d (%#x)", c, uint32(c))
	}
	return fmt.Sprintf("%d", c)
}

// showExitCode reports whether a result's exit code says something: it does
// for a crashed case, and for any case when it is not 0 (a hung case killed
// by a watchdog has none).
func showExitCode(res Result) bool {
	return res.Status == Crashed || res.ExitCode != 0
}

// details is a result in full, one "name: value" line per field that is set,
// as JUnit failure and error texts carry it.
func details(res Result) string {
	var b strings.Builder
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", name, value)
		}
	}
	line("case", res.Case)
	line("status", string(res.Status))
	line("call", res.Call)
	line("observed", res.Observed)
	line("allowed", res.Allowed)
	if res.Code != 0 {
		code := fmt.Sprintf("%d", uint32(res.Code))
		if name, ok := qwave.ErrorName(res.Code); ok {
			code += " (" + name + ")"
		}
		line("code", code)
	}
	line("message", res.Msg)
	line("rule", res.Rule)
	line("source", res.Source)
	line("expectation", res.Expectation)
	line("verdict", res.Verdict)
	line("why", res.Why)
	line("fact", res.Fact)
	if showExitCode(res) {
		line("exit code", exitCodeString(res.ExitCode))
	}
	if res.Stderr != "" {
		b.WriteString("stderr:\n")
		b.WriteString(res.Stderr)
		if !strings.HasSuffix(res.Stderr, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// JUnit XML, in the form CI dashboards read (Jenkins, GitLab, Buildkite).

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr,omitempty"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Properties *junitProperties `xml:"properties"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"` // readable as is; see xmlText
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// xmlText replaces what XML cannot carry (control characters other than tab
// and newlines, invalid UTF-8) with U+FFFD: encoding/xml escapes attributes
// and character data so, but not CDATA sections.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t', r == '\n', r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// WriteJUnit writes r as JUnit XML: a <testsuites> holding one <testsuite>
// per function (by name), each with the meta and the report's machine
// ("machine.os", "machine.qwave_version", ...) as <properties>, and one
// <testcase classname="conformance.FUNC" name="CASE"> per result, in report
// order. A failed case has a <failure> (its type is the verdict, when set), a
// crashed or hung one an <error type="crashed"> or <error type="hung"> whose
// text has the exit code and standard error, and a skipped one a <skipped>.
// The output has no timestamps or durations beyond the machine's date, so
// equal reports give equal files.
func WriteJUnit(w io.Writer, meta Meta, r Report) error {
	var props *junitProperties
	all := []junitProperty{
		{"title", meta.Title}, {"target", meta.Target}, {"platform", meta.Platform},
		{"commit", meta.Commit}, {"baseline", meta.Baseline},
	}
	for _, p := range r.Machine.Properties() {
		all = append(all, junitProperty{"machine." + p.Name, p.Value})
	}
	for _, p := range all {
		if p.Value != "" {
			if props == nil {
				props = &junitProperties{}
			}
			props.Property = append(props.Property, p)
		}
	}
	doc := junitSuites{Name: meta.Title}
	index := map[string]int{}
	for _, res := range r.Results {
		fn := funcOf(res)
		i, ok := index[fn]
		if !ok {
			i = len(doc.Suites)
			index[fn] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: fn, Properties: props})
		}
		s := &doc.Suites[i]
		s.add(res)
	}
	sort.SliceStable(doc.Suites, func(i, j int) bool { return doc.Suites[i].Name < doc.Suites[j].Name })
	return doc.write(w)
}

// add adds a result as a test case of the suite.
func (s *junitSuite) add(res Result) {
	fn := funcOf(res)
	c := junitCase{Classname: "conformance." + fn, Name: res.Case}
	switch res.Status {
	case Pass:
	case Fail:
		typ := res.Verdict
		if typ == "" {
			typ = string(Fail)
		}
		c.Failure = &junitProblem{Message: res.Message(), Type: typ, Text: xmlText(details(res))}
		s.Failures++
	case Skip:
		c.Skipped = &junitSkipped{Message: res.Message()}
		s.Skipped++
	default:
		typ := string(res.Status)
		if typ == "" {
			typ = "unknown"
		}
		c.Error = &junitProblem{Message: res.Message(), Type: typ, Text: xmlText(details(res))}
		s.Errors++
	}
	s.Tests++
	s.Cases = append(s.Cases, c)
}

// write totals the suites and writes the document.
func (doc junitSuites) write(w io.Writer) error {
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// The HTML report.

type htmlCount struct {
	Name  string
	Class string
	N     int
}

type htmlCell struct {
	Case    string // "" for a function without this case
	Class   string
	Text    string
	Verdict string // a short mark of the verdict, or ""
	Title   string
	Anchor  string
	Status  Status
	Full    string // the full verdict, for filters
	worst   int
}

// htmlRow is one kind of case (the part of the name after "/") with a cell
// per function.
type htmlRow struct {
	Kind  string
	Cells []htmlCell
}

type htmlLink struct {
	Text, URL string
}

type htmlDetail struct {
	Result
	Anchor  string
	Class   string
	Exit    string // the exit code, or "" when it says nothing
	Links   []htmlLink
	Setup   string // the id of the setup failure that skipped the case
	SetupNo int
}

// htmlSetup is one setup failure and the cases it skipped.
type htmlSetup struct {
	ID    string
	No    int
	Msg   string
	Cause *htmlLink // the case whose failure is the root cause, if any
	Cases []htmlLink
}

type htmlPage struct {
	Meta         Meta
	MetaRows     []Property // the meta the machine table does not already show
	Machine      []Property
	Title        string
	Baseline     string
	Total        int
	Outcome      string
	OutcomeClass string
	Statuses     []htmlCount
	Verdicts     []htmlCount
	Funcs        []string
	Rows         []htmlRow
	Details      []htmlDetail
	Setups       []htmlSetup
	Diffs        []string
}

// statusClass is the CSS class that colours a status.
func statusClass(s Status) string {
	for _, known := range statusOrder {
		if s == known {
			return "s-" + string(s)
		}
	}
	return "s-other"
}

// resultClass is the CSS classes of a result: its status and its verdict.
func resultClass(s Status, verdict string) string {
	return strings.TrimSpace(statusClass(s) + " " + verdictClass(verdict))
}

// verdictClass is the CSS class that marks a verdict, or "".
func verdictClass(v string) string {
	switch v {
	case VerdictRegression:
		return "v-regression"
	case VerdictKnown, VerdictFinding:
		return "v-expected"
	}
	return ""
}

// verdictMark is a verdict in a word, for matrix cells.
func verdictMark(v string) string {
	switch v {
	case VerdictRegression:
		return "regression"
	case VerdictKnown:
		return "known"
	case VerdictFinding:
		return "finding"
	}
	return ""
}

// anchorFor turns a case name into an HTML id that needs no escaping in a
// URL fragment: letters, digits, "-" and "." stay, other bytes become _XX.
func anchorFor(name string) string {
	var b strings.Builder
	b.WriteString("case-")
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02X", c)
		}
	}
	return b.String()
}

// repoBase is where spec files are published; reports link spec sources
// there, at the run's commit.
const repoBase = "https://github.com/winqos/winqos/blob/"

// sourceLinks turns a source ("spec/qos2/nf-qos2-qosclosehandle.md#-returns",
// "spec/qos2/observed.yaml:73") into links: the spec file in the repository
// at commit, and for a reference page its page on learn.microsoft.com.
func sourceLinks(src, commit string) []htmlLink {
	if !strings.HasPrefix(src, "spec/") {
		return nil
	}
	ref := "main"
	if f := strings.Fields(commit); len(f) > 0 && len(f[0]) == 40 && strings.Trim(f[0], "0123456789abcdef") == "" {
		ref = f[0]
	}
	path, frag, _ := strings.Cut(src, "#")
	if p, line, ok := strings.Cut(path, ":"); ok {
		path, frag = p, "L"+line
	}
	url := repoBase + ref + "/" + path
	if frag != "" {
		url += "#" + frag
	}
	links := []htmlLink{{Text: src, URL: url}}
	parts := strings.Split(strings.TrimSuffix(path, ".md"), "/")
	if len(parts) == 3 && strings.HasSuffix(path, ".md") && (strings.HasPrefix(parts[2], "nf-") || strings.HasPrefix(parts[2], "ns-") || strings.HasPrefix(parts[2], "ne-")) {
		links = append(links, htmlLink{Text: "learn.microsoft.com", URL: "https://learn.microsoft.com/en-us/windows/win32/api/" + parts[1] + "/" + parts[2]})
	}
	return links
}

// setupFunc is the function whose failure a skip message names:
// "setup failed: QOSCreateHandle failed with ..." gives QOSCreateHandle.
func setupFunc(msg string) string {
	rest, ok := strings.CutPrefix(msg, "setup failed: ")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, " :(")
	if end < 0 {
		return ""
	}
	return rest[:end]
}

// metaRows are the header's rows of the run's meta: target, platform and
// commit unless the machine table shows the same fact (the target it names
// in its own row, the platform its OS, version, Wine and architecture make,
// the same commit), then the baseline and the number of cases. A target the
// meta words otherwise than the machine ("reference model (qwavetest)" for
// "model") replaces the machine's word in its row, so nothing is lost.
func metaRows(meta Meta, m *Machine, machine []Property, total int) []Property {
	unknown := func(v string) string {
		if v == "" {
			return "unknown"
		}
		return v
	}
	var rows []Property
	if m == nil || m.Target == "" {
		rows = append(rows, Property{"target", "Target", unknown(meta.Target)})
	} else if meta.Target != "" {
		for i := range machine {
			if machine[i].Name == "target" {
				machine[i].Value = meta.Target
			}
		}
	}
	if m == nil || m.Platform() != meta.Platform || meta.Platform == "" {
		rows = append(rows, Property{"platform", "Platform", unknown(meta.Platform)})
	}
	if m == nil || m.Commit != meta.Commit || meta.Commit == "" {
		rows = append(rows, Property{"commit", "Commit", unknown(meta.Commit)})
	}
	baseline := meta.baselineName()
	if baseline == "" {
		baseline = "none"
	}
	return append(rows, Property{"baseline", "Baseline", baseline}, Property{"cases", "Cases", fmt.Sprint(total)})
}

// breakable escapes s for HTML and lets it wrap after "/", "#", "," and
// "(" (a <wbr> there), so long names and paths wrap at their punctuation
// rather than widen the page or break mid-word.
func breakable(s string) template.HTML {
	var b strings.Builder
	for _, part := range strings.SplitAfter(s, "") {
		b.WriteString(template.HTMLEscapeString(part))
		switch part {
		case "/", "#", ",", "(":
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

func newHTMLPage(meta Meta, r Report, diffs []BaselineDiff) htmlPage {
	p := htmlPage{Meta: meta, Machine: r.Machine.Properties(), Title: meta.Title, Baseline: meta.baselineName(), Total: len(r.Results)}
	p.MetaRows = metaRows(meta, r.Machine, p.Machine, p.Total)
	if p.Title == "" {
		p.Title = "Conformance report"
	}

	// Counts, known statuses and verdicts first.
	statuses := map[Status]int{}
	verdicts := map[string]int{}
	classified := false
	for _, res := range r.Results {
		statuses[res.Status]++
		verdicts[res.Verdict]++
		classified = classified || res.Verdict != ""
	}
	for _, s := range statusOrder {
		p.Statuses = append(p.Statuses, htmlCount{Name: string(s), Class: statusClass(s), N: statuses[s]})
		delete(statuses, s)
	}
	var others []string
	for s := range statuses {
		others = append(others, string(s))
	}
	sort.Strings(others)
	for _, s := range others {
		name := s
		if name == "" {
			name = "(none)"
		}
		p.Statuses = append(p.Statuses, htmlCount{Name: name, Class: "s-other", N: statuses[Status(s)]})
	}
	if classified {
		for _, v := range verdictOrder {
			if verdicts[v] > 0 {
				p.Verdicts = append(p.Verdicts, htmlCount{Name: v, Class: verdictClass(v), N: verdicts[v]})
			}
			delete(verdicts, v)
		}
		others = others[:0]
		for v := range verdicts {
			others = append(others, v)
		}
		sort.Strings(others)
		for _, v := range others {
			name := v
			if name == "" {
				name = "unclassified"
			}
			p.Verdicts = append(p.Verdicts, htmlCount{Name: name, N: verdicts[v]})
		}
	}

	// The outcome in one line.
	bad := 0
	for _, res := range r.Results {
		if res.Status != Pass && res.Status != Skip {
			bad++
		}
	}
	switch {
	case p.Baseline != "" && len(diffs) == 0:
		p.Outcome, p.OutcomeClass = fmt.Sprintf("The results match the baseline %s (%d of %d cases did not pass).", p.Baseline, bad, p.Total), "good"
	case len(diffs) > 0:
		p.Outcome, p.OutcomeClass = fmt.Sprintf("%d cases differ from the baseline (%d of %d cases did not pass).", len(diffs), bad, p.Total), "bad"
	case bad > 0:
		p.Outcome, p.OutcomeClass = fmt.Sprintf("%d of %d cases did not pass.", bad, p.Total), "bad"
	default:
		p.Outcome, p.OutcomeClass = fmt.Sprintf("All %d cases passed or were skipped.", p.Total), "good"
	}

	// Details, by case; anchors made unique should a case appear twice.
	sorted := make([]Result, len(r.Results))
	copy(sorted, r.Results)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Case < sorted[j].Case })
	anchors := map[string]int{}
	caseAnchor := map[string]string{}
	byCase := map[string]Result{}
	for _, res := range sorted {
		a := anchorFor(res.Case)
		if n := anchors[a]; n > 0 {
			anchors[a]++
			a = fmt.Sprintf("%s~%d", a, n+1)
		} else {
			anchors[a] = 1
			caseAnchor[res.Case] = a
			byCase[res.Case] = res
		}
		d := htmlDetail{Result: res, Anchor: a, Class: statusClass(res.Status)}
		if showExitCode(res) {
			d.Exit = exitCodeString(res.ExitCode)
		}
		d.Links = append(sourceLinks(res.Source, meta.Commit), sourceLinks(res.Fact, meta.Commit)...)
		p.Details = append(p.Details, d)
	}

	// Setup failures, each once, with the cases they skipped.
	setupIndex := map[string]int{}
	for i := range p.Details {
		d := &p.Details[i]
		if d.Status != Skip || d.Msg == "" {
			continue
		}
		n, ok := setupIndex[d.Msg]
		if !ok {
			n = len(p.Setups)
			setupIndex[d.Msg] = n
			su := htmlSetup{ID: fmt.Sprintf("setup-%d", n+1), No: n + 1, Msg: d.Msg}
			if fn := setupFunc(d.Msg); fn != "" {
				if cause, ok := byCase[fn+"/valid"]; ok && cause.Status != Pass {
					su.Cause = &htmlLink{Text: cause.Case + ": " + cause.Message(), URL: "#" + caseAnchor[cause.Case]}
				}
			}
			p.Setups = append(p.Setups, su)
		}
		p.Setups[n].Cases = append(p.Setups[n].Cases, htmlLink{Text: d.Case, URL: "#" + d.Anchor})
		d.Setup, d.SetupNo = p.Setups[n].ID, n+1
	}

	// The matrix: a row per kind of case, a column per function.
	funcs := map[string]bool{}
	rows := map[string]map[string]*htmlCell{}
	for _, res := range sorted {
		fn, kind := splitCase(res)
		funcs[fn] = true
		if rows[kind] == nil {
			rows[kind] = map[string]*htmlCell{}
		}
		title := res.Case + "\n" + string(res.Status)
		if res.Observed != "" {
			title += ": " + res.Observed
		}
		if res.Verdict != "" && res.Verdict != string(res.Status) {
			title += " (" + res.Verdict + ")"
		}
		if res.Allowed != "" {
			title += "\nallowed: " + res.Allowed
		}
		if res.Msg != "" && res.Status != Skip { // a skip's message is in the setup failures
			title += "\n" + res.Msg
		}
		if res.Why != "" {
			title += "\nwhy: " + res.Why
		}
		if c := rows[kind][fn]; c != nil {
			// The same case twice (merged runs): show both.
			c.Text += " | " + string(res.Status)
			c.Title += "\n\n" + title
			if severity(res.Status) > c.worst {
				c.worst, c.Class, c.Status = severity(res.Status), resultClass(res.Status, res.Verdict), res.Status
			}
			continue
		}
		rows[kind][fn] = &htmlCell{
			Case:    res.Case,
			Class:   resultClass(res.Status, res.Verdict),
			Text:    string(res.Status),
			Verdict: verdictMark(res.Verdict),
			Title:   title,
			Anchor:  caseAnchor[res.Case],
			Status:  res.Status,
			Full:    res.Verdict,
			worst:   severity(res.Status),
		}
	}
	for fn := range funcs {
		p.Funcs = append(p.Funcs, fn)
	}
	sort.Strings(p.Funcs)
	var kinds []string
	for k := range rows {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		row := htmlRow{Kind: kind}
		for _, fn := range p.Funcs {
			if c := rows[kind][fn]; c != nil {
				row.Cells = append(row.Cells, *c)
			} else {
				row.Cells = append(row.Cells, htmlCell{Class: "none"})
			}
		}
		p.Rows = append(p.Rows, row)
	}

	for _, d := range diffs {
		p.Diffs = append(p.Diffs, d.String())
	}
	return p
}

// WriteHTML writes r as one self-contained HTML page, with inline CSS and a
// small inline script and no external resources, so it works opened from a
// file: a header with the meta, the machine and the counts per status and per
// verdict; filters by status, verdict and function; the differences from the
// baseline, if diffs is not empty; each setup failure once, with the case
// that caused it and the cases it skipped; a matrix with a row per kind of
// case (the part of Case after "/") and a column per function, whose cells
// are coloured by status and marked by verdict and have the observed and
// allowed outcomes in their tooltip; and a table with every result in full,
// the why of the expectation that judged it, a crashed case's standard
// error, and each spec source as links to the spec file and its
// learn.microsoft.com page. Every value is escaped, and equal inputs give
// equal pages.
func WriteHTML(w io.Writer, meta Meta, r Report, diffs []BaselineDiff) error {
	var buf bytes.Buffer
	if err := htmlReport.Execute(&buf, newHTMLPage(meta, r, diffs)); err != nil {
		return fmt.Errorf("conformance: HTML report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// filterScript hides the details rows and dims the matrix cells that do not
// match the filters; it needs no server.
const filterScript = `(function () {
  var sels = document.querySelectorAll("select[data-filter]");
  function apply() {
    var f = {};
    sels.forEach(function (s) { f[s.getAttribute("data-filter")] = s.value; });
    document.querySelectorAll("tr[data-status], td[data-status]").forEach(function (el) {
      var ok = (!f.status || el.getAttribute("data-status") === f.status) &&
        (!f.verdict || el.getAttribute("data-verdict") === f.verdict) &&
        (!f.func || el.getAttribute("data-func") === f.func);
      if (el.tagName === "TR") { el.hidden = !ok; } else { el.classList.toggle("dim", !ok); }
    });
  }
  sels.forEach(function (s) { s.addEventListener("change", apply); });
})();`

// statusCSS colours a case by its status and marks its verdict, alike in
// the single-run report and the merged page.
const statusCSS = `.s-pass { background: #d7f5d7; }
.s-fail { background: #f9cfcf; }
.s-skip { background: #e8e8e8; color: #555; }
.s-crashed { background: #7a1020; color: #fff; }
.s-hung { background: #ffd58f; }
.s-other { background: #fff3a0; }
.v-regression { outline: 2px solid #c00; outline-offset: -2px; }
.v-expected { background-image: repeating-linear-gradient(45deg, transparent 0 6px, rgba(255,255,255,.45) 6px 9px); }
`

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"script":       func() template.JS { return template.JS(filterScript) },
	"breakable":    breakable,
	"verdictClass": verdictClass,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}{{with .Meta.Target}}: {{.}}{{end}}{{with .Meta.Platform}} on {{.}}{{end}}</title>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; overflow-wrap: normal; word-break: normal; hyphens: manual; }
h1 { margin: 0 0 .4em; }
h2 { margin-top: 1.6em; }
code, pre { font: 12px/1.3 ui-monospace, "Cascadia Mono", Consolas, monospace; }
pre { white-space: pre-wrap; margin: .3em 0; max-height: 20em; overflow: auto; background: #f6f6f6; padding: .3em; }
table.meta th { text-align: left; padding-right: 1em; font-weight: 600; }
table.meta { display: inline-table; vertical-align: top; margin-right: 2em; }
.outcome { font-weight: 600; padding: .4em .6em; border-radius: 4px; display: inline-block; }
.outcome.good { background: #d7f5d7; }
.outcome.bad { background: #f9cfcf; }
ul.counts { list-style: none; padding: 0; margin: .4em 0; display: flex; flex-wrap: wrap; gap: .4em; }
ul.counts li { padding: .2em .6em; border-radius: 4px; border: 1px solid #ccc; }
ul.counts .n { font-weight: 700; }
.filters label { margin-right: 1em; }
` + statusCSS + `.dim { opacity: .15; }
table.matrix, table.details { border-collapse: collapse; }
table.matrix th, table.matrix td, table.details th, table.details td { border: 1px solid #bbb; padding: .25em .4em; vertical-align: top; }
table.matrix thead th { vertical-align: bottom; }
table.matrix thead th span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
table.matrix th[scope=row] { text-align: left; white-space: nowrap; font-weight: normal; }
table.matrix td { font-size: 11px; white-space: nowrap; }
table.matrix td small { display: block; }
table.matrix td a { color: inherit; text-decoration: none; }
table.matrix td.none { background: #fff; }
table.details { font-size: 12px; width: 100%; max-width: 110em; }
table.details col.c-case { width: 24%; }
table.details col.c-call { width: 25%; }
table.details col.c-why { width: 27%; }
table.details col.c-source { width: 24%; }
table.details th { background: #eee; text-align: left; position: sticky; top: 0; }
table.details td.case .name { display: block; font-weight: 600; }
.badges { display: flex; flex-wrap: wrap; gap: .25em; margin-top: .2em; }
.badge { font-size: 11px; padding: 0 .4em; border-radius: 3px; border: 1px solid #ccc; white-space: nowrap; }
.badge.verdict, .badge.expectation { background: #fff; }
.label { color: #666; font-size: 11px; }
table.details td > div + div, table.details code + div { margin-top: .15em; }
table.details code { display: block; }
table.details pre.stderr { width: 0; min-width: 100%; box-sizing: border-box; }
table.details tr:target { outline: 3px solid #2a6ed8; }
section.diffs li, section.setups li { margin: .2em 0; }
footer { margin-top: 2em; color: #777; font-size: 12px; }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<table class="meta" id="meta">
{{- range .MetaRows}}
<tr data-meta="{{.Name}}"><th>{{.Label}}</th><td>{{.Value}}</td></tr>
{{- end}}
</table>
{{- if .Machine}}
<table class="meta" id="machine">
{{- range .Machine}}
<tr data-property="{{.Name}}"><th>{{.Label}}</th><td>{{.Value}}</td></tr>
{{- end}}
</table>
{{- end}}
<p class="outcome {{.OutcomeClass}}">{{.Outcome}}</p>
<ul class="counts" id="status-counts">
{{- range .Statuses}}
<li class="{{.Class}}" data-count-status="{{.Name}}"><span class="n">{{.N}}</span> {{.Name}}</li>
{{- end}}
</ul>
{{if .Verdicts -}}
<ul class="counts" id="verdict-counts">
{{- range .Verdicts}}
<li{{with .Class}} class="{{.}}"{{end}} data-count-verdict="{{.Name}}"><span class="n">{{.N}}</span> {{.Name}}</li>
{{- end}}
</ul>
{{- else -}}
<p id="verdict-counts">Verdicts: not classified.</p>
{{- end}}
{{if .Details -}}
<form class="filters" id="filters">
<label>Status <select data-filter="status"><option value="">all</option>{{range .Statuses}}{{if .N}}<option>{{.Name}}</option>{{end}}{{end}}</select></label>
<label>Verdict <select data-filter="verdict"><option value="">all</option>{{range .Verdicts}}<option>{{.Name}}</option>{{end}}</select></label>
<label>Function <select data-filter="func"><option value="">all</option>{{range .Funcs}}<option>{{.}}</option>{{end}}</select></label>
</form>
{{- end}}
</header>
{{if .Diffs}}
<section class="diffs" id="baseline-diffs">
<h2>Differences from the baseline</h2>
<ul>
{{- range .Diffs}}
<li>{{.}}</li>
{{- end}}
</ul>
</section>
{{- end}}
{{if .Setups}}
<section class="setups" id="setup-failures">
<h2>Setup failures</h2>
<ul>
{{- range .Setups}}
<li id="{{.ID}}"><b>{{len .Cases}} cases skipped</b>: {{.Msg}}{{with .Cause}}. Cause: <a href="{{.URL}}">{{.Text}}</a>{{end}}.
<details><summary>The skipped cases</summary>{{range $i, $c := .Cases}}{{if $i}}, {{end}}<a href="{{$c.URL}}">{{$c.Text}}</a>{{end}}</details></li>
{{- end}}
</ul>
</section>
{{- end}}
<h2 id="matrix">Matrix</h2>
{{if .Rows -}}
<table class="matrix" id="matrix-table">
<thead>
<tr><th>case</th>{{range .Funcs}}<th scope="col"><span>{{.}}</span></th>{{end}}</tr>
</thead>
<tbody>
{{- range .Rows}}
<tr data-kind="{{.Kind}}"><th scope="row">{{.Kind}}</th>
{{- range $i, $c := .Cells}}
{{- if $c.Case}}
<td class="{{$c.Class}}" data-case="{{$c.Case}}" data-status="{{$c.Status}}" data-verdict="{{$c.Full}}" data-func="{{index $.Funcs $i}}" title="{{$c.Title}}"><a href="#{{$c.Anchor}}">{{$c.Text}}{{with $c.Verdict}}<small>{{.}}</small>{{end}}</a></td>
{{- else}}
<td class="none"></td>
{{- end}}
{{- end}}
</tr>
{{- end}}
</tbody>
</table>
{{- else -}}
<p>No results.</p>
{{- end}}
<h2 id="details">Details</h2>
<table class="details" id="details-table">
<colgroup><col class="c-case"><col class="c-call"><col class="c-why"><col class="c-source"></colgroup>
<thead>
<tr><th scope="col">Case</th><th scope="col">Call → observed / allowed</th><th scope="col">Why / message</th><th scope="col">Rule / source</th></tr>
</thead>
<tbody>
{{- range .Details}}
<tr id="{{.Anchor}}" data-case="{{.Case}}" data-status="{{.Status}}" data-verdict="{{.Verdict}}" data-func="{{.Func}}">
<td class="case"><span class="name">{{breakable .Case}}</span><span class="badges">{{if eq (print .Status) .Verdict}}<span class="badge status {{.Class}}" title="status and verdict">{{.Status}}</span>{{else}}<span class="badge status {{.Class}}" title="status">{{.Status}}</span>{{with .Verdict}} <span class="badge verdict {{verdictClass .}}" title="verdict">{{.}}</span>{{end}}{{end}}{{with .Expectation}} <span class="badge expectation" title="expectation">expected {{.}}</span>{{end}}</span></td>
<td class="call">{{with .Call}}<code>{{breakable .}}</code>{{end}}{{with .Observed}}<div><span class="label">observed</span> {{.}}</div>{{end}}{{with .Allowed}}<div><span class="label">allowed</span> {{.}}</div>{{end}}</td>
<td class="msg">{{with .Why}}<div class="why"><span class="label">why</span> {{.}}</div>{{end}}{{if .Setup}}<div>skipped by <a href="#{{.Setup}}">setup failure {{.SetupNo}}</a></div>{{else}}{{with .Msg}}<div class="message">{{.}}</div>{{end}}{{end}}{{with .Exit}}<div>exit code {{.}}</div>{{end}}{{with .Stderr}}<pre class="stderr">{{.}}</pre>{{end}}</td>
<td class="src">{{with .Rule}}<div class="rule">{{.}}</div>{{end}}{{range .Links}}<a class="source" href="{{.URL}}">{{breakable .Text}}</a><br>{{else}}{{with .Source}}<code>{{breakable .}}</code>{{end}}{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
<footer>Written by github.com/winqos/winqos/conformance.</footer>
<script>{{script}}</script>
</body>
</html>
`))
