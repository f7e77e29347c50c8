package qwavetest

import (
	"net/netip"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// callCase is one call on a fresh fixture and the code it must end with.
type callCase struct {
	fn   string
	name string
	opts []Option
	call func(fx *fixture) error
	want qwave.Errno // 0: success
}

func runCases(t *testing.T, cases []callCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.fn+"/"+c.name, func(t *testing.T) {
			fx := newFixture(t, c.opts...)
			fx.m.SetLastError(sentinel)
			got := checkCall(t, fx.m, c.fn, c.call(fx))
			if got != c.want {
				t.Errorf("%s %s: got %s, want %s", c.fn, c.name, name(got), name(c.want))
			}
		})
	}
}

const (
	ERROR_ACCESS_DENIED             = qwave.ERROR_ACCESS_DENIED
	ERROR_ACCESS_DISABLED_BY_POLICY = qwave.ERROR_ACCESS_DISABLED_BY_POLICY
	ERROR_ALREADY_EXISTS            = qwave.ERROR_ALREADY_EXISTS
	ERROR_HOST_UNREACHABLE          = qwave.ERROR_HOST_UNREACHABLE
	ERROR_INSUFFICIENT_BUFFER       = qwave.ERROR_INSUFFICIENT_BUFFER
	ERROR_INVALID_HANDLE            = qwave.ERROR_INVALID_HANDLE
	ERROR_INVALID_PARAMETER         = qwave.ERROR_INVALID_PARAMETER
	ERROR_IO_PENDING                = qwave.ERROR_IO_PENDING
	ERROR_NETWORK_BUSY              = qwave.ERROR_NETWORK_BUSY
	ERROR_NOT_FOUND                 = qwave.ERROR_NOT_FOUND
	ERROR_NOT_SUPPORTED             = qwave.ERROR_NOT_SUPPORTED
	ERROR_NO_DATA                   = qwave.ERROR_NO_DATA
	ERROR_RETRY                     = qwave.ERROR_RETRY
)

func TestCreateCloseHandle(t *testing.T) {
	create := func(v *qwave.QOS_VERSION) func(*fixture) error {
		return func(fx *fixture) error {
			var h qwave.Handle
			return fx.m.QOSCreateHandle(v, &h)
		}
	}
	closeH := func(h qwave.Handle) func(*fixture) error {
		return func(fx *fixture) error { return fx.m.QOSCloseHandle(h) }
	}
	runCases(t, []callCase{
		{"QOSCreateHandle", "1.0", nil, create(&v10), 0},
		{"QOSCreateHandle", "nil version", nil, create(nil), ERROR_INVALID_PARAMETER},
		{"QOSCreateHandle", "nil handle", nil, func(fx *fixture) error { return fx.m.QOSCreateHandle(&v10, nil) }, ERROR_INVALID_PARAMETER},
		{"QOSCreateHandle", "0.0", nil, create(&qwave.QOS_VERSION{}), ERROR_INVALID_PARAMETER},
		{"QOSCreateHandle", "1.5", nil, create(&qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 5}), ERROR_INVALID_PARAMETER},
		{"QOSCreateHandle", "2.0", nil, create(&qwave.QOS_VERSION{MajorVersion: 2}), ERROR_INVALID_PARAMETER},
		{"QOSCloseHandle", "open", nil, func(fx *fixture) error { return fx.m.QOSCloseHandle(fx.h) }, 0},
		{"QOSCloseHandle", "closed", nil, func(fx *fixture) error { return fx.m.QOSCloseHandle(fx.closed) }, ERROR_INVALID_PARAMETER},
		{"QOSCloseHandle", "NULL", nil, closeH(0), ERROR_INVALID_PARAMETER},
		{"QOSCloseHandle", "0xdeadbeef", nil, closeH(0xdeadbeef), ERROR_INVALID_PARAMETER},
		{"QOSCloseHandle", "INVALID_HANDLE_VALUE", nil, closeH(^qwave.Handle(0)), ERROR_INVALID_PARAMETER},
	})
}

func TestHandleValues(t *testing.T) {
	m := New()
	seen := map[qwave.Handle]bool{}
	for i := range 100 {
		var h qwave.Handle
		must(t, m.QOSCreateHandle(&v10, &h))
		if h == 0 || h == 0xdeadbeef || seen[h] {
			t.Fatalf("handle %d is %#x: zero, the sentinel or reused", i, h)
		}
		seen[h] = true
		if i%2 == 0 {
			must(t, m.QOSCloseHandle(h))
		}
	}
	if got := m.LiveHandles(); got != 50 {
		t.Errorf("LiveHandles() = %d, want 50", got)
	}
}

