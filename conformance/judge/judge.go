// Package judge holds the rules a qWAVE call is judged by, in one place:
// which outcomes the docs allow for a call (an Expect built from Rules), and
// whether an observed outcome is one of them (Judge). The conformance suite
// and the fuzz targets both judge calls with it, so a rule, its codes and
// the spec page and section it comes from are written once.
//
// Codes and pages come from the contract tables of package qwave; judge
// keeps no list of its own.
package judge

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/winqos/winqos/qwave"
)

// Sentinel is the last error set before every judged call on
// implementations that expose it (qwave.LastErrorAccess), as Wine's qwave
// tests do, so that a failure that leaves a stale code and a success that
// clobbers the last error both show. Messages print it as 0xDEADBEEF.
const Sentinel qwave.Errno = 0xdeadbeef

// CodeName names a Win32 code as messages print it: its winerror.h name
// (ERROR_NOT_FOUND), else hexadecimal (0xDEADBEEF).
func CodeName(c qwave.Errno) string {
	if c == 0 {
		return "ERROR_SUCCESS"
	}
	if n, ok := qwave.ErrorName(c); ok {
		return n
	}
	return fmt.Sprintf("0x%08X", uint32(c))
}

// CodeList names codes as a list: [ERROR_INVALID_HANDLE ERROR_NOT_FOUND].
func CodeList(codes []qwave.Errno) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = CodeName(c)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// Rule is one documented rule applied to one call: what it says, where it
// is written, and the failure codes it allows (none: the rule says the call
// succeeds).
type Rule struct {
	Func   string
	Text   string
	Source string // spec page and section: spec/qos2/nf-qos2-qossetflow.md#-parameters
	Codes  []qwave.Errno
}

func page(fn string) string {
	if c, ok := qwave.ContractOf(fn); ok {
		return c.Page
	}
	return "spec/qos2 (no page for " + fn + ")"
}

// Succeeds is the rule of a call whose every argument is valid: it returns
// nonzero and leaves the last error alone.
func Succeeds(fn, text string) Rule {
	return Rule{Func: fn, Text: text, Source: source(fn, "#-returns")}
}

// Param is the rule for a bad value of the named parameter: it fails with
// a code whose documented text names the parameter, or with
// ERROR_INVALID_PARAMETER where fn documents it; with any documented code
// when fn documents neither.
func Param(fn, param, text string) Rule {
	return Rule{Func: fn, Text: text, Source: source(fn, "#-parameters"), Codes: paramCodes(fn, param)}
}

var paramCache sync.Map // fn + "\x00" + param -> []qwave.Errno

// paramCodes are Param's codes, computed once per parameter and shared.
func paramCodes(fn, param string) []qwave.Errno {
	key := fn + "\x00" + param
	if v, ok := paramCache.Load(key); ok {
		return v.([]qwave.Errno)
	}
	codes := slices.Clone(codesNaming(fn, param))
	if qwave.Documented(fn, qwave.ERROR_INVALID_PARAMETER) && !slices.Contains(codes, qwave.ERROR_INVALID_PARAMETER) {
		codes = append(codes, qwave.ERROR_INVALID_PARAMETER)
	}
	if len(codes) == 0 {
		codes = Documented(fn).Codes
	}
	paramCache.Store(key, codes)
	return codes
}

// sections holds each function's page with the sections rules cite, built
// once from the contract tables, so building a rule does not allocate.
var sections = func() map[string][2]string {
	m := map[string][2]string{}
	for _, c := range qwave.Contracts() {
		m[c.Func] = [2]string{c.Page + "#-parameters", c.Page + "#-returns"}
	}
	return m
}()

// source returns fn's page and section ("#-parameters" or "#-returns").
func source(fn, section string) string {
	if s, ok := sections[fn]; ok {
		if section == "#-parameters" {
			return s[0]
		}
		return s[1]
	}
	return page(fn) + section
}

// Handle is the rule for a QOS handle QOSCreateHandle did not return or
// QOSCloseHandle closed: the codes whose text names QOSHandle, else
// ERROR_INVALID_PARAMETER.
func Handle(fn, text string) Rule {
	codes := codesNaming(fn, "QOSHandle")
	if len(codes) == 0 && qwave.Documented(fn, qwave.ERROR_INVALID_PARAMETER) {
		codes = invalidParameter
	}
	return Rule{Func: fn, Text: text, Source: source(fn, "#-parameters"), Codes: codes}
}

