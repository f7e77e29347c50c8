package fuzz

import (
	"math/rand/v2"
	"testing"
	"unsafe"

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
	enum := -1
	for i, fn := range Functions {
		if fn == "QOSEnumerateFlows" {
			enum = i
		}
	}
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
