package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// ResultSet is the results of one machine, as a runner (qoslab) left them in its
// output directory.
type ResultSet struct {
	Dir    string
	Report Report
	// Problems are what could not be read, such as broken lines; they are
	// reported, never fatal.
	Problems []string
}

// ReadResultSet reads DIR/results.jsonl, keeping every result it can parse: a
// machine that died mid-run still counts what it finished, and each broken
// line becomes a Problem. Results without a verdict (a run killed before it
// classified them) are classified against the facts and, under Wine, the
// embedded baseline of that Wine version. err is only for a directory without
// a readable results.jsonl.
func ReadResultSet(dir string) (ResultSet, error) {
	path := filepath.Join(dir, "results.jsonl")
	f, err := os.Open(path)
	if err != nil {
		return ResultSet{Dir: dir}, err
	}
	defer f.Close()
	r, bad, err := ReadJSONLLenient(f)
	run := ResultSet{Dir: dir, Report: r}
	for _, b := range bad {
		run.Problems = append(run.Problems, fmt.Sprintf("%s: %v", path, b))
	}
	if err != nil {
		run.Problems = append(run.Problems, fmt.Sprintf("%s: %v", path, err))
	}
	if len(r.Results) == 0 {
		run.Problems = append(run.Problems, path+": no results")
	}
	unclassified := false
	for _, res := range r.Results {
		unclassified = unclassified || res.Verdict == ""
	}
	if unclassified {
		var platform *Baseline
		if r.Machine != nil && r.Machine.Wine != "" {
			platform, _ = LoadBaseline(WineBaseline(r.Machine.Wine))
		}
		Classify(&run.Report, platform)
	}
	return run, nil
}

// Merged is the results of many machines as one matrix: a column per
// machine, grouped by Windows build, and a row per case.
type Merged struct {
	Machines  []MergedMachine `json:"machines"`
	Cases     []MergedCase    `json:"cases"`
	Functions []FuncSummary   `json:"functions"`
	Problems  []string        `json:"problems,omitempty"`
}

// MergedMachine is one column.
type MergedMachine struct {
	// Label names the column, unique in the matrix: the machine's name,
	// with its profile for the model, and a number when names repeat.
	Label string `json:"label"`
	// Group is what columns are grouped by: the Windows build ("Windows
	// build 22631"), Wine's version, or the model.
	Group   string  `json:"group"`
	Dir     string  `json:"dir"`
	Machine Machine `json:"machine"`
	Ran     int     `json:"ran"` // results read
}

// MergedCase is one row: a case and its result on each machine.
type MergedCase struct {
	Case string `json:"case"`
	Func string `json:"func"`
	// Results holds one cell per machine, in column order; a cell whose
	// Status is "" is a case the machine did not run.
	Results []MergedCell `json:"results"`
	// Disagree is true when the machines that ran the case did not all
	// give the same status and outcome.
	Disagree bool `json:"disagree"`
}

// MergedCell is one machine's result of one case.
type MergedCell struct {
	Status   Status `json:"status,omitempty"`
	Verdict  string `json:"verdict,omitempty"`
	Observed string `json:"observed,omitempty"`
	Why      string `json:"why,omitempty"`
	Msg      string `json:"msg,omitempty"`
}

// FuncSummary counts one function's cells across machines.
type FuncSummary struct {
	Func     string         `json:"func"`
	Cases    int            `json:"cases"`
	Statuses map[Status]int `json:"statuses"`
	NotRun   int            `json:"not_run"`
	Disagree int            `json:"disagree"` // cases where machines disagree
}

// groupOf is the column group of a machine.
func groupOf(m Machine) string {
	switch {
	case m.Target == "model":
		return "model"
	case m.Wine != "":
		return "Wine " + m.Wine
	case m.Build != 0:
		return fmt.Sprintf("Windows build %05d", m.Build)
	case m.OS != "":
		return m.OS
	}
	return "unknown"
}

