package qwave

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestErrnoMatchesSyscallErrno(t *testing.T) {
	if !errors.Is(ERROR_NOT_FOUND, syscall.Errno(1168)) {
		t.Error("ERROR_NOT_FOUND does not match syscall.Errno(1168)")
	}
	if errors.Is(ERROR_NOT_FOUND, syscall.Errno(1169)) {
		t.Error("ERROR_NOT_FOUND matches another code")
	}
	if got := ERROR_NOT_FOUND.Error(); got[:len("ERROR_NOT_FOUND: ")] != "ERROR_NOT_FOUND: " {
		t.Errorf("Error() = %q; want the name first", got)
	}
}

func TestErrnoUndocumentedCode(t *testing.T) {
	got := Errno(1056).Error()
	want := "Win32 error 1056"
	if name := Errno(1056).Name(); name != "" {
		want = name + " (" + want + ")"
	}
	if runtime.GOOS == "windows" {
		// The system's message follows; its wording depends on the
		// language, so only its presence is checked.
		if !strings.HasPrefix(got, want+": ") || len(got) <= len(want)+3 {
			t.Errorf("Errno(1056).Error() = %q; want %q followed by the system's message", got, want+": ")
		}
		return
	}
	if got != want {
		t.Errorf("Errno(1056).Error() = %q; want %q", got, want)
	}
}

func TestErrnoAsSyscallErrno(t *testing.T) {
	err := fmt.Errorf("QOSAddSocketToFlow: %w", ERROR_HOST_UNREACHABLE)
	var errno syscall.Errno
	if !errors.As(err, &errno) || errno != syscall.Errno(1232) {
		t.Fatalf("errors.As(%v, *syscall.Errno) = %v, %d; want true, 1232", err, errors.As(err, &errno), errno)
	}
	if syscall.Errno(ERROR_HOST_UNREACHABLE) != syscall.Errno(1232) {
		t.Error("the conversion to syscall.Errno changes the value")
	}
	var other *UnavailableError
	if errors.As(err, &other) {
		t.Error("errors.As matched an unrelated target type")
	}
}

func TestOutcomeErr(t *testing.T) {
	if err := (Outcome{Ret: 1, LastError: 5}).Err(); err != nil {
		t.Errorf("success with a last error set = %v; want nil", err)
	}
	if err := (Outcome{}).Err(); err != ErrNoLastError {
		t.Errorf("failure without a last error = %v; want ErrNoLastError", err)
	}
	if err := (Outcome{LastError: 1168}).Err(); err != error(ERROR_NOT_FOUND) {
		t.Errorf("failure = %v; want ERROR_NOT_FOUND", err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = (Outcome{LastError: 1232}).Err() }); n != 0 {
		t.Errorf("a documented failure allocates %v times", n)
	}
}

func TestUnavailableErrorUnwraps(t *testing.T) {
	loader := errors.New("The specified module could not be found.")
	err := error(&UnavailableError{Proc: "QOSCreateHandle", Err: loader})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, loader) {
		t.Errorf("%v does not match ErrUnavailable and the loader's error", err)
	}
}