func TestAddSocketToFlow(t *testing.T) {
	add := func(h func(*fixture) qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, tt qwave.QOS_TRAFFIC_TYPE, flags uint32, id func(*fixture) qwave.QOS_FLOWID) func(*fixture) error {
		return func(fx *fixture) error {
			flowID := id(fx)
			return fx.m.QOSAddSocketToFlow(h(fx), s, dest, tt, flags, &flowID)
		}
	}
	h := func(fx *fixture) qwave.Handle { return fx.h }
	handle := func(v qwave.Handle) func(*fixture) qwave.Handle { return func(*fixture) qwave.Handle { return v } }
	closed := func(fx *fixture) qwave.Handle { return fx.closed }
	newFlow := func(*fixture) qwave.QOS_FLOWID { return 0 }
	flowID := func(v qwave.QOS_FLOWID) func(*fixture) qwave.QOS_FLOWID {
		return func(*fixture) qwave.QOS_FLOWID { return v }
	}
	dest := sa(OnLinkIPv4, 5004)
	av := qwave.QOSTrafficTypeAudioVideo
	mapped := qwave.SockaddrInet6(netip.MustParseAddr("::ffff:192.0.2.1").As16(), 5004, 0)
	unix := &qwave.RawSockaddrAny{Family: 1}
	runCases(t, []callCase{
		{"QOSAddSocketToFlow", "new adaptive IPv4", nil, add(h, freeSocket, dest, av, 0, newFlow), 0},
		{"QOSAddSocketToFlow", "new adaptive IPv6", nil, add(h, freeSocket, sa(OnLinkIPv6, 1), av, 0, newFlow), 0},
		{"QOSAddSocketToFlow", "new adaptive off-link", nil, add(h, freeSocket, sa(OffLinkIPv4, 1), av, 0, newFlow), 0},
		{"QOSAddSocketToFlow", "new non-adaptive", nil, add(h, freeSocket, dest, qwave.QOSTrafficTypeControl, qwave.QOS_NON_ADAPTIVE_FLOW, newFlow), 0},
		{"QOSAddSocketToFlow", "to non-adaptive flow", nil, add(h, freeSocket, dest, av, qwave.QOS_NON_ADAPTIVE_FLOW, func(fx *fixture) qwave.QOS_FLOWID { return fx.nonAdaptive }), 0},
		{"QOSAddSocketToFlow", "NULL handle", nil, add(handle(0), freeSocket, dest, av, 0, newFlow), ERROR_INVALID_HANDLE},
		{"QOSAddSocketToFlow", "0xdeadbeef handle", nil, add(handle(0xdeadbeef), freeSocket, dest, av, 0, newFlow), ERROR_INVALID_HANDLE},
		{"QOSAddSocketToFlow", "closed handle", nil, add(closed, freeSocket, dest, av, 0, newFlow), ERROR_INVALID_HANDLE},
		{"QOSAddSocketToFlow", "socket 0", nil, add(h, 0, dest, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "INVALID_SOCKET", nil, add(h, invalidSocket, dest, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "nil FlowId", nil, func(fx *fixture) error {
			return fx.m.QOSAddSocketToFlow(fx.h, freeSocket, dest, av, 0, nil)
		}, ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "unknown FlowId", nil, add(h, freeSocket, dest, av, 0, flowID(0xdeadbeef)), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "to adaptive flow", nil, add(h, freeSocket, dest, av, 0, func(fx *fixture) qwave.QOS_FLOWID { return fx.adaptive }), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "to other handle's flow", nil, add(h, freeSocket, dest, av, 0, func(fx *fixture) qwave.QOS_FLOWID { return fx.otherFlow }), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "socket in a flow", nil, add(h, sockAdaptive, dest, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "socket in other handle's flow", nil, add(h, sockOther, dest, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "flags 1", nil, add(h, freeSocket, dest, av, 1, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "flags 0x80000002", nil, add(h, freeSocket, dest, av, 0x80000002, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "traffic type -1", nil, add(h, freeSocket, dest, -1, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "traffic type 6", nil, add(h, freeSocket, dest, 6, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "unconnected, nil DestAddr", nil, add(h, freeSocket, nil, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "connected, nil DestAddr", nil, func(fx *fixture) error {
			fx.m.ConnectSocket(freeSocket, dest)
			var id qwave.QOS_FLOWID
			return fx.m.QOSAddSocketToFlow(fx.h, freeSocket, nil, av, 0, &id)
		}, 0},
		{"QOSAddSocketToFlow", "connected, same DestAddr", nil, func(fx *fixture) error {
			fx.m.ConnectSocket(freeSocket, dest)
			var id qwave.QOS_FLOWID
			return fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 5004), av, 0, &id)
		}, 0},
		{"QOSAddSocketToFlow", "connected, other port", nil, func(fx *fixture) error {
			fx.m.ConnectSocket(freeSocket, dest)
			var id qwave.QOS_FLOWID
			return fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 5005), av, 0, &id)
		}, ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "disconnected, nil DestAddr", nil, func(fx *fixture) error {
			fx.m.ConnectSocket(freeSocket, dest)
			fx.m.ConnectSocket(freeSocket, nil)
			var id qwave.QOS_FLOWID
			return fx.m.QOSAddSocketToFlow(fx.h, freeSocket, nil, av, 0, &id)
		}, ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "AF_UNIX", nil, add(h, freeSocket, unix, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "family 0", nil, add(h, freeSocket, &qwave.RawSockaddrAny{}, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "mixed IPv4/IPv6", nil, add(h, freeSocket, mapped, av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "0.0.0.0", nil, add(h, freeSocket, qwave.SockaddrInet4([4]byte{}, 5004), av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "port 0", nil, add(h, freeSocket, sa(OnLinkIPv4, 0), av, 0, newFlow), ERROR_INVALID_PARAMETER},
		{"QOSAddSocketToFlow", "unreachable", nil, add(h, freeSocket, sa(UnreachableIPv4, 5004), av, 0, newFlow), ERROR_HOST_UNREACHABLE},
	})
}

func TestAddSocketToFlowWritesFlowID(t *testing.T) {
	fx := newFixture(t)
	ids := map[qwave.QOS_FLOWID]bool{fx.adaptive: true, fx.nonAdaptive: true, fx.offLink: true, fx.ipv6: true, fx.otherFlow: true}
	if len(ids) != 5 || ids[0] {
		t.Fatalf("fixture flow ids %v: zero or repeated", ids)
	}
	for s := freeSocket; s < freeSocket+100; s++ {
		var id qwave.QOS_FLOWID
		must(t, fx.m.QOSAddSocketToFlow(fx.h, s, sa(OnLinkIPv4, 5004), qwave.QOSTrafficTypeVoice, 0, &id))
		if id == 0 || ids[id] {
			t.Fatalf("flow id %d: zero or repeated", id)
		}
		ids[id] = true
		must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, 0, id, 0))
	}
	// Adding to an existing flow writes that flow's id back.
	id := fx.nonAdaptive
	must(t, fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 5004), qwave.QOSTrafficTypeVoice, qwave.QOS_NON_ADAPTIVE_FLOW, &id))
	if id != fx.nonAdaptive {
		t.Errorf("FlowId = %d after adding to flow %d", id, fx.nonAdaptive)
	}
}

func TestRemoveSocketFromFlow(t *testing.T) {
	remove := func(h func(*fixture) qwave.Handle, s qwave.Socket, id func(*fixture) qwave.QOS_FLOWID, flags uint32) func(*fixture) error {
		return func(fx *fixture) error { return fx.m.QOSRemoveSocketFromFlow(h(fx), s, id(fx), flags) }
	}
	h := func(fx *fixture) qwave.Handle { return fx.h }
	adaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.adaptive }
	runCases(t, []callCase{
		{"QOSRemoveSocketFromFlow", "whole flow", nil, remove(h, 0, adaptive, 0), 0},
		{"QOSRemoveSocketFromFlow", "its socket", nil, remove(h, sockAdaptive, adaptive, 0), 0},
		{"QOSRemoveSocketFromFlow", "NULL handle", nil, remove(func(*fixture) qwave.Handle { return 0 }, 0, adaptive, 0), ERROR_INVALID_HANDLE},
		{"QOSRemoveSocketFromFlow", "closed handle", nil, remove(func(fx *fixture) qwave.Handle { return fx.closed }, 0, adaptive, 0), ERROR_INVALID_HANDLE},
		{"QOSRemoveSocketFromFlow", "flow 0", nil, remove(h, 0, func(*fixture) qwave.QOS_FLOWID { return 0 }, 0), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "unknown flow", nil, remove(h, 0, func(*fixture) qwave.QOS_FLOWID { return 0xdeadbeef }, 0), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "other handle's flow", nil, remove(h, 0, func(fx *fixture) qwave.QOS_FLOWID { return fx.otherFlow }, 0), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "socket not in flow", nil, remove(h, sockNonAdaptive, adaptive, 0), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "unknown socket", nil, remove(h, freeSocket, adaptive, 0), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "reserved flags", nil, remove(h, 0, adaptive, 1), ERROR_NOT_FOUND},
		{"QOSRemoveSocketFromFlow", "twice", nil, func(fx *fixture) error {
			must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, 0, fx.adaptive, 0))
			fx.m.SetLastError(sentinel)
			return fx.m.QOSRemoveSocketFromFlow(fx.h, 0, fx.adaptive, 0)
		}, ERROR_NOT_FOUND},
	})
}

func TestNonAdaptiveFlowSockets(t *testing.T) {
	fx := newFixture(t)
	id := fx.nonAdaptive
	for s := freeSocket; s < freeSocket+3; s++ {
		must(t, fx.m.QOSAddSocketToFlow(fx.h, s, sa(OnLinkIPv6, 80), qwave.QOSTrafficTypeBackground, qwave.QOS_NON_ADAPTIVE_FLOW, &id))
	}
	flows := fx.m.LiveFlows()
	// Remove the sockets one by one, the flow's first socket in the middle:
	// the flow lives until its last socket goes.
	for _, s := range []qwave.Socket{freeSocket + 1, sockNonAdaptive, freeSocket + 2, freeSocket} {
		if fx.m.LiveFlows() != flows {
			t.Fatalf("flow gone before socket %d was removed", s)
		}
		must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, s, id, 0))
		if err := fx.m.QOSRemoveSocketFromFlow(fx.h, s, id, 0); err == nil {
			t.Fatalf("socket %d removed twice", s)
		}
	}
	if got := fx.m.LiveFlows(); got != flows-1 {
		t.Errorf("LiveFlows() = %d after removing the last socket, want %d", got, flows-1)
	}
	// The sockets are free for new flows again.
	var nid qwave.QOS_FLOWID
	must(t, fx.m.QOSAddSocketToFlow(fx.h, sockNonAdaptive, sa(OnLinkIPv4, 80), qwave.QOSTrafficTypeBestEffort, 0, &nid))
}

