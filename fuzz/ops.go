package fuzz

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// OpKind is the qWAVE call an Op makes.
type OpKind uint8

// The calls GenerateOps makes.
const (
	OpCreateHandle         OpKind = iota // QOSCreateHandle with Version
	OpCloseHandle                        // QOSCloseHandle
	OpAddSocketToFlow                    // QOSAddSocketToFlow, to a new flow or to an existing one
	OpRemoveSocketFromFlow               // QOSRemoveSocketFromFlow of one socket or of the whole flow
	OpSetFlow                            // QOSSetFlow with Set, Size and Value, maybe overlapped
	OpQueryFlow                          // QOSQueryFlow with Query, Size and Flags, maybe overlapped
	OpNotifyFlow                         // QOSNotifyFlow with Notify, Size and Value, maybe overlapped
	OpCancel                             // QOSCancel of an OVERLAPPED
	OpEnumerateFlows                     // QOSEnumerateFlows
	OpStartTrackingClient                // QOSStartTrackingClient
	OpStopTrackingClient                 // QOSStopTrackingClient
	OpComplete                           // let overlapped operations complete, then read every OVERLAPPED
	OpCongestion                         // the network becomes congested (Value 1) or not (0)
)

var opKindNames = [...]string{
	OpCreateHandle:         "OpCreateHandle",
	OpCloseHandle:          "OpCloseHandle",
	OpAddSocketToFlow:      "OpAddSocketToFlow",
	OpRemoveSocketFromFlow: "OpRemoveSocketFromFlow",
	OpSetFlow:              "OpSetFlow",
	OpQueryFlow:            "OpQueryFlow",
	OpNotifyFlow:           "OpNotifyFlow",
	OpCancel:               "OpCancel",
	OpEnumerateFlows:       "OpEnumerateFlows",
	OpStartTrackingClient:  "OpStartTrackingClient",
	OpStopTrackingClient:   "OpStopTrackingClient",
	OpComplete:             "OpComplete",
	OpCongestion:           "OpCongestion",
}

// opFuncs maps the kinds that make one call to the function they call.
var opFuncs = map[OpKind]qwave.FuncID{
	OpCreateHandle:         qwave.FuncQOSCreateHandle,
	OpCloseHandle:          qwave.FuncQOSCloseHandle,
	OpAddSocketToFlow:      qwave.FuncQOSAddSocketToFlow,
	OpRemoveSocketFromFlow: qwave.FuncQOSRemoveSocketFromFlow,
	OpSetFlow:              qwave.FuncQOSSetFlow,
	OpQueryFlow:            qwave.FuncQOSQueryFlow,
	OpNotifyFlow:           qwave.FuncQOSNotifyFlow,
	OpCancel:               qwave.FuncQOSCancel,
	OpEnumerateFlows:       qwave.FuncQOSEnumerateFlows,
	OpStartTrackingClient:  qwave.FuncQOSStartTrackingClient,
	OpStopTrackingClient:   qwave.FuncQOSStopTrackingClient,
}

// Func returns the function the op calls; ok is false for OpComplete and
// OpCongestion, which call none.
func (k OpKind) Func() (qwave.FuncID, bool) {
	id, ok := opFuncs[k]
	return id, ok
}

func (k OpKind) String() string {
	if int(k) < len(opKindNames) {
		return opKindNames[k]
	}
	return "OpKind(" + strconv.Itoa(int(k)) + ")"
}

// Symbols that name no object, as Op.Handle, Op.Flow, Op.Socket or
// Op.Overlapped.
const (
	// Garbage, as Op.Handle or Op.Flow, passes a value that no
	// implementation hands out: GarbageHandle or GarbageFlow.
	Garbage = -1
	// Zero, as Op.Handle or Op.Flow, passes 0 (NULL), never a valid handle
	// or flow id.
	Zero = -2
	// NoSocket, as Op.Socket, passes no socket (0): QOSRemoveSocketFromFlow
	// then destroys the whole flow.
	NoSocket = -1
	// NoOverlapped, as Op.Overlapped, passes NULL: the call is synchronous.
	NoOverlapped = -1
)

// The values Execute passes for Garbage. Handles of qwavetest and Shadow are
// even and flow ids small, so these never name a live object.
const (
	GarbageHandle qwave.Handle     = 0xdeadbeef
	GarbageFlow   qwave.QOS_FLOWID = 0xdeadbeef
)

// Op is one call of an op sequence. Handles, flows, sockets and OVERLAPPEDs
// are named symbolically, so the same ops run on implementations that hand
// out different values: handle h<i> is the one the i-th QOSCreateHandle op
// created, flow f<i> the one the i-th QOSAddSocketToFlow op to a new flow
// created, socket s<i> a fixed fake socket value, and o<i> the i-th
// OVERLAPPED, which Execute allocates when an op first names it (an
// OVERLAPPED an op names first in QOSCancel was never passed to any call).
// String prints the call as C would, with these names: "&0 (new f2)" is a
// *FlowId of 0 whose flow is f2 from then on.
type Op struct {
	Kind OpKind
	// Handle is the symbolic handle the call takes (the one it creates for
	// OpCreateHandle), Garbage or Zero.
	Handle int
	// Flow is the symbolic flow the call takes, Garbage or Zero; for
	// OpAddSocketToFlow with NewFlow, the flow it creates.
	Flow int
	// NewFlow: OpAddSocketToFlow passes *FlowId 0 and so creates Flow;
	// otherwise it adds the socket to the existing Flow.
	NewFlow bool
	// Socket is the symbolic socket, or NoSocket.
	Socket int
	// Addr is the destination of OpAddSocketToFlow and the client of
	// OpStartTrackingClient and OpStopTrackingClient.
	Addr netip.AddrPort
	// Traffic is the traffic type of OpAddSocketToFlow and of OpSetFlow
	// with QOSSetTrafficType.
	Traffic qwave.QOS_TRAFFIC_TYPE
	// Flags are the Flags of the call.
	Flags uint32
	// Size is the buffer size in bytes of OpSetFlow, OpQueryFlow,
	// OpNotifyFlow and OpEnumerateFlows; Execute passes a buffer of that
	// size (NULL for 0, and for QOSNotifyCongested and
	// QOSNotifyUncongested).
	Size uint32
	// Version is what OpCreateHandle asks for.
	Version qwave.QOS_VERSION
	// Set, Query and Notify are the operations of OpSetFlow, OpQueryFlow
	// and OpNotifyFlow.
	Set    qwave.QOS_SET_FLOW
	Query  qwave.QOS_QUERY_FLOW
	Notify qwave.QOS_NOTIFY_FLOW
	// Value is the rate (bits/s) of QOSSetOutgoingRate, the DSCP value of
	// QOSSetOutgoingDSCPValue, the bandwidth QOSNotifyAvailable waits for,
	// and 1 for a congested network in OpCongestion.
	Value uint64
	// Overlapped is the symbolic OVERLAPPED of OpSetFlow, OpQueryFlow,
	// OpNotifyFlow and OpCancel, or NoOverlapped.
	Overlapped int
}

