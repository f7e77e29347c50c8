package qwavetest

import (
	"slices"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// invalidSocket is INVALID_SOCKET.
const invalidSocket = ^qwave.Socket(0)

// QOSAddSocketToFlow implements qwave.API.
//
// With *flowId 0 it creates a flow ("On input the value must be 0; when the
// call succeeds it receives the identifier of the flow"); with the id of a
// flow of this handle created with QOS_NON_ADAPTIVE_FLOW it adds the socket
// to that flow ("Only non-adaptive flows can have more than one socket
// attached"). Any other *flowId, a nil flowId, socket 0 or INVALID_SOCKET, a
// socket already in a flow, Flags other than 0 and QOS_NON_ADAPTIVE_FLOW, a
// TrafficType out of range, and a DestAddr that is not a plain IPv4 or IPv6
// address with a port fail with ERROR_INVALID_PARAMETER. DestAddr may be nil
// only for a socket registered with ConnectSocket ("For an unconnected
// socket this parameter is required"), and must then name the same host and
// port if given. A destination not in the Network fails with
// ERROR_HOST_UNREACHABLE.
//
// Documentation gap: the page does not say whether a socket added to an
// existing flow must match its traffic type or destination; the model does
// not require it, and the flow keeps its own.
func (m *Model) QOSAddSocketToFlow(qosHandle qwave.Handle, socket qwave.Socket, destAddr *qwave.RawSockaddrAny, trafficType qwave.QOS_TRAFFIC_TYPE, flags uint32, flowId *qwave.QOS_FLOWID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSAddSocketToFlow, qosHandle)
	if err != nil {
		return err
	}
	if socket == 0 || socket == invalidSocket || flowId == nil ||
		flags&^qwave.QOS_NON_ADAPTIVE_FLOW != 0 ||
		trafficType < qwave.QOSTrafficTypeBestEffort || trafficType > qwave.QOSTrafficTypeControl {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if code := m.pitfall(socket, destAddr); code != 0 {
		return m.fail(code)
	}
	conn, connected := m.connected[socket]
	dest, ok := parseSockaddr(destAddr)
	switch {
	case destAddr == nil && connected:
		dest = conn
	case !ok || dest.Port() == 0: // "The structure must include a destination port."
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	case connected && dest != conn:
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if _, busy := m.sockets[socket]; busy {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	var f *flow
	if *flowId != 0 {
		f = h.flows[*flowId]
		if f == nil || !f.nonAdaptive {
			return m.fail(qwave.ERROR_INVALID_PARAMETER)
		}
	}
	if _, ok := m.host(dest.Addr()); !ok {
		return m.fail(qwave.ERROR_HOST_UNREACHABLE)
	}
	if f == nil {
		if m.nextFlow == 0 {
			// Flow ids are never reused, so after 2^32-1 flows they run out.
			return m.fail(qwave.ERROR_NO_SYSTEM_RESOURCES)
		}
		f = m.newFlow()
		*f = flow{
			id:          m.nextFlow,
			h:           h,
			nonAdaptive: flags&qwave.QOS_NON_ADAPTIVE_FLOW != 0,
			dest:        dest.Addr(),
			traffic:     trafficType,
		}
		// "For these flows, calling QOSSetFlow is only needed when traffic
		// shaping is wanted": non-adaptive flows are marked at once, while
		// for adaptive ones "this call on its own does not change how the
		// flow's traffic is handled".
		f.prioritized = f.nonAdaptive
		f.socks = f.sock0[:0]
		m.nextFlow++
		h.flows[f.id] = f
		m.flows++
	}
	m.sockets[socket] = sockRef{f: f, i: len(f.socks)}
	f.socks = append(f.socks, socket)
	*flowId = f.id
	return nil
}

// QOSRemoveSocketFromFlow implements qwave.API. Socket 0 destroys the whole
// flow ("When no socket is passed, the whole flow is destroyed"); otherwise
// only that socket leaves, and the flow goes with its last socket. A flow
// that is not one of this handle's, or a socket that is not in the flow,
// fails with ERROR_NOT_FOUND. Pending operations of a removed flow complete
// with ERROR_OPERATION_ABORTED.
//
// Documentation gap: Flags is "Reserved. Must be 0." but the page documents
// no ERROR_INVALID_PARAMETER; non-zero Flags fail with ERROR_NOT_FOUND, the
// code it documents for a bad argument.
func (m *Model) QOSRemoveSocketFromFlow(qosHandle qwave.Handle, socket qwave.Socket, flowId qwave.QOS_FLOWID, flags uint32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSRemoveSocketFromFlow, qosHandle)
	if err != nil {
		return err
	}
	f := h.flows[flowId]
	if f == nil || flags != 0 {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	if socket == 0 {
		m.removeFlow(f)
		return nil
	}
	ref, ok := m.sockets[socket]
	if !ok || ref.f != f {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	if len(f.socks) == 1 {
		m.removeFlow(f)
		return nil
	}
	last := len(f.socks) - 1
	if ref.i != last {
		moved := f.socks[last]
		f.socks[ref.i] = moved
		m.sockets[moved] = sockRef{f: f, i: ref.i}
	}
	f.socks = f.socks[:last]
	delete(m.sockets, socket)
	return nil
}

// removeFlow destroys a flow: its pending operations are aborted, its
// sockets are free again.
func (m *Model) removeFlow(f *flow) {
	for f.ops != nil {
		m.finish(f.ops, qwave.ERROR_OPERATION_ABORTED, 0)
	}
	for _, s := range f.socks {
		delete(m.sockets, s)
	}
	delete(f.h.flows, f.id)
	m.flows--
	// Nothing refers to a removed flow any more: its sockets and pending
	// operations are gone. Recycling it keeps adding and removing flows free
	// of allocation, so its cost does not grow with the garbage collector's
	// work over many live flows.
	*f = flow{}
	m.freeFlows = append(m.freeFlows, f)
}

// newFlow returns a recycled flow, or a new one.
func (m *Model) newFlow() *flow {
	if n := len(m.freeFlows); n > 0 {
		f := m.freeFlows[n-1]
		m.freeFlows = m.freeFlows[:n-1]
		return f
	}
	return new(flow)
}

// QOSEnumerateFlows implements qwave.API: Buffer receives the ids of the
// handle's flows in ascending order and *Size the bytes written. A nil Size,
// or a nil Buffer with a non-zero *Size, fails with ERROR_INVALID_PARAMETER;
// a *Size below 4 bytes per flow fails with ERROR_INSUFFICIENT_BUFFER and the
// size needed in *Size ("this value is updated to the smallest Buffer size,
// in bytes, that the operation needs"). With no flows the call succeeds with
// *Size 0.
//
// Documentation gaps: "lists every flow that currently exists" does not say
// whose; the model lists the flows of the handle, since "any of them can
// then be passed to QOSQueryFlow", which takes the handle too. "The caller
// needs administrative privileges", but no code is documented for a caller
// without them; the model lets every caller enumerate.
func (m *Model) QOSEnumerateFlows(qosHandle qwave.Handle, size *uint32, buffer unsafe.Pointer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSEnumerateFlows, qosHandle)
	if err != nil {
		return err
	}
	if size == nil || buffer == nil && *size != 0 {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	need := uint64(len(h.flows)) * uint64(sizeofFlowID)
	if need > uint64(^uint32(0)) {
		return m.fail(qwave.ERROR_NOT_ENOUGH_MEMORY)
	}
	if *size < uint32(need) {
		*size = uint32(need)
		return m.fail(qwave.ERROR_INSUFFICIENT_BUFFER)
	}
	if len(h.flows) > 0 {
		ids := m.ids[:0]
		for id := range h.flows {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		copy(unsafe.Slice((*qwave.QOS_FLOWID)(buffer), len(ids)), ids)
		m.ids = ids[:0]
	}
	*size = uint32(need)
	return nil
}
