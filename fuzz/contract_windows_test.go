package fuzz

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// dllOptions are the contract options for the real qwave.dll: under Wine,
// the platform baseline's crashing functions are left out and its extra
// codes allowed.
func dllOptions(t testing.TB) ContractOptions {
	if windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() != nil {
		return ContractOptions{UnknownNetwork: true}
	}
	b, err := conformance.LoadBaseline("wine-8.0")
	if err != nil {
		t.Fatal(err)
	}
	opts := ContractOptions{UnknownNetwork: true}
	for _, fn := range Functions {
		if !b.Crashing(fn.String()) {
			opts.Funcs = append(opts.Funcs, fn)
		}
	}
	// The baseline's extra codes, and the codes its deviations record a
	// function returning where the docs want another (Wine's
	// QOSAddSocketToFlow fails every call with ERROR_NOT_SUPPORTED).
	deviates := map[string]bool{}
	for name, d := range b.Deviations {
		fn, _, _ := strings.Cut(name, "/")
		if code, ok := strings.CutPrefix(d.Observed, "FALSE, "); ok {
			deviates[fn+" "+code] = true
		}
	}
	opts.Allowed = func(fn string, code qwave.Errno) bool {
		return b.Allows(fn, code) || deviates[fn+" "+judge.CodeName(code)]
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
