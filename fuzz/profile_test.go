package fuzz

import (
	"testing"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// TestCheckCallByProfile checks QOSCloseHandle on a Windows-like
// implementation (the model under the Windows profile, where a handle that is
// not open fails with ERROR_INVALID_HANDLE) with every handle the fuzzer
// picks: FuzzContractDLL's options for Windows accept all of them; the
// documented options reject exactly the closed, NULL and garbage handles.
func TestCheckCallByProfile(t *testing.T) {
	closeFn := int(qwave.FuncQOSCloseHandle)
	windowsOpts, err := DLLOptions(false)
	if err != nil {
		t.Fatal(err)
	}
	// The handle selector byte (state.handle): 0 live, 8 closed, 9 NULL,
	// 10 0xdeadbeef, 11 any.
	for _, tc := range []struct {
		name       string
		data       []byte
		documented bool // the documented options accept it
	}{
		{"live", []byte{byte(closeFn), 0}, true},
		{"closed", []byte{byte(closeFn), 8}, false},
		{"NULL", []byte{byte(closeFn), 9}, false},
		{"garbage", []byte{byte(closeFn), 10}, false},
		{"other", []byte{byte(closeFn), 11, 1, 2, 3, 4}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			windowsLike := qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows))
			if err := CheckCall(windowsLike, tc.data, windowsOpts); err != nil {
				t.Errorf("Windows options: %v", err)
			}
			err := CheckCall(qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows)), tc.data, ContractOptions{})
			if (err == nil) != tc.documented {
				t.Errorf("documented options: err = %v; want an error: %v", err, !tc.documented)
			}
		})
	}
}
