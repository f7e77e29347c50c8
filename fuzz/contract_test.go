package fuzz

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// FuzzContract makes one fuzzed call on a fresh reference model and checks
// the documented contract of that call.
func FuzzContract(f *testing.F) {
	for i := range Functions {
		f.Add([]byte{byte(i)})
		f.Add([]byte{byte(i), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
		f.Add([]byte{byte(i), 2, 3, 1, 4, 2, 1, 0, 5, 1, 3, 2, 1, 0, 1, 1})
		f.Add([]byte{byte(i), 4, 5, 5, 2, 3, 3, 3, 3, 1, 2, 255, 7, 9})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := CheckCall(qwavetest.New(), data, ContractOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// brokenLastError clobbers the last error on every successful call of
// QOSEnumerateFlows: CheckCall must notice.
type brokenLastError struct{ *qwavetest.Model }

func (b brokenLastError) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	err := b.Model.QOSEnumerateFlows(h, size, buf)
	if err == nil {
		b.SetLastError(0)
	}
	return err
}

func TestCheckCallCatchesBrokenImplementation(t *testing.T) {
	enum := int(qwave.FuncQOSEnumerateFlows)
	found := false
	rng := rand.New(rand.NewPCG(1, 2))
	for seed := 0; seed < 2000 && !found; seed++ {
		data := make([]byte, 16)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		data[0] = byte(enum)
		if err := CheckCall(brokenLastError{qwavetest.New()}, data, ContractOptions{}); err != nil {
			found = true
			t.Logf("caught: %v", err)
		}
	}
	if !found {
		t.Fatal("CheckCall passed an implementation that clobbers the last error on success")
	}
}

// BenchmarkCheckCall measures one per-call contract check on a fresh model:
// setup (two handles, a close, a flow) and the checked call.
func BenchmarkCheckCall(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := make([][]byte, 1024)
	for i := range inputs {
		inputs[i] = make([]byte, 24)
		for j := range inputs[i] {
			inputs[i][j] = byte(rng.Uint32())
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := CheckCall(qwavetest.New(), inputs[i%len(inputs)], ContractOptions{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// randomInputs returns n fuzz inputs of 32 bytes from a fixed seed.
func randomInputs(seed uint64, n int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 5))
	inputs := make([][]byte, n)
	for i := range inputs {
		inputs[i] = make([]byte, 32)
		for j := range inputs[i] {
			inputs[i][j] = byte(rng.Uint32())
		}
	}
	return inputs
}

// TestCheckCallOnModel runs 20000 random calls through the oracle on the
// reference model, which must pass them all, and keeps the decoder honest:
// every function must succeed, and fail with each of its codes the oracle
// can predict, on some input.
func TestCheckCallOnModel(t *testing.T) {
	seen := map[string]int{}
	for _, data := range randomInputs(11, 20000) {
		if err := CheckCall(qwavetest.New(), data, ContractOptions{}); err != nil {
			t.Fatalf("%v\nreplay: CheckCall(qwavetest.New(), %#v, ContractOptions{})", err, data)
		}
		st := setup(qwavetest.New(), &ContractOptions{})
		r := &reader{b: data}
		c := st.decode(r, Functions[int(r.u8())%len(Functions)])
		seen[c.fn.String()+" "+judge.Outcome(c.do())]++
	}
	for _, want := range []string{
		"QOSCreateHandle TRUE", "QOSCreateHandle FALSE, ERROR_INVALID_PARAMETER",
		"QOSCloseHandle TRUE", "QOSCloseHandle FALSE, ERROR_INVALID_PARAMETER",
		"QOSAddSocketToFlow TRUE", "QOSAddSocketToFlow FALSE, ERROR_HOST_UNREACHABLE", "QOSAddSocketToFlow FALSE, ERROR_INVALID_PARAMETER",
		"QOSRemoveSocketFromFlow TRUE", "QOSRemoveSocketFromFlow FALSE, ERROR_NOT_FOUND",
		"QOSSetFlow TRUE", "QOSSetFlow FALSE, ERROR_IO_PENDING", "QOSSetFlow FALSE, ERROR_NETWORK_BUSY", "QOSSetFlow FALSE, ERROR_NOT_FOUND", "QOSSetFlow FALSE, ERROR_INVALID_PARAMETER",
		"QOSQueryFlow TRUE", "QOSQueryFlow FALSE, ERROR_INSUFFICIENT_BUFFER", "QOSQueryFlow FALSE, ERROR_NO_DATA", "QOSQueryFlow FALSE, ERROR_NOT_SUPPORTED", "QOSQueryFlow FALSE, ERROR_IO_PENDING",
		"QOSNotifyFlow TRUE", "QOSNotifyFlow FALSE, ERROR_IO_PENDING", "QOSNotifyFlow FALSE, ERROR_ALREADY_EXISTS", "QOSNotifyFlow FALSE, ERROR_NOT_SUPPORTED",
		"QOSCancel TRUE", "QOSCancel FALSE, ERROR_INVALID_PARAMETER", "QOSCancel FALSE, ERROR_INVALID_HANDLE",
		"QOSEnumerateFlows TRUE", "QOSEnumerateFlows FALSE, ERROR_INSUFFICIENT_BUFFER",
		"QOSStartTrackingClient TRUE", "QOSStartTrackingClient FALSE, ERROR_NOT_SUPPORTED",
		"QOSStopTrackingClient TRUE", "QOSStopTrackingClient FALSE, ERROR_INVALID_PARAMETER",
	} {
		if seen[want] == 0 {
			t.Errorf("no input gives %s", want)
		}
	}
	if t.Failed() || testing.Verbose() {
		keys := slices.Sorted(maps.Keys(seen))
		for _, k := range keys {
			t.Logf("%6d %s", seen[k], k)
		}
	}
}

// TestOracleFlagsNotFoundOnClosedHandle: an implementation that answers a
// call on a closed handle with ERROR_NOT_FOUND (the closed-handle-not-found
// mutant) passes the consistency checks alone (ERROR_NOT_FOUND is
// documented, and it is the last error); the oracle knows the handle is
// closed and wants ERROR_INVALID_HANDLE.
func TestOracleFlagsNotFoundOnClosedHandle(t *testing.T) {
	data := []byte{byte(qwave.FuncQOSSetFlow), 8 /* the closed handle */, 0 /* the live flow */}
	err := CheckCall(closedIsNotFoundM{newBase()}, data, ContractOptions{})
	var m *judge.Mismatch
	if !errors.As(err, &m) {
		t.Fatalf("CheckCall = %v; want a *judge.Mismatch", err)
	}
	t.Log(err)
	for _, want := range []string{"QOSSetFlow(0x1004, 1, ", "= FALSE, ERROR_NOT_FOUND", "want FALSE with one of [ERROR_INVALID_HANDLE]",
		"ERROR_NOT_FOUND is documented, but not for this situation", "spec/qos2/nf-qos2-qossetflow.md#-parameters: a handle is invalid once QOSCloseHandle closed it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message does not say %q", want)
		}
	}
	if err := CheckCall(qwavetest.New(), data, ContractOptions{}); err != nil {
		t.Errorf("the same call on the model: %v", err)
	}
}
