package fuzz

import (
	"net/netip"
	"slices"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// Shadow is a second in-memory qWAVE, written from the spec pages and
// qwavetest's documented choices without its code, so that FuzzOps can run
// the same ops on both and compare. It is deliberately plain: a map of
// handles, a map of all flows, a map from socket to flow, and a linear scan
// where a scan is enough.
//
// It models what GenerateOps calls: handles, flows on the default network
// (on-link 192.0.2.1 and 2001:db8::1, off-link 198.51.100.1, nothing else
// reachable), sockets in flows, QOSSetFlow with QOSSetTrafficType,
// QOSQueryFlow with QOSQueryPacketPriority, QOSEnumerateFlows and tracked
// clients. Every socket counts as unconnected. Other operations, overlapped
// calls and QOSNotifyFlow fail with ERROR_NOT_SUPPORTED, and QOSCancel with
// ERROR_INVALID_PARAMETER, since nothing is ever pending.
type Shadow struct {
	nextHandle qwave.Handle
	nextFlow   qwave.QOS_FLOWID
	handles    map[qwave.Handle]*shadowHandle
	flows      map[qwave.QOS_FLOWID]*shadowFlow
	inFlow     map[qwave.Socket]qwave.QOS_FLOWID
}

var _ qwave.API = (*Shadow)(nil)

type shadowHandle struct {
	clients map[netip.Addr]bool
}

type shadowFlow struct {
	handle      qwave.Handle
	nonAdaptive bool
	traffic     qwave.QOS_TRAFFIC_TYPE
	sockets     []qwave.Socket
}

// NewShadow returns a Shadow with no handles. Its handle values and flow ids
// differ from qwavetest's, so a history that depends on raw values shows.
func NewShadow() *Shadow {
	return &Shadow{
		nextHandle: 0x40,
		nextFlow:   100,
		handles:    map[qwave.Handle]*shadowHandle{},
		flows:      map[qwave.QOS_FLOWID]*shadowFlow{},
		inFlow:     map[qwave.Socket]qwave.QOS_FLOWID{},
	}
}

// shadowHosts is the default network: true for on-link hosts, false for
// off-link ones; absent hosts are unreachable.
var shadowHosts = map[netip.Addr]bool{
	netip.MustParseAddr("192.0.2.1"):    true,
	netip.MustParseAddr("2001:db8::1"):  true,
	netip.MustParseAddr("198.51.100.1"): false,
}

// shadowAddr reads a plain IPv4 or IPv6 address: other families, mixed
// (IPv4-mapped) and unspecified addresses are not valid.
func shadowAddr(sa *qwave.RawSockaddrAny) (netip.Addr, uint16, bool) {
	b, port, ok := sa.Addr()
	if !ok {
		return netip.Addr{}, 0, false
	}
	ip, _ := netip.AddrFromSlice(b)
	if ip.Is4In6() || ip.IsUnspecified() {
		return netip.Addr{}, 0, false
	}
	return ip, port, true
}

// ownFlow returns the flow id names if it is one of handle h's.
func (s *Shadow) ownFlow(h qwave.Handle, id qwave.QOS_FLOWID) *shadowFlow {
	f := s.flows[id]
	if f == nil || f.handle != h {
		return nil
	}
	return f
}

func (s *Shadow) removeFlow(id qwave.QOS_FLOWID) {
	for _, sock := range s.flows[id].sockets {
		delete(s.inFlow, sock)
	}
	delete(s.flows, id)
}

// QOSCreateHandle implements qwave.API: version 1.0 only; handles are never
// reused.
func (s *Shadow) QOSCreateHandle(version *qwave.QOS_VERSION, qosHandle *qwave.Handle) error {
	if version == nil || qosHandle == nil || *version != (qwave.QOS_VERSION{MajorVersion: 1}) {
		return qwave.ERROR_INVALID_PARAMETER
	}
	*qosHandle = s.nextHandle
	s.handles[s.nextHandle] = &shadowHandle{clients: map[netip.Addr]bool{}}
	s.nextHandle += 0x10
	return nil
}

// QOSCloseHandle implements qwave.API: the handle's flows and tracked
// clients go with it; a handle that is not open is ERROR_INVALID_PARAMETER,
// the one code the page documents.
func (s *Shadow) QOSCloseHandle(qosHandle qwave.Handle) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_PARAMETER
	}
	for id, f := range s.flows {
		if f.handle == qosHandle {
			s.removeFlow(id)
		}
	}
	delete(s.handles, qosHandle)
	return nil
}