// Merge combines runs into one matrix. Columns are sorted by group, then
// label; rows by case name. Equal runs give equal matrices.
func Merge(runs []ResultSet) Merged {
	var mg Merged
	type col struct {
		MergedMachine
		byCase map[string]*Result
	}
	cols := make([]col, 0, len(runs))
	for _, run := range runs {
		mg.Problems = append(mg.Problems, run.Problems...)
		var m Machine
		if run.Report.Machine != nil {
			m = *run.Report.Machine
		} else {
			m.Name = filepath.Base(run.Dir)
			mg.Problems = append(mg.Problems, run.Dir+": results.jsonl names no machine; labelled by its directory")
		}
		label := m.Name
		if label == "" {
			label = filepath.Base(run.Dir)
		}
		if m.Target == "model" && m.Profile != "" {
			label += " (" + m.Profile + ")"
		}
		c := col{MergedMachine: MergedMachine{Label: label, Group: groupOf(m), Dir: run.Dir, Machine: m, Ran: len(run.Report.Results)}, byCase: map[string]*Result{}}
		for i := range run.Report.Results {
			res := &run.Report.Results[i]
			c.byCase[res.Case] = res // a case listed twice: the later line wins
		}
		cols = append(cols, c)
	}
	sort.SliceStable(cols, func(i, j int) bool {
		if cols[i].Group != cols[j].Group {
			return cols[i].Group < cols[j].Group
		}
		return cols[i].Label < cols[j].Label
	})
	seen := map[string]int{}
	for i := range cols {
		if n := seen[cols[i].Label]; n > 0 {
			seen[cols[i].Label]++
			cols[i].Label = fmt.Sprintf("%s #%d", cols[i].Label, n+1)
		} else {
			seen[cols[i].Label] = 1
		}
		mg.Machines = append(mg.Machines, cols[i].MergedMachine)
	}

	names := map[string]string{}
	for _, c := range cols {
		for name, res := range c.byCase {
			if _, ok := names[name]; !ok {
				names[name] = funcOf(*res)
			}
		}
	}
	sorted := sortedKeys(names)
	sums := map[string]*FuncSummary{}
	for _, name := range sorted {
		mc := MergedCase{Case: name, Func: names[name], Results: make([]MergedCell, len(cols))}
		sum := sums[mc.Func]
		if sum == nil {
			sum = &FuncSummary{Func: mc.Func, Statuses: map[Status]int{}}
			sums[mc.Func] = sum
		}
		sum.Cases++
		var first *MergedCell
		for i, c := range cols {
			res := c.byCase[name]
			if res == nil {
				sum.NotRun++
				continue
			}
			cell := MergedCell{Status: res.Status, Verdict: res.Verdict, Observed: res.Observed, Why: res.Why, Msg: res.Msg}
			mc.Results[i] = cell
			sum.Statuses[res.Status]++
			if first == nil {
				first = &mc.Results[i]
			} else if first.Status != cell.Status || first.Observed != cell.Observed {
				mc.Disagree = true
			}
		}
		if mc.Disagree {
			sum.Disagree++
		}
		mg.Cases = append(mg.Cases, mc)
	}
	for _, s := range sums {
		mg.Functions = append(mg.Functions, *s)
	}
	sort.Slice(mg.Functions, func(i, j int) bool { return mg.Functions[i].Func < mg.Functions[j].Func })
	return mg
}

// Disagreements returns the cases where the machines disagree.
func (mg Merged) Disagreements() []MergedCase {
	var out []MergedCase
	for _, c := range mg.Cases {
		if c.Disagree {
			out = append(out, c)
		}
	}
	return out
}

// WriteMergedJSON writes the merged matrix as one indented JSON document.
func WriteMergedJSON(w io.Writer, mg Merged) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(mg)
}

// WriteMergedJUnit writes the merged results as JUnit XML: a <testsuite>
// per machine, named by its label, with its machine facts as properties,
// holding its results (cases it did not run are left out).
func WriteMergedJUnit(w io.Writer, mg Merged) error {
	doc := junitSuites{Name: "qWAVE conformance, merged"}
	for i, m := range mg.Machines {
		s := junitSuite{Name: m.Label}
		props := []junitProperty{{"machine.group", m.Group}, {"machine.dir", m.Dir}}
		for _, p := range m.Machine.Properties() {
			props = append(props, junitProperty{"machine." + p.Name, p.Value})
		}
		s.Properties = &junitProperties{Property: props}
		for _, c := range mg.Cases {
			cell := c.Results[i]
			if cell.Status == "" {
				continue
			}
			s.add(Result{Case: c.Case, Func: c.Func, Status: cell.Status, Verdict: cell.Verdict, Observed: cell.Observed, Why: cell.Why, Msg: cell.Msg})
		}
		doc.Suites = append(doc.Suites, s)
	}
	return doc.write(w)
}

