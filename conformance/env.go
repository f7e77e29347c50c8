package conformance

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// env is one case's world: the API under test and what the case created, to
// be released when it ends.
type env struct {
	api      qwave.API
	opts     *options
	c        testCase
	closers  []func()
	res      *Result
	setupErr error
}

func (e *env) cleanup() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
}

func (e *env) run() (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Status: Fail, Msg: fmt.Sprintf("panic: %v", p)}
		}
	}()
	r := Result{Status: Pass}
	e.res = &r
	e.c.run(e)
	if e.setupErr != nil && r.Status == Pass {
		r.Status, r.Msg = Skip, "setup failed: "+e.setupErr.Error()
	}
	return r
}

// setup reports whether the case's preparation succeeded; a failed setup
// step skips the case (it says nothing about the rule under test).
func (e *env) setup(what string, err error) bool {
	if err != nil && e.setupErr == nil {
		var code qwave.Errno
		if errors.As(err, &code) {
			e.setupErr = &setupError{what: what, code: code, err: err}
		} else {
			e.setupErr = fmt.Errorf("%s: %w", what, err)
		}
	}
	return e.setupErr == nil
}

// setupError is a setup step that failed with a Win32 code, named from
// the complete winerror table.
type setupError struct {
	what string
	code qwave.Errno
	err  error
}

func (e *setupError) Error() string {
	return fmt.Sprintf("%s failed with %s (%d)", e.what, judge.CodeName(e.code), uint32(e.code))
}

func (e *setupError) Unwrap() error { return e.err }

// observation is one call, rendered in C terms, and what it did.
type observation struct {
	call string
	judge.Observed
}

// do makes one call with the sentinel last error around it.
func (e *env) do(call string, f func() error) observation {
	la, ok := e.api.(qwave.LastErrorAccess)
	if ok {
		la.SetLastError(Sentinel)
	}
	o := observation{call: call, Observed: judge.Observed{Err: f()}}
	if ok {
		o.LastError, o.HaveLast = la.GetLastError(), true
	}
	return o
}

// record stores the judged call on the result.
func (e *env) record(o observation, x judge.Expect) {
	e.res.Call, e.res.Observed, e.res.Allowed, e.res.Code = o.call, o.Outcome(), x.Allowed(), o.Code()
}

// failStep fails the case at a step after the judged call: the result
// names that step (call, what it did, what the docs allow), not the call
// before it that passed.
func (e *env) failStep(call, observed, allowed, format string, args ...any) {
	if e.res.Status == Pass {
		e.res.Call, e.res.Observed, e.res.Allowed = call, observed, allowed
	}
	e.fail(format, args...)
}

func (e *env) fail(format string, args ...any) {
	if e.res.Status == Pass {
		e.res.Status = Fail
		e.res.Msg = fmt.Sprintf(format, args...)
	}
}

// fact returns what Windows is known to do in this case, under the Windows
// profile.
func (e *env) fact() (qwave.Fact, bool) {
	if e.opts.profile != qwave.ProfileWindows {
		return qwave.Fact{}, false
	}
	_, suffix, _ := strings.Cut(e.c.name, "/")
	return qwave.FactOf(e.c.fn, suffix)
}

// byFact records that a fact judged the case.
func (e *env) byFact(f qwave.Fact) {
	if !f.Documented {
		e.res.Expectation = ExpectObserved
	}
	e.res.Why, e.res.Fact = f.Why, f.Spec
}

// expect judges o against x under exp with the judge every layer uses,
// records it, and reports whether it passed.
func (e *env) expect(o observation, x judge.Expect, exp judge.Expectations) bool {
	e.record(o, x)
	var m *judge.Mismatch
	if err := judge.Judge(e.c.fn, o.call, o.Observed, x, exp); errors.As(err, &m) {
		e.fail("%s", m.Problem)
		return false
	}
	return true
}

// wantSuccess judges a call that the docs say succeeds: nonzero return and
// the last error left alone.
func (e *env) wantSuccess(o observation) bool {
	if f, ok := e.fact(); ok && f.OK {
		e.byFact(f)
	}
	return e.expect(o, judge.Expect{Rules: []judge.Rule{judge.Succeeds(e.c.fn, e.c.rule)}}, judge.DocumentedOnly)
}

