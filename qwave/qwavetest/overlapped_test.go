package qwavetest

import (
	"errors"
	"net/netip"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// wantResult checks OverlappedResult(o).
func wantResult(t *testing.T, m *Model, what string, o *qwave.Overlapped, done bool, code qwave.Errno, n uint32) {
	t.Helper()
	gn, err, gdone := m.OverlappedResult(o)
	switch {
	case gdone != done:
		t.Errorf("%s: done = %v, want %v", what, gdone, done)
	case code == 0 && err != nil, code != 0 && !errors.Is(err, code):
		t.Errorf("%s: err = %v, want %s", what, err, name(code))
	case gn != n:
		t.Errorf("%s: n = %d, want %d", what, gn, n)
	}
}

func TestCompleteSetAndQuery(t *testing.T) {
	fx := newFixture(t)
	var set, query qwave.Overlapped
	if err := fx.setRate(fx.adaptive, 5000, &set); err != qwave.ERROR_IO_PENDING {
		t.Fatalf("QOSSetFlow(overlapped) = %v, want ERROR_IO_PENDING", err)
	}
	if set.Internal != statusPending {
		t.Errorf("Internal = %#x while pending, want STATUS_PENDING", set.Internal)
	}
	wantResult(t, fx.m, "pending set", &set, false, 0, 0)
	// The rate takes effect at completion.
	if err := fx.query(fx.adaptive, qwave.QOSQueryOutgoingRate, 0, nil); err != qwave.ERROR_NO_DATA {
		t.Errorf("rate before completion: %v, want ERROR_NO_DATA", err)
	}
	var bps uint64
	size := uint32(100)
	fx.buf[0] = 0
	if err := fx.m.QOSQueryFlow(fx.h, fx.ipv6, qwave.QOSQueryFlowFundamentals, &size, fx.ptr(), 0, &query); err != qwave.ERROR_IO_PENDING {
		t.Fatalf("QOSQueryFlow(overlapped) = %v", err)
	}
	if size != 100 || fx.buf[0] != 0 {
		t.Errorf("QOSQueryFlow wrote its out-parameters before completion")
	}
	if n := fx.m.Pending(); n != 2 {
		t.Errorf("Pending() = %d, want 2", n)
	}
	if n := fx.m.Complete(); n != 2 {
		t.Errorf("Complete() = %d, want 2", n)
	}
	wantResult(t, fx.m, "completed set", &set, true, 0, 0)
	wantResult(t, fx.m, "completed query", &query, true, 0, 40)
	if f := (*qwave.QOS_FLOW_FUNDAMENTALS)(fx.ptr()); size != 40 || f.RTT != 500 {
		t.Errorf("after completion size = %d, RTT = %d; want 40, 500", size, f.RTT)
	}
	size = 8
	must(t, fx.m.QOSQueryFlow(fx.h, fx.adaptive, qwave.QOSQueryOutgoingRate, &size, unsafe.Pointer(&bps), 0, nil))
	if bps != 5000 {
		t.Errorf("rate after completion = %d, want 5000", bps)
	}
	if n := fx.m.Complete(); n != 0 {
		t.Errorf("second Complete() = %d, want 0", n)
	}
	// The OVERLAPPED can be used again.
	if err := fx.setRate(fx.adaptive, 6000, &set); err != qwave.ERROR_IO_PENDING {
		t.Errorf("reusing a completed OVERLAPPED: %v", err)
	}
}

func TestCompleteSeesNetworkChange(t *testing.T) {
	fx := newFixture(t)
	var o qwave.Overlapped
	if err := fx.setRate(fx.adaptive, 50_000_000, &o); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	n := DefaultNetwork()
	h := n.Hosts[OnLinkIPv4]
	h.AvailableBandwidth = 10_000_000
	n.Hosts[OnLinkIPv4] = h
	fx.m.SetNetwork(n)
	fx.m.Complete()
	wantResult(t, fx.m, "set after the bandwidth dropped", &o, true, qwave.ERROR_NETWORK_BUSY, 0)
}

func TestCancelAborts(t *testing.T) {
	fx := newFixture(t)
	var o qwave.Overlapped
	if err := fx.setRate(fx.adaptive, 5000, &o); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	must(t, fx.m.QOSCancel(fx.h, &o))
	wantResult(t, fx.m, "cancelled", &o, true, qwave.ERROR_OPERATION_ABORTED, 0)
	if o.Internal != uintptr(qwave.ERROR_OPERATION_ABORTED) {
		t.Errorf("Internal = %#x, want the Win32 code ERROR_OPERATION_ABORTED", o.Internal)
	}
	if n := fx.m.Complete(); n != 0 {
		t.Errorf("Complete() after cancel = %d, want 0", n)
	}
	if err := fx.query(fx.adaptive, qwave.QOSQueryOutgoingRate, 0, nil); err != qwave.ERROR_NO_DATA {
		t.Errorf("a cancelled QOSSetFlow took effect: %v", err)
	}
	if err := fx.m.QOSCancel(fx.h, &o); err != qwave.ERROR_INVALID_PARAMETER {
		t.Errorf("cancel twice: %v, want ERROR_INVALID_PARAMETER", err)
	}
}

func TestCloseHandleAborts(t *testing.T) {
	fx := newFixture(t)
	var set, query, notify qwave.Overlapped
	if err := fx.setRate(fx.adaptive, 5000, &set); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	if err := fx.query(fx.ipv6, qwave.QOSQueryFlowFundamentals, 0, &query); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	if err := fx.notify(fx.adaptive, qwave.QOSNotifyCongested, 0, &notify); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	var other qwave.Overlapped
	if err := fx.m.QOSNotifyFlow(fx.other, fx.otherFlow, qwave.QOSNotifyCongested, nil, nil, 0, &other); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	flows := fx.m.LiveFlows()
	must(t, fx.m.QOSStartTrackingClient(fx.h, sa(OnLinkIPv4, 0), 0))
	must(t, fx.m.QOSCloseHandle(fx.h))
	for what, o := range map[string]*qwave.Overlapped{"set": &set, "query": &query, "notify": &notify} {
		wantResult(t, fx.m, what+" after close", o, true, qwave.ERROR_OPERATION_ABORTED, 0)
	}
	wantResult(t, fx.m, "other handle's notify", &other, false, 0, 0)
	if got := fx.m.LiveFlows(); got != flows-4 {
		t.Errorf("LiveFlows() = %d after closing a handle with 4 flows, want %d", got, flows-4)
	}
	if got := fx.m.Pending(); got != 1 {
		t.Errorf("Pending() = %d, want 1", got)
	}
	// The handle is gone for every function; its sockets are free.
	var id qwave.QOS_FLOWID
	if err := fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 1), 0, 0, &id); err != qwave.ERROR_INVALID_HANDLE {
		t.Errorf("QOSAddSocketToFlow on a closed handle: %v", err)
	}
	if err := fx.m.QOSStopTrackingClient(fx.h, sa(OnLinkIPv4, 0), 0); err != qwave.ERROR_INVALID_HANDLE {
		t.Errorf("QOSStopTrackingClient on a closed handle: %v", err)
	}
	h := fx.handle()
	must(t, fx.m.QOSAddSocketToFlow(h, sockAdaptive, sa(OnLinkIPv4, 1), 0, 0, &id))
}

