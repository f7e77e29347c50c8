// Package conformance checks any implementation of the qWAVE API against its
// documented contract: the parameter directions, reserved parameters,
// required pointers and failure codes of spec/qos2, plus scenarios the
// remarks describe (closing a handle aborts pending operations, removing a
// flow twice, cancelling).
//
// It is a normal package, like testing/fstest: Run runs one named subtest
// per case, Check returns a Report without needing package testing. Cases are
// derived from the contract tables of package qwave and name the spec page
// and section whose rule they check.
//
//	func TestMyQWAVE(t *testing.T) {
//		conformance.Run(t, func() qwave.API { return qwavetest.New() })
//	}
package conformance

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// Sentinel is the last error set before every call on implementations that
// expose it (qwave.LastErrorAccess): judge.Sentinel.
const Sentinel = judge.Sentinel

// Status is a case's outcome.
type Status string

// The statuses. Crashed and Hung come from runners that isolate cases in
// child processes, or from the watchdog.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Skip    Status = "skip" // the case cannot run here (its setup failed)
	Crashed Status = "crashed"
	Hung    Status = "hung"
)

// Result is the outcome of one case.
type Result struct {
	Case   string `json:"case"`
	Func   string `json:"func"`
	Rule   string `json:"rule"`
	Source string `json:"source"`
	Status Status `json:"status"`
	// Call is the judged call as written in C terms, e.g.
	// "QOSCloseHandle(0xdeadbeef)"; Observed what it did, e.g.
	// "FALSE, ERROR_INVALID_HANDLE"; Allowed what the docs allow.
	Call     string `json:"call,omitempty"`
	Observed string `json:"observed,omitempty"`
	Allowed  string `json:"allowed,omitempty"`
	// Code is the failure code observed (0 on success).
	Code qwave.Errno `json:"code,omitempty"`
	// Msg explains a failure or skip.
	Msg string `json:"msg,omitempty"`
	// Expectation says which source of expectations judged the case:
	// "documented" by default; runners comparing against known Windows
	// behaviour or a platform baseline set the others (see Classify).
	Expectation string `json:"expectation,omitempty"`
	// Verdict is Classify's reading of the result: VerdictPass,
	// VerdictSkip, VerdictFinding, VerdictKnown or VerdictRegression; set by
	// runners.
	Verdict string `json:"verdict,omitempty"`
	// Why explains the expectation that judged a case other than the
	// docs: the observed-on-Windows fact (qwave.Fact.Why) or the platform
	// baseline's deviation. Fact is that fact's entry in spec/
	// (spec/qos2/observed.yaml:LINE).
	Why  string `json:"why,omitempty"`
	Fact string `json:"fact,omitempty"`
	// ExitCode and Stderr describe a crashed or hung case's process.
	ExitCode int64  `json:"exit_code,omitempty"`
	Stderr   string `json:"stderr,omitempty"`
	// Elapsed is how long the case took. It is left out of JSON so that
	// reports depend on results alone.
	Elapsed time.Duration `json:"-"`
}

// Report is the outcome of a run.
type Report struct {
	// Machine is where the run was made, when the runner recorded it.
	Machine *Machine
	Results []Result
}

// Counts tallies results by status.
func (r Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, res := range r.Results {
		c[res.Status]++
	}
	return c
}

// Err joins one error per failed, crashed or hung case, or returns nil.
func (r Report) Err() error {
	var errs []error
	for _, res := range r.Results {
		switch res.Status {
		case Fail, Crashed, Hung:
			errs = append(errs, &CaseError{Result: res})
		}
	}
	return errors.Join(errs...)
}

// CaseError is a failed case, as Report.Err returns it.
type CaseError struct{ Result Result }

func (e *CaseError) Error() string { return e.Result.Case + ": " + e.Result.Message() }

// Message is a result's explanation in one line: the call, what it did and
// what the docs allow, and where the rule is written.
func (r Result) Message() string {
	var b strings.Builder
	if r.Call != "" {
		fmt.Fprintf(&b, "%s = %s", r.Call, r.Observed)
		if r.Allowed != "" {
			fmt.Fprintf(&b, "; want %s", r.Allowed)
		}
	}
	if r.Msg != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(r.Msg)
	}
	fmt.Fprintf(&b, " (%s: %s)", r.Source, r.Rule)
	return b.String()
}

// Options configure a run.
type options struct {
	peer        netip.AddrPort
	unreachable netip.AddrPort
	socket      func() (qwave.Socket, func(), error)
	dualStack   func() (qwave.Socket, func(), error)
	timeout     time.Duration
	filter      func(name string) bool
	inject      func(api qwave.API, fn qwave.FuncID, code qwave.Errno) error
	profile     qwave.Profile
}

// Option configures Run, Check and Cases.
type Option func(*options)

// WithPeer sets the destination flows and tracked clients use. The default,
// 192.0.2.1:5004, is reachable in qwavetest's default network; labs set a
// host on their own link.
func WithPeer(p netip.AddrPort) Option { return func(o *options) { o.peer = p } }