func (op Op) String() string {
	h := handleName(op.Handle)
	ov := overlappedName(op.Overlapped)
	switch op.Kind {
	case OpCreateHandle:
		return fmt.Sprintf("QOSCreateHandle(&{%d, %d}, &%s)", op.Version.MajorVersion, op.Version.MinorVersion, h)
	case OpCloseHandle:
		return "QOSCloseHandle(" + h + ")"
	case OpAddSocketToFlow:
		flags := "0"
		if op.Flags == qwave.QOS_NON_ADAPTIVE_FLOW {
			flags = "QOS_NON_ADAPTIVE_FLOW"
		} else if op.Flags != 0 {
			flags = fmt.Sprintf("%#x", op.Flags)
		}
		flow := "&" + flowName(op.Flow)
		if op.NewFlow {
			flow = "&0 (new " + flowName(op.Flow) + ")"
		}
		return fmt.Sprintf("QOSAddSocketToFlow(%s, %s, %v, %v, %s, %s)", h, socketName(op.Socket), op.Addr, op.Traffic, flags, flow)
	case OpRemoveSocketFromFlow:
		return fmt.Sprintf("QOSRemoveSocketFromFlow(%s, %s, %s, %#x)", h, socketName(op.Socket), flowName(op.Flow), op.Flags)
	case OpSetFlow:
		var val string
		switch op.Set {
		case qwave.QOSSetTrafficType:
			val = op.Traffic.String()
		case qwave.QOSSetOutgoingRate:
			val = fmt.Sprintf("{%d bit/s}", op.Value)
		default:
			val = strconv.FormatUint(op.Value, 10)
		}
		return fmt.Sprintf("QOSSetFlow(%s, %s, %v, %d, &%s, %#x, %s)", h, flowName(op.Flow), op.Set, op.Size, val, op.Flags, ov)
	case OpQueryFlow:
		return fmt.Sprintf("QOSQueryFlow(%s, %s, %v, &%d, buf, %#x, %s)", h, flowName(op.Flow), op.Query, op.Size, op.Flags, ov)
	case OpNotifyFlow:
		buf := "NULL"
		if op.Notify == qwave.QOSNotifyAvailable {
			buf = fmt.Sprintf("&%d", op.Value)
		}
		return fmt.Sprintf("QOSNotifyFlow(%s, %s, %v, &%d, %s, %#x, %s)", h, flowName(op.Flow), op.Notify, op.Size, buf, op.Flags, ov)
	case OpCancel:
		return fmt.Sprintf("QOSCancel(%s, %s)", h, ov)
	case OpEnumerateFlows:
		return fmt.Sprintf("QOSEnumerateFlows(%s, &%d, buf)", h, op.Size)
	case OpStartTrackingClient:
		return fmt.Sprintf("QOSStartTrackingClient(%s, %v, %#x)", h, op.Addr, op.Flags)
	case OpStopTrackingClient:
		return fmt.Sprintf("QOSStopTrackingClient(%s, %v, %#x)", h, op.Addr, op.Flags)
	case OpComplete:
		return "complete overlapped operations"
	case OpCongestion:
		if op.Value != 0 {
			return "network: congested"
		}
		return "network: not congested"
	}
	return op.Kind.String()
}

func handleName(i int) string {
	switch i {
	case Garbage:
		return fmt.Sprintf("%#x", uint64(GarbageHandle))
	case Zero:
		return "NULL"
	}
	return "h" + strconv.Itoa(i)
}

func flowName(i int) string {
	switch i {
	case Garbage:
		return fmt.Sprintf("%#x", uint32(GarbageFlow))
	case Zero:
		return "0"
	}
	return "f" + strconv.Itoa(i)
}

func socketName(i int) string {
	if i == NoSocket {
		return "0"
	}
	return "s" + strconv.Itoa(i)
}

func overlappedName(i int) string {
	if i == NoOverlapped {
		return "NULL"
	}
	return "&o" + strconv.Itoa(i)
}

// Limits of a generated sequence.
const (
	opsMaxOpenHandles = 3
	opsSockets        = 6
)

// opsAddrs are the addresses ops send to and track: the on-link IPv4 and
// IPv6 hosts, the off-link host and an unreachable address of qwavetest's
// default network, the network Shadow models too.
var opsAddrs = [...]netip.Addr{
	qwavetest.OnLinkIPv4,
	qwavetest.OnLinkIPv6,
	qwavetest.OffLinkIPv4,
	qwavetest.UnreachableIPv4,
}

// GenerateOps returns n ops drawn from a PCG generator seeded with seed. The
// same seed gives the same ops, and GenerateOps(seed, n) is a prefix of
// GenerateOps(seed, m) for n ≤ m, so the first op whose history line differs
// marks the shortest failing sequence.
//
// The generator keeps a rough idea of which handles are open, which flows
// exist, which sockets are in them and which OVERLAPPEDs are in use, only to
// steer towards calls that do something: mostly open handles (at most 3 at
// once), free sockets (6 in all), reachable destinations, live flows, valid
// versions, the Size each operation needs and fresh OVERLAPPEDs; and now and
// then a closed, NULL or garbage handle, a removed, adaptive, zero or
// garbage flow, a flow of another handle, a busy socket, an unreachable or
// off-link host, a destination without a port, a version next to 1.0, a
// Size one byte off or 0, a reserved flag bit, a value out of range, an
// OVERLAPPED in use or never passed. Whether a call succeeds is left to the
// implementations.
func GenerateOps(seed uint64, n int) []Op {
	if n <= 0 {
		return nil
	}
	g := opsGen{rng: rand.New(rand.NewPCG(seed, 0x5157415645))}
	for i := range g.sockFlow {
		g.sockFlow[i] = -1
	}
	ops := make([]Op, 0, n+1)
	for len(ops) < n {
		ops = g.next(ops)
	}
	return ops[:n]
}

// opsGen is the generator's state: what it believes the calls so far did.
type opsGen struct {
	rng      *rand.Rand
	open     []bool // by handle symbol
	flows    []opsFlow
	sockFlow [opsSockets]int // the flow a socket is believed in, or -1
	ovCount  int             // OVERLAPPED symbols handed out
	inFlight []int           // OVERLAPPEDs passed to a call, most recent last
}

type opsFlow struct {
	handle      int
	nonAdaptive bool
	live        bool
	sockets     int
}