var invalidParameter = []qwave.Errno{qwave.ERROR_INVALID_PARAMETER}

// Code is the rule that a situation fails with one documented code; the
// source is where fn documents it.
func Code(fn string, code qwave.Errno, text string) Rule {
	src := ""
	for _, d := range qwave.ErrorsOf(fn) {
		if d.Code == code {
			src = d.Source
		}
	}
	if src == "" {
		src = source(fn, "#-returns")
	}
	return Rule{Func: fn, Text: text, Source: src, Codes: single(code)}
}

// singles holds a one-code slice per code, shared by the rules that need it.
var singles sync.Map // qwave.Errno -> []qwave.Errno

func single(code qwave.Errno) []qwave.Errno {
	if v, ok := singles.Load(code); ok {
		return v.([]qwave.Errno)
	}
	s := []qwave.Errno{code}
	singles.Store(code, s)
	return s
}

// Documented is the rule that a call may fail with any code fn documents
// and no other; it is what is left when no more precise rule applies.
func Documented(fn string) Rule {
	var codes []qwave.Errno
	for _, d := range qwave.ErrorsOf(fn) {
		codes = append(codes, d.Code)
	}
	return Rule{Func: fn, Text: "a failure carries a code " + fn + " documents", Source: page(fn) + "#-returns", Codes: codes}
}

// naming caches codesNaming: fuzz targets build rules for millions of
// calls, and the contract tables do not change.
var naming sync.Map // fn + "\x00" + param -> []qwave.Errno

// codesNaming returns the codes fn documents with a text naming param, such
// as "The QOSHandle parameter is invalid". The slice is shared: callers
// append to a copy.
func codesNaming(fn, param string) []qwave.Errno {
	key := fn + "\x00" + param
	if v, ok := naming.Load(key); ok {
		return v.([]qwave.Errno)
	}
	out := scanNaming(fn, param)
	naming.Store(key, out)
	return out
}

func scanNaming(fn, param string) []qwave.Errno {
	var out []qwave.Errno
	for _, d := range qwave.ErrorsOf(fn) {
		if strings.Contains(d.Text, param) {
			out = append(out, d.Code)
		}
	}
	return out
}

// Expect is what the docs allow for one call: the rules that apply to it.
// With no failing rule the call must succeed; otherwise it must fail with a
// code one of the failing rules allows (the docs do not say in which order
// a function checks its parameters, so every broken rule's codes are
// allowed). Pending, when set, also allows ERROR_IO_PENDING, and Success
// allows success besides the failures (an outcome that depends on things
// the caller does not see, such as timing).
type Expect struct {
	Rules   []Rule
	Pending bool
	Success bool
}

// Add adds a rule.
func (e *Expect) Add(r Rule) { e.Rules = append(e.Rules, r) }

// Fails reports whether some rule says the call fails.
func (e Expect) Fails() bool {
	for _, r := range e.Rules {
		if len(r.Codes) > 0 {
			return true
		}
	}
	return false
}

