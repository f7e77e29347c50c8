package qwave

import "fmt"

// Profile selects which expectations judge a call: the documented contract
// alone, or the documented contract plus what real Windows is observed to do
// (Facts). Conformance runs, the reference model and the fuzzers take one.
type Profile uint8

const (
	// ProfileDocumented expects what the spec pages document. The default.
	ProfileDocumented Profile = iota
	// ProfileWindows expects, beyond the documented contract, what Facts record
	// real Windows doing, e.g. QOSCloseHandle(NULL) failing with
	// ERROR_INVALID_HANDLE.
	ProfileWindows
)

// String returns "documented" or "windows", as ParseProfile reads them.
func (p Profile) String() string {
	switch p {
	case ProfileDocumented:
		return "documented"
	case ProfileWindows:
		return "windows"
	}
	return fmt.Sprintf("Profile(%d)", uint8(p))
}

// ParseProfile reads a profile name: "documented" or "windows".
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "documented":
		return ProfileDocumented, nil
	case "windows":
		return ProfileWindows, nil
	}
	return 0, fmt.Errorf("qwave: unknown profile %q; want documented or windows", s)
}

// Allows reports whether fn may fail with code under p: a code fn
// documents, or under ProfileWindows also a code a Fact records for fn.
func (p Profile) Allows(fn string, code Errno) bool {
	if documented(fn, code) {
		return true
	}
	if p == ProfileWindows {
		for i := range facts {
			if facts[i].Func == fn && !facts[i].OK && facts[i].Code == code {
				return true
			}
		}
	}
	return false
}

// Errors lists the codes fn may fail with under p: its documented codes in
// doc order, then, under ProfileWindows, the codes Facts record for fn that it does
// not document, with the fact's why as Text and its spec entry as Source.
func (p Profile) Errors(fn string) []ErrorDoc {
	docs := ErrorsOf(fn)
	if p != ProfileWindows {
		return docs
	}
	out := append([]ErrorDoc(nil), docs...)
	for _, f := range FactsOf(fn) {
		if f.OK || documented(fn, f.Code) || containsCode(out, f.Code) {
			continue
		}
		out = append(out, ErrorDoc{Name: f.Error, Code: f.Code, Text: f.Why, Source: f.Spec})
	}
	return out
}

func containsCode(docs []ErrorDoc, code Errno) bool {
	for _, d := range docs {
		if d.Code == code {
			return true
		}
	}
	return false
}

// FactKind says how a Fact is known.
type FactKind uint8

const (
	// FactObserved facts were seen on real Windows; Source says where.
	FactObserved FactKind = iota + 1
	// FactAssumed facts are inferred from observed ones; Why says how.
	FactAssumed
)

// String returns "observed" or "assumed".
func (k FactKind) String() string {
	switch k {
	case FactObserved:
		return "observed"
	case FactAssumed:
		return "assumed"
	}
	return fmt.Sprintf("FactKind(%d)", uint8(k))
}

// Fact is one behaviour of real Windows, from spec/qos2/observed.yaml: the
// outcome of one call, made by one conformance case.
type Fact struct {
	Func  string // QOSCloseHandle
	Case  string // the conformance case within Func that makes the call: QOSHandle-null
	Param string // the parameter the case makes invalid, or ""
	Call  string // the call as written in C: QOSCloseHandle(NULL)
	OK    bool   // the call returns TRUE
	Error string // the last error's name after FALSE: ERROR_INVALID_HANDLE
	Code  Errno  // and its value
	Kind  FactKind
	// Documented is true when the outcome is one Func's page allows; a
	// fact that is not documented is a documentation finding.
	Documented bool
	Source     string // where it was seen
	Why        string // what it means, for reports
	Spec       string // the entry: spec/qos2/observed.yaml:LINE
}

// Outcome renders the fact's outcome as conformance results do: "TRUE" or
// "FALSE, ERROR_INVALID_HANDLE".
func (f Fact) Outcome() string {
	if f.OK {
		return "TRUE"
	}
	return "FALSE, " + f.Error
}

// Matches reports whether an outcome is the one the fact records.
func (f Fact) Matches(o Outcome) bool {
	if f.OK {
		return o.OK()
	}
	return !o.OK() && o.LastError == f.Code
}

// Facts returns every fact, sorted by function and case. The slice is
// shared: do not modify it.
func Facts() []Fact { return facts[:] }

// FactsOf returns the facts about fn, sorted by case.
func FactsOf(fn string) []Fact {
	lo, hi := -1, -1
	for i := range facts {
		if facts[i].Func == fn {
			if lo < 0 {
				lo = i
			}
			hi = i + 1
		}
	}
	if lo < 0 {
		return nil
	}
	return facts[lo:hi]
}

// FactOf returns the fact about the conformance case fn/caseName.
func FactOf(fn, caseName string) (Fact, bool) {
	for _, f := range FactsOf(fn) {
		if f.Case == caseName {
			return f, true
		}
	}
	return Fact{}, false
}
