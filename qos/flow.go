package qos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// Flow is a connection's traffic in a qWAVE flow. Its methods are safe for
// concurrent use. Close it before its connection; closing twice is harmless.
type Flow struct {
	c     *Client
	sock  qwave.Socket
	class Class
	flags uint32
	dest  netip.AddrPort
	sa    qwave.RawSockaddrAny
	hasSA bool // sa is the DestAddr (unconnected sockets)

	// Guarded by c.mu: written under the write lock, read under either.
	seq     uint64 // the order the Client made its flows in
	id      qwave.QOS_FLOWID
	lost    bool // removed: Close, Client.Close, or a failed reinitialisation
	dscp    int  // the DSCP value set, or -1
	rateSet bool
	rate    qwave.QOS_FLOWRATE_OUTGOING

	// mu guards the buffers the API writes or reads, kept here so that
	// calls on a flow do not allocate.
	mu      sync.Mutex
	u32     uint32
	size    uint32
	rateBuf qwave.QOS_FLOWRATE_OUTGOING
	fund    qwave.QOS_FLOW_FUNDAMENTALS
	prio    qwave.QOS_PACKET_PRIORITY
	u64     uint64
}

var _ io.Closer = (*Flow)(nil)

const sizeofRate = uint32(unsafe.Sizeof(qwave.QOS_FLOWRATE_OUTGOING{}))

// Class returns the flow's traffic class.
func (f *Flow) Class() Class { return f.class }

// Destination returns the peer the flow's traffic goes to.
func (f *Flow) Destination() netip.AddrPort { return f.dest }

// ID returns the qWAVE flow id; it changes when the Client reinitialises.
func (f *Flow) ID() qwave.QOS_FLOWID {
	f.c.mu.RLock()
	defer f.c.mu.RUnlock()
	return f.id
}

// Close removes the flow (QOSRemoveSocketFromFlow). Its socket keeps
// working, unmarked.
func (f *Flow) Close() error {
	c := f.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.lost {
		return nil
	}
	f.lost = true
	delete(c.flows, f.sock)
	err := c.api.QOSRemoveSocketFromFlow(c.h, 0, f.id, 0)
	if err != nil && !reinitNeeded(err) {
		return wrap("QOSRemoveSocketFromFlow", err)
	}
	return nil
}

// call runs fn on the live flow with its handle and id, and f.mu held while
// fn runs: not while the Client reinitialises, so that OnReinitialize may
// use the flow. fn copies out what it read from the flow's buffers.
func (f *Flow) call(fn func(h qwave.Handle, id qwave.QOS_FLOWID) error) error {
	return f.c.do(func(h qwave.Handle) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.lost {
			return ErrClosed
		}
		return fn(h, f.id)
	})
}

// SetDSCP marks the flow's packets with dscp (0-63)
// (QOSSetOutgoingDSCPValue). It needs the Administrators or Network
// Configuration Operators group (else ErrNeedsAdmin) and no policy against
// it (else ErrBlockedByPolicy). The page does not limit it to a kind of
// flow; programs set it on non-adaptive flows, which the DSCP option makes.
func (f *Flow) SetDSCP(dscp uint8) error {
	if dscp > 63 {
		return fmt.Errorf("qos: DSCP value %d is not in 0-63", dscp)
	}
	err := f.call(func(h qwave.Handle, id qwave.QOS_FLOWID) error {
		f.u32 = uint32(dscp)
		return wrap("QOSSetFlow(QOSSetOutgoingDSCPValue)", f.c.api.QOSSetFlow(h, id, qwave.QOSSetOutgoingDSCPValue, 4, unsafe.Pointer(&f.u32), 0, nil))
	})
	if err == nil {
		f.c.mu.Lock()
		f.dscp = int(dscp)
		f.c.mu.Unlock()
	}
	return err
}

// Shaping says what Windows does with traffic beyond a flow's rate.
type Shaping int32

// The shaping behaviours of QOS_SHAPING.
const (
	ShapeOnly                Shaping = Shaping(qwave.QOSShapeOnly)                // delay packets beyond the rate
	ShapeAndMark             Shaping = Shaping(qwave.QOSShapeAndMark)             // delay them and mark the rest
	UseNonConformantMarkings Shaping = Shaping(qwave.QOSUseNonConformantMarkings) // send them with the non-conformant marks
)

