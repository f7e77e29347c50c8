package qwavetest

import (
	"cmp"
	"slices"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// statusPending is STATUS_PENDING, what OVERLAPPED.Internal holds while an
// operation is in progress.
const statusPending = 0x103

// opKind is the function that started an overlapped operation; the values
// are bits so pendingOps can select several kinds.
type opKind uint8

const (
	opSet opKind = 1 << iota
	opQuery
	opNotify
)

// op is a pending overlapped operation. The buffers it holds are the
// caller's: "Buffers passed with an OVERLAPPED stay alive and pinned until
// the operation completes or is cancelled."
type op struct {
	kind       opKind
	seq        uint64
	o          *qwave.Overlapped
	f          *flow
	prev, next *op // in f.ops

	set    setArgs
	query  qwave.QOS_QUERY_FLOW
	notify qwave.QOS_NOTIFY_FLOW
	flags  uint32
	want   uint64
	size   *uint32
	buf    unsafe.Pointer
}

// start makes o a pending operation of f: QOSSetFlow, QOSQueryFlow and
// QOSNotifyFlow then fail with ERROR_IO_PENDING, as "The request was started
// successfully and will finish asynchronously" says.
func (m *Model) start(p *op) error {
	m.seq++
	p.seq = m.seq
	p.next = p.f.ops
	if p.next != nil {
		p.next.prev = p
	}
	p.f.ops = p
	if p.kind == opNotify {
		p.f.notifying |= 1 << p.notify
	}
	m.pending[p.o] = p
	p.o.Internal = statusPending
	p.o.InternalHigh = 0
	return m.fail(qwave.ERROR_IO_PENDING)
}

// finish completes a pending operation with a Win32 code (0 for success)
// and the number of bytes written. The model stores the Win32 code in
// OVERLAPPED.Internal, where Windows keeps an NTSTATUS; OverlappedResult
// reads it back.
func (m *Model) finish(p *op, code qwave.Errno, n uint32) {
	delete(m.pending, p.o)
	m.wake(p.o)
	if p.prev != nil {
		p.prev.next = p.next
	} else {
		p.f.ops = p.next
	}
	if p.next != nil {
		p.next.prev = p.prev
	}
	if p.kind == opNotify {
		p.f.notifying &^= 1 << p.notify
	}
	p.o.Internal = uintptr(code)
	p.o.InternalHigh = uintptr(n)
	p.prev, p.next, p.f, p.buf, p.size = nil, nil, nil, nil, nil
}

// pendingOps returns the pending operations of the given kinds in the order
// they started, in a slice reused by the next call; callers clear it when
// done, so that it holds no caller memory.
func (m *Model) pendingOps(kinds opKind) []*op {
	ops := m.ops[:0]
	for _, p := range m.pending {
		if p.kind&kinds != 0 {
			ops = append(ops, p)
		}
	}
	slices.SortFunc(ops, func(a, b *op) int { return cmp.Compare(a.seq, b.seq) })
	m.ops = ops
	return ops
}

// busy reports whether o is already in use by a pending operation; reusing
// it would corrupt that operation, so the new call fails with
// ERROR_INVALID_PARAMETER.
func (m *Model) busy(o *qwave.Overlapped) bool {
	if o == nil {
		return false
	}
	_, ok := m.pending[o]
	return ok
}

// Complete completes every pending QOSSetFlow and QOSQueryFlow operation, in
// the order they started, and returns how many it completed. Each runs
// against the network as it is now: a QOSSetFlow takes effect, or completes
// with the code a synchronous call would fail with now; a QOSQueryFlow writes
// Buffer and *Size then. Pending QOSNotifyFlow requests are left alone: they
// wait for their condition (see SetNetwork).
func (m *Model) Complete() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	ops := m.pendingOps(opSet | opQuery)
	for _, p := range ops {
		var code qwave.Errno
		var n uint32
		if p.kind == opSet {
			code = m.setFlow(p.f, p.set, true)
		} else {
			code, n = m.queryFlow(p.f, p.query, p.flags, p.size, p.buf, true)
		}
		m.finish(p, code, n)
	}
	clear(ops)
	return len(ops)
}

