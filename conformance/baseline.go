package conformance

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/winqos/winqos/qwave"
)

//go:embed baselines/*.json
var baselines embed.FS

// Baseline lists the known deviations of one platform from the documented
// contract, in the spirit of Wine's todo_wine and broken(): a run passes when
// its results equal the baseline, and fails on any change, a new deviation or
// one that went away.
type Baseline struct {
	Platform string `json:"platform"`
	// Source says where the facts come from.
	Source     string               `json:"source"`
	Deviations map[string]Deviation `json:"deviations"` // by case name
	// Crashes lists functions that abort the process on any call, which
	// fuzzing must not call.
	Crashes []string `json:"crashes,omitempty"`
	// Codes lists failure codes, by function, that the platform returns
	// beyond the documented ones.
	Codes map[string][]string `json:"codes,omitempty"`
}

// Crashing reports whether the baseline says any call of fn aborts.
func (b *Baseline) Crashing(fn string) bool {
	for _, f := range b.Crashes {
		if f == fn {
			return true
		}
	}
	return false
}

// Allows reports whether the baseline lists code as a known failure of fn
// beyond the documented ones. Names resolve through the complete winerror
// table (qwave.ErrorCode); LoadBaseline rejects a name it does not know.
func (b *Baseline) Allows(fn string, code qwave.Errno) bool {
	for _, name := range b.Codes[fn] {
		if c, ok := qwave.ErrorCode(name); ok && c == code {
			return true
		}
	}
	return false
}

// Deviation is the known result of one case that does not pass.
type Deviation struct {
	Status   Status `json:"status"`
	Observed string `json:"observed,omitempty"` // as Result.Observed; empty matches any
	Why      string `json:"why,omitempty"`
}

// WineBaseline names the embedded baseline of Wine version (8.0 →
// "wine-8.0"), which LoadBaseline loads where there is one.
func WineBaseline(version string) string { return "wine-" + version }

