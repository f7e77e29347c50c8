package conformance_test

import (
	"net/netip"
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

const dualStackCase = "QOSAddSocketToFlow/DestAddr-ipv4-on-dual-stack"

// singleStack is a model that ignores IPV6_V6ONLY: it accepts an IPv4
// destination on a dual-stack socket, as Windows does not.
type singleStack struct{ *qwavetest.Model }

func (s singleStack) DescribeSocket(sock qwave.Socket, local, peer netip.AddrPort, _ bool) {
	s.Model.DescribeSocket(sock, netip.AddrPortFrom(netip.IPv4Unspecified(), local.Port()), peer, false)
}

// noSockets hides the model's DescribeSocket: the suite has no way to make
// a dual-stack socket for it.
type noSockets struct{ qwave.API }

func TestDualStackCase(t *testing.T) {
	for _, tc := range []struct {
		name string
		api  func() qwave.API
		want conformance.Status
	}{
		{"model", func() qwave.API { return qwavetest.New() }, conformance.Pass},
		{"accepts IPv4 on dual-stack", func() qwave.API { return singleStack{qwavetest.New()} }, conformance.Fail},
		{"cannot describe sockets", func() qwave.API { return noSockets{qwavetest.New()} }, conformance.Skip},
	} {
		res, ok := conformance.RunCase(dualStackCase, tc.api)
		if !ok {
			t.Fatalf("%s is not a case", dualStackCase)
		}
		if res.Status != tc.want {
			t.Errorf("%s: %s = %s (%s); want %s", tc.name, dualStackCase, res.Status, res.Msg, tc.want)
		}
	}
}
