// Command qoslab runs the qWAVE conformance suite against a real qwave.dll
// (on Windows, or under Wine) or against the reference model, one case per
// child process so that a crash or a hang fails that case alone.
//
// Usage:
//
//	qoslab [flags]              run every case, write reports to -out
//	qoslab -wine [flags]        (Linux) cross-build qoslab.exe and run it under Wine
//
// Results stream to OUT/results.jsonl, flushed after each case, so a killed
// run keeps every finished case and -resume continues it. At the end qoslab
// writes OUT/junit.xml and OUT/report.html and compares the results with the
// platform baseline; it exits 1 on any difference.
//
// The lab machine needs no Go: cross-compile with
// GOOS=windows go build ./conformance/cmd/qoslab and copy qoslab.exe.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

type config struct {
	target   string
	out      string
	resume   bool
	run      string
	peer     string
	unreach  string
	timeout  time.Duration
	baseline string
	child    string
	wine     bool
	write    string
	quiet    bool
	profile  string
}

func main() {
	code, err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qoslab:", err)
	}
	os.Exit(code)
}

func run(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) > 0 && args[0] == "merge" {
		return runMerge(args[1:], stderr)
	}
	var c config
	fs := flag.NewFlagSet("qoslab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.target, "target", defaultTarget(), "what to test: dll (qwave.dll; Windows only) or model (the reference model)")
	fs.StringVar(&c.out, "out", "qoslab-out", "directory for results.jsonl, junit.xml and report.html")
	fs.BoolVar(&c.resume, "resume", false, "continue the run in -out: skip the cases results.jsonl already holds")
	fs.StringVar(&c.run, "run", "", "run only the cases whose name matches this regular expression")
	fs.StringVar(&c.peer, "peer", "192.0.2.1:5004", "address:port of the peer flows and tracked clients use (a host on the lab's link)")
	fs.StringVar(&c.unreach, "unreachable", "203.0.113.1:5004", "address:port no route leads to, for the ERROR_HOST_UNREACHABLE cases")
	fs.DurationVar(&c.timeout, "timeout", 20*time.Second, "a case still running after this is killed and recorded as hung")
	fs.StringVar(&c.baseline, "baseline", "auto", `platform baseline to compare with: an embedded name (wine-8.0), a JSON file, "none", or "auto" (wine-8.0 under Wine, none elsewhere)`)
	fs.StringVar(&c.child, "child", "", "") // internal: run this one case and print its result as JSON; hidden from -h
	fs.StringVar(&c.profile, "profile", "documented", "expectations to judge by: documented (the docs alone) or windows (also what real Windows is observed to do, spec/qos2/observed.yaml); with -target model, the model behaves so too")
	fs.BoolVar(&c.wine, "wine", false, "Linux: cross-build qoslab.exe and run it under Wine against Wine's qwave.dll")
	fs.BoolVar(&c.quiet, "q", false, "no progress line")
	fs.StringVar(&c.write, "write-baseline", "", "write the results as a platform baseline to this JSON file (every case that did not pass), to review and commit")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	if fs.NArg() > 0 {
		return 2, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := validate(c); err != nil {
		return 2, err
	}
	if c.wine {
		return runUnderWine(c, args, stderr)
	}
	opts, err := suiteOptions(c)
	if err != nil {
		return 2, err
	}
	newAPI, extra, err := target(c, netip.MustParseAddrPort(c.peer)) // checked by suiteOptions
	if err != nil {
		return 2, err
	}
	opts = append(opts, extra...)
	if c.child != "" {
		return runChild(c.child, newAPI, opts, stdout)
	}
	return runParent(c, opts, stderr)
}

// usage prints the flags, leaving out the internal ones (no usage text).
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, "Usage:\n  qoslab [flags]            run the conformance suite, write reports to -out\n  qoslab merge -out DIR DIR...  merge the result directories of many machines into one report\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Usage == "" {
			return
		}
		name, help := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(help, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %q)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprint(w, "\nExit status: 0 the results equal the baseline (or, without one, every case passed or is a documentation finding); 1 they differ; 2 bad usage or the run could not be made.\n")
}

// validate checks every flag before any case runs, so a typo does not cost
// a whole run.
func validate(c config) error {
	if c.timeout <= 0 {
		return fmt.Errorf("-timeout %v: want a positive duration such as 20s", c.timeout)
	}
	if _, err := qwave.ParseProfile(c.profile); err != nil {
		return fmt.Errorf("-profile %q: want documented or windows", c.profile)
	}
	if c.target != "model" && c.target != "dll" {
		return fmt.Errorf("-target %q: want dll or model", c.target)
	}
	if c.child == "" && !(c.wine && c.baseline == "auto") {
		if _, _, err := loadBaseline(c); err != nil {
			return err
		}
	}
	_, err := suiteOptions(c)
	return err
}

