package fuzz_test

import (
	"fmt"

	"github.com/winqos/winqos/fuzz"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// Hold an implementation to the reference model over a few seeded op
// sequences; here the implementation is fuzz.Shadow, an independent one.
func ExampleCheckOps() {
	for seed := range uint64(100) {
		err := fuzz.CheckOps(func() qwave.API { return fuzz.NewShadow() }, "Shadow", qwave.ProfileDocumented, seed, 64,
			"go test ./mypkg -run TestOps -seed=%d -ops=%d")
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("Shadow agrees with the model on 100 sequences")
	// Output: Shadow agrees with the model on 100 sequences
}

// A failure names the seed, the shortest failing sequence, both histories
// and the replay command. Here the implementation is the model following
// Windows' observed behaviour, held to the documented one.
func ExampleOpsMismatch() {
	for seed := range uint64(1000) {
		err := fuzz.CheckOps(func() qwave.API { return qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows)) }, "Windows-like model",
			qwave.ProfileDocumented, seed, 64, "go test ./mypkg -run TestOps -seed=%d -ops=%d")
		if m, ok := err.(*fuzz.OpsMismatch); ok {
			fmt.Println(m.Want[len(m.Want)-1])
			fmt.Println(m.Got[len(m.Got)-1])
			fmt.Println(m.ReplayHint)
			return
		}
	}
	// Output:
	// 33 QOSCloseHandle(h0) = FALSE, ERROR_INVALID_PARAMETER
	// 33 QOSCloseHandle(h0) = FALSE, ERROR_INVALID_HANDLE
	// go test ./mypkg -run TestOps -seed=1 -ops=34
}
