package qwave

import (
	"errors"
	"strconv"
	"syscall"
)

// Errno is a Win32 error code, as GetLastError returns it. It matches
// syscall.Errno (and so x/sys/windows.Errno) of the same value in errors.Is.
type Errno uint32

// Error names the code and says what it means in general; what it means for
// a given function is in that function's error table (ErrorsOf).
func (e Errno) Error() string {
	if name, text := errnoDoc(e); name != "" {
		return name + ": " + text
	}
	return "Win32 error " + strconv.FormatUint(uint64(e), 10)
}

// Is reports whether target is the same Win32 code as a syscall.Errno or
// x/sys/windows.Errno.
func (e Errno) Is(target error) bool {
	t, ok := target.(syscall.Errno)
	return ok && uint64(t) == uint64(e)
}

// Name is the code's ERROR_ name, or "" for a code no qWAVE function
// documents.
func (e Errno) Name() string {
	name, _ := errnoDoc(e)
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
