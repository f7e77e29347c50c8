// Package winapi is the runtime that the generated API packages (qwave,
// qwave/traffic) share: error codes as errors, the unavailable-DLL error,
// handles, contract tables and call outcomes. Each generated package
// re-declares these names as aliases (zruntime.go), so its users never
// import this package, and registers its code tables here at init.
package winapi

import (
	"errors"
	"strconv"
	"sync"
	"syscall"
)

// Errno is a Win32 error code (or an HRESULT or NTSTATUS, for functions
// that return one), as GetLastError returns it.
//
// It converts to syscall.Errno, which is x/sys/windows.Errno:
// syscall.Errno(qwave.ERROR_NOT_FOUND) == windows.ERROR_NOT_FOUND. In an
// error chain it matches a syscall.Errno of the same value in errors.Is, and
// errors.As with a *syscall.Errno (or *windows.Errno) target finds it. An
// error interface holding an Errno never == a syscall.Errno, since the
// dynamic types differ: compare with errors.Is.
type Errno uint32

// Codes is what one generated package knows about the codes it documents.
type Codes struct {
	// Doc returns a code's name and general meaning, or "" for a code the
	// package does not document.
	Doc func(Errno) (name, text string)
	// Boxed returns the pre-boxed error of a documented code, or nil.
	Boxed func(Errno) error
}

var (
	mu       sync.RWMutex
	registry []Codes
)

// Register adds a package's code tables; generated packages call it from
// init.
func Register(c Codes) {
	mu.Lock()
	registry = append(registry, c)
	mu.Unlock()
}

func lookup(e Errno) (name, text string) {
	mu.RLock()
	defer mu.RUnlock()
	for _, c := range registry {
		if n, t := c.Doc(e); n != "" {
			return n, t
		}
	}
	return "", ""
}

// Error names the code and says what it means in general; what it means for
// a given function is in that function's error table. A code no generated
// package documents prints the system's message on Windows (FormatMessage)
// and its name, where known, elsewhere.
func (e Errno) Error() string {
	if name, text := lookup(e); name != "" {
		if text == "" {
			return name
		}
		return name + ": " + text
	}
	num := "Win32 error " + strconv.FormatUint(uint64(e), 10)
	name, msg := e.Name(), systemMessage(e)
	switch {
	case name != "" && msg != "":
		return name + " (" + num + "): " + msg
	case name != "":
		return name + " (" + num + ")"
	case msg != "":
		return num + ": " + msg
	}
	return num
}

// Is reports whether target is the same code as a syscall.Errno or
// x/sys/windows.Errno.
func (e Errno) Is(target error) bool {
	t, ok := target.(syscall.Errno)
	return ok && uint64(t) == uint64(e)
}

// As sets a *syscall.Errno (or *x/sys/windows.Errno) target to e, so
// errors.As finds the code with the standard library's type too.
func (e Errno) As(target any) bool {
	t, ok := target.(*syscall.Errno)
	if ok {
		*t = syscall.Errno(e)
	}
	return ok
}

// Name is the code's name (ERROR_NOT_FOUND), or "" for a code winerror.h
// does not name: the documented name of a code a generated package
// documents, else the name ErrorName finds in the complete table.
func (e Errno) Name() string {
	if name, _ := lookup(e); name != "" {
		return name
	}
	name, _ := ErrorName(e)
	return name
}

// ErrNoLastError is returned when a function reports failure but leaves the
// last error at 0, so no code says why.
var ErrNoLastError = errors.New("call failed without setting the last error")

// ErrUnavailable is matched (errors.Is) by the error a call returns when its
// DLL or procedure cannot be loaded. The loader's own error is wrapped too.
var ErrUnavailable = errors.New("DLL or procedure is not available")

// UnavailableError reports that a procedure could not be loaded.
type UnavailableError struct {
	Proc string // the procedure, e.g. QOSCreateHandle
	Err  error  // the loader's error
}

// Error names the procedure and the loader's reason.
func (e *UnavailableError) Error() string {
	return e.Proc + " unavailable: " + e.Err.Error()
}

// Unwrap returns ErrUnavailable and the loader's error.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// ErrnoErr turns a failure code into the error a function returns:
// pre-boxed for documented codes, so the failure path does not allocate;
// ErrNoLastError for 0.
func ErrnoErr(e Errno) error {
	if e == 0 {
		return ErrNoLastError
	}
	mu.RLock()
	defer mu.RUnlock()
	for _, c := range registry {
		if err := c.Boxed(e); err != nil {
			return err
		}
	}
	return e
}

// Handle is a Win32 HANDLE. It has the representation of
// x/sys/windows.Handle, so conversions cost nothing.
type Handle uintptr

// GUID is the Win32 GUID, laid out as guiddef.h declares it.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}
