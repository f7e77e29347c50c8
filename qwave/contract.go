package qwave

// Dir is a parameter's documented direction.
type Dir uint8

// The directions sdk-api pages document: [in], [out] and [in, out].
const (
	In Dir = iota + 1
	Out
	InOut
)

func (d Dir) String() string {
	switch d {
	case In:
		return "in"
	case Out:
		return "out"
	case InOut:
		return "in, out"
	}
	return "Dir(" + string(rune('0'+d)) + ")"
}

// ParamContract is what the docs say about one parameter.
type ParamContract struct {
	Name     string // as documented: QOSHandle, FlowId
	CType    string // the C type as declared: HANDLE, PQOS_FLOWID
	Dir      Dir
	Optional bool // may be NULL (pointers) or 0 (values)
	Reserved bool // must be 0
	Pointer  bool // the C type is a pointer
	Doc      string
}

// SuccessRule says how a function reports success.
type SuccessRule uint8

// SuccessNonzero: the function returns a BOOL; nonzero is success and FALSE
// is failure. Only the low 32 bits of the return register are the BOOL.
const SuccessNonzero SuccessRule = 1

// LastErrorRule says what a function does to the thread's last error.
type LastErrorRule uint8

// LastErrorOnFailure: on failure the last error holds one of the documented
// codes; on success it is left as it was.
const LastErrorOnFailure LastErrorRule = 1

// Contract is the documented calling contract of one function, in a form
// conformance suites iterate.
type Contract struct {
	Func      string
	DLL       string
	Params    []ParamContract
	Errors    []ErrorDoc
	Success   SuccessRule
	LastError LastErrorRule
	// Page is the spec page the contract is generated from.
	Page string
}

// Param returns the named parameter's contract.
func (c *Contract) Param(name string) (ParamContract, bool) {
	for _, p := range c.Params {
		if p.Name == name {
			return p, true
		}
	}
	return ParamContract{}, false
}

// ErrorDoc is one documented failure code of one function.
type ErrorDoc struct {
	Name string // ERROR_NOT_FOUND
	Code Errno
	Text string // what the code means for this function
	// Source is where the code is documented: spec file and section.
	Source string
}

// Contracts returns the contracts of every function, sorted by name. The
// slice is shared: do not modify it.
func Contracts() []Contract { return contracts[:] }

// ContractOf returns the named function's contract.
func ContractOf(fn string) (*Contract, bool) {
	for i := range contracts {
		if contracts[i].Func == fn {
			return &contracts[i], true
		}
	}
	return nil, false
}

// ErrorsOf returns the codes the named function documents, in doc order, or
// nil for an unknown function.
func ErrorsOf(fn string) []ErrorDoc {
	if c, ok := ContractOf(fn); ok {
		return c.Errors
	}
	return nil
}

// Documented reports whether fn documents code as a failure.
func Documented(fn string, code Errno) bool { return documented(fn, code) }

// LastErrorAccess is implemented by APIs whose calling thread has a Win32
// last-error value that can be read and set, as conformance checks need.
type LastErrorAccess interface {
	GetLastError() Errno
	SetLastError(Errno)
}

// Outcome is what one call returned and the thread's last error after it.
type Outcome struct {
	Ret       uint32 // the BOOL result, low 32 bits of the return register
	LastError Errno
}

// OK reports whether the call succeeded.
func (o Outcome) OK() bool { return o.Ret != 0 }

// Err is the error the API returns for the outcome: nil on success, else the
// (pre-boxed, for documented codes) Errno, or ErrNoLastError.
func (o Outcome) Err() error {
	if o.OK() {
		return nil
	}
	return errnoErr(o.LastError)
}