func TestEnumerateFlows(t *testing.T) {
	enum := func(h func(*fixture) qwave.Handle, size uint32, withBuf bool) func(*fixture) error {
		return func(fx *fixture) error {
			var buf unsafe.Pointer
			if withBuf {
				buf = fx.ptr()
			}
			return fx.m.QOSEnumerateFlows(h(fx), &size, buf)
		}
	}
	h := func(fx *fixture) qwave.Handle { return fx.h }
	runCases(t, []callCase{
		{"QOSEnumerateFlows", "enough", nil, enum(h, 16, true), 0},
		{"QOSEnumerateFlows", "plenty", nil, enum(h, 512, true), 0},
		{"QOSEnumerateFlows", "too small", nil, enum(h, 15, true), ERROR_INSUFFICIENT_BUFFER},
		{"QOSEnumerateFlows", "size 0, no buffer", nil, enum(h, 0, false), ERROR_INSUFFICIENT_BUFFER},
		{"QOSEnumerateFlows", "no buffer", nil, enum(h, 16, false), ERROR_INVALID_PARAMETER},
		{"QOSEnumerateFlows", "nil Size", nil, func(fx *fixture) error { return fx.m.QOSEnumerateFlows(fx.h, nil, fx.ptr()) }, ERROR_INVALID_PARAMETER},
		{"QOSEnumerateFlows", "closed handle", nil, enum(func(fx *fixture) qwave.Handle { return fx.closed }, 16, true), ERROR_INVALID_HANDLE},
		{"QOSEnumerateFlows", "no flows", nil, func(fx *fixture) error {
			h := fx.handle()
			var size uint32
			return fx.m.QOSEnumerateFlows(h, &size, nil)
		}, 0},
	})
}