// LoadBaseline reads an embedded baseline by name ("wine-8.0") or a JSON
// file by path, and validates it: every case, function and code name must be
// one the suite, the contract tables or winerror.h knows, and every status
// one a run gives. An error names the file and the entry.
func LoadBaseline(nameOrPath string) (*Baseline, error) {
	file := "conformance/baselines/" + nameOrPath + ".json (embedded)"
	src, err := baselines.ReadFile("baselines/" + nameOrPath + ".json")
	if err != nil {
		file = nameOrPath
		if src, err = os.ReadFile(nameOrPath); err != nil {
			return nil, fmt.Errorf("baseline %q: neither embedded (%s) nor a readable file: %w", nameOrPath, strings.Join(BaselineNames(), ", "), err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", file, err)
	}
	if err := b.validate(file); err != nil {
		return nil, err
	}
	return &b, nil
}

// validate checks every name the baseline uses.
func (b *Baseline) validate(file string) error {
	var errs []error
	bad := func(entry, format string, args ...any) {
		errs = append(errs, fmt.Errorf("baseline %s: %s: %s", file, entry, fmt.Sprintf(format, args...)))
	}
	names := Names()
	for _, name := range sortedKeys(b.Deviations) {
		entry := fmt.Sprintf("deviations[%q]", name)
		if _, ok := Describe(name); !ok {
			bad(entry, "no case %q in the suite%s", name, nearest(name, names))
		}
		switch st := b.Deviations[name].Status; st {
		case Fail, Crashed, Hung:
		default:
			bad(entry, "status %q; want fail, crashed or hung", st)
		}
	}
	for i, fn := range b.Crashes {
		if _, ok := qwave.ContractOf(fn); !ok {
			bad(fmt.Sprintf("crashes[%d]", i), "no function %q%s", fn, nearest(fn, funcNames()))
		}
	}
	for _, fn := range sortedKeys(b.Codes) {
		if _, ok := qwave.ContractOf(fn); !ok {
			bad(fmt.Sprintf("codes[%q]", fn), "no function %q%s", fn, nearest(fn, funcNames()))
		}
		for i, name := range b.Codes[fn] {
			if _, ok := qwave.ErrorCode(name); !ok {
				bad(fmt.Sprintf("codes[%q][%d]", fn, i), "winerror.h defines no %q", name)
			}
		}
	}
	return errors.Join(errs...)
}

func funcNames() []string {
	var out []string
	for _, c := range qwave.Contracts() {
		out = append(out, c.Func)
	}
	return out
}

// nearest suggests the candidate sharing the longest prefix with name, when
// that prefix is at least half of name.
func nearest(name string, candidates []string) string {
	best, bestN := "", 0
	for _, c := range candidates {
		n := 0
		for n < len(c) && n < len(name) && c[n] == name[n] {
			n++
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	if bestN < len(name)/2 {
		return ""
	}
	return "; did you mean " + best + "?"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BaselineNames lists the embedded baselines.
func BaselineNames() []string {
	entries, _ := baselines.ReadDir("baselines")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	return names
}

func (d Deviation) matches(r Result) bool {
	return d.Status == r.Status && (d.Observed == "" || d.Observed == r.Observed)
}

// BaselineDiff is one case where a run and a baseline disagree.
type BaselineDiff struct {
	Case string
	Want *Deviation // nil: the baseline expects the case to pass
	Got  Result     // Got.Status is "" for a baseline entry the run did not run
}

// NotRun reports whether the diff is a baseline entry the run did not run.
func (d BaselineDiff) NotRun() bool { return d.Got.Status == "" }

func (d BaselineDiff) String() string {
	want := "pass"
	if d.Want != nil {
		want = string(d.Want.Status)
		if d.Want.Observed != "" {
			want += " (" + d.Want.Observed + ")"
		}
	}
	got := string(d.Got.Status)
	if d.Got.Observed != "" {
		got += " (" + d.Got.Observed + ")"
	}
	switch {
	case d.NotRun():
		return fmt.Sprintf("%s: not run; the baseline expects %s", d.Case, want)
	case d.Want == nil:
		return fmt.Sprintf("%s: new deviation: %s; the baseline expects a pass: %s", d.Case, got, d.Got.Message())
	case d.Got.Status == Pass:
		return fmt.Sprintf("%s: deviation went away: now passes; the baseline expects %s (remove it from the baseline)", d.Case, want)
	}
	return fmt.Sprintf("%s: changed: %s; the baseline expects %s", d.Case, got, want)
}

// Compare lists every case of r whose result differs from the baseline, and
// every baseline entry r did not run, sorted by case.
func (b *Baseline) Compare(r Report) []BaselineDiff {
	var diffs []BaselineDiff
	seen := map[string]bool{}
	for _, res := range r.Results {
		seen[res.Case] = true
		dev, listed := b.Deviations[res.Case]
		switch {
		case !listed && (res.Status == Pass || res.Status == Skip):
		case !listed:
			diffs = append(diffs, BaselineDiff{Case: res.Case, Got: res})
		case !dev.matches(res):
			d := dev
			diffs = append(diffs, BaselineDiff{Case: res.Case, Want: &d, Got: res})
		}
	}
	for name, dev := range b.Deviations {
		if !seen[name] {
			d := dev
			diffs = append(diffs, BaselineDiff{Case: name, Want: &d})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Case < diffs[j].Case })
	return diffs
}

// FromReport returns the baseline that r would match exactly: every case
// that did not pass or skip, as it is.
func FromReport(platform, source string, r Report) Baseline {
	b := Baseline{Platform: platform, Source: source, Deviations: map[string]Deviation{}}
	for _, res := range r.Results {
		if res.Status != Pass && res.Status != Skip {
			b.Deviations[res.Case] = Deviation{Status: res.Status, Observed: res.Observed}
		}
	}
	return b
}

// The expectations a result can be judged by (Result.Expectation).
const (
	ExpectDocumented = "documented"
	ExpectObserved   = "observed on Windows"
	ExpectBaseline   = "platform baseline"
)

// The verdicts Classify gives (Result.Verdict).
const (
	VerdictPass       = "pass"
	VerdictSkip       = "skip"
	VerdictFinding    = "documentation finding"
	VerdictKnown      = "known deviation"
	VerdictRegression = "regression"
)

// Classify sets each result's Expectation, Verdict and Why: a pass matches
// the docs, unless an observed-on-Windows fact judged it (a run under
// qwave.ProfileWindows), which makes it a documentation finding; a failure
// whose outcome is what qwave.Facts record Windows doing is a documentation
// finding too; one the platform baseline lists is a known deviation; anything
// else is a regression. platform may be nil.
func Classify(r *Report, platform *Baseline) {
	for i := range r.Results {
		res := &r.Results[i]
		switch {
		case res.Status == Skip:
			res.Expectation, res.Verdict = ExpectDocumented, VerdictSkip
			continue
		case res.Status == Pass && res.Expectation == ExpectObserved:
			res.Verdict = VerdictFinding
			continue
		case res.Status == Pass:
			res.Expectation, res.Verdict = ExpectDocumented, VerdictPass
			continue
		}
		fn, suffix := splitCase(*res)
		if f, ok := qwave.FactOf(fn, suffix); ok && !f.Documented && res.Status == Fail && res.Observed == f.Outcome() {
			res.Expectation, res.Verdict, res.Why, res.Fact = ExpectObserved, VerdictFinding, f.Why, f.Spec
			continue
		}
		if platform != nil {
			if d, ok := platform.Deviations[res.Case]; ok && d.matches(*res) {
				res.Expectation, res.Verdict, res.Why = ExpectBaseline, VerdictKnown, d.Why
				continue
			}
		}
		res.Expectation, res.Verdict = ExpectDocumented, VerdictRegression
	}
}
