package qwavetest

import (
	"strconv"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// liveFlows are the numbers of flows the benchmarks keep open around the
// measured calls: the cost of a call must not grow with them.
var liveFlows = []int{1, 1_000, 1_000_000}

// benchModel returns a model with a handle holding n flows, and a flow id
// among them.
func benchModel(b *testing.B, n int) (*Model, qwave.Handle, qwave.QOS_FLOWID) {
	b.Helper()
	m := New()
	var h qwave.Handle
	must(b, m.QOSCreateHandle(&v10, &h))
	dest := sa(OnLinkIPv4, 5004)
	var mid qwave.QOS_FLOWID
	for i := range n {
		var id qwave.QOS_FLOWID
		must(b, m.QOSAddSocketToFlow(h, qwave.Socket(1+i), dest, qwave.QOSTrafficTypeVoice, 0, &id))
		if i == n/2 {
			mid = id
		}
	}
	return m, h, mid
}

func BenchmarkAddRemove(b *testing.B) {
	for _, n := range liveFlows {
		b.Run("flows="+strconv.Itoa(n), func(b *testing.B) {
			m, h, _ := benchModel(b, n)
			dest := sa(OnLinkIPv6, 5004)
			s := qwave.Socket(n + 1)
			var id qwave.QOS_FLOWID
			for b.Loop() {
				id = 0
				if err := m.QOSAddSocketToFlow(h, s, dest, qwave.QOSTrafficTypeAudioVideo, 0, &id); err != nil {
					b.Fatal(err)
				}
				if err := m.QOSRemoveSocketFromFlow(h, s, id, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkQueryFlow(b *testing.B) {
	for _, n := range liveFlows {
		b.Run("flows="+strconv.Itoa(n), func(b *testing.B) {
			m, h, id := benchModel(b, n)
			var f qwave.QOS_FLOW_FUNDAMENTALS
			size := new(uint32)
			for b.Loop() {
				*size = uint32(unsafe.Sizeof(f))
				if err := m.QOSQueryFlow(h, id, qwave.QOSQueryFlowFundamentals, size, unsafe.Pointer(&f), 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFailure measures a documented failure: the path that must not
// allocate.
func BenchmarkFailure(b *testing.B) {
	m, h, _ := benchModel(b, 1)
	for b.Loop() {
		if err := m.QOSRemoveSocketFromFlow(h, 0, 0xdeadbeef, 0); err != qwave.ERROR_NOT_FOUND {
			b.Fatal(err)
		}
	}
}
