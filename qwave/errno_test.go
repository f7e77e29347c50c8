package qwave

import (
	"errors"
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
	if got := Errno(1056).Error(); got != "Win32 error 1056" {
		t.Errorf("undocumented code: Error() = %q", got)
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
