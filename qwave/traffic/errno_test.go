package traffic

import (
	"errors"
	"strings"
	"syscall"
	"testing"
)

// Every documented code, Win32 or traffic control's own (tcerror.h), comes
// back pre-boxed, named, and matching syscall.Errno.
func TestDocumentedCodes(t *testing.T) {
	n := 0
	for _, c := range Contracts() {
		for _, d := range c.Errors {
			n++
			if a := testing.AllocsPerRun(10, func() { _ = errnoErr(d.Code) }); a != 0 {
				t.Errorf("%s %s is not pre-boxed: the failure path allocates %v times", c.Func, d.Name, a)
			}
			if d.Code.Name() != d.Name || !errors.Is(errnoErr(d.Code), syscall.Errno(d.Code)) {
				t.Errorf("%s %s: Name %q, or not a syscall.Errno", c.Func, d.Name, d.Code.Name())
			}
		}
	}
	if n < 40 {
		t.Errorf("%d documented (function, code) pairs; want the 16 functions' tables", n)
	}
	// A traffic control code (7512, tcerror.h) has a name and a meaning.
	if got := Errno(7512).Error(); !strings.HasPrefix(got, "ERROR_TC_SUPPORTED_OBJECTS_EXIST: ") || len(got) < 40 {
		t.Errorf("Errno(7512).Error() = %q", got)
	}
}