// OverlappedResult reports how the operation started with o ended, as
// GetOverlappedResult does without waiting: done is false while it is
// pending; then err is nil on success, ERROR_OPERATION_ABORTED when it was
// cancelled or its flow or handle went away, or the code it failed with; n is
// the number of bytes written to its buffer. An OVERLAPPED the model never
// saw is reported from its fields as they are. The model keeps the result in
// o itself, so read it through this method while other goroutines use the
// model.
func (m *Model) OverlappedResult(o *qwave.Overlapped) (n uint32, err error, done bool) {
	if o == nil {
		return 0, errOf(qwave.ERROR_INVALID_PARAMETER), true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.busy(o) {
		return 0, nil, false
	}
	if o.Internal != 0 {
		err = errOf(qwave.Errno(o.Internal))
	}
	return uint32(o.InternalHigh), err, true
}

// QOSCancel implements qwave.API: a pending operation of this handle
// completes with ERROR_OPERATION_ABORTED ("An operation that is canceled
// successfully still finishes through its usual completion mechanism, with
// ERROR_OPERATION_ABORTED as its completion code"). A nil Overlapped ("There
// is no valid use of this function with a NULL Overlapped pointer"), or one
// that is not pending on this handle, fails with ERROR_INVALID_PARAMETER
// ("The Overlapped parameter is not valid"); ERROR_NOT_FOUND is not
// documented for QOSCancel.
func (m *Model) QOSCancel(qosHandle qwave.Handle, overlapped *qwave.Overlapped) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSCancel, qosHandle)
	if err != nil {
		return err
	}
	p := m.pending[overlapped]
	if overlapped == nil || p == nil || p.f.h != h {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	m.finish(p, qwave.ERROR_OPERATION_ABORTED, 0)
	return nil
}

// setArgs is what QOSSetFlow's Buffer holds, read when the call is made.
type setArgs struct {
	op      qwave.QOS_SET_FLOW
	traffic qwave.QOS_TRAFFIC_TYPE
	rate    qwave.QOS_FLOWRATE_OUTGOING
	dscp    uint32
}

// readSetArgs checks Size and reads Buffer for operation.
func readSetArgs(operation qwave.QOS_SET_FLOW, size uint32, buffer unsafe.Pointer) (setArgs, bool) {
	a := setArgs{op: operation}
	if buffer == nil {
		return a, false
	}
	switch operation {
	case qwave.QOSSetTrafficType:
		// "Buffer points to a QOS_TRAFFIC_TYPE value."
		if size != sizeofTrafficType {
			return a, false
		}
		a.traffic = *(*qwave.QOS_TRAFFIC_TYPE)(buffer)
		return a, a.traffic >= qwave.QOSTrafficTypeBestEffort && a.traffic <= qwave.QOSTrafficTypeControl
	case qwave.QOSSetOutgoingRate:
		// "Buffer points to a QOS_FLOWRATE_OUTGOING structure."
		if size != sizeofFlowrate {
			return a, false
		}
		a.rate = *(*qwave.QOS_FLOWRATE_OUTGOING)(buffer)
		return a, a.rate.ShapingBehavior >= qwave.QOSShapeOnly && a.rate.ShapingBehavior <= qwave.QOSUseNonConformantMarkings &&
			a.rate.Reason >= qwave.QOSFlowRateNotApplicable && a.rate.Reason <= qwave.QOSFlowRateUserCaused
	case qwave.QOSSetOutgoingDSCPValue:
		// "Buffer points to a DWORD holding the DSCP value, which may be
		// any value." Documentation contradiction: a DSCP is a 6-bit field,
		// so the model takes "any value" to mean any DSCP, 0 to 63, and
		// rejects larger DWORDs.
		if size != sizeofDWORD {
			return a, false
		}
		a.dscp = *(*uint32)(buffer)
		return a, a.dscp <= 63
	}
	return a, false
}