func TestRemoveFlowAborts(t *testing.T) {
	fx := newFixture(t)
	id := fx.nonAdaptive
	must(t, fx.m.QOSAddSocketToFlow(fx.h, freeSocket, sa(OnLinkIPv4, 1), 0, qwave.QOS_NON_ADAPTIVE_FLOW, &id))
	var o qwave.Overlapped
	v := qwave.QOSTrafficTypeVoice
	if err := fx.m.QOSSetFlow(fx.h, id, qwave.QOSSetTrafficType, 4, unsafe.Pointer(&v), 0, &o); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	// Taking one socket out of a flow with two leaves its operations alone.
	must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, freeSocket, id, 0))
	wantResult(t, fx.m, "after removing a socket", &o, false, 0, 0)
	must(t, fx.m.QOSRemoveSocketFromFlow(fx.h, sockNonAdaptive, id, 0))
	wantResult(t, fx.m, "after removing the flow", &o, true, qwave.ERROR_OPERATION_ABORTED, 0)
}

func TestSetNetworkCompletesNotify(t *testing.T) {
	fx := newFixture(t)
	var congested, uncongested, available, gone qwave.Overlapped
	if err := fx.notify(fx.adaptive, qwave.QOSNotifyCongested, 0, &congested); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	var want uint64 = 200_000_000
	size := uint32(8)
	if err := fx.m.QOSNotifyFlow(fx.h, fx.adaptive, qwave.QOSNotifyAvailable, &size, unsafe.Pointer(&want), 0, &available); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	if err := fx.notify(fx.ipv6, qwave.QOSNotifyCongested, 0, &gone); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	if n := fx.m.Complete(); n != 0 {
		t.Errorf("Complete() completed %d notifications", n)
	}

	n := DefaultNetwork()
	h := n.Hosts[OnLinkIPv4]
	h.Congested = true
	n.Hosts[OnLinkIPv4] = h
	delete(n.Hosts, OnLinkIPv6)
	fx.m.SetNetwork(n)
	wantResult(t, fx.m, "congested", &congested, true, 0, 0)
	wantResult(t, fx.m, "available, not yet", &available, false, 0, 0)
	wantResult(t, fx.m, "host gone", &gone, true, qwave.ERROR_HOST_UNREACHABLE, 0)

	if err := fx.notify(fx.adaptive, qwave.QOSNotifyUncongested, 0, &uncongested); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	h.Congested = false
	h.AvailableBandwidth = 250_000_000
	n.Hosts[OnLinkIPv4] = h
	fx.m.SetNetwork(n)
	wantResult(t, fx.m, "uncongested", &uncongested, true, 0, 0)
	wantResult(t, fx.m, "available", &available, true, 0, 8)
	if want != 250_000_000 || size != 8 {
		t.Errorf("QOSNotifyAvailable wrote %d, size %d; want 250000000, 8", want, size)
	}
	if got := fx.m.Pending(); got != 0 {
		t.Errorf("Pending() = %d, want 0", got)
	}
}

