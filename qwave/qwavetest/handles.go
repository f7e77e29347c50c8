package qwavetest

import (
	"net/netip"

	"github.com/winqos/winqos/qwave"
)

// QOSCreateHandle implements qwave.API: version must point to QOS_VERSION
// 1.0 ("Set MajorVersion to 1 and MinorVersion to 0") and qosHandle must not
// be nil; anything else fails with ERROR_INVALID_PARAMETER. Each success
// writes a new handle value, never one used before.
func (m *Model) QOSCreateHandle(version *qwave.QOS_VERSION, qosHandle *qwave.Handle) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if code, ok := m.injected(qwave.FuncQOSCreateHandle); ok {
		return m.fail(code)
	}
	// The page names only QOSHandle for ERROR_INVALID_PARAMETER; a version
	// other than 1.0 fails with the same code on Windows (Wine's tests run
	// there), and it is the only parameter code documented.
	if version == nil || qosHandle == nil || version.MajorVersion != 1 || version.MinorVersion != 0 {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if m.nextHandle > ^qwave.Handle(0)-4 {
		// Handle values are never reused, so they can run out (after 2^30
		// handles on 32-bit platforms).
		return m.fail(qwave.ERROR_NO_SYSTEM_RESOURCES)
	}
	v := m.nextHandle
	m.nextHandle += 4
	m.handles[v] = &handle{flows: make(map[qwave.QOS_FLOWID]*flow)}
	*qosHandle = v
	return nil
}

// QOSCloseHandle implements qwave.API. "Every flow that was added through
// the handle is removed from the system at once ... Operations still pending
// on those flows complete immediately with ERROR_OPERATION_ABORTED", and the
// handle's tracked clients are forgotten. A handle that is not open fails
// with ERROR_INVALID_PARAMETER, the only code the page documents ("QOSHandle
// does not hold a valid handle"), or, under qwave.ProfileWindows, with
// ERROR_INVALID_HANDLE, as Windows does (qwave.Facts).
func (m *Model) QOSCloseHandle(qosHandle qwave.Handle) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if code, ok := m.injected(qwave.FuncQOSCloseHandle); ok {
		return m.fail(code)
	}
	h := m.handles[qosHandle]
	if h == nil {
		return m.fail(m.badHandle[qwave.FuncQOSCloseHandle])
	}
	for _, f := range h.flows {
		m.removeFlow(f)
	}
	delete(m.handles, qosHandle)
	return nil
}

// QOSStartTrackingClient implements qwave.API. "Clients are told apart by IP
// address together with address family; any port in the structure is
// ignored." DestAddr must be a plain IPv4 or IPv6 address and Flags ("Reserved.
// Must be 0.") zero, or the call fails with ERROR_INVALID_PARAMETER; an
// address not in the Network fails with ERROR_HOST_UNREACHABLE, and an
// off-link one with ERROR_NOT_SUPPORTED ("The sink PC or device must
// implement Link Layer Topology Discovery (LLTD) for this function to work",
// and qWAVE runs no experiments off-link). Tracking a client twice is not an
// error: the page does not say it is.
func (m *Model) QOSStartTrackingClient(qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ip, err := m.client(qwave.FuncQOSStartTrackingClient, qosHandle, destAddr, flags)
	if err != nil {
		return err
	}
	host, reachable := m.host(ip)
	if !reachable {
		return m.fail(qwave.ERROR_HOST_UNREACHABLE)
	}
	if host.OffLink {
		return m.fail(qwave.ERROR_NOT_SUPPORTED)
	}
	if h.clients == nil {
		h.clients = make(map[netip.Addr]struct{})
	}
	h.clients[ip] = struct{}{}
	return nil
}

// QOSStopTrackingClient implements qwave.API. A client this handle does not
// track fails with ERROR_INVALID_PARAMETER ("The DestAddr parameter is not
// valid"), as do a bad DestAddr and non-zero Flags. Documentation gap: Flags
// is only "Reserved for future use" here, without "Must be 0"; the model
// treats it as the other functions' reserved flags. "A flow that is already
// in progress is not affected."
func (m *Model) QOSStopTrackingClient(qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ip, err := m.client(qwave.FuncQOSStopTrackingClient, qosHandle, destAddr, flags)
	if err != nil {
		return err
	}
	if _, tracked := h.clients[ip]; !tracked {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	delete(h.clients, ip)
	return nil
}

// client starts a QOSStartTrackingClient or QOSStopTrackingClient call: it
// returns the handle and the client's address ("Clients are told apart by IP
// address together with address family"), or the error the call fails with.
func (m *Model) client(id qwave.FuncID, qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) (*handle, netip.Addr, error) {
	h, err := m.begin(id, qosHandle)
	if err != nil {
		return nil, netip.Addr{}, err
	}
	ap, ok := parseSockaddr(destAddr)
	if !ok || flags != 0 {
		return nil, netip.Addr{}, m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	return h, ap.Addr(), nil
}