// SetRate sets the flow's outgoing rate in bits per second
// (QOSSetOutgoingRate). On an adaptive flow it fails with
// ERROR_NETWORK_BUSY when the path cannot carry it, and with
// ErrBlockedByPolicy toward an off-link host.
func (f *Flow) SetRate(bitsPerSecond uint64, shaping Shaping) error {
	rate := qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: bitsPerSecond, ShapingBehavior: qwave.QOS_SHAPING(shaping), Reason: qwave.QOSFlowRateNotApplicable}
	err := f.call(func(h qwave.Handle, id qwave.QOS_FLOWID) error {
		f.rateBuf = rate
		return wrap("QOSSetFlow(QOSSetOutgoingRate)", f.c.api.QOSSetFlow(h, id, qwave.QOSSetOutgoingRate, sizeofRate, unsafe.Pointer(&f.rateBuf), 0, nil))
	})
	if err == nil {
		f.c.mu.Lock()
		f.rate, f.rateSet = rate, true
		f.c.mu.Unlock()
	}
	return err
}

// Rate returns the flow's outgoing rate in bits per second
// (QOSQueryOutgoingRate); ErrNotYet before a rate is set.
func (f *Flow) Rate() (uint64, error) {
	var rate uint64
	err := f.call(func(h qwave.Handle, id qwave.QOS_FLOWID) error {
		err := f.query(h, id, qwave.QOSQueryOutgoingRate, unsafe.Pointer(&f.u64), 8, 0)
		rate = f.u64
		return wrap("QOSQueryFlow(QOSQueryOutgoingRate)", err)
	})
	return rate, err
}

// query calls QOSQueryFlow with the flow's size buffer; f.mu is held.
func (f *Flow) query(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, buf unsafe.Pointer, size, flags uint32) error {
	f.size = size
	return f.c.api.QOSQueryFlow(h, id, op, &f.size, buf, flags, nil)
}

// Priority is what Windows marks a flow's packets with
// (QOS_PACKET_PRIORITY): within its rate (conformant) and beyond it.
type Priority struct {
	DSCP, IEEE8021p                           uint8
	NonConformantDSCP, NonConformantIEEE8021p uint8
}

// Priority returns the marks actually applied to the flow
// (QOSQueryPacketPriority). An adaptive flow may be unmarked (all zero)
// until qWAVE has probed its path, or a rate is set.
func (f *Flow) Priority() (Priority, error) {
	var p Priority
	err := f.call(func(h qwave.Handle, id qwave.QOS_FLOWID) error {
		err := f.query(h, id, qwave.QOSQueryPacketPriority, unsafe.Pointer(&f.prio), uint32(unsafe.Sizeof(f.prio)), 0)
		p = Priority{uint8(f.prio.ConformantDSCPValue), uint8(f.prio.ConformantL2Value), uint8(f.prio.NonConformantDSCPValue), uint8(f.prio.NonConformantL2Value)}
		return wrap("QOSQueryFlow(QOSQueryPacketPriority)", err)
	})
	if err != nil {
		return Priority{}, err
	}
	return p, nil
}

// Estimates are qWAVE's bandwidth estimates of a flow's path
// (QOS_FLOW_FUNDAMENTALS); zero means not known.
type Estimates struct {
	BottleneckBandwidth uint64 // bits per second
	AvailableBandwidth  uint64 // bits per second
	RTT                 time.Duration
}

// Estimates returns the path's estimates (QOSQueryFlowFundamentals). With
// fresh it asks for current data (QOS_QUERYFLOW_FRESH). ErrNotYet means
// qWAVE has none yet; non-adaptive flows and off-link hosts have none
// (ERROR_NOT_SUPPORTED).
func (f *Flow) Estimates(fresh bool) (Estimates, error) {
	var flags uint32
	if fresh {
		flags = qwave.QOS_QUERYFLOW_FRESH
	}
	var e Estimates
	err := f.call(func(h qwave.Handle, id qwave.QOS_FLOWID) error {
		if err := f.query(h, id, qwave.QOSQueryFlowFundamentals, unsafe.Pointer(&f.fund), uint32(unsafe.Sizeof(f.fund)), flags); err != nil {
			return wrap("QOSQueryFlow(QOSQueryFlowFundamentals)", err)
		}
		if f.fund.BottleneckBandwidthSet != 0 {
			e.BottleneckBandwidth = f.fund.BottleneckBandwidth
		}
		if f.fund.AvailableBandwidthSet != 0 {
			e.AvailableBandwidth = f.fund.AvailableBandwidth
		}
		if f.fund.RTTSet != 0 {
			e.RTT = time.Duration(f.fund.RTT) * time.Microsecond
		}
		return nil
	})
	return e, err
}