// The relative weights of the kinds of op the generator draws.
var opsWeights = [...]struct {
	kind   OpKind
	weight int
}{
	{OpCreateHandle, 5},
	{OpCloseHandle, 3},
	{OpAddSocketToFlow, 26},
	{OpRemoveSocketFromFlow, 14},
	{OpSetFlow, 10},
	{OpQueryFlow, 10},
	{OpNotifyFlow, 8},
	{OpCancel, 5},
	{OpEnumerateFlows, 8},
	{OpStartTrackingClient, 4},
	{OpStopTrackingClient, 4},
	{OpComplete, 4},
	{OpCongestion, 2},
}

var opsTotalWeight = func() int {
	sum := 0
	for _, w := range opsWeights {
		sum += w.weight
	}
	return sum
}()

func (g *opsGen) chance(percent int) bool { return g.rng.IntN(100) < percent }

// next appends one op, or two for a remove made twice.
func (g *opsGen) next(ops []Op) []Op {
	if g.openHandles() == 0 {
		return append(ops, g.createHandle())
	}
	r := g.rng.IntN(opsTotalWeight)
	kind := OpCreateHandle
	for _, w := range opsWeights {
		if r < w.weight {
			kind = w.kind
			break
		}
		r -= w.weight
	}
	switch kind {
	case OpCreateHandle:
		if g.openHandles() >= opsMaxOpenHandles {
			return append(ops, g.enumerate())
		}
		return append(ops, g.createHandle())
	case OpCloseHandle:
		return append(ops, g.closeHandle())
	case OpAddSocketToFlow:
		if len(g.flows) == 0 || g.chance(55) {
			return append(ops, g.addToNewFlow())
		}
		return append(ops, g.addToFlow())
	case OpRemoveSocketFromFlow:
		op := g.remove()
		if g.chance(15) {
			return append(ops, op, op)
		}
		return append(ops, op)
	case OpSetFlow:
		return append(ops, g.setFlow())
	case OpQueryFlow:
		return append(ops, g.queryFlow())
	case OpNotifyFlow:
		return append(ops, g.notifyFlow())
	case OpCancel:
		return append(ops, g.cancel())
	case OpEnumerateFlows:
		return append(ops, g.enumerate())
	case OpComplete:
		g.inFlight = g.inFlight[:0]
		return append(ops, Op{Kind: OpComplete, Overlapped: NoOverlapped})
	case OpCongestion:
		return append(ops, Op{Kind: OpCongestion, Value: uint64(g.rng.IntN(2)), Overlapped: NoOverlapped})
	default: // OpStartTrackingClient, OpStopTrackingClient
		port := uint16(0)
		if g.chance(50) {
			port = 5000 + uint16(g.rng.IntN(3))
		}
		ip := opsAddrs[0]
		if g.chance(40) {
			ip = opsAddrs[g.rng.IntN(len(opsAddrs))]
		}
		return append(ops, Op{Kind: kind, Handle: g.handle(), Addr: netip.AddrPortFrom(ip, port), Flags: g.flags(0), Overlapped: NoOverlapped})
	}
}

func (g *opsGen) openHandles() int {
	n := 0
	for _, o := range g.open {
		if o {
			n++
		}
	}
	return n
}

// versions are the versions OpCreateHandle asks for: 1.0, and each of its
// neighbours.
var versions = [...]qwave.QOS_VERSION{{MajorVersion: 1}, {MajorVersion: 0}, {MajorVersion: 2}, {MajorVersion: 1, MinorVersion: 1}, {MajorVersion: 1, MinorVersion: 0xffff}}

func (g *opsGen) createHandle() Op {
	op := Op{Kind: OpCreateHandle, Handle: len(g.open), Version: versions[0], Overlapped: NoOverlapped}
	if g.chance(6) {
		op.Version = versions[1+g.rng.IntN(len(versions)-1)]
	}
	g.open = append(g.open, op.Version == versions[0])
	return op
}

func (g *opsGen) closeHandle() Op {
	h := g.handle()
	if h >= 0 && g.open[h] {
		g.open[h] = false
		for i := range g.flows {
			if g.flows[i].handle == h {
				g.kill(i)
			}
		}
	}
	return Op{Kind: OpCloseHandle, Handle: h, Overlapped: NoOverlapped}
}

// handle picks a handle: mostly an open one, now and then a closed one,
// NULL or Garbage.
func (g *opsGen) handle() int {
	var open, closed []int
	for i, o := range g.open {
		if o {
			open = append(open, i)
		} else {
			closed = append(closed, i)
		}
	}
	switch r := g.rng.IntN(100); {
	case r < 3:
		return Garbage
	case r < 5:
		return Zero
	case r < 12 && len(closed) > 0, len(open) == 0:
		if len(closed) == 0 {
			return Garbage
		}
		return closed[g.rng.IntN(len(closed))]
	default:
		return open[g.rng.IntN(len(open))]
	}
}

// flow picks a flow and the handle to pass with it: mostly a live flow with
// its own handle, now and then a removed flow, another handle, 0 or
// Garbage.
func (g *opsGen) flow() (handle, flow int) {
	if len(g.flows) == 0 || g.chance(4) {
		return g.handle(), [...]int{Garbage, Zero}[g.rng.IntN(2)]
	}
	var live []int
	for i, f := range g.flows {
		if f.live {
			live = append(live, i)
		}
	}
	flow = g.rng.IntN(len(g.flows))
	if len(live) > 0 && g.chance(80) {
		flow = live[g.rng.IntN(len(live))]
	}
	handle = g.flows[flow].handle
	if g.chance(10) {
		handle = g.handle()
	}
	return handle, flow
}

// flags returns valid mostly, else a single bit (a reserved one, or the
// valid flag where it is not allowed).
func (g *opsGen) flags(valid uint32) uint32 {
	if g.chance(5) {
		return 1 << g.rng.IntN(32)
	}
	return valid
}

// size returns needed mostly, else 0, needed-1 or needed+1.
func (g *opsGen) size(needed uint32) uint32 {
	switch r := g.rng.IntN(100); {
	case r < 4:
		return 0
	case r < 8:
		return needed - min(needed, 1)
	case r < 11:
		return needed + 1
	}
	return needed
}

// overlapped picks the OVERLAPPED of an operation that may be overlapped:
// NULL about half the time, mostly a fresh one, now and then one passed
// before (still in use, or completed and so free again).
func (g *opsGen) overlapped() int {
	switch r := g.rng.IntN(100); {
	case r < 50:
		return NoOverlapped
	case r < 58 && len(g.inFlight) > 0:
		return g.inFlight[g.rng.IntN(len(g.inFlight))]
	case r < 62 && g.ovCount > 0:
		return g.rng.IntN(g.ovCount)
	}
	o := g.ovCount
	g.ovCount++
	g.inFlight = append(g.inFlight, o)
	return o
}