// WithUnreachable sets an address no route leads to, for the cases that
// check ERROR_HOST_UNREACHABLE. The default is 203.0.113.1:5004
// (TEST-NET-3, which qwavetest's default network does not reach).
func WithUnreachable(p netip.AddrPort) Option { return func(o *options) { o.unreachable = p } }

// WithSockets sets how cases get a socket to add to a flow: the socket and a
// function that closes it. The default hands out distinct fake socket values,
// which only an in-memory implementation accepts; on Windows, pass real UDP
// sockets.
func WithSockets(f func() (qwave.Socket, func(), error)) Option {
	return func(o *options) { o.socket = f }
}

// WithTimeout sets the watchdog: a case still running after d is reported as
// hung. The default is 10 s.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithFilter runs only the cases whose name match returns true for.
func WithFilter(match func(name string) bool) Option { return func(o *options) { o.filter = match } }

// WithProfile sets the expectations cases judge by: qwave.ProfileDocumented
// (the default) accepts only what the docs allow; qwave.ProfileWindows also
// accepts the outcome qwave.Facts record real Windows giving for the case,
// and marks such a result's Expectation "observed on Windows" with the
// fact's Why.
func WithProfile(p qwave.Profile) Option { return func(o *options) { o.profile = p } }

// WithInjection adds a case for every documented (function, code) pair:
// inject makes the next call of fn on api fail with code (as
// qwavetest.Model.Inject does), and the case checks the call reports exactly
// that failure. Implementations with fault injection use it to exercise every
// documented code.
func WithInjection(inject func(api qwave.API, fn qwave.FuncID, code qwave.Errno) error) Option {
	return func(o *options) { o.inject = inject }
}

func newOptions(opts []Option) *options {
	o := &options{
		peer:        netip.MustParseAddrPort("192.0.2.1:5004"),
		unreachable: netip.MustParseAddrPort("203.0.113.1:5004"),
		timeout:     10 * time.Second,
	}
	next := qwave.Socket(0x100)
	o.socket = func() (qwave.Socket, func(), error) {
		next += 4
		return next, func() {}, nil
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// Names lists the names of the cases a run with opts would run, in order.
func Names(opts ...Option) []string {
	o := newOptions(opts)
	var names []string
	for _, c := range cases(o) {
		if o.filter == nil || o.filter(c.name) {
			names = append(names, c.name)
		}
	}
	return names
}

// Describe returns a Result naming the case's function, rule and source,
// with no outcome yet, for runners that record a case they could not run to
// completion (a crash, a hang).
func Describe(name string, opts ...Option) (Result, bool) {
	for _, c := range cases(newOptions(opts)) {
		if c.name == name {
			return Result{Case: c.name, Func: c.fn, Rule: c.rule, Source: c.source}, true
		}
	}
	return Result{}, false
}

// Run runs every case as a subtest of t, each against a fresh API from
// newAPI, and fails the subtests whose case fails.
func Run(t *testing.T, newAPI func() qwave.API, opts ...Option) {
	t.Helper()
	o := newOptions(opts)
	ran := 0
	for _, c := range cases(o) {
		if o.filter != nil && !o.filter(c.name) {
			continue
		}
		ran++
		t.Run(c.name, func(t *testing.T) {
			res := runCase(c, newAPI, o)
			switch res.Status {
			case Pass:
			case Skip:
				t.Skip(res.Message())
			default:
				t.Errorf("%s: %s", res.Status, res.Message())
			}
		})
	}
	if ran == 0 {
		t.Error("conformance: no case matched the filter")
	}
}

// Check runs every case against a fresh API from newAPI and reports the
// results, sorted by case name.
func Check(newAPI func() qwave.API, opts ...Option) Report {
	o := newOptions(opts)
	var r Report
	for _, c := range cases(o) {
		if o.filter != nil && !o.filter(c.name) {
			continue
		}
		r.Results = append(r.Results, runCase(c, newAPI, o))
	}
	sort.Slice(r.Results, func(i, j int) bool { return r.Results[i].Case < r.Results[j].Case })
	return r
}

// RunCase runs the named case alone, as lab runners do in a child process.
func RunCase(name string, newAPI func() qwave.API, opts ...Option) (Result, bool) {
	o := newOptions(opts)
	for _, c := range cases(o) {
		if c.name == name {
			return runCase(c, newAPI, o), true
		}
	}
	return Result{}, false
}

// runCase runs one case under the watchdog.
func runCase(c testCase, newAPI func() qwave.API, o *options) Result {
	start := time.Now()
	done := make(chan Result, 1)
	go func() {
		e := &env{api: newAPI(), opts: o, c: c}
		defer e.cleanup()
		done <- e.run()
	}()
	timer := time.NewTimer(o.timeout)
	defer timer.Stop()
	var res Result
	select {
	case res = <-done:
	case <-timer.C:
		// The goroutine is left behind: a call into a hung DLL cannot be
		// interrupted. Runners that must not leak isolate cases in
		// processes.
		res = Result{Status: Hung, Msg: fmt.Sprintf("no result after %v", o.timeout)}
	}
	res.Case, res.Func, res.Rule, res.Source = c.name, c.fn, c.rule, c.source
	res.Elapsed = time.Since(start)
	return res
}
