package qwave

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// The OVERLAPPED of this package and of x/sys/windows are the same structure:
// these lines stop compiling if their sizes ever differ.
var (
	_ [unsafe.Sizeof(Overlapped{}) - unsafe.Sizeof(windows.Overlapped{})]byte
	_ [unsafe.Sizeof(windows.Overlapped{}) - unsafe.Sizeof(Overlapped{})]byte
)

// OverlappedOf returns o as this package's Overlapped, for passing an
// x/sys/windows OVERLAPPED (one used with an I/O completion port, say) to
// the qWAVE functions. The conversion costs nothing.
func OverlappedOf(o *windows.Overlapped) *Overlapped { return (*Overlapped)(unsafe.Pointer(o)) }

// Windows returns o as an x/sys/windows OVERLAPPED, for
// windows.GetOverlappedResult and completion ports.
func (o *Overlapped) Windows() *windows.Overlapped { return (*windows.Overlapped)(unsafe.Pointer(o)) }
