package conformance_test

import (
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

func newModel() qwave.API { return qwavetest.New() }

// TestModel runs the suite against the reference model: it must pass.
func TestModel(t *testing.T) {
	conformance.Run(t, newModel)
}

// BenchmarkCheckModel runs the whole suite against the reference model.
func BenchmarkCheckModel(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := conformance.Check(newModel).Err(); err != nil {
			b.Fatal(err)
		}
	}
}