// QOSSetFlow implements qwave.API. Flags ("Reserved. Must be 0."), an
// Operation out of range, a nil Buffer, a Size that is not the size of what
// Operation says Buffer points to, and out-of-range values in it fail with
// ERROR_INVALID_PARAMETER, and so does an Overlapped already in use; a flow
// that is not one of this handle's fails with ERROR_NOT_FOUND ("No flow with
// the given FlowId could be found").
//
// QOSSetOutgoingRate on an adaptive flow is admitted only if the rate fits
// the path: above the host's AvailableBandwidth (BottleneckBandwidth when
// that is unknown) it fails with ERROR_NETWORK_BUSY ("there is not enough
// bandwidth for the requested flow rate"), unless it is
// QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH. To an off-link host it fails with
// ERROR_ACCESS_DISABLED_BY_POLICY ("By default, for instance, qWAVE
// experiments are not run toward destinations that are off-link"), and to a
// host no longer in the Network with ERROR_HOST_UNREACHABLE. Non-adaptive
// flows take any rate: they are only shaped. QOSSetOutgoingDSCPValue fails
// with ERROR_ACCESS_DENIED unless the Model is WithAdmin(true), the default.
//
// With an Overlapped the call is checked the same way, then fails with
// ERROR_IO_PENDING; Complete applies it (checking the network again).
func (m *Model) QOSSetFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_SET_FLOW, size uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSSetFlow, qosHandle)
	if err != nil {
		return err
	}
	args, ok := readSetArgs(operation, size, buffer)
	if !ok || flags != 0 || m.busy(overlapped) {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := h.flows[flowId]
	if f == nil {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	if code := m.setFlow(f, args, overlapped == nil); code != 0 {
		return m.fail(code)
	}
	if overlapped == nil {
		return nil
	}
	return m.start(&op{kind: opSet, o: overlapped, f: f, set: args})
}

// setFlow checks a QOSSetFlow against the flow and the network, and applies
// it if commit is set.
func (m *Model) setFlow(f *flow, a setArgs, commit bool) qwave.Errno {
	switch a.op {
	case qwave.QOSSetTrafficType:
		if commit {
			f.traffic = a.traffic
		}
	case qwave.QOSSetOutgoingRate:
		if !f.nonAdaptive {
			host, ok := m.host(f.dest)
			switch {
			case !ok:
				return qwave.ERROR_HOST_UNREACHABLE
			case host.OffLink:
				return qwave.ERROR_ACCESS_DISABLED_BY_POLICY
			}
			limit := host.AvailableBandwidth
			if limit == 0 {
				limit = host.BottleneckBandwidth
			}
			if limit != 0 && a.rate.Bandwidth != qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH && a.rate.Bandwidth > limit {
				return qwave.ERROR_NETWORK_BUSY
			}
		}
		if commit {
			f.rate, f.rateSet, f.prioritized = a.rate, true, true
		}
	case qwave.QOSSetOutgoingDSCPValue:
		// "The caller must belong to the Administrators group or the Network
		// Configuration Operators group to use this operation."
		switch {
		case m.dscpPolicy:
			return qwave.ERROR_ACCESS_DISABLED_BY_POLICY
		case !m.admin:
			return qwave.ERROR_ACCESS_DENIED
		}
		if commit {
			f.dscp, f.dscpSet, f.prioritized = a.dscp, true, true
		}
	}
	return 0
}

// querySize is the Buffer size operation needs, or 0 for an unknown one.
func querySize(operation qwave.QOS_QUERY_FLOW) uint32 {
	switch operation {
	case qwave.QOSQueryFlowFundamentals:
		return sizeofFundamentals
	case qwave.QOSQueryPacketPriority:
		return sizeofPriority
	case qwave.QOSQueryOutgoingRate:
		return sizeofUINT64
	}
	return 0
}

// QOSQueryFlow implements qwave.API. A nil Size, an Operation out of range,
// Flags other than 0 and QOS_QUERYFLOW_FRESH, QOS_QUERYFLOW_FRESH with
// another operation than QOSQueryFlowFundamentals ("The flag applies only
// when Operation is QOSQueryFlowFundamentals"), and an Overlapped already in
// use fail with ERROR_INVALID_PARAMETER; a flow that is not one of this
// handle's with ERROR_NOT_FOUND. A *Size smaller than the operation's data
// fails with ERROR_INSUFFICIENT_BUFFER and the size needed in *Size (Buffer
// may be nil then); a nil Buffer with a large enough *Size fails with
// ERROR_INVALID_PARAMETER. On success Buffer receives the data and *Size the
// bytes written.
//
// QOSQueryFlowFundamentals fails with ERROR_NOT_SUPPORTED on a
// QOS_NON_ADAPTIVE_FLOW flow ("QOSQueryFlow cannot be used with the
// QOSQueryFlowFundamentals operation") and on an off-link host ("Bandwidth
// estimates, for example, are unavailable on a path whose destination host
// is off-link"), with ERROR_HOST_UNREACHABLE once the host left the Network,
// and with QOS_QUERYFLOW_FRESH fails with ERROR_RETRY while the host has no
// estimates at all. QOSQueryOutgoingRate fails with ERROR_NO_DATA ("No valid
// data is available to return") until a QOSSetOutgoingRate took effect.
//
// With an Overlapped the call is checked the same way, then fails with
// ERROR_IO_PENDING; Complete writes Buffer and *Size.
func (m *Model) QOSQueryFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_QUERY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSQueryFlow, qosHandle)
	if err != nil {
		return err
	}
	need := querySize(operation)
	if size == nil || need == 0 || flags&^qwave.QOS_QUERYFLOW_FRESH != 0 ||
		flags != 0 && operation != qwave.QOSQueryFlowFundamentals || m.busy(overlapped) {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := h.flows[flowId]
	if f == nil {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	if *size < need {
		*size = need
		return m.fail(qwave.ERROR_INSUFFICIENT_BUFFER)
	}
	if buffer == nil {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if code, _ := m.queryFlow(f, operation, flags, size, buffer, overlapped == nil); code != 0 {
		return m.fail(code)
	}
	if overlapped == nil {
		return nil
	}
	return m.start(&op{kind: opQuery, o: overlapped, f: f, query: operation, flags: flags, size: size, buf: buffer})
}

// boolean is a C BOOL.
func boolean(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// queryFlow answers a QOSQueryFlow, writing Buffer and *Size if write is
// set, and returns the bytes written.
func (m *Model) queryFlow(f *flow, operation qwave.QOS_QUERY_FLOW, flags uint32, size *uint32, buffer unsafe.Pointer, write bool) (qwave.Errno, uint32) {
	var n uint32
	switch operation {
	case qwave.QOSQueryFlowFundamentals:
		if f.nonAdaptive {
			return qwave.ERROR_NOT_SUPPORTED, 0
		}
		host, ok := m.host(f.dest)
		switch {
		case !ok:
			return qwave.ERROR_HOST_UNREACHABLE, 0
		case host.OffLink:
			return qwave.ERROR_NOT_SUPPORTED, 0
		case flags&qwave.QOS_QUERYFLOW_FRESH != 0 && host.BottleneckBandwidth == 0 && host.AvailableBandwidth == 0 && host.RTT == 0:
			// "If that is not possible, the call fails with ERROR_RETRY."
			return qwave.ERROR_RETRY, 0
		}
		n = sizeofFundamentals
		if write {
			*(*qwave.QOS_FLOW_FUNDAMENTALS)(buffer) = qwave.QOS_FLOW_FUNDAMENTALS{
				BottleneckBandwidthSet: boolean(host.BottleneckBandwidth != 0),
				BottleneckBandwidth:    host.BottleneckBandwidth,
				AvailableBandwidthSet:  boolean(host.AvailableBandwidth != 0),
				AvailableBandwidth:     host.AvailableBandwidth,
				RTTSet:                 boolean(host.RTT != 0),
				RTT:                    host.RTT,
			}
		}
	case qwave.QOSQueryPacketPriority:
		n = sizeofPriority
		if write {
			*(*qwave.QOS_PACKET_PRIORITY)(buffer) = m.priority(f)
		}
	case qwave.QOSQueryOutgoingRate:
		if !f.rateSet {
			return qwave.ERROR_NO_DATA, 0
		}
		n = sizeofUINT64
		if write {
			*(*uint64)(buffer) = f.rate.Bandwidth
		}
	}
	if write {
		*size = n
	}
	return 0, n
}

// priority is the QOS_PACKET_PRIORITY of a flow. Documentation gaps: the
// pages give no marks for traffic beyond the rate, so non-conformant traffic
// is reported as best effort (0, 0); and before a flow is prioritized (see
// QOSAddSocketToFlow) all four values are 0.
func (m *Model) priority(f *flow) qwave.QOS_PACKET_PRIORITY {
	if !f.prioritized {
		return qwave.QOS_PACKET_PRIORITY{}
	}
	dscp, l2, _ := f.traffic.Marks()
	mk := struct{ dscp, l2 uint32 }{uint32(dscp), uint32(l2)}
	if f.dscpSet {
		mk.dscp = f.dscp
	}
	// "Sent traffic gets 802.1p tags only when all of these hold:
	// QOSAddSocketToFlow was called without the QOS_NON_ADAPTIVE_FLOW flag.
	// The sender and the destination share a link, with no router between
	// them."
	if host, ok := m.host(f.dest); f.nonAdaptive || !ok || host.OffLink {
		mk.l2 = 0
	}
	return qwave.QOS_PACKET_PRIORITY{ConformantDSCPValue: mk.dscp, ConformantL2Value: mk.l2}
}

// QOSNotifyFlow implements qwave.API. Flags ("Reserved. Must be 0.") and an
// Operation out of range fail with ERROR_INVALID_PARAMETER; so do a non-nil
// Buffer with QOSNotifyCongested or QOSNotifyUncongested ("it must be NULL
// on input"), and, with QOSNotifyAvailable, a nil Buffer or Size or a *Size
// other than 8 (Buffer is a "Pointer to a UINT64"). Documentation gap: the
// Size text speaks of ERROR_INSUFFICIENT_BUFFER, but the page does not
// document that code for QOSNotifyFlow, so a wrong *Size is
// ERROR_INVALID_PARAMETER. A flow that is not one of this handle's fails
// with ERROR_NOT_FOUND; a QOS_NON_ADAPTIVE_FLOW flow ("QOSNotifyFlow cannot
// be used with QOSNotifyCongested, QOSNotifyUncongested, or
// QOSNotifyAvailable") and an off-link host with ERROR_NOT_SUPPORTED; a host
// no longer in the Network with ERROR_HOST_UNREACHABLE; a second pending
// request of the same Operation on the flow with ERROR_ALREADY_EXISTS.
//
// "If the function succeeds, it returns a nonzero value, and does so once the
// condition chosen through Operation has occurred": when it holds already
// (the host is congested, is not, or has at least *Buffer bits per second
// available), the call succeeds at once, also with an Overlapped, which is
// then completed. QOSNotifyAvailable writes the available bandwidth to
// *Buffer and 8 to *Size; the other operations write 0 to *Size if Size is
// not nil. Otherwise, with an Overlapped, the call fails with
// ERROR_IO_PENDING and completes when SetNetwork makes the condition hold.
// Documentation gap: a synchronous call would block until the network
// changes, which in a single in-memory model is forever; it fails with
// ERROR_INVALID_PARAMETER instead.
func (m *Model) QOSNotifyFlow(qosHandle qwave.Handle, flowId qwave.QOS_FLOWID, operation qwave.QOS_NOTIFY_FLOW, size *uint32, buffer unsafe.Pointer, flags uint32, overlapped *qwave.Overlapped) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, err := m.begin(qwave.FuncQOSNotifyFlow, qosHandle)
	if err != nil {
		return err
	}
	var want uint64
	switch operation {
	case qwave.QOSNotifyCongested, qwave.QOSNotifyUncongested:
		if buffer != nil {
			return m.fail(qwave.ERROR_INVALID_PARAMETER)
		}
	case qwave.QOSNotifyAvailable:
		if buffer == nil || size == nil || *size != sizeofUINT64 {
			return m.fail(qwave.ERROR_INVALID_PARAMETER)
		}
		want = *(*uint64)(buffer)
	default:
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	if flags != 0 || m.busy(overlapped) {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	f := h.flows[flowId]
	switch {
	case f == nil:
		return m.fail(qwave.ERROR_NOT_FOUND)
	case f.nonAdaptive:
		return m.fail(qwave.ERROR_NOT_SUPPORTED)
	case f.notifying&(1<<operation) != 0:
		return m.fail(qwave.ERROR_ALREADY_EXISTS)
	}
	if code, n, done := m.notifyOutcome(f, operation, want, size, buffer); done {
		if code != 0 {
			return m.fail(code)
		}
		if overlapped != nil {
			overlapped.Internal, overlapped.InternalHigh = 0, uintptr(n)
		}
		return nil
	}
	if overlapped == nil {
		return m.fail(qwave.ERROR_INVALID_PARAMETER)
	}
	return m.start(&op{kind: opNotify, o: overlapped, f: f, notify: operation, want: want, size: size, buf: buffer})
}

// notifyOutcome decides a notification request against the network: done
// is false while its condition does not hold. On success it writes Buffer
// and *Size.
func (m *Model) notifyOutcome(f *flow, operation qwave.QOS_NOTIFY_FLOW, want uint64, size *uint32, buffer unsafe.Pointer) (code qwave.Errno, n uint32, done bool) {
	host, ok := m.host(f.dest)
	switch {
	case !ok:
		return qwave.ERROR_HOST_UNREACHABLE, 0, true
	case host.OffLink:
		return qwave.ERROR_NOT_SUPPORTED, 0, true
	}
	switch operation {
	case qwave.QOSNotifyCongested:
		done = host.Congested
	case qwave.QOSNotifyUncongested:
		done = !host.Congested
	case qwave.QOSNotifyAvailable:
		if done = host.AvailableBandwidth >= want; done {
			*(*uint64)(buffer) = host.AvailableBandwidth
			n = sizeofUINT64
		}
	}
	if done && size != nil {
		*size = n
	}
	return 0, n, done
}