// WaitCongested returns when the flow's path is congested
// (QOSNotifyCongested), or when ctx ends: then the request is cancelled
// (QOSCancel) and ctx's error returned. A wait whose flow goes away (Close,
// Client.Close, a reinitialisation) ends with ERROR_OPERATION_ABORTED.
// Non-adaptive flows and off-link hosts have no notifications
// (ERROR_NOT_SUPPORTED).
func (f *Flow) WaitCongested(ctx context.Context) error {
	_, err := f.notify(ctx, qwave.QOSNotifyCongested, 0)
	return err
}

// WaitUncongested returns when the flow's path is not congested
// (QOSNotifyUncongested), or when ctx ends, as WaitCongested.
func (f *Flow) WaitUncongested(ctx context.Context) error {
	_, err := f.notify(ctx, qwave.QOSNotifyUncongested, 0)
	return err
}

// WaitAvailable returns the available bandwidth once it is at least
// bitsPerSecond (QOSNotifyAvailable), or when ctx ends, as WaitCongested.
func (f *Flow) WaitAvailable(ctx context.Context, bitsPerSecond uint64) (uint64, error) {
	return f.notify(ctx, qwave.QOSNotifyAvailable, bitsPerSecond)
}

// pending is one overlapped QOSNotifyFlow request. It stays reachable and
// pinned until the operation has completed.
type pending struct {
	o    qwave.Overlapped
	size uint32
	buf  uint64
}

func (f *Flow) notify(ctx context.Context, op qwave.QOS_NOTIFY_FLOW, want uint64) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	p := new(pending)
	var pin runtime.Pinner
	pin.Pin(p)
	defer pin.Unpin()
	var buf unsafe.Pointer
	if op == qwave.QOSNotifyAvailable {
		p.buf, p.size, buf = want, 8, unsafe.Pointer(&p.buf)
	}
	if f.c.waiter == nil {
		// Only Windows can wait for qwave.dll's completions; an API with
		// neither must not start an operation it cannot see end.
		if err := prepare(&p.o); err != nil {
			return 0, err
		}
		defer release(&p.o)
	}
	var h qwave.Handle
	err := f.c.do(func(hh qwave.Handle) error {
		if f.lost {
			return ErrClosed
		}
		h = hh
		return f.c.api.QOSNotifyFlow(hh, f.id, op, &p.size, buf, 0, &p.o)
	})
	name := notifyNames[op]
	switch {
	case err == nil:
		return p.buf, nil
	case err == ErrClosed:
		return 0, err
	case !isPending(err):
		return 0, wrap(name, err)
	}
	if err, cancelled := f.c.wait(ctx, h, &p.o); cancelled {
		return 0, err
	} else if err != nil {
		return 0, wrap(name, err)
	}
	return p.buf, nil
}

var notifyNames = [...]string{
	qwave.QOSNotifyCongested:   "QOSNotifyFlow(QOSNotifyCongested)",
	qwave.QOSNotifyUncongested: "QOSNotifyFlow(QOSNotifyUncongested)",
	qwave.QOSNotifyAvailable:   "QOSNotifyFlow(QOSNotifyAvailable)",
}

func isPending(err error) bool { return errors.Is(err, qwave.ERROR_IO_PENDING) }

// wait waits for the overlapped operation o started on handle h, cancelling
// it when ctx ends. It returns the operation's error, or ctx's error and
// cancelled when the cancellation aborted it. It returns only once the
// operation is over, so o can be reused or freed.
func (c *Client) wait(ctx context.Context, h qwave.Handle, o *qwave.Overlapped) (err error, cancelled bool) {
	if c.waiter == nil {
		err, cancelled = waitNative(ctx, c.api, h, o)
	} else {
		select {
		case <-c.waiter.Done(o):
		case <-ctx.Done():
			_ = c.api.QOSCancel(h, o) // fails only when o completed meanwhile
			<-c.waiter.Done(o)
			cancelled = true
		}
		_, err, _ = c.waiter.OverlappedResult(o)
	}
	if cancelled && errors.Is(err, qwave.ERROR_OPERATION_ABORTED) {
		return ctx.Err(), true
	}
	return err, false
}