func TestNotifyHoldsAtOnce(t *testing.T) {
	fx := newFixture(t)
	var o qwave.Overlapped
	o.Internal = 12345
	var want uint64 = 1000
	size := uint32(8)
	must(t, fx.m.QOSNotifyFlow(fx.h, fx.ipv6, qwave.QOSNotifyAvailable, &size, unsafe.Pointer(&want), 0, &o))
	if want != 900_000_000 {
		t.Errorf("QOSNotifyAvailable wrote %d, want the available 900000000", want)
	}
	wantResult(t, fx.m, "notify that held at once", &o, true, 0, 8)
}

func TestOverlappedResultUnknown(t *testing.T) {
	m := New()
	if _, err, done := m.OverlappedResult(nil); !done || !errors.Is(err, qwave.ERROR_INVALID_PARAMETER) {
		t.Errorf("OverlappedResult(nil) = %v, %v", err, done)
	}
	o := &qwave.Overlapped{Internal: uintptr(qwave.ERROR_NOT_FOUND), InternalHigh: 3}
	wantResult(t, m, "never used", o, true, qwave.ERROR_NOT_FOUND, 3)
}

func TestConnectSocketIgnoresBadAddress(t *testing.T) {
	m := New()
	var h qwave.Handle
	must(t, m.QOSCreateHandle(&v10, &h))
	m.ConnectSocket(1, &qwave.RawSockaddrAny{Family: 1})
	m.ConnectSocket(2, sa(OnLinkIPv4, 0))
	m.ConnectSocket(3, sa(netip.MustParseAddr("::ffff:192.0.2.1"), 0))
	for s := qwave.Socket(1); s <= 3; s++ {
		var id qwave.QOS_FLOWID
		if err := m.QOSAddSocketToFlow(h, s, nil, 0, 0, &id); err != qwave.ERROR_INVALID_PARAMETER {
			t.Errorf("socket %d with a bad connect address: %v, want ERROR_INVALID_PARAMETER", s, err)
		}
	}
}
