// Package traffic is a Go binding for the Windows Traffic Control API
// (traffic.h, traffic.dll), generated from the API doc spec files in
// spec/traffic and the declarations of mingw-w64's traffic.h, qos.h and
// ntddndis.h.
//
// The names are the Win32 names (TcRegisterClient, TC_GEN_FLOW) so the
// Microsoft documentation and this package grep alike; of each A/W pair
// only the UTF-16 (W) form is bound. The functions call traffic.dll on
// Windows; elsewhere they exist too, so that code and go doc work on every
// GOOS, and fail with an error matching ErrUnavailable. The types,
// constants, error tables, contract tables and the API interface build on
// every GOOS.
//
// Traffic Control functions return their status rather than setting the
// last error: every function returns nil on NO_ERROR and the status as an
// Errno otherwise, pre-boxed for documented codes, so errors.Is(err,
// windows.ERROR_INVALID_HANDLE) holds. ERROR_SIGNAL_PENDING is an error
// here too: the call goes on and completes through the client's handler.
// When traffic.dll or a procedure is missing, calls return an error for
// which errors.Is(err, ErrUnavailable) holds; they never panic.
package traffic
