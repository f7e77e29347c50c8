package fuzz

import (
	"net/netip"
	"slices"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// A mutant is the reference model with one documented rule broken, the
// way a real implementation might break it. TestMutantsKilled runs every
// layer of the suite on each (conformance.Check, Check with injection,
// CheckCall, the op fuzzer) and fails if one survives them all, or is not
// killed by the layer its entry expects.
type mutant struct {
	name   string
	source string // the spec page and section of the broken rule
	rule   string
	layer  layer // the layer expected to kill it
	api    func() qwave.API
}

// layer is one layer of the suite.
type layer int

const (
	layerCheck layer = iota
	layerInjection
	layerCheckCall
	layerOps
	numLayers
)

var layerNames = [numLayers]string{"Check", "Check+injection", "CheckCall", "FuzzOps"}

func (l layer) String() string { return layerNames[l] }

// base is what every mutant embeds: the model, plus what the mutants need
// to know of the calls made so far.
type base struct {
	*qwavetest.Model
	closed  map[qwave.Handle]bool
	flows   map[qwave.Handle][]qwave.QOS_FLOWID // flows by handle, in creation order
	issued  qwave.QOS_FLOWID                    // the largest flow id handed out
	socks   map[qwave.QOS_FLOWID][]qwave.Socket
	ovOwner map[*qwave.Overlapped]qwave.Handle // OVERLAPPEDs passed to an operation, by handle
	scratch map[*qwave.Overlapped]*[64]byte
}

func newBase() *base {
	return &base{Model: qwavetest.New(), closed: map[qwave.Handle]bool{}, flows: map[qwave.Handle][]qwave.QOS_FLOWID{},
		socks: map[qwave.QOS_FLOWID][]qwave.Socket{}, ovOwner: map[*qwave.Overlapped]qwave.Handle{}, scratch: map[*qwave.Overlapped]*[64]byte{}}
}

// fail sets the last error and returns code.
func (b *base) fail(code qwave.Errno) error {
	b.SetLastError(code)
	return code
}

func (b *base) QOSCloseHandle(h qwave.Handle) error {
	err := b.Model.QOSCloseHandle(h)
	if err == nil {
		b.closed[h] = true
	}
	return err
}

func (b *base) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	var in qwave.QOS_FLOWID
	if id != nil {
		in = *id
	}
	err := b.Model.QOSAddSocketToFlow(h, s, dest, t, flags, id)
	if err == nil {
		if in == 0 {
			b.flows[h] = append(b.flows[h], *id)
		}
		b.issued = max(b.issued, *id)
		b.socks[*id] = append(b.socks[*id], s)
	}
	return err
}

// track records an OVERLAPPED an operation of h was given.
func (b *base) track(h qwave.Handle, ov *qwave.Overlapped, err error) error {
	if ov != nil && isCode(err, qwave.ERROR_IO_PENDING) {
		b.ovOwner[ov] = h
	}
	return err
}

func (b *base) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	return b.track(h, ov, b.Model.QOSSetFlow(h, id, op, size, buf, flags, ov))
}

func (b *base) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	return b.track(h, ov, b.Model.QOSQueryFlow(h, id, op, size, buf, flags, ov))
}

func (b *base) QOSNotifyFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	return b.track(h, ov, b.Model.QOSNotifyFlow(h, id, op, size, buf, flags, ov))
}

// The spec pages the mutants cite.
const (
	pageAdd     = "spec/qos2/nf-qos2-qosaddsockettoflow.md"
	pageCancel  = "spec/qos2/nf-qos2-qoscancel.md"
	pageClose   = "spec/qos2/nf-qos2-qosclosehandle.md"
	pageCreate  = "spec/qos2/nf-qos2-qoscreatehandle.md"
	pageEnum    = "spec/qos2/nf-qos2-qosenumerateflows.md"
	pageNotify  = "spec/qos2/nf-qos2-qosnotifyflow.md"
	pageQuery   = "spec/qos2/nf-qos2-qosqueryflow.md"
	pageRemove  = "spec/qos2/nf-qos2-qosremovesocketfromflow.md"
	pageSet     = "spec/qos2/nf-qos2-qossetflow.md"
	pageStart   = "spec/qos2/nf-qos2-qosstarttrackingclient.md"
	pageStop    = "spec/qos2/nf-qos2-qosstoptrackingclient.md"
	sectParams  = "#-parameters"
	sectReturns = "#-returns"
	sectRemarks = "#-remarks"
)