// loadBaseline resolves -baseline ("auto" by target) and loads it; nil for
// none.
func loadBaseline(c config) (*conformance.Baseline, string, error) {
	name := c.baseline
	if name == "auto" {
		name = autoBaseline(c.target)
	}
	if name == "none" || name == "" {
		return nil, "none", nil
	}
	b, err := conformance.LoadBaseline(name)
	if err != nil {
		return nil, name, fmt.Errorf("-baseline: %w", err)
	}
	return b, name, nil
}

func suiteOptions(c config) ([]conformance.Option, error) {
	peer, err := netip.ParseAddrPort(c.peer)
	if err != nil {
		return nil, fmt.Errorf("-peer: %w", err)
	}
	unreachable, err := netip.ParseAddrPort(c.unreach)
	if err != nil {
		return nil, fmt.Errorf("-unreachable: %w", err)
	}
	profile, err := qwave.ParseProfile(c.profile)
	if err != nil {
		return nil, err
	}
	opts := []conformance.Option{conformance.WithPeer(peer), conformance.WithUnreachable(unreachable), conformance.WithTimeout(c.timeout), conformance.WithProfile(profile)}
	if c.run != "" {
		re, err := regexp.Compile(c.run)
		if err != nil {
			return nil, fmt.Errorf("-run: %w", err)
		}
		opts = append(opts, conformance.WithFilter(re.MatchString))
	}
	return opts, nil
}

func target(c config, peer netip.AddrPort) (func() qwave.API, []conformance.Option, error) {
	switch c.target {
	case "model":
		profile, _ := qwave.ParseProfile(c.profile) // checked by validate
		return func() qwave.API { return qwavetest.New(qwavetest.WithProfile(profile)) }, nil, nil
	case "dll":
		return dllTarget(peer)
	}
	return nil, nil, fmt.Errorf("-target %q: want dll or model", c.target)
}

// runChild runs one case in this process and prints its result.
func runChild(name string, newAPI func() qwave.API, opts []conformance.Option, stdout io.Writer) (int, error) {
	res, ok := conformance.RunCase(name, newAPI, opts...)
	if !ok {
		return 2, fmt.Errorf("no case %q", name)
	}
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		return 2, err
	}
	return 0, nil
}