func TestEnumerateFlowsLists(t *testing.T) {
	fx := newFixture(t)
	must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, 0, fx.offLink, 0))
	var size uint32
	if err := fx.m.QOSEnumerateFlows(fx.h, &size, nil); err != qwave.ERROR_INSUFFICIENT_BUFFER || size != 12 {
		t.Fatalf("QOSEnumerateFlows(size 0) = %v, size %d; want ERROR_INSUFFICIENT_BUFFER, 12", err, size)
	}
	ids := make([]qwave.QOS_FLOWID, 8)
	size = uint32(len(ids) * 4)
	must(t, fx.m.QOSEnumerateFlows(fx.h, &size, unsafe.Pointer(&ids[0])))
	want := []qwave.QOS_FLOWID{fx.adaptive, fx.nonAdaptive, fx.ipv6}
	if size != 12 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] || ids[3] != 0 {
		t.Errorf("QOSEnumerateFlows = size %d, %v; want 12, %v", size, ids, want)
	}
	var empty uint32 = 4
	h := fx.handle()
	must(t, fx.m.QOSEnumerateFlows(h, &empty, unsafe.Pointer(&ids[0])))
	if empty != 0 {
		t.Errorf("QOSEnumerateFlows on a handle without flows set size %d, want 0", empty)
	}
}