// Each mutant type overrides one method of base.

type closedIsNotFoundM struct{ *base }

func (m closedIsNotFoundM) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if m.closed[h] {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	return m.base.QOSSetFlow(h, id, op, size, buf, flags, ov)
}

type usableAfterCloseM struct{ *base }

func (m usableAfterCloseM) QOSCloseHandle(h qwave.Handle) error {
	if h == 0 || h == GarbageHandle {
		return m.base.QOSCloseHandle(h)
	}
	return nil
}

type nullHandleEnumeratesM struct{ *base }

func (m nullHandleEnumeratesM) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	if h == 0 && size != nil {
		*size = 0
		return nil
	}
	return m.base.QOSEnumerateFlows(h, size, buf)
}

type createNullOutM struct{ *base }

func (m createNullOutM) QOSCreateHandle(v *qwave.QOS_VERSION, h *qwave.Handle) error {
	if h == nil {
		var discard qwave.Handle
		return m.base.QOSCreateHandle(v, &discard)
	}
	return m.base.QOSCreateHandle(v, h)
}

type trackingFlagsBit0M struct{ *base }

func (m trackingFlagsBit0M) QOSStartTrackingClient(h qwave.Handle, a *qwave.RawSockaddrAny, flags uint32) error {
	return m.base.QOSStartTrackingClient(h, a, flags&1)
}

type trafficOffByOneM struct{ *base }

func (m trafficOffByOneM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	if t == qwave.QOSTrafficTypeControl+1 {
		t = qwave.QOSTrafficTypeControl
	}
	return m.base.QOSAddSocketToFlow(h, s, dest, t, flags, id)
}

type notifyBelowFirstM struct{ *base }

func (m notifyBelowFirstM) QOSNotifyFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if op == -1 {
		op = qwave.QOSNotifyAvailable // a table indexed by op wraps to its last entry
	}
	return m.base.QOSNotifyFlow(h, id, op, size, buf, flags, ov)
}

type versionMinorIgnoredM struct{ *base }

func (m versionMinorIgnoredM) QOSCreateHandle(v *qwave.QOS_VERSION, h *qwave.Handle) error {
	if v != nil && v.MajorVersion == 1 {
		v = &qwave.QOS_VERSION{MajorVersion: 1}
	}
	return m.base.QOSCreateHandle(v, h)
}

type querySizeOffByOneM struct{ *base }

func (m querySizeOffByOneM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if b, ok := judge.QueryFlowBuffer(op); ok && size != nil && *size == b.Size-1 {
		*size = b.Size
	}
	return m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
}

type setSizeAtLeastM struct{ *base }

func (m setSizeAtLeastM) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if b, ok := judge.SetFlowBuffer(op); ok && size > b.Size {
		size = b.Size
	}
	return m.base.QOSSetFlow(h, id, op, size, buf, flags, ov)
}

type enumerateSizeZeroM struct{ *base }

func (m enumerateSizeZeroM) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	zero := size != nil && *size == 0
	err := m.base.QOSEnumerateFlows(h, size, buf)
	if insufficient(err) && zero {
		*size = 0 // "nothing fits in no room" taken for success
		return nil
	}
	return err
}

type enumerateSizeInFlowsM struct{ *base }

func (m enumerateSizeInFlowsM) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	err := m.base.QOSEnumerateFlows(h, size, buf)
	if insufficient(err) {
		*size /= 4
	}
	return err
}

type querySizeNotUpdatedM struct{ *base }