// mergedGroup is a run of adjacent columns of one group, for the header.
type mergedGroup struct {
	Name string
	N    int
}

type mergedPage struct {
	Merged
	Groups    []mergedGroup
	Rows      []mergedRow // every case
	Disagree  []mergedRow // the cases where machines disagree
	StatusCol []Status
	Verdicts  []string
}

// mergedRow is a case as the page shows it, its cells rendered once for
// both tables.
type mergedRow struct {
	Case     string
	Disagree bool
	Cells    []mergedCellView
}

type mergedCellView struct {
	Class, Title, Text, Mark string
	Status                   Status
	Verdict, Func            string
}

// WriteMergedHTML writes the merged matrix as one self-contained HTML page
// (inline CSS and filter script, no external resource, works from a file):
// the machines with their facts, grouped by Windows build; a summary per
// function; the cases where machines disagree; and every case, a cell per
// machine with its status and verdict and the outcome in its tooltip.
// Problems reading the runs are listed first.
func WriteMergedHTML(w io.Writer, mg Merged) error {
	p := mergedPage{Merged: mg, StatusCol: statusOrder, Verdicts: verdictOrder}
	for _, c := range mg.Cases {
		row := mergedRow{Case: c.Case, Disagree: c.Disagree, Cells: make([]mergedCellView, len(c.Results))}
		for i, cell := range c.Results {
			v := mergedCellView{Class: cellClass(cell), Status: cell.Status, Verdict: cell.Verdict, Func: c.Func, Text: "not run"}
			if cell.Status != "" {
				v.Title, v.Text, v.Mark = cellTitle(cell), string(cell.Status), verdictMark(cell.Verdict)
			}
			row.Cells[i] = v
		}
		p.Rows = append(p.Rows, row)
		if row.Disagree {
			p.Disagree = append(p.Disagree, row)
		}
	}
	for _, m := range mg.Machines {
		if n := len(p.Groups); n > 0 && p.Groups[n-1].Name == m.Group {
			p.Groups[n-1].N++
		} else {
			p.Groups = append(p.Groups, mergedGroup{Name: m.Group, N: 1})
		}
	}
	var buf bytes.Buffer
	if err := mergedHTML.Execute(&buf, p); err != nil {
		return fmt.Errorf("conformance: merged HTML report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ErrNoRuns is returned by ReadResultSets when no directory held results.
var ErrNoRuns = errors.New("conformance: no results.jsonl in any directory")

// ReadResultSets reads every directory with ReadResultSet. A directory that
// cannot be read is returned as a problem, not an error; only when none can
// be read is the error ErrNoRuns.
func ReadResultSets(dirs []string) ([]ResultSet, []string, error) {
	var runs []ResultSet
	var problems []string
	for _, d := range dirs {
		run, err := ReadResultSet(d)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", d, err))
			continue
		}
		runs = append(runs, run)
	}
	if len(runs) == 0 {
		return nil, problems, ErrNoRuns
	}
	return runs, problems, nil
}

func cellClass(c MergedCell) string {
	if c.Status == "" {
		return "none"
	}
	return resultClass(c.Status, c.Verdict)
}

func cellTitle(c MergedCell) string {
	t := string(c.Status)
	if c.Observed != "" {
		t += ": " + c.Observed
	}
	if c.Verdict != "" {
		t += " (" + c.Verdict + ")"
	}
	if c.Why != "" {
		t += "\nwhy: " + c.Why
	}
	if c.Msg != "" {
		t += "\n" + c.Msg
	}
	return t
}

var mergedHTML = template.Must(template.New("merged").Funcs(template.FuncMap{
	"count":  func(m map[Status]int, s Status) int { return m[s] },
	"script": func() template.JS { return template.JS(filterScript) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qWAVE conformance: {{len .Machines}} machines</title>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; overflow-wrap: normal; word-break: normal; hyphens: manual; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: .2em .4em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
table.matrix td { font-size: 11px; white-space: nowrap; }
table.matrix td small { display: block; }
table.matrix thead th.m span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
` + statusCSS + `td.none { background: #fff; color: #999; }
td.nowrap { white-space: nowrap; }
#machines-table td { max-width: 28em; }
section.problems { background: #fff3a0; padding: .2em 1em; }
.filters label { margin-right: 1em; }
.dim { opacity: .15; }
</style>
</head>
<body>
<h1>qWAVE conformance: {{len .Machines}} machines, {{len .Cases}} cases</h1>
{{if .Problems}}
<section class="problems" id="problems">
<h2>Problems reading the results</h2>
<ul>{{range .Problems}}<li>{{.}}</li>{{end}}</ul>
</section>
{{end}}
<form class="filters" id="filters">
<label>Status <select data-filter="status"><option value="">all</option>{{range .StatusCol}}<option>{{.}}</option>{{end}}</select></label>
<label>Verdict <select data-filter="verdict"><option value="">all</option>{{range .Verdicts}}<option>{{.}}</option>{{end}}</select></label>
<label>Function <select data-filter="func"><option value="">all</option>{{range .Functions}}<option>{{.Func}}</option>{{end}}</select></label>
</form>
<h2 id="machines">Machines</h2>
<table id="machines-table">
<thead><tr><th>Machine</th><th>Group</th><th>Platform</th><th>qwave.dll</th><th>Profile</th><th>Cases run</th><th>Commit</th><th>Date</th></tr></thead>
<tbody>
{{- range .Machines}}
<tr data-machine="{{.Label}}"><td>{{.Label}}</td><td class="nowrap">{{.Group}}</td><td>{{.Machine.Platform}}</td><td>{{.Machine.QwaveDLL}} {{.Machine.QwaveVersion}}</td><td>{{.Machine.Profile}}</td><td>{{.Ran}}</td><td><code>{{.Machine.Commit}}</code></td><td class="nowrap">{{.Machine.Date}}</td></tr>
{{- end}}
</tbody>
</table>
<h2 id="functions">Summary per function</h2>
<p>Status columns count results, one per case and machine; the last column counts cases.</p>
<table id="functions-table">
<thead><tr><th>Function</th><th>Cases</th>{{range .StatusCol}}<th>{{.}}</th>{{end}}<th>not run</th><th>machines disagree</th></tr></thead>
<tbody>
{{- range $f := .Functions}}
<tr data-func="{{$f.Func}}"><td>{{$f.Func}}</td><td>{{$f.Cases}}</td>{{range $.StatusCol}}<td>{{count $f.Statuses .}}</td>{{end}}<td>{{$f.NotRun}}</td><td>{{$f.Disagree}}</td></tr>
{{- end}}
</tbody>
</table>
{{define "row"}}<tr data-case="{{.Case}}"{{if .Disagree}} data-disagree="true"{{end}}><th scope="row">{{.Case}}</th>{{range .Cells}}<td class="{{.Class}}"{{if .Status}} data-status="{{.Status}}" data-verdict="{{.Verdict}}" data-func="{{.Func}}" title="{{.Title}}"{{end}}>{{.Text}}{{with .Mark}}<small>{{.}}</small>{{end}}</td>{{end}}</tr>{{end}}
{{define "matrix"}}
<thead>
<tr><th rowspan="2">case</th>{{range .Groups}}<th colspan="{{.N}}">{{.Name}}</th>{{end}}</tr>
<tr>{{range .Machines}}<th class="m" scope="col"><span>{{.Label}}</span></th>{{end}}</tr>
</thead>
{{end}}
<h2 id="disagreements">Where machines disagree ({{len .Disagree}} cases)</h2>
{{if .Disagree -}}
<table class="matrix" id="disagree-table">
{{template "matrix" $}}
<tbody>
{{- range .Disagree}}
{{template "row" .}}
{{- end}}
</tbody>
</table>
{{- else -}}
<p>Every machine that ran a case gave the same result.</p>
{{- end}}
<h2 id="all">All cases</h2>
<table class="matrix" id="matrix-table">
{{template "matrix" $}}
<tbody>
{{- range .Rows}}
{{template "row" .}}
{{- end}}
</tbody>
</table>
<footer>Written by qoslab merge (github.com/winqos/winqos/conformance).</footer>
<script>{{script}}</script>
</body>
</html>
`))
