package qwavetest

import (
	"errors"
	"net/netip"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// This file holds the environment the Model cannot see by itself and the
// Windows behaviour the pages do not describe, which programs using qWAVE
// trip on: the family of a socket, whether it is connected, a policy that
// blocks DSCP marking, a device that needs reinitialising, and a machine
// without qwave.dll.

// sockInfo is what the Model knows of a socket from DescribeSocket.
type sockInfo struct {
	local     netip.AddrPort
	dualStack bool
}

// WithDSCPPolicy says that a Group Policy (a QoS policy that owns DSCP
// marking) blocks QOSSetOutgoingDSCPValue: QOSSetFlow with that operation
// fails with ERROR_ACCESS_DISABLED_BY_POLICY ("Policy currently configured
// for the QoS subsystem does not permit this operation"), whatever WithAdmin
// says.
func WithDSCPPolicy() Option { return func(c *config) { c.dscpPolicy = true } }

// DescribeSocket tells the Model what Winsock would tell Windows' qWAVE
// about socket s: its local address (its family is the socket's), its peer
// (invalid for an unconnected socket) and whether it is a dual-stack socket.
// Package qos calls it when its API has this method, so tests on any GOOS
// can use real sockets with the Model. A valid peer connects s, as
// ConnectSocket does, with an IPv4-mapped peer unmapped (a dual-stack socket
// connected to an IPv4 host reports its peer that way).
func (m *Model) DescribeSocket(s qwave.Socket, local, peer netip.AddrPort, dualStack bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sockInfo == nil {
		m.sockInfo = make(map[qwave.Socket]sockInfo)
	}
	m.sockInfo[s] = sockInfo{local: local, dualStack: dualStack}
	if peer.IsValid() && peer.Port() != 0 {
		m.connected[s] = netip.AddrPortFrom(peer.Addr().Unmap(), peer.Port())
	} else {
		delete(m.connected, s)
	}
}

// pitfall returns the code QOSAddSocketToFlow fails with for a DestAddr on
// a socket described with DescribeSocket, or 0: a DestAddr whose family
// differs from the socket's, and an IPv4 DestAddr on a dual-stack socket
// (AF_INET6 with IPV6_V6ONLY off), fail with ERROR_INVALID_PARAMETER, the
// code the page gives for "a mixed IPv4/IPv6 address". Windows does so
// (spec/qos2/observed.yaml, QOSAddSocketToFlow/DestAddr-ipv4-on-dual-stack);
// programs connect the socket and pass no DestAddr instead, which the Model
// accepts.
func (m *Model) pitfall(s qwave.Socket, destAddr *qwave.RawSockaddrAny) qwave.Errno {
	info, ok := m.sockInfo[s]
	if !ok || destAddr == nil {
		return 0
	}
	is6 := info.local.Addr().Is6()
	switch {
	case destAddr.Family == qwave.AF_INET && is6 && info.dualStack:
		return qwave.ERROR_INVALID_PARAMETER
	case destAddr.Family == qwave.AF_INET && is6, destAddr.Family == qwave.AF_INET6 && !is6:
		return qwave.ERROR_INVALID_PARAMETER
	}
	return 0
}

// Reinitialize is what Windows does after a hardware error or when the host
// wakes from sleep: every open handle loses its flows (their pending
// operations complete with ERROR_OPERATION_ABORTED) and from then on every
// call that takes one of these handles fails with
// ERROR_DEVICE_REINITIALIZATION_NEEDED ("Release the current resources, then
// call QOSCreateHandle again"), except QOSCloseHandle, which closes it.
// Handles created afterwards work.
func (m *Model) Reinitialize() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range m.handles {
		for _, f := range h.flows {
			m.removeFlow(f)
		}
		h.clients = nil
		h.stale = true
	}
}

// Done returns a channel that is closed when the overlapped operation
// started with o completes (or at once when none is pending), so callers
// can wait for it in a select; OverlappedResult then says how it ended.
func (m *Model) Done(o *qwave.Overlapped) <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.busy(o) {
		return closed
	}
	if m.waiters == nil {
		m.waiters = make(map[*qwave.Overlapped]chan struct{})
	}
	c := m.waiters[o]
	if c == nil {
		c = make(chan struct{})
		m.waiters[o] = c
	}
	return c
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// wake closes the Done channel of o, if any.
func (m *Model) wake(o *qwave.Overlapped) {
	if c, ok := m.waiters[o]; ok {
		close(c)
		delete(m.waiters, o)
	}
}

// Missing is a qwave.API on a machine without qwave.dll, as Windows Server
// is until the qWAVE feature is installed: every call fails with a
// *qwave.UnavailableError, which matches qwave.ErrUnavailable, and changes
// nothing.
type Missing struct{}

var _ qwave.API = Missing{}

// errModNotFound is the loader's error on Windows for a missing DLL.
var errModNotFound = errors.New("the specified module could not be found")

func missing(fn string) error { return &qwave.UnavailableError{Proc: fn, Err: errModNotFound} }

// QOSAddSocketToFlow implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSAddSocketToFlow(qwave.Handle, qwave.Socket, *qwave.RawSockaddrAny, qwave.QOS_TRAFFIC_TYPE, uint32, *qwave.QOS_FLOWID) error {
	return missing("QOSAddSocketToFlow")
}

// QOSCancel implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSCancel(qwave.Handle, *qwave.Overlapped) error { return missing("QOSCancel") }

// QOSCloseHandle implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSCloseHandle(qwave.Handle) error { return missing("QOSCloseHandle") }

// QOSCreateHandle implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSCreateHandle(*qwave.QOS_VERSION, *qwave.Handle) error {
	return missing("QOSCreateHandle")
}

// QOSEnumerateFlows implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSEnumerateFlows(qwave.Handle, *uint32, unsafe.Pointer) error {
	return missing("QOSEnumerateFlows")
}

// QOSNotifyFlow implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSNotifyFlow(qwave.Handle, qwave.QOS_FLOWID, qwave.QOS_NOTIFY_FLOW, *uint32, unsafe.Pointer, uint32, *qwave.Overlapped) error {
	return missing("QOSNotifyFlow")
}

// QOSQueryFlow implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSQueryFlow(qwave.Handle, qwave.QOS_FLOWID, qwave.QOS_QUERY_FLOW, *uint32, unsafe.Pointer, uint32, *qwave.Overlapped) error {
	return missing("QOSQueryFlow")
}

// QOSRemoveSocketFromFlow implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSRemoveSocketFromFlow(qwave.Handle, qwave.Socket, qwave.QOS_FLOWID, uint32) error {
	return missing("QOSRemoveSocketFromFlow")
}

// QOSSetFlow implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSSetFlow(qwave.Handle, qwave.QOS_FLOWID, qwave.QOS_SET_FLOW, uint32, unsafe.Pointer, uint32, *qwave.Overlapped) error {
	return missing("QOSSetFlow")
}

// QOSStartTrackingClient implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSStartTrackingClient(qwave.Handle, *qwave.RawSockaddrAny, uint32) error {
	return missing("QOSStartTrackingClient")
}

// QOSStopTrackingClient implements qwave.API: it fails, qwave.dll is missing.
func (Missing) QOSStopTrackingClient(qwave.Handle, *qwave.RawSockaddrAny, uint32) error {
	return missing("QOSStopTrackingClient")
}