func (m querySizeNotUpdatedM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	var in uint32
	if size != nil {
		in = *size
	}
	err := m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
	if err == nil {
		*size = in
	}
	return err
}

type queryFlowZeroM struct{ *base }

func (m queryFlowZeroM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if id == 0 && len(m.flows[h]) > 0 {
		id = m.flows[h][0]
	}
	return m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
}

type removeNeverIssuedM struct{ *base }

func (m removeNeverIssuedM) QOSRemoveSocketFromFlow(h qwave.Handle, s qwave.Socket, id qwave.QOS_FLOWID, flags uint32) error {
	err := m.base.QOSRemoveSocketFromFlow(h, s, id, flags)
	if isCode(err, qwave.ERROR_NOT_FOUND) && id > m.issued {
		return nil
	}
	return err
}

type cancelNeverPassedM struct{ *base }

func (m cancelNeverPassedM) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.base.QOSCancel(h, ov)
	if _, passed := m.ovOwner[ov]; !passed && ov != nil && isCode(err, qwave.ERROR_INVALID_PARAMETER) {
		return nil
	}
	return err
}

type cancelLeavesPendingM struct{ *base }

func (m cancelLeavesPendingM) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.base.QOSCancel(h, ov)
	if err == nil {
		ov.Internal = judge.StatusPending
	}
	return err
}

type cancelOtherHandleM struct{ *base }

func (m cancelOtherHandleM) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.base.QOSCancel(h, ov)
	if owner, ok := m.ovOwner[ov]; ok && owner != h && isCode(err, qwave.ERROR_INVALID_PARAMETER) && !m.closed[h] && h != 0 && h != GarbageHandle {
		return m.base.QOSCancel(owner, ov)
	}
	return err
}

// notifyPendsM lets a notification the docs refuse with code pend instead.
type notifyPendsM struct {
	*base
	code qwave.Errno
}

func (m notifyPendsM) QOSNotifyFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	err := m.base.QOSNotifyFlow(h, id, op, size, buf, flags, ov)
	if isCode(err, m.code) && ov != nil {
		ov.Internal = judge.StatusPending
		return m.fail(qwave.ERROR_IO_PENDING)
	}
	return err
}

type notifyAvailableEchoM struct{ *base }

func (m notifyAvailableEchoM) QOSNotifyFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	var want uint64
	if op == qwave.QOSNotifyAvailable && buf != nil {
		want = *(*uint64)(buf)
	}
	err := m.base.QOSNotifyFlow(h, id, op, size, buf, flags, ov)
	if err == nil && op == qwave.QOSNotifyAvailable {
		*(*uint64)(buf) = want
	}
	return err
}

type queryOverlappedScratchM struct{ *base }

func (m queryOverlappedScratchM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if ov != nil && buf != nil {
		s := new([64]byte)
		m.scratch[ov] = s // kept alive until the operation completes
		buf = unsafe.Pointer(s)
	}
	return m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
}

type closeKeepsPendingM struct{ *base }

func (m closeKeepsPendingM) QOSCloseHandle(h qwave.Handle) error {
	var mine []*qwave.Overlapped
	for ov, owner := range m.ovOwner {
		if owner == h && ov.Internal == judge.StatusPending {
			mine = append(mine, ov)
		}
	}
	err := m.base.QOSCloseHandle(h)
	if err == nil {
		for _, ov := range mine {
			ov.Internal = judge.StatusPending
		}
	}
	return err
}

type clobbersLastErrorM struct{ *base }

func (m clobbersLastErrorM) QOSStartTrackingClient(h qwave.Handle, a *qwave.RawSockaddrAny, flags uint32) error {
	err := m.base.QOSStartTrackingClient(h, a, flags)
	if err == nil {
		m.SetLastError(0)
	}
	return err
}

type staleLastErrorM struct{ *base }

func (m staleLastErrorM) QOSStopTrackingClient(h qwave.Handle, a *qwave.RawSockaddrAny, flags uint32) error {
	before := m.GetLastError()
	err := m.base.QOSStopTrackingClient(h, a, flags)
	if err != nil {
		m.SetLastError(before)
	}
	return err
}

