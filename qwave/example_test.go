package qwave_test

import (
	"errors"
	"fmt"

	"github.com/winqos/winqos/qwave"
)

// The error tables say which codes a function documents and what each means
// for it, on every GOOS.
func ExampleErrorsOf() {
	for _, d := range qwave.ErrorsOf("QOSCloseHandle") {
		fmt.Println(d.Name, uint32(d.Code), d.Source)
	}
	fmt.Println(qwave.Documented("QOSCloseHandle", qwave.ERROR_INVALID_HANDLE))
	// Output:
	// ERROR_INVALID_PARAMETER 87 spec/qos2/nf-qos2-qosclosehandle.md#-returns
	// false
}

// Errors are Errno values; errors.Is matches them, also against
// x/sys/windows (syscall.Errno) codes on Windows.
func ExampleErrno() {
	var err error = qwave.ERROR_NOT_FOUND
	fmt.Println(errors.Is(err, qwave.ERROR_NOT_FOUND), err.(qwave.Errno).Name())
	// Output:
	// true ERROR_NOT_FOUND
}