func (g *opsGen) traffic() qwave.QOS_TRAFFIC_TYPE {
	first, last, _ := judge.EnumRange("QOS_TRAFFIC_TYPE")
	switch {
	case g.chance(3):
		return qwave.QOS_TRAFFIC_TYPE(last + 1)
	case g.chance(2):
		return qwave.QOS_TRAFFIC_TYPE(first - 1)
	}
	return qwave.QOS_TRAFFIC_TYPE(first + int32(g.rng.IntN(int(last-first)+1)))
}

// operation picks a member of the named enumeration, now and then the value
// just past its last member.
func (g *opsGen) operation(ctype string) int32 {
	first, last, _ := judge.EnumRange(ctype)
	if g.chance(3) {
		return last + 1
	}
	return first + int32(g.rng.IntN(int(last-first)+1))
}

func (g *opsGen) setFlow() Op {
	op := Op{Kind: OpSetFlow, Set: qwave.QOS_SET_FLOW(g.operation("QOS_SET_FLOW")), Traffic: g.traffic(), Flags: g.flags(0), Overlapped: g.overlapped()}
	op.Handle, op.Flow = g.flow()
	b, _ := judge.SetFlowBuffer(op.Set)
	op.Size = g.size(max(b.Size, 4))
	switch op.Set {
	case qwave.QOSSetOutgoingRate:
		op.Value = [...]uint64{1_000_000, 50_000_000, 500_000_000, 1 << 40, qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH}[g.rng.IntN(5)]
	case qwave.QOSSetOutgoingDSCPValue:
		op.Value = uint64(g.rng.IntN(64))
		if g.chance(5) {
			op.Value = 64
		}
	}
	return op
}

func (g *opsGen) queryFlow() Op {
	op := Op{Kind: OpQueryFlow, Query: qwave.QOS_QUERY_FLOW(g.operation("QOS_QUERY_FLOW")), Overlapped: g.overlapped()}
	op.Handle, op.Flow = g.flow()
	b, _ := judge.QueryFlowBuffer(op.Query)
	op.Size = g.size(max(b.Size, 8))
	if op.Query == qwave.QOSQueryFlowFundamentals && g.chance(30) {
		op.Flags = qwave.QOS_QUERYFLOW_FRESH
	}
	op.Flags = g.flags(op.Flags)
	return op
}

func (g *opsGen) notifyFlow() Op {
	op := Op{Kind: OpNotifyFlow, Notify: qwave.QOS_NOTIFY_FLOW(g.operation("QOS_NOTIFY_FLOW")), Flags: g.flags(0), Overlapped: NoOverlapped}
	op.Handle, op.Flow = g.flow()
	if g.chance(85) {
		op.Overlapped = g.overlapped()
		if op.Overlapped == NoOverlapped {
			op.Overlapped = g.overlapped()
		}
	}
	if op.Notify == qwave.QOSNotifyAvailable {
		op.Size = g.size(8)
		op.Value = [...]uint64{1000, 50_000_000, 1 << 40}[g.rng.IntN(3)]
	}
	return op
}

// cancel cancels mostly an OVERLAPPED in flight, now and then one that
// completed, one never passed to any call, or NULL.
func (g *opsGen) cancel() Op {
	op := Op{Kind: OpCancel, Handle: g.handle(), Overlapped: NoOverlapped}
	switch r := g.rng.IntN(100); {
	case r < 70 && len(g.inFlight) > 0:
		op.Overlapped = g.inFlight[len(g.inFlight)-1-g.rng.IntN(min(len(g.inFlight), 2))]
	case r < 80 && g.ovCount > 0:
		op.Overlapped = g.rng.IntN(g.ovCount)
	case r < 95:
		op.Overlapped = g.ovCount // never passed to any call
		g.ovCount++
	}
	return op
}

// dest picks a destination: mostly an on-link host, now and then the
// off-link host, the unreachable one or a port of 0. ok says whether the
// generator expects it to be accepted.
func (g *opsGen) dest() (ap netip.AddrPort, ok bool) {
	i := 0
	switch r := g.rng.IntN(100); {
	case r < 30:
		i = 1
	case r < 42:
		i = 2
	case r < 50:
		i = 3
	}
	port := uint16(5000 + g.rng.IntN(3))
	if g.chance(3) {
		port = 0
	}
	return netip.AddrPortFrom(opsAddrs[i], port), i != 3 && port != 0
}

// socket picks a socket, mostly a free one.
func (g *opsGen) socket() int {
	var free []int
	for s, f := range g.sockFlow {
		if f < 0 {
			free = append(free, s)
		}
	}
	if len(free) > 0 && g.chance(85) {
		return free[g.rng.IntN(len(free))]
	}
	return g.rng.IntN(opsSockets)
}

func (g *opsGen) addToNewFlow() Op {
	op := Op{Kind: OpAddSocketToFlow, NewFlow: true, Handle: g.handle(), Socket: g.socket(), Traffic: g.traffic(), Overlapped: NoOverlapped}
	if g.chance(50) {
		op.Flags = qwave.QOS_NON_ADAPTIVE_FLOW
	}
	op.Flags = g.flags(op.Flags)
	var reachable bool
	op.Addr, reachable = g.dest()
	op.Flow = len(g.flows)
	f := opsFlow{handle: op.Handle, nonAdaptive: op.Flags == qwave.QOS_NON_ADAPTIVE_FLOW}
	if op.Handle >= 0 && g.open[op.Handle] && reachable && g.sockFlow[op.Socket] < 0 && op.Flags&^qwave.QOS_NON_ADAPTIVE_FLOW == 0 {
		f.live, f.sockets = true, 1
		g.sockFlow[op.Socket] = op.Flow
	}
	g.flows = append(g.flows, f)
	return op
}

// addToFlow adds a socket to an existing flow: mostly a live non-adaptive
// one, now and then an adaptive or removed one.
func (g *opsGen) addToFlow() Op {
	var shared, other []int
	for i, f := range g.flows {
		if f.live && f.nonAdaptive {
			shared = append(shared, i)
		} else {
			other = append(other, i)
		}
	}
	var flow int
	switch {
	case len(shared) > 0 && (len(other) == 0 || g.chance(70)):
		flow = shared[g.rng.IntN(len(shared))]
	default:
		flow = other[g.rng.IntN(len(other))]
	}
	f := &g.flows[flow]
	op := Op{Kind: OpAddSocketToFlow, Handle: f.handle, Flow: flow, Socket: g.socket(), Traffic: g.traffic(), Overlapped: NoOverlapped}
	if f.nonAdaptive {
		op.Flags = qwave.QOS_NON_ADAPTIVE_FLOW
	}
	if g.chance(8) {
		op.Handle = g.handle()
	}
	if g.chance(3) {
		op.Flow = Garbage
	}
	var reachable bool
	op.Addr, reachable = g.dest()
	if op.Flow >= 0 && op.Handle == f.handle && f.live && f.nonAdaptive && reachable && g.sockFlow[op.Socket] < 0 {
		f.sockets++
		g.sockFlow[op.Socket] = flow
	}
	return op
}