type undocumentedCodeM struct{ *base }

func (m undocumentedCodeM) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.base.QOSCancel(h, ov)
	if isCode(err, qwave.ERROR_INVALID_PARAMETER) {
		return m.fail(qwave.ERROR_NOT_FOUND)
	}
	return err
}

type injectedRemappedM struct{ *base }

func (m injectedRemappedM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	err := m.base.QOSAddSocketToFlow(h, s, dest, t, flags, id)
	if isCode(err, qwave.ERROR_NO_SYSTEM_RESOURCES) {
		return m.fail(qwave.ERROR_NOT_ENOUGH_MEMORY)
	}
	return err
}

type failureWritesSizeM struct{ *base }

func (m failureWritesSizeM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	err := m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
	if b, ok := judge.QueryFlowBuffer(op); ok && err != nil && !insufficient(err) && !isCode(err, qwave.ERROR_IO_PENDING) && size != nil {
		*size = b.Size
	}
	return err
}

type successWritesPastM struct{ *base }

func (m successWritesPastM) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	in := uint32(0)
	if size != nil {
		in = *size
	}
	err := m.base.QOSEnumerateFlows(h, size, buf)
	if err == nil && buf != nil && *size+4 > in {
		*(*qwave.QOS_FLOWID)(unsafe.Add(buf, *size)) = 0xffffffff // a terminator past the end
	}
	return err
}

type failureWritesBufferM struct{ *base }

func (m failureWritesBufferM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	err := m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
	if isCode(err, qwave.ERROR_NOT_FOUND) && buf != nil {
		*(*byte)(buf) = 0xff
	}
	return err
}

type flowIDOnFailureM struct{ *base }

func (m flowIDOnFailureM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	err := m.base.QOSAddSocketToFlow(h, s, dest, t, flags, id)
	if err != nil && id != nil {
		*id = 0xffffffff
	}
	return err
}

type adaptiveSharesM struct{ *base }

func (m adaptiveSharesM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	err := m.base.QOSAddSocketToFlow(h, s, dest, t, flags, id)
	if isCode(err, qwave.ERROR_INVALID_PARAMETER) && id != nil && slices.Contains(m.flows[h], *id) && flags == 0 {
		return nil // claims the socket joined the adaptive flow
	}
	return err
}

type lastSocketKeepsFlowM struct{ *base }

func (m lastSocketKeepsFlowM) QOSRemoveSocketFromFlow(h qwave.Handle, s qwave.Socket, id qwave.QOS_FLOWID, flags uint32) error {
	if s != 0 && flags == 0 && slices.Contains(m.flows[h], id) && slices.Equal(m.socks[id], []qwave.Socket{s}) {
		return nil
	}
	err := m.base.QOSRemoveSocketFromFlow(h, s, id, flags)
	if err == nil {
		if i := slices.Index(m.socks[id], s); i >= 0 {
			m.socks[id] = slices.Delete(m.socks[id], i, i+1)
		}
		if s == 0 {
			delete(m.socks, id)
		}
	}
	return err
}

type stopUntrackedM struct{ *base }

func (m stopUntrackedM) QOSStopTrackingClient(h qwave.Handle, a *qwave.RawSockaddrAny, flags uint32) error {
	err := m.base.QOSStopTrackingClient(h, a, flags)
	if _, ok := dest(a); ok && flags == 0 && isCode(err, qwave.ERROR_INVALID_PARAMETER) {
		return nil
	}
	return err
}

type offLinkTrackedM struct{ *base }

func (m offLinkTrackedM) QOSStartTrackingClient(h qwave.Handle, a *qwave.RawSockaddrAny, flags uint32) error {
	err := m.base.QOSStartTrackingClient(h, a, flags)
	if isCode(err, qwave.ERROR_NOT_SUPPORTED) {
		return nil
	}
	return err
}

type unreachableAcceptedM struct{ *base }