func runParent(c config, opts []conformance.Option, stderr io.Writer) (int, error) {
	names := conformance.Names(opts...)
	if len(names) == 0 {
		return 2, errors.New("no case matches -run")
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return 2, err
	}
	jsonl := filepath.Join(c.out, "results.jsonl")
	done := map[string]conformance.Result{}
	var machine *conformance.Machine
	if c.resume {
		prev, err := readResults(jsonl)
		if err != nil {
			return 2, err
		}
		for _, r := range prev.Results {
			done[r.Case] = r
		}
		machine = prev.Machine // where and when the run began
	}
	if machine == nil {
		m := thisMachine(c)
		machine = &m
	}
	// Rewrite what is kept, so a line cut by a kill does not linger.
	f, err := os.Create(jsonl)
	if err != nil {
		return 2, err
	}
	defer f.Close()
	if err := conformance.WriteJSONL(f, conformance.Report{Machine: machine}); err != nil {
		return 2, err
	}
	for _, name := range names {
		if r, ok := done[name]; ok {
			if err := appendResult(f, r); err != nil {
				return 2, err
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		return 2, err
	}
	progress := newProgress(stderr, len(names), c.quiet)
	marks := os.Getenv(caseMarksEnv) != ""
	for i, name := range names {
		if _, ok := done[name]; ok {
			continue
		}
		progress.show(i+1, name)
		if marks {
			// For runUnderWine: Wine prints a child's own messages
			// ("unimplemented function") to the Unix stderr it shares
			// with this process, not to the child's stderr pipe; this
			// line tells the Linux side which case they belong to.
			fmt.Fprintf(os.Stderr, "%s%s\n", caseMark, name)
		}
		res := runIsolated(self, c, name)
		done[name] = res
		if err := appendResult(f, res); err != nil {
			return 2, err
		}
	}
	progress.finish()
	// Closed before finish rewrites it: Windows cannot rename over an open file.
	if err := f.Close(); err != nil {
		return 2, err
	}
	report := conformance.Report{Machine: machine}
	for _, name := range names {
		report.Results = append(report.Results, done[name])
	}
	return finish(c, report, stderr)
}

// caseMarksEnv, when set, makes the parent write caseMark and the case name
// to stderr before each case.
const (
	commitEnv    = "QOSLAB_COMMIT"
	caseMarksEnv = "QOSLAB_CASE_MARKS"
	caseMark     = "qoslab-case: "
)

// appendResult writes one JSON line and syncs it, so a killed run keeps it.
func appendResult(f *os.File, r conformance.Result) error {
	if err := conformance.WriteJSONL(f, conformance.Report{Results: []conformance.Result{r}}); err != nil {
		return err
	}
	return f.Sync()
}

func readResults(path string) (conformance.Report, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return conformance.Report{}, nil
	}
	if err != nil {
		return conformance.Report{}, err
	}
	defer f.Close()
	r, err := conformance.ReadJSONL(f)
	if err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// childArgs are the flags a child inherits.
func childArgs(c config, name string) []string {
	return []string{"-child", name, "-target", c.target, "-peer", c.peer, "-unreachable", c.unreach, "-timeout", c.timeout.String(), "-profile", c.profile}
}

// runIsolated runs one case in a child process under the timeout, and turns a
// crash or hang into that case's result.
func runIsolated(self string, c config, name string) conformance.Result {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout+5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, childArgs(c, name)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	base, _ := conformance.Describe(name)
	base.Stderr = tail(stderr.String(), 2000)
	if ctx.Err() != nil {
		base.Status = conformance.Hung
		base.Msg = fmt.Sprintf("the case's process was killed after %v", c.timeout+5*time.Second)
		return base
	}
	if err != nil {
		base.Status = conformance.Crashed
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			base.ExitCode = int64(uint32(exit.ExitCode()))
			base.Observed = fmt.Sprintf("exit status %#x", uint32(exit.ExitCode()))
		}
		base.Msg = "the case's process died: " + err.Error()
		return base
	}
	var res conformance.Result
	if err := json.Unmarshal(lastLine(stdout.Bytes()), &res); err != nil {
		base.Status = conformance.Crashed
		base.Msg = "the case's process printed no result: " + err.Error()
		return base
	}
	return res
}

func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\r\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// finish classifies the results, writes the reports and compares with the
// baseline.
func finish(c config, report conformance.Report, stderr io.Writer) (int, error) {
	platform, name, err := loadBaseline(c)
	if err != nil {
		return 2, err
	}
	conformance.Classify(&report, platform)
	var diffs []conformance.BaselineDiff
	if platform != nil {
		for _, d := range platform.Compare(report) {
			if d.NotRun() && c.run != "" {
				continue // left out by -run
			}
			diffs = append(diffs, d)
		}
	} else {
		for _, r := range report.Results {
			if r.Status != conformance.Pass && r.Status != conformance.Skip && r.Verdict != conformance.VerdictFinding {
				diffs = append(diffs, conformance.BaselineDiff{Case: r.Case, Got: r})
			}
		}
	}
	// Rewritten whole, now with verdicts, for readers such as qoslab merge.
	if err := writeFile(filepath.Join(c.out, "results.jsonl"), func(w io.Writer) error { return conformance.WriteJSONL(w, report) }); err != nil {
		return 2, err
	}
	meta := conformance.Meta{Title: "qWAVE conformance", Target: targetName(c.target), Platform: report.Machine.Platform(), Commit: report.Machine.Commit, Baseline: name}
	if err := writeFile(filepath.Join(c.out, "junit.xml"), func(w io.Writer) error { return conformance.WriteJUnit(w, meta, report) }); err != nil {
		return 2, err
	}
	if err := writeFile(filepath.Join(c.out, "report.html"), func(w io.Writer) error { return conformance.WriteHTML(w, meta, report, diffs) }); err != nil {
		return 2, err
	}
	if c.write != "" {
		b := conformance.FromReport(meta.Platform, "qoslab -target "+c.target+" at "+meta.Commit, report)
		if err := writeFile(c.write, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(b)
		}); err != nil {
			return 2, err
		}
	}
	counts := report.Counts()
	fmt.Fprintf(stderr, "qoslab: %s on %s: %d cases: %d pass, %d fail, %d skip, %d crashed, %d hung; reports in %s\n",
		meta.Target, meta.Platform, len(report.Results), counts[conformance.Pass], counts[conformance.Fail], counts[conformance.Skip],
		counts[conformance.Crashed], counts[conformance.Hung], c.out)
	if len(diffs) > 0 {
		fmt.Fprintf(stderr, "qoslab: %d differences from the baseline %q:\n", len(diffs), name)
		for _, d := range diffs {
			fmt.Fprintln(stderr, "  "+d.String())
		}
		fmt.Fprintf(stderr, "qoslab: reproduce one case with: qoslab -target %s -run '^CASE$'\n", c.target)
		return 1, nil
	}
	fmt.Fprintln(stderr, "qoslab: "+summary(report, name))
	return 0, nil
}