func TestSetFlow(t *testing.T) {
	set := func(id func(*fixture) qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, v any, flags uint32) func(*fixture) error {
		return func(fx *fixture) error {
			var buf unsafe.Pointer
			switch v := v.(type) {
			case qwave.QOS_TRAFFIC_TYPE:
				buf = unsafe.Pointer(&v)
			case qwave.QOS_FLOWRATE_OUTGOING:
				buf = unsafe.Pointer(&v)
			case uint32:
				buf = unsafe.Pointer(&v)
			}
			return fx.m.QOSSetFlow(fx.h, id(fx), op, size, buf, flags, nil)
		}
	}
	adaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.adaptive }
	nonAdaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.nonAdaptive }
	offLink := func(fx *fixture) qwave.QOS_FLOWID { return fx.offLink }
	rate := func(bps uint64) qwave.QOS_FLOWRATE_OUTGOING {
		return qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: bps, ShapingBehavior: qwave.QOSShapeOnly}
	}
	voice := qwave.QOSTrafficTypeVoice
	tt, fr := qwave.QOSSetTrafficType, qwave.QOSSetOutgoingRate
	bottleneckOnly := DefaultNetwork()
	bottleneckOnly.Hosts[OnLinkIPv4] = Host{BottleneckBandwidth: 10}
	dscp := qwave.QOSSetOutgoingDSCPValue
	runCases(t, []callCase{
		{"QOSSetFlow", "traffic type", nil, set(adaptive, tt, 4, voice, 0), 0},
		{"QOSSetFlow", "rate", nil, set(adaptive, fr, 16, rate(1_000_000), 0), 0},
		{"QOSSetFlow", "rate = available", nil, set(adaptive, fr, 16, rate(80_000_000), 0), 0},
		{"QOSSetFlow", "rate > available", nil, set(adaptive, fr, 16, rate(80_000_001), 0), ERROR_NETWORK_BUSY},
		{"QOSSetFlow", "rate > bottleneck", nil, set(adaptive, fr, 16, rate(1<<40), 0), ERROR_NETWORK_BUSY},
		{"QOSSetFlow", "rate = bottleneck, no available", []Option{WithNetwork(bottleneckOnly)}, set(adaptive, fr, 16, rate(10), 0), 0},
		{"QOSSetFlow", "rate > bottleneck, no available", []Option{WithNetwork(bottleneckOnly)}, set(adaptive, fr, 16, rate(11), 0), ERROR_NETWORK_BUSY},
		{"QOSSetFlow", "rate, no estimates", []Option{WithNetwork(Network{Hosts: map[netip.Addr]Host{OnLinkIPv4: {}, OnLinkIPv6: {}, OffLinkIPv4: {}}})}, set(adaptive, fr, 16, rate(1<<40), 0), 0},
		{"QOSSetFlow", "default minimum, off-link", nil, set(offLink, fr, 16, rate(qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH), 0), ERROR_ACCESS_DISABLED_BY_POLICY},
		{"QOSSetFlow", "default minimum on-link", nil, set(adaptive, fr, 16, rate(qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH), 0), 0},
		{"QOSSetFlow", "rate, non-adaptive", nil, set(nonAdaptive, fr, 16, rate(1<<40), 0), 0},
		{"QOSSetFlow", "rate, off-link", nil, set(offLink, fr, 16, rate(1000), 0), ERROR_ACCESS_DISABLED_BY_POLICY},
		{"QOSSetFlow", "traffic type, off-link", nil, set(offLink, tt, 4, voice, 0), 0},
		{"QOSSetFlow", "rate, host gone", nil, func(fx *fixture) error {
			fx.m.SetNetwork(Network{})
			return fx.setRate(fx.adaptive, 1000, nil)
		}, ERROR_HOST_UNREACHABLE},
		{"QOSSetFlow", "DSCP 46", nil, set(adaptive, dscp, 4, uint32(46), 0), 0},
		{"QOSSetFlow", "DSCP 63", nil, set(adaptive, dscp, 4, uint32(63), 0), 0},
		{"QOSSetFlow", "DSCP 64", nil, set(adaptive, dscp, 4, uint32(64), 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "DSCP, not admin", []Option{WithAdmin(false)}, set(adaptive, dscp, 4, uint32(46), 0), ERROR_ACCESS_DENIED},
		{"QOSSetFlow", "closed handle", nil, func(fx *fixture) error {
			v := voice
			return fx.m.QOSSetFlow(fx.closed, fx.adaptive, tt, 4, unsafe.Pointer(&v), 0, nil)
		}, ERROR_INVALID_HANDLE},
		{"QOSSetFlow", "unknown flow", nil, set(func(*fixture) qwave.QOS_FLOWID { return 0xdeadbeef }, tt, 4, voice, 0), ERROR_NOT_FOUND},
		{"QOSSetFlow", "other handle's flow", nil, set(func(fx *fixture) qwave.QOS_FLOWID { return fx.otherFlow }, tt, 4, voice, 0), ERROR_NOT_FOUND},
		{"QOSSetFlow", "reserved flags", nil, set(adaptive, tt, 4, voice, 1), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "operation 3", nil, set(adaptive, 3, 4, voice, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "operation -1", nil, set(adaptive, -1, 4, voice, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "nil buffer", nil, set(adaptive, tt, 4, nil, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "nil buffer, huge size", nil, set(adaptive, fr, 1<<31, nil, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "traffic type size 8", nil, set(adaptive, tt, 8, voice, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "traffic type size 0", nil, set(adaptive, tt, 0, voice, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "traffic type 6", nil, set(adaptive, tt, 4, qwave.QOS_TRAFFIC_TYPE(6), 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "rate size 8", nil, set(adaptive, fr, 8, rate(1000), 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "shaping 3", nil, set(adaptive, fr, 16, qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: 1000, ShapingBehavior: 3}, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "reason 5", nil, set(adaptive, fr, 16, qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: 1000, Reason: 5}, 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "DSCP size 2", nil, set(adaptive, dscp, 2, uint32(46), 0), ERROR_INVALID_PARAMETER},
		{"QOSSetFlow", "overlapped", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			return fx.setRate(fx.adaptive, 1000, &o)
		}, ERROR_IO_PENDING},
		{"QOSSetFlow", "overlapped, too fast", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			return fx.setRate(fx.adaptive, 1<<40, &o)
		}, ERROR_NETWORK_BUSY},
		{"QOSSetFlow", "overlapped in use", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			if err := fx.setRate(fx.adaptive, 1000, &o); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.setRate(fx.ipv6, 1000, &o)
		}, ERROR_INVALID_PARAMETER},
	})
}

func TestQueryFlow(t *testing.T) {
	query := func(id func(*fixture) qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size uint32, withBuf bool, flags uint32) func(*fixture) error {
		return func(fx *fixture) error {
			var buf unsafe.Pointer
			if withBuf {
				buf = fx.ptr()
			}
			return fx.m.QOSQueryFlow(fx.h, id(fx), op, &size, buf, flags, nil)
		}
	}
	adaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.adaptive }
	nonAdaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.nonAdaptive }
	offLink := func(fx *fixture) qwave.QOS_FLOWID { return fx.offLink }
	fund, prio, rate := qwave.QOSQueryFlowFundamentals, qwave.QOSQueryPacketPriority, qwave.QOSQueryOutgoingRate
	fresh := uint32(qwave.QOS_QUERYFLOW_FRESH)
	noEstimates := Network{Hosts: map[netip.Addr]Host{OnLinkIPv4: {}, OnLinkIPv6: {}, OffLinkIPv4: {OffLink: true}}}
	runCases(t, []callCase{
		{"QOSQueryFlow", "fundamentals", nil, query(adaptive, fund, 40, true, 0), 0},
		{"QOSQueryFlow", "fundamentals, fresh", nil, query(adaptive, fund, 40, true, fresh), 0},
		{"QOSQueryFlow", "fundamentals, big buffer", nil, query(adaptive, fund, 512, true, 0), 0},
		{"QOSQueryFlow", "packet priority", nil, query(adaptive, prio, 16, true, 0), 0},
		{"QOSQueryFlow", "packet priority, non-adaptive", nil, query(nonAdaptive, prio, 16, true, 0), 0},
		{"QOSQueryFlow", "outgoing rate", nil, func(fx *fixture) error {
			must(t, fx.setRate(fx.adaptive, 1000, nil))
			return fx.query(fx.adaptive, rate, 0, nil)
		}, 0},
		{"QOSQueryFlow", "outgoing rate, never set", nil, query(adaptive, rate, 8, true, 0), ERROR_NO_DATA},
		{"QOSQueryFlow", "fundamentals, non-adaptive", nil, query(nonAdaptive, fund, 40, true, 0), ERROR_NOT_SUPPORTED},
		{"QOSQueryFlow", "fundamentals, off-link", nil, query(offLink, fund, 40, true, 0), ERROR_NOT_SUPPORTED},
		{"QOSQueryFlow", "fundamentals, host gone", nil, func(fx *fixture) error {
			fx.m.SetNetwork(Network{})
			return fx.query(fx.adaptive, fund, 0, nil)
		}, ERROR_HOST_UNREACHABLE},
		{"QOSQueryFlow", "fundamentals, no estimates", []Option{WithNetwork(noEstimates)}, query(adaptive, fund, 40, true, 0), 0},
		{"QOSQueryFlow", "fundamentals, fresh, no estimates", []Option{WithNetwork(noEstimates)}, query(adaptive, fund, 40, true, fresh), ERROR_RETRY},
		{"QOSQueryFlow", "fresh, packet priority", nil, query(adaptive, prio, 16, true, fresh), ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "fresh, outgoing rate", nil, query(adaptive, rate, 8, true, fresh), ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "flags 2", nil, query(adaptive, fund, 40, true, 2), ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "operation 3", nil, query(adaptive, 3, 40, true, 0), ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "nil Size", nil, func(fx *fixture) error {
			return fx.m.QOSQueryFlow(fx.h, fx.adaptive, fund, nil, fx.ptr(), 0, nil)
		}, ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "size 39", nil, query(adaptive, fund, 39, true, 0), ERROR_INSUFFICIENT_BUFFER},
		{"QOSQueryFlow", "size 0, nil buffer", nil, query(adaptive, prio, 0, false, 0), ERROR_INSUFFICIENT_BUFFER},
		{"QOSQueryFlow", "nil buffer", nil, query(adaptive, prio, 16, false, 0), ERROR_INVALID_PARAMETER},
		{"QOSQueryFlow", "closed handle", nil, func(fx *fixture) error {
			size := uint32(40)
			return fx.m.QOSQueryFlow(fx.closed, fx.adaptive, fund, &size, fx.ptr(), 0, nil)
		}, ERROR_INVALID_HANDLE},
		{"QOSQueryFlow", "unknown flow", nil, query(func(*fixture) qwave.QOS_FLOWID { return 0 }, prio, 16, true, 0), ERROR_NOT_FOUND},
		{"QOSQueryFlow", "removed flow", nil, func(fx *fixture) error {
			must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, sockAdaptive, fx.adaptive, 0))
			return fx.query(fx.adaptive, prio, 0, nil)
		}, ERROR_NOT_FOUND},
		{"QOSQueryFlow", "overlapped", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			return fx.query(fx.adaptive, fund, 0, &o)
		}, ERROR_IO_PENDING},
		{"QOSQueryFlow", "overlapped, not supported", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			return fx.query(fx.nonAdaptive, fund, 0, &o)
		}, ERROR_NOT_SUPPORTED},
	})
}

