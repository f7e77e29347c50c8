package fuzz

import (
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

// dllOptions are the contract options for the real qwave.dll: Windows'
// observed codes on Windows; the Wine baseline under Wine.
func dllOptions(t testing.TB) ContractOptions {
	wine := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
	opts, err := DLLOptions(wine)
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

// FuzzContractDLL makes one fuzzed call on the real qwave.dll (Windows, or
// Wine for the functions its baseline does not mark as crashing) and checks
// the documented contract.
func FuzzContractDLL(f *testing.F) {
	opts := dllOptions(f)
	for i := range Functions {
		f.Add([]byte{byte(i)})
		f.Add([]byte{byte(i), 2, 3, 1, 4, 2, 1, 0, 5, 1, 3, 2, 1, 0, 1, 1})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := CheckCall(conformance.DLL(), data, opts); err != nil {
			t.Fatal(err)
		}
	})
}

var _ qwave.API = conformance.DLL()
