package qwave

import "github.com/winqos/winqos/qwave/internal/winapi"

// ErrorName returns the name winerror.h gives a Win32 error code, such as
// "ERROR_SERVICE_ALREADY_RUNNING" for 1056, from the complete table of every
// Win32 code (not only those qWAVE documents). Where several names share a
// code, it is the first ERROR_ name (ERROR_SUCCESS, not NO_ERROR). ok is false
// for a code winerror.h does not name.
func ErrorName(code Errno) (name string, ok bool) { return winapi.ErrorName(code) }

// ErrorCode returns the Win32 error code winerror.h defines under name, any
// of its names (aliases such as NO_ERROR included). Case matters, as in C.
func ErrorCode(name string) (Errno, bool) { return winapi.ErrorCode(name) }
