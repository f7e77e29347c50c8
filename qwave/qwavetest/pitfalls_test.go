package qwavetest

import (
	"errors"
	"net/netip"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// The pitfalls of QOSAddSocketToFlow for described sockets, the same under
// both profiles (the codes are documented ones).
func TestWindowsPitfalls(t *testing.T) {
	v4 := netip.AddrPortFrom(OnLinkIPv4, 5004)
	v6 := netip.AddrPortFrom(OnLinkIPv6, 5004)
	mapped := netip.AddrPortFrom(netip.AddrFrom16(OnLinkIPv4.As16()), 5004)
	type sock struct {
		local     string
		peer      netip.AddrPort
		dualStack bool
	}
	for _, tc := range []struct {
		name string
		sock sock
		dest *qwave.RawSockaddrAny
		want qwave.Errno
	}{
		{"dual-stack, IPv4 DestAddr", sock{"[::]:4000", netip.AddrPort{}, true}, qwave.SockaddrOf(v4), qwave.ERROR_INVALID_PARAMETER},
		{"dual-stack, IPv4-mapped DestAddr", sock{"[::]:4000", netip.AddrPort{}, true}, qwave.SockaddrOf(mapped), qwave.ERROR_INVALID_PARAMETER},
		{"dual-stack, IPv6 DestAddr", sock{"[::]:4000", netip.AddrPort{}, true}, qwave.SockaddrOf(v6), 0},
		{"dual-stack connected to IPv4, no DestAddr", sock{"[::]:4000", mapped, true}, nil, 0},
		{"IPv4 socket, IPv6 DestAddr", sock{"0.0.0.0:4000", netip.AddrPort{}, false}, qwave.SockaddrOf(v6), qwave.ERROR_INVALID_PARAMETER},
		{"IPv6-only socket, IPv4 DestAddr", sock{"[::]:4000", netip.AddrPort{}, false}, qwave.SockaddrOf(v4), qwave.ERROR_INVALID_PARAMETER},
		{"IPv4 socket, IPv4 DestAddr", sock{"0.0.0.0:4000", netip.AddrPort{}, false}, qwave.SockaddrOf(v4), 0},
		{"undescribed socket, IPv4 DestAddr", sock{}, qwave.SockaddrOf(v4), 0},
	} {
		for _, p := range []qwave.Profile{qwave.ProfileDocumented, qwave.ProfileWindows} {
			m := New(WithProfile(p))
			var h qwave.Handle
			must(t, m.QOSCreateHandle(&v10, &h))
			if tc.sock.local != "" {
				m.DescribeSocket(freeSocket, netip.MustParseAddrPort(tc.sock.local), tc.sock.peer, tc.sock.dualStack)
			}
			var id qwave.QOS_FLOWID
			m.SetLastError(sentinel)
			err := m.QOSAddSocketToFlow(h, freeSocket, tc.dest, qwave.QOSTrafficTypeVoice, 0, &id)
			if got := checkCall(t, m, "QOSAddSocketToFlow", err); got != tc.want {
				t.Errorf("%s (%v): QOSAddSocketToFlow = %s; want %s", tc.name, p, name(got), name(tc.want))
			}
		}
	}
}

// DSCP marking: Administrators, and a policy that blocks it whoever asks.
func TestDSCPRights(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want qwave.Errno
	}{
		{nil, 0},
		{[]Option{WithAdmin(false)}, qwave.ERROR_ACCESS_DENIED},
		{[]Option{WithDSCPPolicy()}, qwave.ERROR_ACCESS_DISABLED_BY_POLICY},
		{[]Option{WithDSCPPolicy(), WithAdmin(false)}, qwave.ERROR_ACCESS_DISABLED_BY_POLICY},
	} {
		fx := newFixture(t, tc.opts...)
		dscp := uint32(46)
		fx.m.SetLastError(sentinel)
		err := fx.m.QOSSetFlow(fx.h, fx.nonAdaptive, qwave.QOSSetOutgoingDSCPValue, 4, unsafe.Pointer(&dscp), 0, nil)
		if got := checkCall(t, fx.m, "QOSSetFlow", err); got != tc.want {
			t.Errorf("options %d: QOSSetOutgoingDSCPValue = %s; want %s", len(tc.opts), name(got), name(tc.want))
		}
	}
}

// After Reinitialize every call on an old handle fails with
// ERROR_DEVICE_REINITIALIZATION_NEEDED, pending operations are aborted,
// QOSCloseHandle still closes, and a new handle works.
func TestReinitialize(t *testing.T) {
	fx := newFixture(t)
	var o qwave.Overlapped
	if err := fx.notify(fx.adaptive, qwave.QOSNotifyCongested, 0, &o); !errors.Is(err, qwave.ERROR_IO_PENDING) {
		t.Fatalf("QOSNotifyFlow = %v; want ERROR_IO_PENDING", err)
	}
	done := fx.m.Done(&o)
	fx.m.Reinitialize()
	select {
	case <-done:
	default:
		t.Fatal("Done channel still open after Reinitialize aborted the operation")
	}
	if _, err, ok := fx.m.OverlappedResult(&o); !ok || !errors.Is(err, qwave.ERROR_OPERATION_ABORTED) {
		t.Errorf("OverlappedResult = %v, %v; want ERROR_OPERATION_ABORTED", err, ok)
	}
	if fx.m.LiveFlows() != 0 {
		t.Errorf("LiveFlows() = %d after Reinitialize", fx.m.LiveFlows())
	}
	var id qwave.QOS_FLOWID
	fx.m.SetLastError(sentinel)
	err := fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 1), qwave.QOSTrafficTypeVoice, 0, &id)
	if got := checkCall(t, fx.m, "QOSAddSocketToFlow", err); got != qwave.ERROR_DEVICE_REINITIALIZATION_NEEDED {
		t.Errorf("QOSAddSocketToFlow on the old handle = %s", name(got))
	}
	must(t, fx.m.QOSCloseHandle(fx.h))
	h := fx.handle()
	// The sockets of the lost flows are free again.
	must(t, fx.m.QOSAddSocketToFlow(h, sockAdaptive, sa(OnLinkIPv4, 1), qwave.QOSTrafficTypeVoice, 0, &id))
}

// Done is closed at once for an OVERLAPPED that is not pending, and when a
// pending operation completes.
func TestDone(t *testing.T) {
	fx := newFixture(t)
	var o qwave.Overlapped
	select {
	case <-fx.m.Done(&o):
	default:
		t.Fatal("Done of an idle OVERLAPPED is not closed")
	}
	if err := fx.setRate(fx.adaptive, 1000, &o); !errors.Is(err, qwave.ERROR_IO_PENDING) {
		t.Fatal(err)
	}
	done := fx.m.Done(&o)
	select {
	case <-done:
		t.Fatal("Done closed while pending")
	default:
	}
	fx.m.Complete()
	<-done
}

func TestMissing(t *testing.T) {
	var h qwave.Handle
	err := Missing{}.QOSCreateHandle(&v10, &h)
	var u *qwave.UnavailableError
	if !errors.Is(err, qwave.ErrUnavailable) || !errors.As(err, &u) || u.Proc != "QOSCreateHandle" {
		t.Errorf("Missing.QOSCreateHandle = %v; want an UnavailableError for QOSCreateHandle", err)
	}
	if h != 0 {
		t.Errorf("Missing wrote handle %#x", h)
	}
}