func TestQueryFlowSizes(t *testing.T) {
	fx := newFixture(t)
	must(t, fx.setRate(fx.adaptive, 1000, nil))
	for _, c := range []struct {
		op   qwave.QOS_QUERY_FLOW
		need uint32
	}{{qwave.QOSQueryFlowFundamentals, 40}, {qwave.QOSQueryPacketPriority, 16}, {qwave.QOSQueryOutgoingRate, 8}} {
		size := c.need - 1
		err := fx.m.QOSQueryFlow(fx.h, fx.adaptive, c.op, &size, nil, 0, nil)
		if err != qwave.ERROR_INSUFFICIENT_BUFFER || size != c.need {
			t.Errorf("QOSQueryFlow(op %d, size %d) = %v, size %d; want ERROR_INSUFFICIENT_BUFFER, %d", c.op, c.need-1, err, size, c.need)
		}
		size = 100
		must(t, fx.m.QOSQueryFlow(fx.h, fx.adaptive, c.op, &size, fx.ptr(), 0, nil))
		if size != c.need {
			t.Errorf("QOSQueryFlow(op %d) wrote %d bytes, want %d", c.op, size, c.need)
		}
	}
}

func TestQueryFlowData(t *testing.T) {
	fx := newFixture(t)
	var f qwave.QOS_FLOW_FUNDAMENTALS
	size := uint32(unsafe.Sizeof(f))
	must(t, fx.m.QOSQueryFlow(fx.h, fx.ipv6, qwave.QOSQueryFlowFundamentals, &size, unsafe.Pointer(&f), 0, nil))
	want := qwave.QOS_FLOW_FUNDAMENTALS{BottleneckBandwidthSet: 1, BottleneckBandwidth: 1e9, AvailableBandwidthSet: 1, AvailableBandwidth: 9e8, RTTSet: 1, RTT: 500}
	if f != want {
		t.Errorf("fundamentals = %+v, want %+v", f, want)
	}

	prio := func(id qwave.QOS_FLOWID) qwave.QOS_PACKET_PRIORITY {
		t.Helper()
		var p qwave.QOS_PACKET_PRIORITY
		size := uint32(unsafe.Sizeof(p))
		must(t, fx.m.QOSQueryFlow(fx.h, id, qwave.QOSQueryPacketPriority, &size, unsafe.Pointer(&p), 0, nil))
		return p
	}
	// "This call on its own does not change how the flow's traffic is
	// handled": an adaptive flow is not marked before QOSSetFlow.
	if p := prio(fx.adaptive); p != (qwave.QOS_PACKET_PRIORITY{}) {
		t.Errorf("adaptive flow before QOSSetFlow: %+v, want zeros", p)
	}
	must(t, fx.setRate(fx.adaptive, 1000, nil))
	if p, want := prio(fx.adaptive), (qwave.QOS_PACKET_PRIORITY{ConformantDSCPValue: 0x28, ConformantL2Value: 5}); p != want {
		t.Errorf("audio/video flow: %+v, want %+v", p, want)
	}
	// Non-adaptive flows are marked at once, but never get 802.1p tags.
	if p, want := prio(fx.nonAdaptive), (qwave.QOS_PACKET_PRIORITY{ConformantDSCPValue: 0x28}); p != want {
		t.Errorf("non-adaptive flow: %+v, want %+v", p, want)
	}
	for tt, mk := range [][2]uint32{{0, 0}, {8, 2}, {0x28, 5}, {0x28, 5}, {0x38, 7}, {0x38, 7}} {
		v := qwave.QOS_TRAFFIC_TYPE(tt)
		must(t, fx.m.QOSSetFlow(fx.h, fx.adaptive, qwave.QOSSetTrafficType, 4, unsafe.Pointer(&v), 0, nil))
		want := qwave.QOS_PACKET_PRIORITY{ConformantDSCPValue: mk[0], ConformantL2Value: mk[1]}
		if p := prio(fx.adaptive); p != want {
			t.Errorf("traffic type %d: %+v, want %+v", tt, p, want)
		}
	}
	d := uint32(46)
	must(t, fx.m.QOSSetFlow(fx.h, fx.ipv6, qwave.QOSSetOutgoingDSCPValue, 4, unsafe.Pointer(&d), 0, nil))
	if p, want := prio(fx.ipv6), (qwave.QOS_PACKET_PRIORITY{ConformantDSCPValue: 46, ConformantL2Value: 5}); p != want {
		t.Errorf("DSCP 46: %+v, want %+v", p, want)
	}

	must(t, fx.setRate(fx.ipv6, 123_456, nil))
	var bps uint64
	size = 8
	must(t, fx.m.QOSQueryFlow(fx.h, fx.ipv6, qwave.QOSQueryOutgoingRate, &size, unsafe.Pointer(&bps), 0, nil))
	if bps != 123_456 {
		t.Errorf("outgoing rate = %d, want 123456", bps)
	}
}

