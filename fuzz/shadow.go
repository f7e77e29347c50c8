package fuzz

import (
	"net/netip"
	"slices"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// Shadow is a second in-memory qWAVE, written from the spec pages and
// qwavetest's documented choices without its code, so that FuzzOps can run
// the same ops on both and compare. It is deliberately plain: a map of
// handles, a map of all flows, a map from socket to flow, a list of pending
// operations, and a linear scan where a scan is enough.
//
// It models every function on a network of its own that equals
// qwavetest.DefaultNetwork (on-link 192.0.2.1 and 2001:db8::1, off-link
// 198.51.100.1, nothing else reachable), which SetNetwork can make
// congested: handles, flows, sockets in flows, every operation of QOSSetFlow,
// QOSQueryFlow and QOSNotifyFlow, synchronous and overlapped, completion on
// Complete (QOSSetFlow, QOSQueryFlow) or SetNetwork (QOSNotifyFlow),
// QOSCancel, QOSEnumerateFlows and tracked clients. Every socket counts as
// unconnected and the caller as an administrator.
type Shadow struct {
	nextHandle qwave.Handle
	nextFlow   qwave.QOS_FLOWID
	handles    map[qwave.Handle]*shadowHandle
	flows      map[qwave.QOS_FLOWID]*shadowFlow
	inFlow     map[qwave.Socket]qwave.QOS_FLOWID
	pending    []*shadowOp // in the order they started
	congested  bool
	lastErr    qwave.Errno
}

var (
	_ qwave.API             = (*Shadow)(nil)
	_ qwave.LastErrorAccess = (*Shadow)(nil)
)

type shadowHandle struct {
	clients map[netip.Addr]bool
}

type shadowFlow struct {
	handle      qwave.Handle
	nonAdaptive bool
	dest        netip.Addr
	traffic     qwave.QOS_TRAFFIC_TYPE
	sockets     []qwave.Socket
	marked      bool // a rate or DSCP value was set, or the flow is non-adaptive
	rate        uint64
	rateSet     bool
	dscp        uint32
	dscpSet     bool
}

// shadowOp is a pending overlapped operation.
type shadowOp struct {
	o      *qwave.Overlapped
	flow   qwave.QOS_FLOWID
	kind   OpKind // OpSetFlow, OpQueryFlow or OpNotifyFlow
	set    shadowSet
	query  qwave.QOS_QUERY_FLOW
	fresh  bool
	notify qwave.QOS_NOTIFY_FLOW
	want   uint64
	size   *uint32
	buf    unsafe.Pointer
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

// shadowHost is what Shadow knows of a host: bandwidths in bits/s, RTT in
// microseconds.
type shadowHost struct {
	onLink                bool
	bottleneck, available uint64
	rtt                   uint32
}

// shadowHosts is the default network; absent hosts are unreachable.
var shadowHosts = map[netip.Addr]shadowHost{
	netip.MustParseAddr("192.0.2.1"):    {true, 100_000_000, 80_000_000, 1000},
	netip.MustParseAddr("2001:db8::1"):  {true, 1_000_000_000, 900_000_000, 500},
	netip.MustParseAddr("198.51.100.1"): {false, 10_000_000, 5_000_000, 30_000},
}

// GetLastError implements qwave.LastErrorAccess.
func (s *Shadow) GetLastError() qwave.Errno { return s.lastErr }

// SetLastError implements qwave.LastErrorAccess.
func (s *Shadow) SetLastError(e qwave.Errno) { s.lastErr = e }

// fail records code as the last error and returns it.
func (s *Shadow) fail(code qwave.Errno) error {
	s.lastErr = code
	return code
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

// removeFlow ends a flow; its pending operations complete as aborted.
func (s *Shadow) removeFlow(id qwave.QOS_FLOWID) {
	for _, sock := range s.flows[id].sockets {
		delete(s.inFlow, sock)
	}
	delete(s.flows, id)
	s.pending = slices.DeleteFunc(s.pending, func(p *shadowOp) bool {
		if p.flow == id {
			p.o.Internal, p.o.InternalHigh = uintptr(qwave.ERROR_OPERATION_ABORTED), 0
			return true
		}
		return false
	})
}

// pendingOn reports whether o is in use by a pending operation.
func (s *Shadow) pendingOn(o *qwave.Overlapped) *shadowOp {
	if o == nil {
		return nil
	}
	for _, p := range s.pending {
		if p.o == o {
			return p
		}
	}
	return nil
}

// start makes p pending: the call fails with ERROR_IO_PENDING.
func (s *Shadow) start(p *shadowOp) error {
	p.o.Internal, p.o.InternalHigh = judge.StatusPending, 0
	s.pending = append(s.pending, p)
	return s.fail(qwave.ERROR_IO_PENDING)
}

// QOSCreateHandle implements qwave.API: version 1.0 only; handles are never
// reused.
func (s *Shadow) QOSCreateHandle(version *qwave.QOS_VERSION, qosHandle *qwave.Handle) error {
	if version == nil || qosHandle == nil || *version != (qwave.QOS_VERSION{MajorVersion: 1}) {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	*qosHandle = s.nextHandle
	s.handles[s.nextHandle] = &shadowHandle{clients: map[netip.Addr]bool{}}
	s.nextHandle += 0x10
	return nil
}

// QOSCloseHandle implements qwave.API: the handle's flows, their pending
// operations (aborted) and tracked clients go with it; a handle that is not
// open is ERROR_INVALID_PARAMETER, the one code the page documents.
func (s *Shadow) QOSCloseHandle(qosHandle qwave.Handle) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	var ids []qwave.QOS_FLOWID
	for id, f := range s.flows {
		if f.handle == qosHandle {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids) // abort in a fixed order
	for _, id := range ids {
		s.removeFlow(id)
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
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	if socket == 0 || socket == ^qwave.Socket(0) || flowId == nil ||
		(flags != 0 && flags != qwave.QOS_NON_ADAPTIVE_FLOW) ||
		trafficType < qwave.QOSTrafficTypeBestEffort || trafficType > qwave.QOSTrafficTypeControl {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	ip, port, ok := shadowAddr(destAddr)
	if !ok || port == 0 {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if _, busy := s.inFlow[socket]; busy {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if *flowId != 0 {
		f := s.ownFlow(qosHandle, *flowId)
		if f == nil || !f.nonAdaptive {
			return s.fail(qwave.ERROR_INVALID_PARAMETER)
		}
	}
	if _, reachable := shadowHosts[ip]; !reachable {
		return s.fail(qwave.ERROR_HOST_UNREACHABLE)
	}
	id := *flowId
	if id == 0 {
		id = s.nextFlow
		s.nextFlow++
		s.flows[id] = &shadowFlow{handle: qosHandle, nonAdaptive: flags != 0, traffic: trafficType, dest: ip, marked: flags != 0}
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
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil || flags != 0 {
		return s.fail(qwave.ERROR_NOT_FOUND)
	}
	if socket == 0 {
		s.removeFlow(flowId)
		return nil
	}
	i := slices.Index(f.sockets, socket)
	if i < 0 {
		return s.fail(qwave.ERROR_NOT_FOUND)
	}
	if len(f.sockets) == 1 {
		s.removeFlow(flowId)
		return nil
	}
	f.sockets = slices.Delete(f.sockets, i, i+1)
	delete(s.inFlow, socket)
	return nil
}

// shadowSet is a QOSSetFlow request read from its buffer.
type shadowSet struct {
	op      qwave.QOS_SET_FLOW
	traffic qwave.QOS_TRAFFIC_TYPE
	rate    uint64
	dscp    uint32
}

// readSet reads Buffer for operation; ok is false for a Size that is not
// the size of what the operation takes or a value out of range.
func readSet(operation qwave.QOS_SET_FLOW, size uint32, buffer unsafe.Pointer) (shadowSet, bool) {
	r := shadowSet{op: operation}
	if buffer == nil {
		return r, false
	}
	switch operation {
	case qwave.QOSSetTrafficType:
		if size != 4 {
			return r, false
		}
		r.traffic = *(*qwave.QOS_TRAFFIC_TYPE)(buffer)
		return r, r.traffic >= qwave.QOSTrafficTypeBestEffort && r.traffic <= qwave.QOSTrafficTypeControl
	case qwave.QOSSetOutgoingRate:
		if size != 16 { // UINT64 and two enums
			return r, false
		}
		v := *(*qwave.QOS_FLOWRATE_OUTGOING)(buffer)
		r.rate = v.Bandwidth
		return r, v.ShapingBehavior >= qwave.QOSShapeOnly && v.ShapingBehavior <= qwave.QOSUseNonConformantMarkings &&
			v.Reason >= qwave.QOSFlowRateNotApplicable && v.Reason <= qwave.QOSFlowRateUserCaused
	case qwave.QOSSetOutgoingDSCPValue:
		if size != 4 {
			return r, false
		}
		r.dscp = *(*uint32)(buffer)
		return r, r.dscp <= 63
	}
	return r, false
}

// admit checks a set request against the flow's path, and applies it when
// commit is set.
func (s *Shadow) admit(f *shadowFlow, r shadowSet, commit bool) qwave.Errno {
	if r.op == qwave.QOSSetOutgoingRate && !f.nonAdaptive {
		host, ok := shadowHosts[f.dest]
		switch {
		case !ok:
			return qwave.ERROR_HOST_UNREACHABLE
		case !host.onLink:
			return qwave.ERROR_ACCESS_DISABLED_BY_POLICY
		case r.rate != qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH && r.rate > host.available:
			return qwave.ERROR_NETWORK_BUSY
		}
	}
	if commit {
		switch r.op {
		case qwave.QOSSetTrafficType:
			f.traffic = r.traffic
		case qwave.QOSSetOutgoingRate:
			f.rate, f.rateSet, f.marked = r.rate, true, true
		case qwave.QOSSetOutgoingDSCPValue:
			f.dscp, f.dscpSet, f.marked = r.dscp, true, true
		}
	}
	return 0
}

// QOSSetFlow implements qwave.API: a Size other than that of the
// operation's type, no Buffer, a value out of range, non-zero Flags and an
// OVERLAPPED in use are ERROR_INVALID_PARAMETER, checked before the flow,
// which must be this handle's (ERROR_NOT_FOUND); then the path may refuse a
// rate. With an OVERLAPPED the request is pending until Complete.
func (s *Shadow) QOSSetFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_SET_FLOW, size uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	r, ok := readSet(operation, size, buffer)
	if !ok || flags != 0 || s.pendingOn(overlapped) != nil {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil {
		return s.fail(qwave.ERROR_NOT_FOUND)
	}
	if code := s.admit(f, r, overlapped == nil); code != 0 {
		return s.fail(code)
	}
	if overlapped == nil {
		return nil
	}
	return s.start(&shadowOp{o: overlapped, flow: flowId, kind: OpSetFlow, set: r})
}

// shadowDSCP is the DSCP mark and 802.1p tag of each traffic type, from the
// QOS_TRAFFIC_TYPE page.
var shadowDSCP = map[qwave.QOS_TRAFFIC_TYPE][2]uint32{
	qwave.QOSTrafficTypeBestEffort:      {0, 0},
	qwave.QOSTrafficTypeBackground:      {0x08, 2},
	qwave.QOSTrafficTypeExcellentEffort: {0x28, 5},
	qwave.QOSTrafficTypeAudioVideo:      {0x28, 5},
	qwave.QOSTrafficTypeVoice:           {0x38, 7},
	qwave.QOSTrafficTypeControl:         {0x38, 7},
}

// shadowQuerySize is the buffer each QOSQueryFlow operation needs.
var shadowQuerySize = map[qwave.QOS_QUERY_FLOW]uint32{
	qwave.QOSQueryFlowFundamentals: 40,
	qwave.QOSQueryPacketPriority:   16,
	qwave.QOSQueryOutgoingRate:     8,
}

// answer answers a query on f, writing the buffer when write is set; it
// returns the code it fails with and the bytes it writes.
func (s *Shadow) answer(f *shadowFlow, q qwave.QOS_QUERY_FLOW, fresh bool, buf unsafe.Pointer, write bool) (qwave.Errno, uint32) {
	host, reachable := shadowHosts[f.dest]
	switch q {
	case qwave.QOSQueryFlowFundamentals:
		switch {
		case f.nonAdaptive:
			return qwave.ERROR_NOT_SUPPORTED, 0
		case !reachable:
			return qwave.ERROR_HOST_UNREACHABLE, 0
		case !host.onLink:
			return qwave.ERROR_NOT_SUPPORTED, 0
		case fresh && host.bottleneck == 0 && host.available == 0 && host.rtt == 0:
			return qwave.ERROR_RETRY, 0
		}
		if write {
			b := func(v bool) int32 {
				if v {
					return 1
				}
				return 0
			}
			*(*qwave.QOS_FLOW_FUNDAMENTALS)(buf) = qwave.QOS_FLOW_FUNDAMENTALS{
				BottleneckBandwidthSet: b(host.bottleneck != 0), BottleneckBandwidth: host.bottleneck,
				AvailableBandwidthSet: b(host.available != 0), AvailableBandwidth: host.available,
				RTTSet: b(host.rtt != 0), RTT: host.rtt,
			}
		}
	case qwave.QOSQueryPacketPriority:
		var p qwave.QOS_PACKET_PRIORITY
		if f.marked {
			m := shadowDSCP[f.traffic]
			p.ConformantDSCPValue = m[0]
			if f.dscpSet {
				p.ConformantDSCPValue = f.dscp
			}
			if !f.nonAdaptive && reachable && host.onLink {
				p.ConformantL2Value = m[1]
			}
		}
		if write {
			*(*qwave.QOS_PACKET_PRIORITY)(buf) = p
		}
	case qwave.QOSQueryOutgoingRate:
		if !f.rateSet {
			return qwave.ERROR_NO_DATA, 0
		}
		if write {
			*(*uint64)(buf) = f.rate
		}
	}
	return 0, shadowQuerySize[q]
}

// QOSQueryFlow implements qwave.API. No Size, an unknown operation, Flags
// other than QOS_QUERYFLOW_FRESH (which only QOSQueryFlowFundamentals takes)
// and an OVERLAPPED in use are ERROR_INVALID_PARAMETER; then the flow must
// be this handle's (ERROR_NOT_FOUND); then a *Size under the operation's is
// ERROR_INSUFFICIENT_BUFFER with the size in *Size, and no Buffer
// ERROR_INVALID_PARAMETER; then the flow and its path may lack the data.
// With an OVERLAPPED the answer is written at Complete.
func (s *Shadow) QOSQueryFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_QUERY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	need, known := shadowQuerySize[operation]
	if size == nil || !known || (flags != 0 && (flags != qwave.QOS_QUERYFLOW_FRESH || operation != qwave.QOSQueryFlowFundamentals)) ||
		s.pendingOn(overlapped) != nil {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := s.ownFlow(qosHandle, flowId)
	if f == nil {
		return s.fail(qwave.ERROR_NOT_FOUND)
	}
	if *size < need {
		*size = need
		return s.fail(qwave.ERROR_INSUFFICIENT_BUFFER)
	}
	if buffer == nil {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	fresh := flags != 0
	code, n := s.answer(f, operation, fresh, buffer, overlapped == nil)
	if code != 0 {
		return s.fail(code)
	}
	if overlapped == nil {
		*size = n
		return nil
	}
	return s.start(&shadowOp{o: overlapped, flow: flowId, kind: OpQueryFlow, query: operation, fresh: fresh, size: size, buf: buffer})
}

// QOSEnumerateFlows implements qwave.API: the flows of this handle, 4 bytes
// each. No Size, or no Buffer with a non-zero *Size, is
// ERROR_INVALID_PARAMETER; a *Size too small is ERROR_INSUFFICIENT_BUFFER
// with the size needed in *Size.
func (s *Shadow) QOSEnumerateFlows(qosHandle qwave.Handle, size *uint32, buffer unsafe.Pointer) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	if size == nil || (buffer == nil && *size != 0) {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
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
		return s.fail(qwave.ERROR_INSUFFICIENT_BUFFER)
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
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	ip, _, ok := shadowAddr(destAddr)
	if !ok || flags != 0 {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	host, reachable := shadowHosts[ip]
	if !reachable {
		return s.fail(qwave.ERROR_HOST_UNREACHABLE)
	}
	if !host.onLink {
		return s.fail(qwave.ERROR_NOT_SUPPORTED)
	}
	h.clients[ip] = true
	return nil
}

// QOSStopTrackingClient implements qwave.API: a bad address, non-zero Flags
// and a client this handle does not track are ERROR_INVALID_PARAMETER.
func (s *Shadow) QOSStopTrackingClient(qosHandle qwave.Handle, destAddr *qwave.RawSockaddrAny, flags uint32) error {
	h := s.handles[qosHandle]
	if h == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	ip, _, ok := shadowAddr(destAddr)
	if !ok || flags != 0 || !h.clients[ip] {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	delete(h.clients, ip)
	return nil
}

// holds reports whether the condition of a notification holds now; ok is
// false with the code the request fails with when the path gives no data.
func (s *Shadow) holds(f *shadowFlow, n qwave.QOS_NOTIFY_FLOW, want uint64) (done bool, code qwave.Errno) {
	host, reachable := shadowHosts[f.dest]
	switch {
	case !reachable:
		return true, qwave.ERROR_HOST_UNREACHABLE
	case !host.onLink:
		return true, qwave.ERROR_NOT_SUPPORTED
	}
	switch n {
	case qwave.QOSNotifyCongested:
		return s.congested, 0
	case qwave.QOSNotifyUncongested:
		return !s.congested, 0
	}
	return host.available >= want, 0
}

// QOSNotifyFlow implements qwave.API. QOSNotifyCongested and
// QOSNotifyUncongested take no Buffer; QOSNotifyAvailable a UINT64 with
// *Size 8; anything else, non-zero Flags, an unknown operation and an
// OVERLAPPED in use are ERROR_INVALID_PARAMETER. Then the flow must be this
// handle's (ERROR_NOT_FOUND), adaptive (ERROR_NOT_SUPPORTED) and without a
// pending request of the same operation (ERROR_ALREADY_EXISTS). A condition
// that holds succeeds at once (writing the available bandwidth for
// QOSNotifyAvailable); one that does not is pending with an OVERLAPPED and
// ERROR_INVALID_PARAMETER without, as qwavetest documents.
func (s *Shadow) QOSNotifyFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_NOTIFY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	var want uint64
	switch operation {
	case qwave.QOSNotifyCongested, qwave.QOSNotifyUncongested:
		if buffer != nil {
			return s.fail(qwave.ERROR_INVALID_PARAMETER)
		}
	case qwave.QOSNotifyAvailable:
		if buffer == nil || size == nil || *size != 8 {
			return s.fail(qwave.ERROR_INVALID_PARAMETER)
		}
		want = *(*uint64)(buffer)
	default:
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if flags != 0 || s.pendingOn(overlapped) != nil {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := s.ownFlow(qosHandle, flowId)
	switch {
	case f == nil:
		return s.fail(qwave.ERROR_NOT_FOUND)
	case f.nonAdaptive:
		return s.fail(qwave.ERROR_NOT_SUPPORTED)
	}
	for _, p := range s.pending {
		if p.kind == OpNotifyFlow && p.flow == flowId && p.notify == operation {
			return s.fail(qwave.ERROR_ALREADY_EXISTS)
		}
	}
	done, code := s.holds(f, operation, want)
	switch {
	case done && code != 0:
		return s.fail(code)
	case done:
		n := s.notified(f, operation, size, buffer)
		if overlapped != nil {
			overlapped.Internal, overlapped.InternalHigh = 0, uintptr(n)
		}
		return nil
	case overlapped == nil:
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	return s.start(&shadowOp{o: overlapped, flow: flowId, kind: OpNotifyFlow, notify: operation, want: want, size: size, buf: buffer})
}

// notified writes what a notification returns and the bytes written.
func (s *Shadow) notified(f *shadowFlow, n qwave.QOS_NOTIFY_FLOW, size *uint32, buf unsafe.Pointer) uint32 {
	var written uint32
	if n == qwave.QOSNotifyAvailable {
		*(*uint64)(buf) = shadowHosts[f.dest].available
		written = 8
	}
	if size != nil {
		*size = written
	}
	return written
}

// QOSCancel implements qwave.API: an operation of this handle pending on
// Overlapped completes as aborted; anything else is ERROR_INVALID_PARAMETER.
func (s *Shadow) QOSCancel(qosHandle qwave.Handle, overlapped *qwave.Overlapped) error {
	if s.handles[qosHandle] == nil {
		return s.fail(qwave.ERROR_INVALID_HANDLE)
	}
	p := s.pendingOn(overlapped)
	if p == nil || s.flows[p.flow].handle != qosHandle {
		return s.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	s.finish(p, qwave.ERROR_OPERATION_ABORTED, 0)
	return nil
}

// finish completes a pending operation.
func (s *Shadow) finish(p *shadowOp, code qwave.Errno, n uint32) {
	s.pending = slices.DeleteFunc(s.pending, func(q *shadowOp) bool { return q == p })
	p.o.Internal, p.o.InternalHigh = uintptr(code), uintptr(n)
}

// Complete completes the pending QOSSetFlow and QOSQueryFlow operations in
// the order they started, and returns how many.
func (s *Shadow) Complete() int {
	var done []*shadowOp
	for _, p := range s.pending {
		if p.kind != OpNotifyFlow {
			done = append(done, p)
		}
	}
	for _, p := range done {
		f := s.flows[p.flow]
		var code qwave.Errno
		var n uint32
		if p.kind == OpSetFlow {
			code = s.admit(f, p.set, true)
		} else if code, n = s.answer(f, p.query, p.fresh, p.buf, true); code == 0 {
			*p.size = n
		}
		s.finish(p, code, n)
	}
	return len(done)
}

// SetNetwork takes the congestion of n's hosts (Shadow keeps its own
// bandwidths): pending notifications whose condition now holds complete, in
// the order they started.
func (s *Shadow) SetNetwork(n qwavetest.Network) {
	s.congested = false
	for _, h := range n.Hosts {
		s.congested = s.congested || h.Congested
	}
	var done []*shadowOp
	for _, p := range s.pending {
		if p.kind == OpNotifyFlow {
			if ok, _ := s.holds(s.flows[p.flow], p.notify, p.want); ok {
				done = append(done, p)
			}
		}
	}
	for _, p := range done {
		_, code := s.holds(s.flows[p.flow], p.notify, p.want)
		var n uint32
		if code == 0 {
			n = s.notified(s.flows[p.flow], p.notify, p.size, p.buf)
		}
		s.finish(p, code, n)
	}
}
