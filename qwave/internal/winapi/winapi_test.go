package winapi

import (
	"errors"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

var errTest Errno = 7501

func init() {
	Register(Codes{
		Doc: func(e Errno) (string, string) {
			if e == errTest {
				return "ERROR_TEST", "A test code."
			}
			return "", ""
		},
		Boxed: func(e Errno) error {
			if e == errTest {
				return boxedTest
			}
			return nil
		},
	})
}

var boxedTest error = errTest

func TestOutcomeRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Outcome
		ok   bool
		err  error
	}{
		{"BOOL TRUE", Outcome{Ret: 1}, true, nil},
		{"BOOL FALSE, last error", Outcome{Ret: 0, LastError: 87}, false, Errno(87)},
		{"BOOL FALSE, no last error", Outcome{Ret: 0}, false, ErrNoLastError},
		{"status NO_ERROR", Outcome{Ret: 0, LastError: 5, Rule: SuccessZero}, true, nil},
		{"status code is the error, not the last error", Outcome{Ret: 6, LastError: 5, Rule: SuccessZero}, false, Errno(6)},
		{"HRESULT S_FALSE", Outcome{Ret: 1, Rule: SuccessNonNegative}, true, nil},
		{"HRESULT E_INVALIDARG", Outcome{Ret: 0x80070057, Rule: SuccessNonNegative}, false, Errno(0x80070057)},
		{"handle NULL", Outcome{R1: 0, LastError: 2, Rule: SuccessNotNull}, false, Errno(2)},
		{"handle", Outcome{R1: 0x40, Rule: SuccessNotNull}, true, nil},
		{"INVALID_HANDLE_VALUE", Outcome{R1: ^uintptr(0), LastError: 3, Rule: SuccessNotAllOnes}, false, Errno(3)},
		{"SOCKET_ERROR", Outcome{Ret: 0xFFFFFFFF, LastError: 10054, Rule: SuccessNotMinusOne}, false, Errno(10054)},
		{"count", Outcome{Ret: 12, Rule: SuccessNotMinusOne}, true, nil},
		{"void", Outcome{Rule: SuccessAlways}, true, nil},
	} {
		if got := tc.o.OK(); got != tc.ok {
			t.Errorf("%s: OK() = %v; want %v", tc.name, got, tc.ok)
		}
		if got := tc.o.Err(); got != tc.err {
			t.Errorf("%s: Err() = %v; want %v", tc.name, got, tc.err)
		}
	}
}

func TestErrnoRegistry(t *testing.T) {
	if got := errTest.Error(); got != "ERROR_TEST: A test code." {
		t.Errorf("Error() = %q", got)
	}
	if errTest.Name() != "ERROR_TEST" || Errno(0x7FFF0001).Name() != "" {
		t.Errorf("Name() = %q, %q", errTest.Name(), Errno(0x7FFF0001).Name())
	}
	// Outside Windows there is no system message to add.
	if got := Errno(0x7FFF0001).Error(); got != "Win32 error 2147418113" && (runtime.GOOS != "windows" || !strings.HasPrefix(got, "Win32 error 2147418113: ")) {
		t.Errorf("unnamed Error() = %q", got)
	}
	// A code no package documents is named from the complete table.
	if got := Errno(1056).Name(); got != "ERROR_SERVICE_ALREADY_RUNNING" {
		t.Errorf("Name() of an undocumented code = %q", got)
	}
	if got := Errno(1056).Error(); !strings.HasPrefix(got, "ERROR_SERVICE_ALREADY_RUNNING (Win32 error 1056)") {
		t.Errorf("Error() of a named undocumented code = %q", got)
	}
	var se syscall.Errno
	if !errors.As(error(errTest), &se) || se != 7501 {
		t.Errorf("errors.As(*syscall.Errno) = %d", se)
	}
	if !errors.Is(errTest, syscall.Errno(7501)) || errors.Is(errTest, syscall.Errno(7502)) {
		t.Error("Errno does not match syscall.Errno by value")
	}
	// A documented code comes back as the pre-boxed error, so returning
	// it does not allocate.
	if ErrnoErr(errTest) != boxedTest {
		t.Error("ErrnoErr did not return the registered pre-boxed error")
	}
	if n := testing.AllocsPerRun(100, func() { _ = ErrnoErr(errTest) }); n != 0 {
		t.Errorf("ErrnoErr of a documented code allocates %v times", n)
	}
	if ErrnoErr(0) != ErrNoLastError {
		t.Error("ErrnoErr(0) is not ErrNoLastError")
	}
	e := &UnavailableError{Proc: "TcAddFlow", Err: errors.New("not found")}
	if !errors.Is(e, ErrUnavailable) || e.Error() != "TcAddFlow unavailable: not found" {
		t.Errorf("UnavailableError %q does not match ErrUnavailable", e)
	}
}