// remove removes a socket from a flow, mostly one that is in it, or, with
// NoSocket, the whole flow.
func (g *opsGen) remove() Op {
	op := Op{Kind: OpRemoveSocketFromFlow, Socket: NoSocket, Flags: g.flags(0), Overlapped: NoOverlapped}
	op.Handle, op.Flow = g.flow()
	whole := g.chance(35)
	if !whole {
		op.Socket = g.rng.IntN(opsSockets)
		if op.Flow >= 0 && g.chance(80) {
			for s, f := range g.sockFlow {
				if f == op.Flow {
					op.Socket = s
					break
				}
			}
		}
	}
	if op.Flow < 0 || op.Handle != g.flows[op.Flow].handle || !g.flows[op.Flow].live || op.Flags != 0 {
		return op
	}
	f := &g.flows[op.Flow]
	switch {
	case whole:
		g.kill(op.Flow)
	case g.sockFlow[op.Socket] == op.Flow:
		g.sockFlow[op.Socket] = -1
		if f.sockets--; f.sockets == 0 {
			f.live = false
		}
	}
	return op
}

func (g *opsGen) kill(flow int) {
	g.flows[flow].live = false
	g.flows[flow].sockets = 0
	for s, f := range g.sockFlow {
		if f == flow {
			g.sockFlow[s] = -1
		}
	}
}

func (g *opsGen) enumerate() Op {
	size := uint32(4 * g.rng.IntN(5)) // 0 to 4 flows
	switch {
	case g.chance(30):
		size = 256
	case g.chance(10):
		size++ // one byte more than a whole number of flows
	}
	return Op{Kind: OpEnumerateFlows, Handle: g.handle(), Size: size, Overlapped: NoOverlapped}
}

// History is what Execute observed, one line per op: its index, the op, and
// "= TRUE" or "= FALSE, ERROR_X", followed by what the call returned, with
// flows named symbolically; for OpComplete, the state of every OVERLAPPED.
type History []string

// Execute runs ops on api and returns its history. It maps the symbolic
// names to the handle values, flow ids and OVERLAPPEDs it passed; a handle
// whose QOSCreateHandle failed is passed as 0 and a flow whose creation
// failed as 0xffffffff, values no implementation should accept.
//
// OpComplete drives implementations that complete overlapped operations on
// request (a Complete method, as qwavetest.Model has) and waits up to
// 200 ms for the others; OpCongestion changes the network of
// implementations that model one (a SetNetwork(qwavetest.Network) method)
// and does nothing on others.
//
// Execute leaves nothing behind: at the end it closes every handle the ops
// created and did not close, which aborts their pending operations, and
// keeps the OVERLAPPEDs and buffers it passed alive until none is pending
// (up to 200 ms on implementations that complete operations by themselves,
// as a real qwave.dll does; in-memory ones with a Complete method write
// nothing after the call that ends an operation).
func Execute(api qwave.API, ops []Op) History { return ExecuteConfig(api, ops, OpsConfig{}) }

// OpsConfig adapts op sequences to an implementation that needs real
// objects, such as qwave.dll on a lab machine. The zero value runs them as
// FuzzOps does.
type OpsConfig struct {
	// Socket returns the socket passed for symbol s<i> (i < 6); nil passes
	// the fake values 0x100+4i, which only in-memory implementations accept.
	Socket func(i int) qwave.Socket
	// Addr maps the addresses ops send to and track (qwavetest's on-link
	// IPv4 and IPv6 hosts, its off-link host and an unreachable address,
	// with their ports) to ones in the machine's network; nil keeps them.
	Addr func(netip.AddrPort) netip.AddrPort
	// Network returns the network OpCongestion gives an implementation that
	// models one (SetNetwork), congested or not; nil gives
	// qwavetest.DefaultNetwork's hosts. On an implementation that cannot be
	// told (a real network), notifications waiting for congestion stay
	// pending where the reference's complete.
	Network func(congested bool) qwavetest.Network
	// OutcomesOnly records only what each call returned (TRUE, or FALSE and
	// the code) and how each OVERLAPPED ended, not the values written (flow
	// lists, sizes, bandwidths, marks), for an implementation whose values
	// differ from the reference's by nature, such as one on a real network.
	OutcomesOnly bool
}

// ExecuteConfig is Execute with cfg applied.
func ExecuteConfig(api qwave.API, ops []Op, cfg OpsConfig) History {
	x := opsExec{api: api, ids: make(map[qwave.QOS_FLOWID]int), cfg: cfg}
	hist := make(History, len(ops))
	for i, op := range ops {
		out := x.run(op)
		if cfg.OutcomesOnly && op.Kind != OpComplete {
			out = outcomeOnly(out)
		}
		hist[i] = strconv.Itoa(i) + " " + op.String() + " = " + out
	}
	x.release()
	return hist
}

// outcomeOnly keeps "TRUE" or "FALSE, ERROR_X" of a result line.
func outcomeOnly(out string) string {
	if strings.HasPrefix(out, "TRUE") {
		return "TRUE"
	}
	if rest, ok := strings.CutPrefix(out, "FALSE, "); ok {
		code, _, _ := strings.Cut(rest, ",")
		return "FALSE, " + code
	}
	return out
}

// socket is the socket passed for symbol i.
func (x *opsExec) socket(i int) qwave.Socket {
	if i != NoSocket && x.cfg.Socket != nil {
		return x.cfg.Socket(i)
	}
	return opsSocket(i)
}

// sockaddr is the destination or client passed for ap.
func (x *opsExec) sockaddr(ap netip.AddrPort) *qwave.RawSockaddrAny {
	if x.cfg.Addr != nil {
		ap = x.cfg.Addr(ap)
	}
	return qwave.SockaddrOf(ap)
}

// release closes the handles the ops left open and waits for their
// operations to end.
func (x *opsExec) release() {
	for i, h := range x.handles {
		if h != 0 && (i >= len(x.closed) || !x.closed[i]) {
			x.api.QOSCloseHandle(h)
		}
	}
	if _, inMemory := x.api.(interface{ Complete() int }); !inMemory {
		x.wait() // a real implementation may still write to them
	}
	runtime.KeepAlive(x.ovs)
}

