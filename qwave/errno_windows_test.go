package qwave

import (
	"errors"
	"testing"

	"golang.org/x/sys/windows"
)

// The x/sys/windows constants are syscall.Errno values: conversion, == after
// conversion, errors.Is and errors.As all agree with this package's codes.
func TestErrnoAgreesWithXSysWindows(t *testing.T) {
	for _, c := range []struct {
		ours Errno
		sys  windows.Errno
	}{
		{ERROR_NOT_FOUND, windows.ERROR_NOT_FOUND},
		{ERROR_ACCESS_DENIED, windows.ERROR_ACCESS_DENIED},
		{ERROR_DEVICE_REINITIALIZATION_NEEDED, windows.ERROR_DEVICE_REINITIALIZATION_NEEDED},
	} {
		if windows.Errno(c.ours) != c.sys {
			t.Errorf("windows.Errno(%v) != %v", c.ours.Name(), c.sys)
		}
		var err error = c.ours
		if !errors.Is(err, c.sys) {
			t.Errorf("errors.Is(%v, windows.%v) = false", c.ours.Name(), c.sys)
		}
		var got windows.Errno
		if !errors.As(err, &got) || got != c.sys {
			t.Errorf("errors.As(%v, *windows.Errno) gave %v; want %v", c.ours.Name(), got, c.sys)
		}
	}
}