func TestNotifyFlow(t *testing.T) {
	adaptive := func(fx *fixture) qwave.QOS_FLOWID { return fx.adaptive }
	notify := func(id func(*fixture) qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, want uint64, overlapped bool) func(*fixture) error {
		return func(fx *fixture) error {
			var o *qwave.Overlapped
			if overlapped {
				o = new(qwave.Overlapped)
			}
			return fx.notify(id(fx), op, want, o)
		}
	}
	raw := func(op qwave.QOS_NOTIFY_FLOW, size uint32, withSize, withBuf bool, flags uint32) func(*fixture) error {
		return func(fx *fixture) error {
			var s *uint32
			if withSize {
				s = &size
			}
			var buf unsafe.Pointer
			if withBuf {
				buf = fx.ptr()
			}
			return fx.m.QOSNotifyFlow(fx.h, fx.adaptive, op, s, buf, flags, new(qwave.Overlapped))
		}
	}
	congested, uncongested, available := qwave.QOSNotifyCongested, qwave.QOSNotifyUncongested, qwave.QOSNotifyAvailable
	runCases(t, []callCase{
		{"QOSNotifyFlow", "uncongested, holds", nil, notify(adaptive, uncongested, 0, false), 0},
		{"QOSNotifyFlow", "uncongested, holds, overlapped", nil, notify(adaptive, uncongested, 0, true), 0},
		{"QOSNotifyFlow", "congested, waits", nil, notify(adaptive, congested, 0, true), ERROR_IO_PENDING},
		{"QOSNotifyFlow", "congested, would block", nil, notify(adaptive, congested, 0, false), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "available, holds", nil, notify(adaptive, available, 1_000_000, false), 0},
		{"QOSNotifyFlow", "available, waits", nil, notify(adaptive, available, 1<<40, true), ERROR_IO_PENDING},
		{"QOSNotifyFlow", "available, would block", nil, notify(adaptive, available, 1<<40, false), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "available, nil Size", nil, raw(available, 8, false, true, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "available, nil Buffer", nil, raw(available, 8, true, false, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "available, size 4", nil, raw(available, 4, true, true, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "available, size 16", nil, raw(available, 16, true, true, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "congested, Buffer", nil, raw(congested, 8, true, true, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "congested, Size", nil, raw(congested, 8, true, false, 0), ERROR_IO_PENDING},
		{"QOSNotifyFlow", "reserved flags", nil, raw(congested, 0, false, false, 1), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "operation 3", nil, raw(3, 0, false, false, 0), ERROR_INVALID_PARAMETER},
		{"QOSNotifyFlow", "non-adaptive", nil, notify(func(fx *fixture) qwave.QOS_FLOWID { return fx.nonAdaptive }, uncongested, 0, false), ERROR_NOT_SUPPORTED},
		{"QOSNotifyFlow", "off-link", nil, notify(func(fx *fixture) qwave.QOS_FLOWID { return fx.offLink }, uncongested, 0, true), ERROR_NOT_SUPPORTED},
		{"QOSNotifyFlow", "host gone", nil, func(fx *fixture) error {
			fx.m.SetNetwork(Network{})
			return fx.notify(fx.adaptive, uncongested, 0, nil)
		}, ERROR_HOST_UNREACHABLE},
		{"QOSNotifyFlow", "unknown flow", nil, notify(func(*fixture) qwave.QOS_FLOWID { return 77 }, uncongested, 0, false), ERROR_NOT_FOUND},
		{"QOSNotifyFlow", "closed handle", nil, func(fx *fixture) error {
			return fx.m.QOSNotifyFlow(fx.closed, fx.adaptive, uncongested, nil, nil, 0, nil)
		}, ERROR_INVALID_HANDLE},
		{"QOSNotifyFlow", "same type pending", nil, func(fx *fixture) error {
			if err := fx.notify(fx.adaptive, congested, 0, new(qwave.Overlapped)); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.notify(fx.adaptive, congested, 0, new(qwave.Overlapped))
		}, ERROR_ALREADY_EXISTS},
		{"QOSNotifyFlow", "other type pending", nil, func(fx *fixture) error {
			if err := fx.notify(fx.adaptive, congested, 0, new(qwave.Overlapped)); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.notify(fx.adaptive, available, 1<<40, new(qwave.Overlapped))
		}, ERROR_IO_PENDING},
		{"QOSNotifyFlow", "same type on another flow", nil, func(fx *fixture) error {
			if err := fx.notify(fx.adaptive, congested, 0, new(qwave.Overlapped)); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.notify(fx.ipv6, congested, 0, new(qwave.Overlapped))
		}, ERROR_IO_PENDING},
	})
}

func TestCancel(t *testing.T) {
	runCases(t, []callCase{
		{"QOSCancel", "pending", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			if err := fx.setRate(fx.adaptive, 1000, &o); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.m.QOSCancel(fx.h, &o)
		}, 0},
		{"QOSCancel", "nil", nil, func(fx *fixture) error { return fx.m.QOSCancel(fx.h, nil) }, ERROR_INVALID_PARAMETER},
		{"QOSCancel", "never used", nil, func(fx *fixture) error { return fx.m.QOSCancel(fx.h, new(qwave.Overlapped)) }, ERROR_INVALID_PARAMETER},
		{"QOSCancel", "completed", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			if err := fx.setRate(fx.adaptive, 1000, &o); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.Complete()
			fx.m.SetLastError(sentinel)
			return fx.m.QOSCancel(fx.h, &o)
		}, ERROR_INVALID_PARAMETER},
		{"QOSCancel", "other handle's", nil, func(fx *fixture) error {
			var o qwave.Overlapped
			if err := fx.setRate(fx.adaptive, 1000, &o); err != qwave.ERROR_IO_PENDING {
				t.Fatal(err)
			}
			fx.m.SetLastError(sentinel)
			return fx.m.QOSCancel(fx.other, &o)
		}, ERROR_INVALID_PARAMETER},
		{"QOSCancel", "closed handle", nil, func(fx *fixture) error { return fx.m.QOSCancel(fx.closed, new(qwave.Overlapped)) }, ERROR_INVALID_HANDLE},
		{"QOSCancel", "NULL handle", nil, func(fx *fixture) error { return fx.m.QOSCancel(0, nil) }, ERROR_INVALID_HANDLE},
	})
}

func TestTrackingClient(t *testing.T) {
	start := func(h func(*fixture) qwave.Handle, dest *qwave.RawSockaddrAny, flags uint32) func(*fixture) error {
		return func(fx *fixture) error { return fx.m.QOSStartTrackingClient(h(fx), dest, flags) }
	}
	stop := func(h func(*fixture) qwave.Handle, dest *qwave.RawSockaddrAny, flags uint32) func(*fixture) error {
		return func(fx *fixture) error { return fx.m.QOSStopTrackingClient(h(fx), dest, flags) }
	}
	started := func(fx *fixture) qwave.Handle {
		must(t, fx.m.QOSStartTrackingClient(fx.h, sa(OnLinkIPv4, 1234), 0))
		fx.m.SetLastError(sentinel)
		return fx.h
	}
	h := func(fx *fixture) qwave.Handle { return fx.h }
	closed := func(fx *fixture) qwave.Handle { return fx.closed }
	bad := &qwave.RawSockaddrAny{Family: 99}
	runCases(t, []callCase{
		{"QOSStartTrackingClient", "IPv4", nil, start(h, sa(OnLinkIPv4, 0), 0), 0},
		{"QOSStartTrackingClient", "IPv6", nil, start(h, sa(OnLinkIPv6, 9), 0), 0},
		{"QOSStartTrackingClient", "twice", nil, start(started, sa(OnLinkIPv4, 99), 0), 0},
		{"QOSStartTrackingClient", "closed handle", nil, start(closed, sa(OnLinkIPv4, 0), 0), ERROR_INVALID_HANDLE},
		{"QOSStartTrackingClient", "nil DestAddr", nil, start(h, nil, 0), ERROR_INVALID_PARAMETER},
		{"QOSStartTrackingClient", "bad family", nil, start(h, bad, 0), ERROR_INVALID_PARAMETER},
		{"QOSStartTrackingClient", "reserved flags", nil, start(h, sa(OnLinkIPv4, 0), 1), ERROR_INVALID_PARAMETER},
		{"QOSStartTrackingClient", "unreachable", nil, start(h, sa(UnreachableIPv4, 0), 0), ERROR_HOST_UNREACHABLE},
		{"QOSStartTrackingClient", "off-link", nil, start(h, sa(OffLinkIPv4, 0), 0), ERROR_NOT_SUPPORTED},
		{"QOSStopTrackingClient", "tracked, other port", nil, stop(started, sa(OnLinkIPv4, 4321), 0), 0},
		{"QOSStopTrackingClient", "not tracked", nil, stop(h, sa(OnLinkIPv4, 0), 0), ERROR_INVALID_PARAMETER},
		{"QOSStopTrackingClient", "tracked by other handle", nil, stop(func(fx *fixture) qwave.Handle { started(fx); return fx.other }, sa(OnLinkIPv4, 0), 0), ERROR_INVALID_PARAMETER},
		{"QOSStopTrackingClient", "nil DestAddr", nil, stop(started, nil, 0), ERROR_INVALID_PARAMETER},
		{"QOSStopTrackingClient", "bad family", nil, stop(started, bad, 0), ERROR_INVALID_PARAMETER},
		{"QOSStopTrackingClient", "reserved flags", nil, stop(started, sa(OnLinkIPv4, 0), 1), ERROR_INVALID_PARAMETER},
		{"QOSStopTrackingClient", "closed handle", nil, stop(closed, sa(OnLinkIPv4, 0), 0), ERROR_INVALID_HANDLE},
		{"QOSStopTrackingClient", "twice", nil, func(fx *fixture) error {
			started(fx)
			must(t, fx.m.QOSStopTrackingClient(fx.h, sa(OnLinkIPv4, 0), 0))
			fx.m.SetLastError(sentinel)
			return fx.m.QOSStopTrackingClient(fx.h, sa(OnLinkIPv4, 0), 0)
		}, ERROR_INVALID_PARAMETER},
	})
}

// TestExhaustion: handle values and flow ids are never reused, so they can
// run out; the model then fails with a documented resource code.
func TestExhaustion(t *testing.T) {
	fx := newFixture(t)
	fx.m.nextFlow = ^qwave.QOS_FLOWID(0)
	last := fx.add(fx.h, freeSocket, OnLinkIPv4, 0)
	if last != ^qwave.QOS_FLOWID(0) {
		t.Errorf("last flow id %#x", last)
	}
	fx.m.SetLastError(sentinel)
	var id qwave.QOS_FLOWID
	err := fx.m.QOSAddSocketToFlow(fx.h, freeSocket+1, sa(OnLinkIPv4, 1), 0, 0, &id)
	if got := checkCall(t, fx.m, "QOSAddSocketToFlow", err); got != qwave.ERROR_NO_SYSTEM_RESOURCES {
		t.Errorf("QOSAddSocketToFlow with flow ids used up: %s", name(got))
	}
	fx.m.nextHandle = ^qwave.Handle(0) - 3
	var h qwave.Handle
	err = fx.m.QOSCreateHandle(&v10, &h)
	if got := checkCall(t, fx.m, "QOSCreateHandle", err); got != qwave.ERROR_NO_SYSTEM_RESOURCES {
		t.Errorf("QOSCreateHandle with handle values used up: %s", name(got))
	}
}

// TestFuncIDsFollowContracts: fault injection names functions by
// qwave.FuncID, whose order must be the contract tables' order.
func TestFuncIDsFollowContracts(t *testing.T) {
	contracts := qwave.Contracts()
	if len(contracts) != qwave.NumFuncs {
		t.Fatalf("%d contracts, %d FuncIDs", len(contracts), qwave.NumFuncs)
	}
	for i, c := range contracts {
		if got := qwave.FuncID(i).String(); got != c.Func {
			t.Errorf("FuncID %d is %s; the contract tables have %s there", i, got, c.Func)
		}
		if id, ok := qwave.FuncOf(c.Func); !ok || int(id) != i {
			t.Errorf("FuncOf(%q) = %d, %v; want %d, true", c.Func, id, ok, i)
		}
	}
	if got := qwave.FuncID(qwave.NumFuncs).String(); got != "FuncID(11)" {
		t.Errorf("FuncID(NumFuncs).String() = %q", got)
	}
	if _, ok := qwave.FuncOf("QOSFoo"); ok {
		t.Error("FuncOf(QOSFoo) succeeded")
	}
}
