package qwave

import (
	"errors"
	"strconv"
	"syscall"
)

// Errno is a Win32 error code, as GetLastError returns it.
//
// It converts to syscall.Errno, which is x/sys/windows.Errno:
// syscall.Errno(qwave.ERROR_NOT_FOUND) == windows.ERROR_NOT_FOUND. In an
// error chain it matches a syscall.Errno of the same value in errors.Is, and
// errors.As with a *syscall.Errno (or *windows.Errno) target finds it. An
// error interface holding an Errno never == a syscall.Errno, since the
// dynamic types differ: compare with errors.Is.
type Errno uint32

// Error names the code and says what it means in general; what it means for
// a given function is in that function's error table (ErrorsOf). A code no
// qWAVE function documents prints the system's message on Windows
// (FormatMessage) and its name, where known, elsewhere.
func (e Errno) Error() string {
	if name, text := errnoDoc(e); name != "" {
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

// Is reports whether target is the same Win32 code as a syscall.Errno or
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

// Name is the code's ERROR_ name, or "" for a code winerror.h does not
// name: the documented name of a code a qWAVE function documents, else the
// name ErrorName finds.
func (e Errno) Name() string {
	if name, _ := errnoDoc(e); name != "" {
		return name
	}
	name, _ := ErrorName(e)
	return name
}

// ErrNoLastError is returned when a function reports failure (FALSE) but
// leaves the last error at 0, so no code says why.
var ErrNoLastError = errors.New("qwave: call failed without setting the last error")

// ErrUnavailable is matched (errors.Is) by the error a call returns when
// qwave.dll or the procedure cannot be loaded, as on Windows Server editions
// without the qWAVE feature. The loader's own error is wrapped too.
var ErrUnavailable = errors.New("qwave: qwave.dll is not available")

// UnavailableError reports that a procedure could not be loaded.
type UnavailableError struct {
	Proc string // the procedure, e.g. QOSCreateHandle
	Err  error  // the loader's error
}

func (e *UnavailableError) Error() string {
	return "qwave: " + e.Proc + " unavailable: " + e.Err.Error()
}

// Unwrap returns ErrUnavailable and the loader's error.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// errnoErr turns a failing call's last error into the error a function
// returns: pre-boxed for documented codes, so the failure path does not
// allocate.
func errnoErr(e Errno) error {
	if e == 0 {
		return ErrNoLastError
	}
	if err := boxed(e); err != nil {
		return err
	}
	return e
}
