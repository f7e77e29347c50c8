package qos_test

import (
	"testing"

	"github.com/winqos/winqos/qos"
)

// BenchmarkApplyClose is the cost of marking one connection and removing
// the mark again, against the model: socket inspection, QOSAddSocketToFlow,
// QOSRemoveSocketFromFlow and the Client's bookkeeping. allocs/op is the
// allocations per flow.
func BenchmarkApplyClose(b *testing.B) {
	_, c := model(b)
	conn := connected(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := c.Apply(conn, qos.Voice, qos.NonAdaptive())
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlowSteadyState is a live flow's routine work: a DSCP change and
// reading back what applies. It allocates nothing.
func BenchmarkFlowSteadyState(b *testing.B) {
	_, c := model(b)
	f, err := c.Apply(connected(b), qos.Voice, qos.NonAdaptive())
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	var dscp uint8
	for b.Loop() {
		dscp = (dscp + 1) % 64
		if err := f.SetDSCP(dscp); err != nil {
			b.Fatal(err)
		}
		if _, err := f.Priority(); err != nil {
			b.Fatal(err)
		}
	}
}

// The steady state of a flow does not allocate: a test, not only a figure.
func TestFlowSteadyStateAllocs(t *testing.T) {
	_, c := model(t)
	f, err := c.Apply(connected(t), qos.AudioVideo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetRate(1_000_000, qos.ShapeAndMark); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		f.SetDSCP(46)
		f.Priority()
		f.Estimates(false)
		f.Rate()
	}); n != 0 {
		t.Errorf("SetDSCP+Priority+Estimates+Rate allocate %v times", n)
	}
}
