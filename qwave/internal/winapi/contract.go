package winapi

// Dir is a parameter's documented direction.
type Dir uint8

// The directions sdk-api pages document: [in], [out] and [in, out].
const (
	In Dir = iota + 1
	Out
	InOut
)

// String is the direction as the docs annotate it: "in", "out", "in, out".
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

// SuccessRule says how a function reports success: its calling
// convention's test of the return register.
type SuccessRule uint8

// The success rules of the conventions gen recognises.
const (
	// SuccessNonzero: a BOOL; nonzero is success and FALSE failure. Only
	// the low 32 bits of the return register are the BOOL.
	SuccessNonzero SuccessRule = iota + 1
	// SuccessZero: a DWORD status; NO_ERROR (0) is success, anything
	// else is the failure's code.
	SuccessZero
	// SuccessNonNegative: an HRESULT or NTSTATUS; negative is failure and
	// the value is the code.
	SuccessNonNegative
	// SuccessNotNull: a handle; NULL is failure.
	SuccessNotNull
	// SuccessNotAllOnes: a handle or SOCKET; INVALID_HANDLE_VALUE or
	// INVALID_SOCKET (all bits set) is failure.
	SuccessNotAllOnes
	// SuccessNotMinusOne: an int count; SOCKET_ERROR (-1) is failure.
	SuccessNotMinusOne
	// SuccessAlways: a void function; it cannot fail.
	SuccessAlways
)

// LastErrorRule says what a function does to the thread's last error.
type LastErrorRule uint8

// The last-error rules.
const (
	// LastErrorOnFailure: on failure the last error holds one of the
	// documented codes; on success it is left as it was.
	LastErrorOnFailure LastErrorRule = iota + 1
	// LastErrorNotUsed: the function returns its code; the last error
	// says nothing.
	LastErrorNotUsed
)

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

// LastErrorAccess is implemented by APIs whose calling thread has a Win32
// last-error value that can be read and set, as conformance checks need.
type LastErrorAccess interface {
	GetLastError() Errno
	SetLastError(Errno)
}

// Outcome is what one call returned and the thread's last error after it.
type Outcome struct {
	Ret       uint32 // the low 32 bits of the return register
	LastError Errno
	// R1 is the whole return register, for a returned handle or count.
	R1 uintptr
	// Rule is the function's success rule; zero means SuccessNonzero.
	Rule SuccessRule
}

// OK reports whether the call succeeded.
func (o Outcome) OK() bool {
	switch o.Rule {
	case SuccessZero:
		return o.Ret == 0
	case SuccessNonNegative:
		return int32(o.Ret) >= 0
	case SuccessNotNull:
		return o.R1 != 0
	case SuccessNotAllOnes:
		return o.R1 != ^uintptr(0)
	case SuccessNotMinusOne:
		return int32(o.Ret) != -1
	case SuccessAlways:
		return true
	}
	return o.Ret != 0
}

// Err is the error the API returns for the outcome: nil on success, else the
// (pre-boxed, for documented codes) Errno, or ErrNoLastError.
func (o Outcome) Err() error {
	if o.OK() {
		return nil
	}
	switch o.Rule {
	case SuccessZero, SuccessNonNegative:
		return ErrnoErr(Errno(o.Ret))
	}
	return ErrnoErr(o.LastError)
}
