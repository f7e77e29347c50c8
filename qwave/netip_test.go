package qwave_test

import (
	"net/netip"
	"testing"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

func TestSockaddrRoundTrip(t *testing.T) {
	for _, s := range []string{"192.0.2.1:5004", "[2001:db8::1]:443", "[fe80::1%7]:9", "[::ffff:192.0.2.1]:1", "0.0.0.0:0"} {
		ap := netip.MustParseAddrPort(s)
		sa := qwave.SockaddrOf(ap)
		got, ok := sa.AddrPort()
		if !ok || got != ap {
			t.Errorf("SockaddrOf(%v).AddrPort() = %v, %v", ap, got, ok)
		}
	}
	// The netip helpers and the [4]byte / [16]byte ones agree.
	if *qwave.SockaddrOf(netip.MustParseAddrPort("192.0.2.1:5004")) != *qwave.SockaddrInet4([4]byte{192, 0, 2, 1}, 5004) {
		t.Error("SockaddrOf and SockaddrInet4 disagree")
	}
	ip6 := netip.MustParseAddr("fe80::1")
	if *qwave.SockaddrOf(netip.AddrPortFrom(ip6.WithZone("7"), 9)) != *qwave.SockaddrInet6(ip6.As16(), 9, 7) {
		t.Error("SockaddrOf and SockaddrInet6 disagree on a scoped address")
	}
	if qwave.SockaddrOf(netip.AddrPort{}) != nil {
		t.Error("SockaddrOf(invalid) is not nil")
	}
	if _, ok := (&qwave.RawSockaddrAny{Family: 1}).AddrPort(); ok {
		t.Error("AF_UNIX converted to an AddrPort")
	}
	if n := testing.AllocsPerRun(100, func() {
		var sa qwave.RawSockaddrAny
		sa.SetAddrPort(netip.MustParseAddrPort("[2001:db8::1]:443"))
	}); n != 0 {
		t.Errorf("SetAddrPort allocates %v times", n)
	}
}

func TestQueryFlow(t *testing.T) {
	m := qwavetest.New()
	var h qwave.Handle
	if err := m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1}, &h); err != nil {
		t.Fatal(err)
	}
	var id qwave.QOS_FLOWID
	dest := qwave.SockaddrOf(netip.AddrPortFrom(qwavetest.OnLinkIPv4, 5004))
	if err := m.QOSAddSocketToFlow(h, 42, dest, qwave.QOSTrafficTypeVoice, qwave.QOS_NON_ADAPTIVE_FLOW, &id); err != nil {
		t.Fatal(err)
	}
	var prio qwave.QOS_PACKET_PRIORITY
	if err := qwave.QueryFlow(m, h, id, 0, &prio); err != nil || prio.ConformantDSCPValue != 0x38 {
		t.Errorf("QueryFlow(QOS_PACKET_PRIORITY) = %+v, %v; want DSCP 0x38", prio, err)
	}
	var rate uint64
	if err := qwave.QueryFlow(m, h, id, 0, &rate); err != qwave.ERROR_NO_DATA {
		t.Errorf("QueryFlow(uint64) before a rate = %v; want ERROR_NO_DATA", err)
	}
	var fund qwave.QOS_FLOW_FUNDAMENTALS
	if err := qwave.QueryFlow(m, h, id, qwave.QOS_QUERYFLOW_FRESH, &fund); err != qwave.ERROR_NOT_SUPPORTED {
		t.Errorf("QueryFlow(QOS_FLOW_FUNDAMENTALS) of a non-adaptive flow = %v; want ERROR_NOT_SUPPORTED", err)
	}
}