func (m unreachableAcceptedM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, d *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	err := m.base.QOSAddSocketToFlow(h, s, d, t, flags, id)
	if ap, ok := dest(d); ok && isCode(err, qwave.ERROR_HOST_UNREACHABLE) {
		return m.base.QOSAddSocketToFlow(h, s, qwave.SockaddrOf(netip.AddrPortFrom(qwavetest.OnLinkIPv4, ap.Port())), t, flags, id)
	}
	return err
}

type mixedAddressM struct{ *base }

func (m mixedAddressM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, d *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	if ip, port, ok := d.Addr(); ok && len(ip) == 16 {
		if a, _ := netip.AddrFromSlice(ip); a.Is4In6() {
			d = qwave.SockaddrOf(netip.AddrPortFrom(a.Unmap(), port))
		}
	}
	return m.base.QOSAddSocketToFlow(h, s, d, t, flags, id)
}

type portZeroM struct{ *base }

func (m portZeroM) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, d *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	if ap, ok := dest(d); ok && ap.Port() == 0 {
		d = qwave.SockaddrOf(netip.AddrPortFrom(ap.Addr(), 9))
	}
	return m.base.QOSAddSocketToFlow(h, s, d, t, flags, id)
}

type dscpMaskedM struct{ *base }

func (m dscpMaskedM) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if op == qwave.QOSSetOutgoingDSCPValue && buf != nil && size == 4 {
		v := *(*uint32)(buf) & 63
		buf = unsafe.Pointer(&v)
	}
	return m.base.QOSSetFlow(h, id, op, size, buf, flags, ov)
}

type rateNotAdmittedM struct{ *base }

func (m rateNotAdmittedM) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	err := m.base.QOSSetFlow(h, id, op, size, buf, flags, ov)
	if isCode(err, qwave.ERROR_NETWORK_BUSY) {
		return nil
	}
	return err
}

type freshAnyOperationM struct{ *base }

func (m freshAnyOperationM) QOSQueryFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, size *uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	if op != qwave.QOSQueryFlowFundamentals {
		flags &^= qwave.QOS_QUERYFLOW_FRESH
	}
	return m.base.QOSQueryFlow(h, id, op, size, buf, flags, ov)
}

type completionBytesM struct{ *base }

func (m completionBytesM) Complete() int {
	n := m.Model.Complete()
	for ov := range m.ovOwner {
		if ov.Internal == 0 {
			ov.InternalHigh = 0
		}
	}
	return n
}

// wrap returns a constructor of the mutant that make builds around a fresh
// base.
func wrap[M qwave.API](make func(*base) M) func() qwave.API {
	return func() qwave.API { return make(newBase()) }
}

