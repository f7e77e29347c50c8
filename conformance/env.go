package conformance

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"

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
	return fmt.Sprintf("%s failed with %s (%d)", e.what, codeName(e.code), uint32(e.code))
}

func (e *setupError) Unwrap() error { return e.err }

// observation is one call and what it did.
type observation struct {
	call      string
	err       error
	lastError qwave.Errno
	haveLast  bool
}

// do makes one call with the sentinel last error around it.
func (e *env) do(call string, f func() error) observation {
	la, ok := e.api.(qwave.LastErrorAccess)
	if ok {
		la.SetLastError(Sentinel)
	}
	o := observation{call: call, err: f()}
	if ok {
		o.lastError, o.haveLast = la.GetLastError(), true
	}
	return o
}

// describe renders an observation as "TRUE" or "FALSE, ERROR_X".
func (o observation) describe() string {
	if o.err == nil {
		return "TRUE"
	}
	var code qwave.Errno
	if errors.As(o.err, &code) {
		return "FALSE, " + codeName(code)
	}
	return "FALSE (" + o.err.Error() + ")"
}

// codeName names a code from the complete winerror table, or gives its
// number when winerror.h does not name it (the sentinel 0xdeadbeef).
func codeName(c qwave.Errno) string {
	if n, ok := qwave.ErrorName(c); ok {
		return n
	}
	if c > 0xffff {
		return fmt.Sprintf("%#x", uint32(c))
	}
	return fmt.Sprintf("%d", uint32(c))
}

func codeList(codes []qwave.Errno) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = codeName(c)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// record stores the judged call on the result.
func (e *env) record(o observation) {
	e.res.Call, e.res.Observed = o.call, o.describe()
	var code qwave.Errno
	if errors.As(o.err, &code) {
		e.res.Code = code
	}
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

// wantSuccess judges a call that the docs say succeeds: nonzero return and
// the last error left alone.
func (e *env) wantSuccess(o observation) bool {
	e.record(o)
	e.res.Allowed = "TRUE"
	if f, ok := e.fact(); ok && f.OK {
		e.byFact(f)
	}
	if o.err != nil {
		e.fail("the call failed")
		return false
	}
	if o.haveLast && o.lastError != Sentinel {
		e.fail("success changed the last error from %#x to %s", uint32(Sentinel), codeName(o.lastError))
		return false
	}
	return true
}

// wantFailure judges a call that the docs say fails: FALSE, a code the
// function documents (one of want, when want is not empty), and that code
// in the last error.
func (e *env) wantFailure(o observation, want ...qwave.Errno) (qwave.Errno, bool) {
	e.record(o)
	fn := e.c.fn
	if len(want) > 0 {
		e.res.Allowed = "FALSE with one of " + codeList(want)
	} else {
		e.res.Allowed = "FALSE with a code " + fn + " documents " + codeList(documentedCodes(fn))
	}
	f, hasFact := e.fact()
	hasFact = hasFact && !f.OK
	if hasFact && !f.Documented {
		e.res.Allowed += "; on Windows " + f.Outcome()
	}
	if o.err == nil {
		e.fail("the call succeeded")
		return 0, false
	}
	var code qwave.Errno
	if !errors.As(o.err, &code) {
		if errors.Is(o.err, qwave.ErrNoLastError) {
			e.fail("the call failed without setting the last error")
		} else {
			e.fail("the call failed with %v", o.err)
		}
		return 0, false
	}
	if o.haveLast && o.lastError != code {
		e.fail("the last error is %s, not the returned code", codeName(o.lastError))
		return code, false
	}
	if code == Sentinel {
		e.fail("the call failed and left the stale last error %#x", uint32(Sentinel))
		return code, false
	}
	if hasFact && code == f.Code {
		e.byFact(f)
		return code, true
	}
	if !qwave.Documented(fn, code) {
		e.fail("%s does not document %s", fn, codeName(code))
		return code, false
	}
	if len(want) > 0 && !contains(want, code) {
		e.fail("%s is documented, but not for this situation", codeName(code))
		return code, false
	}
	return code, true
}

func contains(codes []qwave.Errno, c qwave.Errno) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

func documentedCodes(fn string) []qwave.Errno {
	var out []qwave.Errno
	for _, d := range qwave.ErrorsOf(fn) {
		out = append(out, d.Code)
	}
	return out
}

// codesFor returns the codes fn documents with a text naming param, such as
// "The QOSHandle parameter is invalid", or nil when no text names it.
func codesFor(fn, param string) []qwave.Errno {
	var out []qwave.Errno
	for _, d := range qwave.ErrorsOf(fn) {
		if strings.Contains(d.Text, param) {
			out = append(out, d.Code)
		}
	}
	return out
}

// orInvalidParameter returns codes, or ERROR_INVALID_PARAMETER when fn
// documents it and codes is empty, or nil (any documented code).
func orInvalidParameter(fn string, codes []qwave.Errno) []qwave.Errno {
	if len(codes) > 0 {
		return codes
	}
	if qwave.Documented(fn, qwave.ERROR_INVALID_PARAMETER) {
		return []qwave.Errno{qwave.ERROR_INVALID_PARAMETER}
	}
	return nil
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

func (e *env) peer() *qwave.RawSockaddrAny { return sockaddr(e.opts.peer) }

func sockaddr(ap netip.AddrPort) *qwave.RawSockaddrAny {
	if ap.Addr().Is4() {
		return qwave.SockaddrInet4(ap.Addr().As4(), ap.Port())
	}
	return qwave.SockaddrInet6(ap.Addr().As16(), ap.Port(), 0)
}

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

// Windows keeps an NTSTATUS in OVERLAPPED.Internal; implementations that
// keep a Win32 code there are read the same way.
const (
	statusPending   = 0x103
	statusCancelled = 0xC0000120
)

// completion waits for an overlapped operation to finish, driving
// implementations that complete on request (qwavetest.Model.Complete).
func (e *env) completion(ov *qwave.Overlapped) (status uintptr, done bool) {
	if c, ok := e.api.(interface{ Complete() int }); ok {
		c.Complete()
		return ov.Internal, ov.Internal != statusPending
	}
	deadline := time.Now().Add(e.opts.timeout / 2)
	for ov.Internal == statusPending && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return ov.Internal, ov.Internal != statusPending
}

// aborted reports whether a completion status means "cancelled".
func aborted(status uintptr) bool {
	return status == statusCancelled || status == uintptr(qwave.ERROR_OPERATION_ABORTED)
}