// QOSAddSocketToFlow implements qwave.API. Argument errors come first, as
// ERROR_INVALID_PARAMETER: no socket, no FlowId, unknown Flags, a traffic
// type out of range, a destination that is missing, not plain IPv4 or IPv6
// or without a port, a socket already in a flow of any handle, and a
// *FlowId that is not an existing non-adaptive flow of this handle. Then a
// destination off the network is ERROR_HOST_UNREACHABLE.
func (s *Shadow) QOSAddSocketToFlow(qosHandle qwave.Handle, socket qwave.Socket, destAddr *qwave.RawSockaddrAny, trafficType qwave.QOS_TRAFFIC_TYPE, flags uint32, flowId *qwave.QOS_FLOWID) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	if socket == 0 || socket == ^qwave.Socket(0) || flowId == nil ||
		(flags != 0 && flags != qwave.QOS_NON_ADAPTIVE_FLOW) ||
		trafficType < qwave.QOSTrafficTypeBestEffort || trafficType > qwave.QOSTrafficTypeControl {
		return qwave.ERROR_INVALID_PARAMETER
	}
	ip, port, ok := shadowAddr(destAddr)
	if !ok || port == 0 {
		return qwave.ERROR_INVALID_PARAMETER
	}
	if _, busy := s.inFlow[socket]; busy {
		return qwave.ERROR_INVALID_PARAMETER
	}
	if *flowId != 0 {
		f := s.ownFlow(qosHandle, *flowId)
		if f == nil || !f.nonAdaptive {
			return qwave.ERROR_INVALID_PARAMETER
		}
	}
	if _, reachable := shadowHosts[ip]; !reachable {
		return qwave.ERROR_HOST_UNREACHABLE
	}
	id := *flowId
	if id == 0 {
		id = s.nextFlow
		s.nextFlow++
		s.flows[id] = &shadowFlow{handle: qosHandle, nonAdaptive: flags != 0, traffic: trafficType}
	}
	f := s.flows[id]
	f.sockets = append(f.sockets, socket)
	s.inFlow[socket] = id
	*flowId = id
	return nil
}

// QOSRemoveSocketFromFlow implements qwave.API: socket 0 ends the flow,
// another socket leaves it and the flow ends with its last socket. A flow
// not of this handle, non-zero Flags and a socket not in the flow are
// ERROR_NOT_FOUND.
func (s *Shadow) QOSRemoveSocketFromFlow(qosHandle qwave.Handle, socket qwave.Socket, flowId qwave.QOS_FLOWID, flags uint32) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil || flags != 0 {
		return qwave.ERROR_NOT_FOUND
	}
	if socket == 0 {
		s.removeFlow(flowId)
		return nil
	}
	i := slices.Index(f.sockets, socket)
	if i < 0 {
		return qwave.ERROR_NOT_FOUND
	}
	f.sockets = slices.Delete(f.sockets, i, i+1)
	delete(s.inFlow, socket)
	if len(f.sockets) == 0 {
		delete(s.flows, flowId)
	}
	return nil
}

// QOSSetFlow implements qwave.API for QOSSetTrafficType: a Size other than
// 4, no Buffer, a traffic type out of range and non-zero Flags are
// ERROR_INVALID_PARAMETER, checked before the flow, which must be this
// handle's (ERROR_NOT_FOUND).
func (s *Shadow) QOSSetFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_SET_FLOW, size uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	if operation != qwave.QOSSetTrafficType || overlapped != nil {
		return qwave.ERROR_NOT_SUPPORTED
	}
	if size != 4 || buffer == nil || flags != 0 {
		return qwave.ERROR_INVALID_PARAMETER
	}
	t := *(*qwave.QOS_TRAFFIC_TYPE)(buffer)
	if t < qwave.QOSTrafficTypeBestEffort || t > qwave.QOSTrafficTypeControl {
		return qwave.ERROR_INVALID_PARAMETER
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil {
		return qwave.ERROR_NOT_FOUND
	}
	f.traffic = t
	return nil
}

// shadowDSCP is the DSCP mark of each traffic type, from the
// QOS_TRAFFIC_TYPE page.
var shadowDSCP = map[qwave.QOS_TRAFFIC_TYPE]uint32{
	qwave.QOSTrafficTypeBestEffort:      0,
	qwave.QOSTrafficTypeBackground:      0x08,
	qwave.QOSTrafficTypeExcellentEffort: 0x28,
	qwave.QOSTrafficTypeAudioVideo:      0x28,
	qwave.QOSTrafficTypeVoice:           0x38,
	qwave.QOSTrafficTypeControl:         0x38,
}