// Codes lists the failure codes the rules allow, in rule order, without
// repeats.
func (e Expect) Codes() []qwave.Errno {
	var out []qwave.Errno
	for _, r := range e.Rules {
		for _, c := range r.Codes {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	if e.Pending && !slices.Contains(out, qwave.ERROR_IO_PENDING) {
		out = append(out, qwave.ERROR_IO_PENDING)
	}
	return out
}

// Allows reports whether the rules allow failing with code.
func (e Expect) Allows(code qwave.Errno) bool {
	if e.Pending && code == qwave.ERROR_IO_PENDING {
		return true
	}
	for _, r := range e.Rules {
		if slices.Contains(r.Codes, code) {
			return true
		}
	}
	return false
}

// MaySucceed reports whether success is allowed.
func (e Expect) MaySucceed() bool { return e.Success || !e.Fails() }

// Allowed says in words what the call may do: "TRUE", "FALSE with one of
// [...]", or "TRUE, or FALSE with one of [...]".
func (e Expect) Allowed() string {
	codes := e.Codes()
	switch {
	case e.MaySucceed() && len(codes) == 0:
		return "TRUE"
	case e.MaySucceed():
		return "TRUE, or FALSE with one of " + CodeList(codes)
	}
	return "FALSE with one of " + CodeList(codes)
}

// Because names the rules that decide the call, with their sources: the
// failing ones when the call must fail, else the succeeding ones.
func (e Expect) Because() string {
	fails := e.Fails()
	var parts []string
	for _, r := range e.Rules {
		if (len(r.Codes) > 0) == fails {
			parts = append(parts, r.Source+": "+r.Text)
		}
	}
	return strings.Join(parts, "; ")
}

// Observed is what one call did: the error it returned and, on
// implementations that expose it, the last error after it (set to Sentinel
// before the call).
type Observed struct {
	Err       error
	LastError qwave.Errno
	HaveLast  bool
}

// Outcome renders the observed result: "TRUE" or "FALSE, ERROR_X".
func (o Observed) Outcome() string { return Outcome(o.Err) }

// Outcome renders a call's error as C shows it: "TRUE" or "FALSE, ERROR_X".
func Outcome(err error) string {
	if err == nil {
		return "TRUE"
	}
	var code qwave.Errno
	if errors.As(err, &code) {
		return "FALSE, " + CodeName(code)
	}
	return "FALSE (" + err.Error() + ")"
}

// Code returns the failure code carried by the observed error, or 0.
func (o Observed) Code() qwave.Errno {
	var code qwave.Errno
	errors.As(o.Err, &code)
	return code
}

// Expectations is the source of expectations a call is judged against:
// the documented contract by default, widened by Extra for codes another
// source (Windows' observed behaviour, a platform baseline) allows.
type Expectations struct {
	// Extra, if not nil, accepts a failure code of fn wherever it occurs:
	// a code beyond the documented ones, or a documented one the platform
	// returns where the docs want another.
	Extra func(fn string, code qwave.Errno) bool
}

// DocumentedOnly judges by the docs alone: the default.
var DocumentedOnly = Expectations{}

func (x Expectations) extra(fn string, code qwave.Errno) bool {
	return x.Extra != nil && x.Extra(fn, code)
}

// Mismatch is an outcome the rules do not allow.
type Mismatch struct {
	Call     string // the call in C terms, e.g. QOSCloseHandle(0xdeadbeef)
	Observed string // TRUE, or FALSE, ERROR_X
	Allowed  string // what the docs allow
	Problem  string // what is wrong, e.g. "the call succeeded"
	Because  string // the rules with their spec page and section
	// Code is the observed failure code (0 on success).
	Code qwave.Errno
}

func (m *Mismatch) Error() string {
	return fmt.Sprintf("%s = %s; want %s: %s (%s)", m.Call, m.Observed, m.Allowed, m.Problem, m.Because)
}

// Judge checks an observed outcome of call (rendered in C terms) against
// what e allows under x. It returns nil, or a *Mismatch saying what is
// wrong: a success the rules forbid, a success that changed the last error,
// a failure without a Win32 code, a last error that differs from the
// returned code, the stale Sentinel, a code fn does not document, or a
// documented code the rules do not allow for this call.
func Judge(fn, call string, o Observed, e Expect, x Expectations) error {
	// The message is built only for a mismatch: fuzz targets judge
	// millions of calls.
	fail := func(format string, args ...any) error {
		return &Mismatch{Call: call, Observed: o.Outcome(), Allowed: e.Allowed(), Because: e.Because(), Code: o.Code(),
			Problem: fmt.Sprintf(format, args...)}
	}
	if o.Err == nil {
		if !e.MaySucceed() {
			return fail("the call succeeded")
		}
		if o.HaveLast && o.LastError != Sentinel {
			return fail("success changed the last error from %s to %s", CodeName(Sentinel), CodeName(o.LastError))
		}
		return nil
	}
	code, ok := o.Err.(qwave.Errno) // the common case, without errors.As's reflection
	if !ok && !errors.As(o.Err, &code) {
		if errors.Is(o.Err, qwave.ErrNoLastError) {
			return fail("the call failed without setting the last error")
		}
		return fail("the call failed with %v, not a Win32 code", o.Err)
	}
	if o.HaveLast && o.LastError != code {
		return fail("the last error is %s, not the returned code", CodeName(o.LastError))
	}
	if code == Sentinel {
		return fail("the call failed and left the stale last error %s", CodeName(Sentinel))
	}
	if e.Allows(code) || x.extra(fn, code) {
		return nil // allowed here, or a known deviation of the platform
	}
	if !qwave.Documented(fn, code) {
		return fail("%s does not document %s", fn, CodeName(code))
	}
	if !e.Fails() && !e.Pending {
		return fail("the call failed; %s is documented, but not for this situation", CodeName(code))
	}
	return fail("%s is documented, but not for this situation", CodeName(code))
}