// mutants is the mutant set: at least one per kind of documented rule
// (handle validity, required pointers, reserved flags, enumeration ranges,
// versions, sizes, identifiers, last error, documented codes, out-parameters
// and buffers, flows and sockets, tracking, addresses, buffer values,
// overlapped operations, cancel, notifications).
var mutants = []mutant{
	{"closed-handle-not-found", pageSet + sectReturns, "a closed handle is ERROR_INVALID_HANDLE, not ERROR_NOT_FOUND", layerCheck, wrap(func(b *base) qwave.API { return closedIsNotFoundM{b} })},
	{"usable-after-close", pageClose + sectRemarks, "a closed handle can no longer be used", layerCheck, wrap(func(b *base) qwave.API { return usableAfterCloseM{b} })},
	{"null-handle-enumerates", pageEnum + sectParams, "a NULL QOSHandle is invalid", layerCheck, wrap(func(b *base) qwave.API { return nullHandleEnumeratesM{b} })},
	{"create-null-out", pageCreate + sectParams, "QOSHandle is not optional", layerCheck, wrap(func(b *base) qwave.API { return createNullOutM{b} })},
	{"tracking-flags-bit-0-only", pageStart + sectParams, "Flags is reserved: every bit must be 0", layerCheck, wrap(func(b *base) qwave.API { return trackingFlagsBit0M{b} })},
	{"traffic-type-past-last", pageAdd + sectParams, "TrafficType must be a QOS_TRAFFIC_TYPE value", layerCheck, wrap(func(b *base) qwave.API { return trafficOffByOneM{b} })},
	{"notify-operation-below-first", pageNotify + sectParams, "Operation must be a QOS_NOTIFY_FLOW value", layerCheck, wrap(func(b *base) qwave.API { return notifyBelowFirstM{b} })},
	{"version-minor-ignored", pageCreate + sectParams, "MajorVersion must be 1 and MinorVersion 0", layerCheck, wrap(func(b *base) qwave.API { return versionMinorIgnoredM{b} })},
	{"query-size-needed-minus-1", pageQuery + sectParams, "a Size under the operation's is ERROR_INSUFFICIENT_BUFFER", layerCheck, wrap(func(b *base) qwave.API { return querySizeOffByOneM{b} })},
	{"set-size-needed-plus-1", pageSet + sectParams, "Size is the size of what the operation takes", layerCheck, wrap(func(b *base) qwave.API { return setSizeAtLeastM{b} })},
	{"enumerate-size-0-succeeds", pageEnum + sectParams, "a Size too small is ERROR_INSUFFICIENT_BUFFER", layerCheck, wrap(func(b *base) qwave.API { return enumerateSizeZeroM{b} })},
	{"enumerate-size-in-flows", pageEnum + sectParams, "Size receives the bytes needed", layerCheck, wrap(func(b *base) qwave.API { return enumerateSizeInFlowsM{b} })},
	{"query-size-not-updated", pageQuery + sectParams, "on success Size receives the bytes written", layerCheck, wrap(func(b *base) qwave.API { return querySizeNotUpdatedM{b} })},
	{"query-flow-zero", pageQuery + sectReturns, "a FlowId that identifies no flow is ERROR_NOT_FOUND", layerCheck, wrap(func(b *base) qwave.API { return queryFlowZeroM{b} })},
	{"remove-never-issued", pageRemove + sectReturns, "a FlowId never issued is ERROR_NOT_FOUND", layerCheck, wrap(func(b *base) qwave.API { return removeNeverIssuedM{b} })},
	{"cancel-never-passed", pageCancel + sectParams, "Overlapped is the one passed to the operation being cancelled", layerCheck, wrap(func(b *base) qwave.API { return cancelNeverPassedM{b} })},
	{"cancel-leaves-pending", pageCancel + sectRemarks, "a cancelled operation completes with ERROR_OPERATION_ABORTED", layerCheck, wrap(func(b *base) qwave.API { return cancelLeavesPendingM{b} })},
	{"cancel-other-handle", pageCancel + sectParams, "QOSCancel cancels operations of its own QOSHandle", layerOps, wrap(func(b *base) qwave.API { return cancelOtherHandleM{b} })},
	{"notify-duplicate", pageNotify + sectReturns, "a second pending request of a type is ERROR_ALREADY_EXISTS", layerCheck, wrap(func(b *base) qwave.API { return notifyPendsM{b, qwave.ERROR_ALREADY_EXISTS} })},
	{"notify-non-adaptive", pageAdd + sectParams, "QOSNotifyFlow cannot be used on a QOS_NON_ADAPTIVE_FLOW flow", layerCheckCall, wrap(func(b *base) qwave.API { return notifyPendsM{b, qwave.ERROR_NOT_SUPPORTED} })},
	{"notify-available-echo", pageNotify + sectParams, "QOSNotifyAvailable returns the bandwidth available", layerOps, wrap(func(b *base) qwave.API { return notifyAvailableEchoM{b} })},
	{"query-overlapped-scratch", pageQuery + sectParams, "an overlapped query writes Buffer when it completes", layerOps, wrap(func(b *base) qwave.API { return queryOverlappedScratchM{b} })},
	{"completion-bytes-lost", pageQuery + sectReturns, "a completed operation reports the bytes it wrote", layerOps, wrap(func(b *base) qwave.API { return completionBytesM{b} })},
	{"close-keeps-pending", pageClose + sectRemarks, "closing a handle aborts its pending operations", layerCheck, wrap(func(b *base) qwave.API { return closeKeepsPendingM{b} })},
	{"clobbers-last-error", pageStart + sectReturns, "success leaves the last error alone", layerCheck, wrap(func(b *base) qwave.API { return clobbersLastErrorM{b} })},
	{"stale-last-error", pageStop + sectReturns, "a failure sets the last error to its code", layerCheck, wrap(func(b *base) qwave.API { return staleLastErrorM{b} })},
	{"undocumented-code", pageCancel + sectReturns, "QOSCancel fails only with codes it documents", layerCheck, wrap(func(b *base) qwave.API { return undocumentedCodeM{b} })},
	{"injected-code-remapped", pageAdd + sectReturns, "ERROR_NO_SYSTEM_RESOURCES is reported as itself", layerInjection, wrap(func(b *base) qwave.API { return injectedRemappedM{b} })},
	{"failure-writes-size", pageQuery + sectParams, "only ERROR_INSUFFICIENT_BUFFER changes Size", layerCheckCall, wrap(func(b *base) qwave.API { return failureWritesSizeM{b} })},
	{"success-writes-past-size", pageEnum + sectParams, "nothing is written past Size bytes", layerCheckCall, wrap(func(b *base) qwave.API { return successWritesPastM{b} })},
	{"failure-writes-buffer", pageQuery + sectReturns, "a failed call writes no buffer", layerCheckCall, wrap(func(b *base) qwave.API { return failureWritesBufferM{b} })},
	{"flow-id-written-on-failure", pageAdd + sectParams, "FlowId receives a flow only on success", layerCheck, wrap(func(b *base) qwave.API { return flowIDOnFailureM{b} })},
	{"adaptive-flow-shares", pageAdd + sectParams, "only non-adaptive flows can have more than one socket", layerCheck, wrap(func(b *base) qwave.API { return adaptiveSharesM{b} })},
	{"last-socket-keeps-flow", pageRemove + sectRemarks, "removing a flow's last socket ends the flow", layerOps, wrap(func(b *base) qwave.API { return lastSocketKeepsFlowM{b} })},
	{"stop-untracked", pageStop + sectReturns, "a client the handle does not track cannot be stopped", layerCheckCall, wrap(func(b *base) qwave.API { return stopUntrackedM{b} })},
	{"off-link-tracked", pageStart + sectReturns, "an off-link client is ERROR_NOT_SUPPORTED", layerCheckCall, wrap(func(b *base) qwave.API { return offLinkTrackedM{b} })},
	{"unreachable-accepted", pageAdd + sectReturns, "a destination that cannot be reached is ERROR_HOST_UNREACHABLE", layerCheck, wrap(func(b *base) qwave.API { return unreachableAcceptedM{b} })},
	{"mixed-address-accepted", pageAdd + sectReturns, "mixed IPv4/IPv6 addresses are ERROR_INVALID_PARAMETER", layerCheckCall, wrap(func(b *base) qwave.API { return mixedAddressM{b} })},
	{"port-zero-accepted", pageAdd + sectParams, "the destination must include a port", layerCheckCall, wrap(func(b *base) qwave.API { return portZeroM{b} })},
	{"dscp-masked", pageSet + sectParams, "a DSCP value is 0 to 63", layerCheckCall, wrap(func(b *base) qwave.API { return dscpMaskedM{b} })},
	{"rate-not-admitted", pageSet + sectReturns, "a rate the path cannot carry is ERROR_NETWORK_BUSY", layerCheckCall, wrap(func(b *base) qwave.API { return rateNotAdmittedM{b} })},
	{"fresh-any-operation", pageQuery + sectParams, "QOS_QUERYFLOW_FRESH applies only to QOSQueryFlowFundamentals", layerCheckCall, wrap(func(b *base) qwave.API { return freshAnyOperationM{b} })},
}