// runMerge is qoslab merge -out DIR DIR...: the result directories of many
// machines become one HTML page, one JSON file and one JUnit file in DIR.
// Problems reading a directory or a line are reported, never fatal.
func runMerge(args []string, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("qoslab merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory for the merged report.html, results.json and junit.xml")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: qoslab merge -out DIR RESULTDIR...\n\nMerges the result directories (qoslab -out) of many machines into one matrix.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return 2, errors.New("merge: want -out DIR and at least one result directory")
	}
	runs, problems, err := conformance.ReadResultSets(fs.Args())
	for _, p := range problems {
		fmt.Fprintln(stderr, "qoslab merge:", p)
	}
	if err != nil {
		return 2, err
	}
	mg := conformance.Merge(runs)
	mg.Problems = append(problems, mg.Problems...)
	for _, p := range mg.Problems[len(problems):] {
		fmt.Fprintln(stderr, "qoslab merge:", p)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return 2, err
	}
	for name, write := range map[string]func(io.Writer) error{
		"report.html":  func(w io.Writer) error { return conformance.WriteMergedHTML(w, mg) },
		"results.json": func(w io.Writer) error { return conformance.WriteMergedJSON(w, mg) },
		"junit.xml":    func(w io.Writer) error { return conformance.WriteMergedJUnit(w, mg) },
	} {
		if err := writeFile(filepath.Join(*out, name), write); err != nil {
			return 2, err
		}
	}
	fmt.Fprintf(stderr, "qoslab merge: %d machines, %d cases, %d where machines disagree; report in %s\n",
		len(mg.Machines), len(mg.Cases), len(mg.Disagreements()), filepath.Join(*out, "report.html"))
	return 0, nil
}

// summary says in words how a run that matched its expectations relates to
// the docs.
func summary(r conformance.Report, baseline string) string {
	findings, known := 0, 0
	for _, res := range r.Results {
		switch res.Verdict {
		case conformance.VerdictFinding:
			findings++
		case conformance.VerdictKnown:
			known++
		}
	}
	var parts []string
	if known > 0 {
		parts = append(parts, fmt.Sprintf("%d cases differ from the docs as the platform baseline %s expects", known, baseline))
	}
	if findings > 0 {
		parts = append(parts, fmt.Sprintf("%d cases differ from the docs as Windows is known to (documentation findings)", findings))
	}
	if len(parts) == 0 {
		if baseline == "none" {
			return "every case passed or was skipped: the results agree with the docs"
		}
		return "every case passed or was skipped: the results agree with the docs and with the baseline " + baseline
	}
	return strings.Join(parts, "; ") + "; nothing else differs: no regression"
}

// writeFile writes through a temporary file and renames it into place.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(tmp)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600; reports are for everyone to read
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func targetName(t string) string {
	if t == "dll" {
		return "qwave.dll"
	}
	return "reference model (qwavetest)"
}

// thisMachine describes the machine a run is made on: for the dll target
// what DetectMachine finds, for the model "model" and its profile; with the
// peer, the suite's commit and the date (SOURCE_DATE_EPOCH when set, for
// reproducible reports).
func thisMachine(c config) conformance.Machine {
	peer := netip.MustParseAddrPort(c.peer) // checked by validate
	var m conformance.Machine
	if c.target == "dll" {
		m = conformance.DetectMachine(peer)
		m.Target = "qwave.dll"
	} else {
		m = conformance.Machine{Name: "model", Target: "model", OS: runtime.GOOS, Arch: runtime.GOARCH}
	}
	m.Profile, m.Peer, m.Commit = c.profile, c.peer, commit()
	now := time.Now()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			now = time.Unix(sec, 0)
		}
	}
	m.Date = now.UTC().Format(time.RFC3339)
	return m
}

// commit is the VCS revision the binary was built from, or, for go run
// (which stamps none), the checkout's HEAD.
func commit() string {
	if c := os.Getenv(commitEnv); c != "" {
		return c // set by qoslab -wine, whose Windows binary cannot run git
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return gitHead()
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " (modified)"
			}
		}
	}
	if rev == "" {
		return gitHead()
	}
	return rev + dirty
}

func gitHead() string {
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	status, _ := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output()
	s := strings.TrimSpace(string(rev))
	if len(bytes.TrimSpace(status)) > 0 {
		s += " (modified)"
	}
	return s
}

// progress shows the case running: one line rewritten in place on a
// terminal, a line every 10 cases elsewhere (CI logs).
type progress struct {
	w        io.Writer
	total    int
	quiet    bool
	terminal bool
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	p := &progress{w: w, total: total, quiet: quiet}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) show(i int, name string) {
	switch {
	case p.quiet:
	case p.terminal:
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s", i, p.total, name)
	case i%10 == 0 || i == p.total:
		fmt.Fprintf(p.w, "qoslab: [%d/%d] %s\n", i, p.total, name)
	}
}

func (p *progress) finish() {
	if !p.quiet && p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
