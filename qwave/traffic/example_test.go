package traffic_test

import (
	"fmt"

	"github.com/winqos/winqos/qwave/traffic"
)

// Traffic Control functions return their status; the contract tables say
// so, and list each function's documented codes, on every GOOS.
func ExampleContractOf() {
	c, _ := traffic.ContractOf("TcDeleteFlow")
	fmt.Println(c.Success == traffic.SuccessZero, c.LastError == traffic.LastErrorNotUsed)
	for _, d := range c.Errors {
		fmt.Println(d.Name, uint32(d.Code))
	}
	// Output:
	// true true
	// ERROR_SIGNAL_PENDING 162
	// ERROR_INVALID_HANDLE 6
	// ERROR_NOT_READY 21
	// ERROR_TC_SUPPORTED_OBJECTS_EXIST 7512
}

// An Outcome judges a raw call by the function's rule: for a status, 0 is
// success and any other value is the error itself, whatever the last error.
func ExampleOutcome() {
	ok := traffic.Outcome{Ret: 0, LastError: 5, Rule: traffic.SuccessZero}
	pending := traffic.Outcome{Ret: uint32(traffic.ERROR_SIGNAL_PENDING), Rule: traffic.SuccessZero}
	fmt.Println(ok.Err(), pending.Err() == error(traffic.ERROR_SIGNAL_PENDING))
	// Output:
	// <nil> true
}
