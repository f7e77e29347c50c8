//go:build !windows

package qwave

import (
	"errors"
	"testing"
)

// Outside Windows the functions exist and fail with an UnavailableError
// naming themselves.
func TestFunctionsOutsideWindows(t *testing.T) {
	var h Handle
	err := QOSCreateHandle(&QOS_VERSION{MajorVersion: 1}, &h)
	var u *UnavailableError
	if !errors.Is(err, ErrUnavailable) || !errors.As(err, &u) || u.Proc != "QOSCreateHandle" {
		t.Errorf("QOSCreateHandle = %v; want an UnavailableError for QOSCreateHandle", err)
	}
	if err := QOSCloseHandle(h); !errors.Is(err, ErrUnavailable) {
		t.Errorf("QOSCloseHandle = %v; want ErrUnavailable", err)
	}
}
