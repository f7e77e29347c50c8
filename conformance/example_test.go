package conformance_test

import (
	"fmt"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// Check runs the suite without package testing, as a lab tool or a report
// generator would, here against the reference model.
func ExampleCheck() {
	report := conformance.Check(func() qwave.API { return qwavetest.New() },
		conformance.WithFilter(func(name string) bool { return name == "QOSCloseHandle/QOSHandle-garbage" }))
	for _, r := range report.Results {
		fmt.Println(r.Case, r.Status, r.Observed)
		fmt.Println(r.Source)
	}
	fmt.Println(report.Err())
	// Output:
	// QOSCloseHandle/QOSHandle-garbage pass FALSE, ERROR_INVALID_PARAMETER
	// spec/qos2/nf-qos2-qosclosehandle.md#-parameters
	// <nil>
}