// QOSQueryFlow implements qwave.API for QOSQueryPacketPriority. No Size or
// non-zero Flags are ERROR_INVALID_PARAMETER; then the flow must be this
// handle's (ERROR_NOT_FOUND); then a *Size under 16 is
// ERROR_INSUFFICIENT_BUFFER with 16 in *Size, and no Buffer
// ERROR_INVALID_PARAMETER.
//
// A non-adaptive flow is marked from the start with its traffic type's
// DSCP and, being non-adaptive, gets no 802.1p tag. An adaptive flow is
// marked only after QOSSetFlow sets a rate or a DSCP value, which Shadow
// does not model, so it reports all zeros.
func (s *Shadow) QOSQueryFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_QUERY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	if operation != qwave.QOSQueryPacketPriority || overlapped != nil {
		return qwave.ERROR_NOT_SUPPORTED
	}
	if size == nil || flags != 0 {
		return qwave.ERROR_INVALID_PARAMETER
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil {
		return qwave.ERROR_NOT_FOUND
	}
	const need = 16 // sizeof(QOS_PACKET_PRIORITY): four DWORDs
	if *size < need {
		*size = need
		return qwave.ERROR_INSUFFICIENT_BUFFER
	}
	if buffer == nil {
		return qwave.ERROR_INVALID_PARAMETER
	}
	var p qwave.QOS_PACKET_PRIORITY
	if f.nonAdaptive {
		p.ConformantDSCPValue = shadowDSCP[f.traffic]
	}
	*(*qwave.QOS_PACKET_PRIORITY)(buffer) = p
	*size = need
	return nil
}

// QOSEnumerateFlows implements qwave.API: the flows of this handle, 4 bytes
// each. No Size, or no Buffer with a non-zero *Size, is
// ERROR_INVALID_PARAMETER; a *Size too small is ERROR_INSUFFICIENT_BUFFER
// with the size needed in *Size.
func (s *Shadow) QOSEnumerateFlows(qosHandle qwave.Handle, size *uint32, buffer unsafe.Pointer) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	if size == nil || (buffer == nil && *size != 0) {
		return qwave.ERROR_INVALID_PARAMETER
	}
	var ids []qwave.QOS_FLOWID
	for id, f := range s.flows {
		if f.handle == qosHandle {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	need := uint32(4 * len(ids))
	if *size < need {
		*size = need
		return qwave.ERROR_INSUFFICIENT_BUFFER
	}
	if len(ids) > 0 {
		copy(unsafe.Slice((*qwave.QOS_FLOWID)(buffer), len(ids)), ids)
	}
	*size = need
	return nil
}

// QOSStartTrackingClient implements qwave.API: a client is its address,
// port ignored. A bad address or non-zero Flags is ERROR_INVALID_PARAMETER,
// an address off the network ERROR_HOST_UNREACHABLE and an off-link one
// ERROR_NOT_SUPPORTED. Tracking twice is no error.
func (s *Shadow) QOSStartTrackingClient(qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) error {
	h := s.handles[qosHandle]
	if h == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	ip, _, ok := shadowAddr(destAddr)
	if !ok || flags != 0 {
		return qwave.ERROR_INVALID_PARAMETER
	}
	onLink, reachable := shadowHosts[ip]
	if !reachable {
		return qwave.ERROR_HOST_UNREACHABLE
	}
	if !onLink {
		return qwave.ERROR_NOT_SUPPORTED
	}
	h.clients[ip] = true
	return nil
}

// QOSStopTrackingClient implements qwave.API: a bad address, non-zero Flags
// and a client this handle does not track are ERROR_INVALID_PARAMETER.
func (s *Shadow) QOSStopTrackingClient(qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) error {
	h := s.handles[qosHandle]
	if h == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	ip, _, ok := shadowAddr(destAddr)
	if !ok || flags != 0 || !h.clients[ip] {
		return qwave.ERROR_INVALID_PARAMETER
	}
	delete(h.clients, ip)
	return nil
}

// QOSNotifyFlow implements qwave.API: not modelled.
func (s *Shadow) QOSNotifyFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_NOTIFY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	return qwave.ERROR_NOT_SUPPORTED
}

// QOSCancel implements qwave.API: nothing is ever pending, so every
// Overlapped is ERROR_INVALID_PARAMETER.
func (s *Shadow) QOSCancel(qosHandle qwave.Handle, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return qwave.ERROR_INVALID_HANDLE
	}
	return qwave.ERROR_INVALID_PARAMETER
}