// opsExec maps symbols to what an implementation returned.
type opsExec struct {
	api     qwave.API
	cfg     OpsConfig
	handles []qwave.Handle     // by symbol; 0 until created
	closed  []bool             // by symbol: closed by an op
	flows   []qwave.QOS_FLOWID // by symbol; 0 until created
	ids     map[qwave.QOS_FLOWID]int
	ovs     []*opsOverlapped // by symbol; nil until named
}

// opsOverlapped is one OVERLAPPED with the buffer and size its operations
// use: both stay alive with it until the sequence ends, as overlapped
// operations require.
type opsOverlapped struct {
	o      qwave.Overlapped
	size   uint32
	buf    [64]byte
	passed bool   // passed to a call that may use it
	op     OpKind // the last call it was passed to
	query  qwave.QOS_QUERY_FLOW
}

// unboundFlow is passed for a flow whose creation failed.
const unboundFlow qwave.QOS_FLOWID = 0xffffffff

// Socket values passed for s0, s1, ...: never 0 or INVALID_SOCKET.
const opsSocketBase qwave.Socket = 0x100

func (x *opsExec) handle(i int) qwave.Handle {
	switch {
	case i == Garbage:
		return GarbageHandle
	case i >= 0 && i < len(x.handles):
		return x.handles[i]
	}
	return 0
}

func (x *opsExec) flow(i int) qwave.QOS_FLOWID {
	switch {
	case i == Garbage:
		return GarbageFlow
	case i == Zero:
		return 0
	case i >= 0 && i < len(x.flows) && x.flows[i] != 0:
		return x.flows[i]
	}
	return unboundFlow
}

// overlapped returns the OVERLAPPED of symbol i, allocating it when first
// named, or nil for NoOverlapped.
func (x *opsExec) overlapped(i int) *opsOverlapped {
	if i < 0 {
		return nil
	}
	for len(x.ovs) <= i {
		x.ovs = append(x.ovs, nil)
	}
	if x.ovs[i] == nil {
		x.ovs[i] = new(opsOverlapped)
	}
	return x.ovs[i]
}

// ptr returns o's OVERLAPPED, or nil.
func (o *opsOverlapped) ptr() *qwave.Overlapped {
	if o == nil {
		return nil
	}
	return &o.o
}

// name is the symbol of a flow id an implementation returned; "f?" for an id
// it never returned from a QOSAddSocketToFlow op.
func (x *opsExec) name(id qwave.QOS_FLOWID) string {
	if i, ok := x.ids[id]; ok {
		return flowName(i)
	}
	return "f?"
}

func insufficient(err error) bool { return isCode(err, qwave.ERROR_INSUFFICIENT_BUFFER) }

// run makes the call of op and returns what it observed.
func (x *opsExec) run(op Op) string {
	h := x.handle(op.Handle)
	switch op.Kind {
	case OpCreateHandle:
		var v qwave.Handle
		version := op.Version
		err := x.api.QOSCreateHandle(&version, &v)
		if err == nil {
			for len(x.handles) <= op.Handle {
				x.handles = append(x.handles, 0)
			}
			x.handles[op.Handle] = v
		}
		return judge.Outcome(err)
	case OpCloseHandle:
		err := x.api.QOSCloseHandle(h)
		if err == nil && op.Handle >= 0 {
			for len(x.closed) <= op.Handle {
				x.closed = append(x.closed, false)
			}
			x.closed[op.Handle] = true
		}
		return judge.Outcome(err)
	case OpAddSocketToFlow:
		var id qwave.QOS_FLOWID
		if !op.NewFlow {
			id = x.flow(op.Flow)
		}
		err := x.api.QOSAddSocketToFlow(h, x.socket(op.Socket), x.sockaddr(op.Addr), op.Traffic, op.Flags, &id)
		if err != nil {
			return judge.Outcome(err)
		}
		if op.NewFlow {
			for len(x.flows) <= op.Flow {
				x.flows = append(x.flows, 0)
			}
			x.flows[op.Flow] = id
			x.ids[id] = op.Flow
		}
		return "TRUE, " + x.name(id)
	case OpRemoveSocketFromFlow:
		return judge.Outcome(x.api.QOSRemoveSocketFromFlow(h, x.socket(op.Socket), x.flow(op.Flow), op.Flags))
	case OpSetFlow:
		return x.setFlow(h, op)
	case OpQueryFlow:
		return x.queryFlow(h, op)
	case OpNotifyFlow:
		return x.notifyFlow(h, op)
	case OpCancel:
		return judge.Outcome(x.api.QOSCancel(h, x.overlapped(op.Overlapped).ptr()))
	case OpEnumerateFlows:
		buf := make([]qwave.QOS_FLOWID, (op.Size+3)/4)
		var ptr unsafe.Pointer
		if len(buf) > 0 {
			ptr = unsafe.Pointer(&buf[0])
		}
		size := op.Size
		err := x.api.QOSEnumerateFlows(h, &size, ptr)
		switch {
		case insufficient(err):
			return fmt.Sprintf("%s, size %d", judge.Outcome(err), size)
		case err != nil:
			return judge.Outcome(err)
		case size > op.Size:
			return fmt.Sprintf("TRUE, size %d beyond the buffer of %d", size, op.Size)
		}
		return fmt.Sprintf("TRUE, size %d, [%s]", size, x.names(buf[:size/4]))
	case OpStartTrackingClient:
		return judge.Outcome(x.api.QOSStartTrackingClient(h, x.sockaddr(op.Addr), op.Flags))
	case OpStopTrackingClient:
		return judge.Outcome(x.api.QOSStopTrackingClient(h, x.sockaddr(op.Addr), op.Flags))
	case OpComplete:
		return x.complete()
	case OpCongestion:
		if n, ok := x.api.(interface{ SetNetwork(qwavetest.Network) }); ok {
			if x.cfg.Network != nil {
				n.SetNetwork(x.cfg.Network(op.Value != 0))
			} else {
				n.SetNetwork(opsNetwork(op.Value != 0))
			}
		}
		return "done"
	}
	return "not run"
}

// opsNetwork is qwavetest's default network, congested or not.
func opsNetwork(congested bool) qwavetest.Network {
	n := qwavetest.DefaultNetwork()
	for ip, h := range n.Hosts {
		h.Congested = congested
		n.Hosts[ip] = h
	}
	return n
}