// wantFailure judges a call that the docs say fails: FALSE, a code the
// function documents (one of want, when want is not empty), and that code
// in the last error. Under the Windows profile, the code a fact records
// for the case passes too, and the result says a fact judged it.
func (e *env) wantFailure(o observation, want ...qwave.Errno) (qwave.Errno, bool) {
	r := judge.Documented(e.c.fn)
	if len(want) > 0 {
		r = judge.Rule{Func: e.c.fn, Text: e.c.rule, Source: e.c.source, Codes: want}
	}
	exp := judge.DocumentedOnly
	f, hasFact := e.fact()
	hasFact = hasFact && !f.OK
	if hasFact {
		exp = judge.Expectations{Extra: func(_ string, c qwave.Errno) bool { return c == f.Code }}
	}
	ok := e.expect(o, judge.Expect{Rules: []judge.Rule{r}}, exp)
	if hasFact && !f.Documented {
		e.res.Allowed += "; on Windows " + f.Outcome()
	}
	code := o.Code()
	if ok && hasFact && code == f.Code {
		e.byFact(f)
	}
	return code, ok && o.Err != nil
}

// Setup helpers. After a failed step the later ones make no call: a case
// whose setup failed is skipped, or runs tolerant of the zero values.

func (e *env) handle() (qwave.Handle, bool) {
	if e.setupErr != nil {
		return 0, false
	}
	var h qwave.Handle
	err := e.api.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 0}, &h)
	if !e.setup("QOSCreateHandle", err) {
		return 0, false
	}
	e.closers = append(e.closers, func() { e.api.QOSCloseHandle(h) })
	return h, true
}

func (e *env) socket() (qwave.Socket, bool) {
	if e.setupErr != nil {
		return 0, false
	}
	s, closeSocket, err := e.opts.socket()
	if !e.setup("socket", err) {
		return 0, false
	}
	e.closers = append(e.closers, closeSocket)
	return s, true
}

func (e *env) peer() *qwave.RawSockaddrAny { return qwave.SockaddrOf(e.opts.peer) }

// flow adds a fresh socket to a new flow on h.
func (e *env) flow(h qwave.Handle, flags uint32) (qwave.Socket, qwave.QOS_FLOWID, bool) {
	s, ok := e.socket()
	if !ok {
		return 0, 0, false
	}
	var id qwave.QOS_FLOWID
	err := e.api.QOSAddSocketToFlow(h, s, e.peer(), qwave.QOSTrafficTypeBestEffort, flags, &id)
	if !e.setup("QOSAddSocketToFlow", err) {
		return 0, 0, false
	}
	if id == 0 && e.setupErr == nil {
		e.setupErr = errors.New("QOSAddSocketToFlow succeeded without writing a flow id")
		return 0, 0, false
	}
	return s, id, true
}

// pending starts an overlapped QOSSetFlow on the flow, which the docs say
// may return ERROR_IO_PENDING; ok is false unless it is pending.
func (e *env) pendingSet(h qwave.Handle, id qwave.QOS_FLOWID) (*qwave.Overlapped, bool) {
	if e.setupErr != nil {
		return nil, false
	}
	ov := new(qwave.Overlapped)
	tt := qwave.QOSTrafficTypeVoice
	err := e.api.QOSSetFlow(h, id, qwave.QOSSetTrafficType, uint32(unsafe.Sizeof(tt)), unsafe.Pointer(&tt), 0, ov)
	e.keepAlive(ov, &tt)
	if !errors.Is(err, qwave.ERROR_IO_PENDING) {
		e.setup("overlapped QOSSetFlow", fmt.Errorf("returned %v, not ERROR_IO_PENDING", err))
		return nil, false
	}
	return ov, true
}

// keepAlive keeps buffers of overlapped calls reachable until the case ends,
// as the docs require until the operation completes.
func (e *env) keepAlive(ptrs ...any) {
	e.closers = append(e.closers, func() { _ = ptrs })
}

// completion waits for an overlapped operation to finish, driving
// implementations that complete on request (qwavetest.Model.Complete).
func (e *env) completion(ov *qwave.Overlapped) (status uintptr, done bool) {
	if c, ok := e.api.(interface{ Complete() int }); ok {
		c.Complete()
		return ov.Internal, ov.Internal != judge.StatusPending
	}
	deadline := time.Now().Add(e.opts.timeout / 2)
	for ov.Internal == judge.StatusPending && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return ov.Internal, ov.Internal != judge.StatusPending
}
