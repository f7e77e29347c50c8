// Package qwave is a Go binding for the Windows qWAVE API (qos2.h,
// qwave.dll), generated from the API doc spec files in spec/qos2.
//
// The names are the Win32 names (QOSCreateHandle, QOS_VERSION,
// QOSTrafficTypeVoice) so the Microsoft documentation and this package grep
// alike.
//
// Where things exist: the functions (QOSCreateHandle, ...) call qwave.dll on
// Windows; on every other GOOS they exist with the same signatures and docs,
// so go doc and portable code find them, and fail with an error matching
// ErrUnavailable. Native (the API over qwave.dll), Raw, Observed and
// OverlappedOf are Windows only. The types, constants, error tables, contract
// tables, the API interface, the netip helpers (SockaddrOf) and QueryFlow
// build on every GOOS, so tools, the reference model (package qwavetest) and
// report writers share them anywhere. Package qos, above this one, is what
// most programs want.
//
// Every function returns nil on success and an error on failure. A failure
// with a documented code returns that code as an Errno, pre-boxed so the
// failure path does not allocate; errors.Is(err, windows.ERROR_NOT_FOUND)
// and errors.Is(err, qwave.ERROR_NOT_FOUND) both hold. A failure that leaves
// the last error at 0 returns ErrNoLastError. When qwave.dll or one of its
// procedures is missing (Server editions without the qWAVE feature), calls
// return an error for which errors.Is(err, ErrUnavailable) holds; they never
// panic.
package qwave