func (x *opsExec) setFlow(h qwave.Handle, op Op) string {
	ov := x.overlapped(op.Overlapped)
	var local [64]byte
	buf := &local
	if ov != nil {
		buf = &ov.buf // an overlapped call's buffer lives as long as its OVERLAPPED
		if !isPending(&ov.o) {
			ov.passed, ov.op = true, OpSetFlow
		}
	}
	switch op.Set {
	case qwave.QOSSetTrafficType:
		*(*qwave.QOS_TRAFFIC_TYPE)(unsafe.Pointer(buf)) = op.Traffic
	case qwave.QOSSetOutgoingRate:
		*(*qwave.QOS_FLOWRATE_OUTGOING)(unsafe.Pointer(buf)) = qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: op.Value, ShapingBehavior: qwave.QOSShapeOnly}
	default:
		*(*uint32)(unsafe.Pointer(buf)) = uint32(op.Value)
	}
	return judge.Outcome(x.api.QOSSetFlow(h, x.flow(op.Flow), op.Set, op.Size, unsafe.Pointer(buf), op.Flags, ov.ptr()))
}

func (x *opsExec) queryFlow(h qwave.Handle, op Op) string {
	ov := x.overlapped(op.Overlapped)
	var local [64]byte
	buf, size := &local, new(uint32)
	if ov != nil {
		if isPending(&ov.o) {
			buf, size = new([64]byte), new(uint32) // the call must refuse a busy OVERLAPPED; keep the pending call's buffer
		} else {
			buf, size = &ov.buf, &ov.size
			ov.passed, ov.op, ov.query = true, OpQueryFlow, op.Query
			clear(ov.buf[:])
		}
	}
	*size = op.Size
	var ptr unsafe.Pointer
	if op.Size > 0 {
		ptr = unsafe.Pointer(buf)
	}
	err := x.api.QOSQueryFlow(h, x.flow(op.Flow), op.Query, size, ptr, op.Flags, ov.ptr())
	switch {
	case insufficient(err):
		return fmt.Sprintf("%s, size %d", judge.Outcome(err), *size)
	case err != nil:
		return judge.Outcome(err)
	}
	return "TRUE, " + queryResult(op.Query, *size, buf)
}

// queryResult renders what a QOSQueryFlow returned in its buffer.
func queryResult(q qwave.QOS_QUERY_FLOW, size uint32, buf *[64]byte) string {
	p := unsafe.Pointer(buf)
	switch q {
	case qwave.QOSQueryPacketPriority:
		v := *(*qwave.QOS_PACKET_PRIORITY)(p)
		return fmt.Sprintf("size %d, DSCP %#x/%#x, L2 %d/%d", size, v.ConformantDSCPValue, v.NonConformantDSCPValue, v.ConformantL2Value, v.NonConformantL2Value)
	case qwave.QOSQueryFlowFundamentals:
		v := *(*qwave.QOS_FLOW_FUNDAMENTALS)(p)
		return fmt.Sprintf("size %d, bottleneck %d/%d, available %d/%d, RTT %d/%d", size,
			v.BottleneckBandwidthSet, v.BottleneckBandwidth, v.AvailableBandwidthSet, v.AvailableBandwidth, v.RTTSet, v.RTT)
	case qwave.QOSQueryOutgoingRate:
		return fmt.Sprintf("size %d, rate %d", size, *(*uint64)(p))
	}
	return fmt.Sprintf("size %d", size)
}

func (x *opsExec) notifyFlow(h qwave.Handle, op Op) string {
	ov := x.overlapped(op.Overlapped)
	var local [64]byte
	buf, size := &local, new(uint32)
	if ov != nil {
		if isPending(&ov.o) {
			buf, size = new([64]byte), new(uint32)
		} else {
			buf, size = &ov.buf, &ov.size
			ov.passed, ov.op = true, OpNotifyFlow
		}
	}
	*size = op.Size
	var ptr unsafe.Pointer
	if op.Notify == qwave.QOSNotifyAvailable {
		*(*uint64)(unsafe.Pointer(buf)) = op.Value
		ptr = unsafe.Pointer(buf)
	}
	err := x.api.QOSNotifyFlow(h, x.flow(op.Flow), op.Notify, size, ptr, op.Flags, ov.ptr())
	if err != nil || op.Notify != qwave.QOSNotifyAvailable {
		return judge.Outcome(err)
	}
	return fmt.Sprintf("TRUE, size %d, available %d", *size, *(*uint64)(unsafe.Pointer(buf)))
}

func isPending(o *qwave.Overlapped) bool { return o.Internal == judge.StatusPending }

// complete lets pending operations complete and reports every OVERLAPPED
// passed so far: "o0 ok 16 bytes, o1 aborted, o2 pending".
func (x *opsExec) complete() string {
	if c, ok := x.api.(interface{ Complete() int }); ok {
		c.Complete()
	} else {
		x.wait()
	}
	var parts []string
	for i, ov := range x.ovs {
		if ov == nil || !ov.passed {
			continue
		}
		state := overlappedState(ov)
		if x.cfg.OutcomesOnly {
			state, _, _ = strings.Cut(state, ",")
		}
		parts = append(parts, "o"+strconv.Itoa(i)+" "+state)
	}
	if len(parts) == 0 {
		return "nothing passed"
	}
	return strings.Join(parts, ", ")
}

// wait waits up to 200 ms for the operations still pending to end, on an
// implementation that completes them by itself.
func (x *opsExec) wait() {
	deadline := time.Now().Add(200 * time.Millisecond)
	for x.anyPending() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

func (x *opsExec) anyPending() bool {
	for _, ov := range x.ovs {
		if ov != nil && ov.passed && isPending(&ov.o) {
			return true
		}
	}
	return false
}

// overlappedState reads how an operation ended from its OVERLAPPED.
func overlappedState(ov *opsOverlapped) string {
	switch s := ov.o.Internal; {
	case s == judge.StatusPending:
		return "pending"
	case judge.Aborted(s):
		return "aborted"
	case s != 0:
		return "failed " + judge.CodeName(qwave.Errno(s))
	}
	if ov.op == OpQueryFlow {
		return "ok, " + queryResult(ov.query, uint32(ov.o.InternalHigh), &ov.buf)
	}
	return fmt.Sprintf("ok, %d bytes", ov.o.InternalHigh)
}

func opsSocket(i int) qwave.Socket {
	if i == NoSocket {
		return 0
	}
	return opsSocketBase + qwave.Socket(4*i)
}

// names lists flow ids symbolically, in symbol order, unknown ids last.
func (x *opsExec) names(ids []qwave.QOS_FLOWID) string {
	var syms []int
	unknown := 0
	for _, id := range ids {
		if i, ok := x.ids[id]; ok {
			syms = append(syms, i)
		} else {
			unknown++
		}
	}
	slices.Sort(syms)
	names := make([]string, 0, len(ids))
	for _, i := range syms {
		names = append(names, flowName(i))
	}
	for range unknown {
		names = append(names, "f?")
	}
	return strings.Join(names, " ")
}

// OpsMismatch is a difference between the histories of the implementation
// under test and the reference: the seed, the shortest failing sequence and
// both histories up to it, and the command that replays it.
type OpsMismatch struct {
	Seed       uint64
	Ops        []Op // up to and including the first differing op
	Got, Want  History
	Name, Ref  string // names of the implementation and of the reference
	ReplayHint string
	// Kept are the indexes into Ops of a shrunk sequence that still makes
	// the two disagree: each op left out of it made them agree.
	Kept []int
}

func (m *OpsMismatch) Error() string {
	var r strings.Builder
	fmt.Fprintf(&r, "%s and %s disagree on seed %d at op %d", m.Name, m.Ref, m.Seed, len(m.Ops)-1)
	if len(m.Kept) > 0 && len(m.Kept) < len(m.Ops) {
		fmt.Fprintf(&r, "; shrunk to %d of its %d ops:\n", len(m.Kept), len(m.Ops))
		for _, i := range m.Kept {
			fmt.Fprintf(&r, "\t%d %v\n", i, m.Ops[i])
		}
	} else {
		fmt.Fprintf(&r, "; the ops up to there:\n")
		for i, op := range m.Ops {
			fmt.Fprintf(&r, "\t%d %v\n", i, op)
		}
	}
	// The lines before the last are equal: the sequence ends where they part.
	i := len(m.Ops) - 1
	fmt.Fprintf(&r, "history line %d of the unshrunk sequence:\n\t%s: %s\n\t%s: %s\n", i, m.Ref, m.Want[i], m.Name, m.Got[i])
	last := m.Ops[len(m.Ops)-1]
	if id, ok := last.Kind.Func(); ok {
		if c, ok := qwave.ContractOf(id.String()); ok {
			fmt.Fprintf(&r, "the docs: %s (%s)\n", c.Page, id)
		}
	} else {
		fmt.Fprintf(&r, "the docs: the pages of the functions that started the OVERLAPPEDs listed\n")
	}
	if m.ReplayHint != "" {
		fmt.Fprintf(&r, "replay: %s", m.ReplayHint)
	}
	return r.String()
}

// Pick returns the ops of ops at the given indexes, in order: how a shrunk
// sequence (OpsMismatch.Kept) is replayed.
func Pick(ops []Op, kept []int) []Op {
	out := make([]Op, 0, len(kept))
	for _, i := range kept {
		if i >= 0 && i < len(ops) {
			out = append(out, ops[i])
		}
	}
	return out
}

// KeptString renders kept indexes as a replay flag value: "0,3,7".
func KeptString(kept []int) string {
	parts := make([]string, len(kept))
	for i, k := range kept {
		parts[i] = strconv.Itoa(k)
	}
	return strings.Join(parts, ",")
}

// shrink leaves out, one at a time from the end, every op of a failing
// sequence whose absence keeps the two sides disagreeing (the last op, where
// they part, always stays), and returns the indexes of the ops kept. Left
// out ops leave their symbols unbound, which Execute passes as values no
// implementation accepts, so every subsequence still runs.
func shrink(disagree func([]Op) bool, ops []Op) []int {
	kept := make([]int, len(ops))
	for i := range kept {
		kept[i] = i
	}
	for pass := 0; pass < 3; pass++ {
		changed := false
		for j := len(kept) - 2; j >= 0; j-- {
			try := slices.Delete(slices.Clone(kept), j, j+1)
			if disagree(Pick(ops, try)) {
				kept, changed = try, true
			}
		}
		if !changed {
			break
		}
	}
	return kept
}

// CompareOps runs GenerateOps(seed, n) on a fresh implementation from
// newAPI and on a fresh reference from newRef, and returns nil when their
// histories agree, else an *OpsMismatch for the shortest failing prefix
// (generated sequences are prefixes of longer ones, so it ends at the first
// line that differs), shrunk further by leaving out the ops the
// disagreement does not need. name and ref name the two sides in the
// message, and replay, if not empty, is how to replay the sequence: the
// first two %d verbs in it receive the seed and the number of ops, and a %s
// verb after them the kept indexes (KeptString). Use it to run the op fuzzer
// against any qwave.API (user code, the lab runner, the real DLL) compared
// with qwavetest.Model under the expectations its options choose:
//
//	err := fuzz.CompareOps(func() qwave.API { return mine() }, "mine",
//		func() qwave.API { return qwavetest.New() }, "qwavetest.Model", seed, 64, "")
//
// cfg, at most one, adapts the sequence to the implementation (OpsConfig):
// its Socket, Addr and Network apply to the implementation only, the
// reference keeps the fake sockets and qwavetest's addresses and network;
// OutcomesOnly applies to both.
func CompareOps(newAPI func() qwave.API, name string, newRef func() qwave.API, ref string, seed uint64, n int, replay string, cfg ...OpsConfig) error {
	var c OpsConfig
	if len(cfg) > 0 {
		c = cfg[0]
	}
	exec := func(api qwave.API, ops []Op) History { return ExecuteConfig(api, ops, c) }
	execRef := func(api qwave.API, ops []Op) History {
		return ExecuteConfig(api, ops, OpsConfig{OutcomesOnly: c.OutcomesOnly})
	}
	ops := GenerateOps(seed, n)
	got, want := exec(newAPI(), ops), execRef(newRef(), ops)
	i := 0
	for i < len(ops) && got[i] == want[i] {
		i++
	}
	if i == len(ops) {
		return nil
	}
	m := &OpsMismatch{Seed: seed, Ops: ops[:i+1], Got: got[:i+1], Want: want[:i+1], Name: name, Ref: ref}
	m.Kept = shrink(func(ops []Op) bool { return !slices.Equal(exec(newAPI(), ops), execRef(newRef(), ops)) }, m.Ops)
	if replay != "" {
		if strings.Count(replay, "%") >= 3 {
			m.ReplayHint = fmt.Sprintf(replay, seed, i+1, KeptString(m.Kept))
		} else {
			m.ReplayHint = fmt.Sprintf(replay, seed, i+1)
		}
	}
	return m
}

// CheckOps holds any implementation to the reference model under the
// chosen expectations: it compares GenerateOps(seed, n) on a fresh
// implementation from newAPI (user code, a lab runner's target, the real
// DLL) with a fresh qwavetest.Model that follows profile
// (qwave.ProfileDocumented, or qwave.ProfileWindows for what Windows is
// observed to do). name names the implementation in the message, replay is
// how to replay a failure, and cfg adapts the sequence, as for CompareOps:
// on a lab machine, real sockets, the lab's hosts and OutcomesOnly.
func CheckOps(newAPI func() qwave.API, name string, profile qwave.Profile, seed uint64, n int, replay string, cfg ...OpsConfig) error {
	ref := func() qwave.API { return qwavetest.New(qwavetest.WithProfile(profile)) }
	return CompareOps(newAPI, name, ref, "qwavetest.Model ("+profile.String()+")", seed, n, replay, cfg...)
}
