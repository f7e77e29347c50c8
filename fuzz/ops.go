package fuzz

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// OpKind is the qWAVE call an Op makes.
type OpKind uint8

// The calls GenerateOps makes.
const (
	OpCreateHandle         OpKind = iota // QOSCreateHandle with version 1.0
	OpCloseHandle                        // QOSCloseHandle
	OpAddSocketToFlow                    // QOSAddSocketToFlow, to a new flow or to an existing one
	OpRemoveSocketFromFlow               // QOSRemoveSocketFromFlow of one socket or of the whole flow
	OpSetTrafficType                     // QOSSetFlow with QOSSetTrafficType
	OpQueryPacketPriority                // QOSQueryFlow with QOSQueryPacketPriority
	OpEnumerateFlows                     // QOSEnumerateFlows
	OpStartTrackingClient                // QOSStartTrackingClient
	OpStopTrackingClient                 // QOSStopTrackingClient
)

// Garbage, as Op.Handle or Op.Flow, names a value that no implementation
// hands out: GarbageHandle or GarbageFlow.
const Garbage = -1

// NoSocket, as Op.Socket, passes no socket (0): QOSRemoveSocketFromFlow then
// destroys the whole flow.
const NoSocket = -1

// The values Execute passes for Garbage. Handles of qwavetest and Shadow are
// even and flow ids small, so these never name a live object.
const (
	GarbageHandle qwave.Handle     = 0xdeadbeef
	GarbageFlow   qwave.QOS_FLOWID = 0xdeadbeef
)

// Op is one call of an op sequence. Handles, flows and sockets are named
// symbolically, so the same ops run on implementations that hand out
// different values: handle h<i> is the one the i-th QOSCreateHandle op
// created, flow f<i> the one the i-th QOSAddSocketToFlow op to a new flow
// created, socket s<i> a fixed fake socket value. String prints the call as
// C would, with these names: "&0 (new f2)" is a *FlowId of 0 whose flow is
// f2 from then on.
type Op struct {
	Kind OpKind
	// Handle is the symbolic handle the call takes (the one it creates for
	// OpCreateHandle), or Garbage.
	Handle int
	// Flow is the symbolic flow the call takes, or Garbage; for
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
	// Traffic is the traffic type of OpAddSocketToFlow and OpSetTrafficType.
	Traffic qwave.QOS_TRAFFIC_TYPE
	// Flags are the Flags of OpAddSocketToFlow.
	Flags uint32
	// Size is the buffer size in bytes of OpQueryPacketPriority and
	// OpEnumerateFlows; Execute passes a buffer of that size (NULL for 0).
	Size uint32
}

func (op Op) String() string {
	h := handleName(op.Handle)
	switch op.Kind {
	case OpCreateHandle:
		return "QOSCreateHandle(1.0, &" + h + ")"
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
		return fmt.Sprintf("QOSAddSocketToFlow(%s, %s, %v, %s, %s, %s)", h, socketName(op.Socket), op.Addr, trafficName(op.Traffic), flags, flow)
	case OpRemoveSocketFromFlow:
		return fmt.Sprintf("QOSRemoveSocketFromFlow(%s, %s, %s, 0)", h, socketName(op.Socket), flowName(op.Flow))
	case OpSetTrafficType:
		return fmt.Sprintf("QOSSetFlow(%s, %s, QOSSetTrafficType, 4, &%s, 0, NULL)", h, flowName(op.Flow), trafficName(op.Traffic))
	case OpQueryPacketPriority:
		return fmt.Sprintf("QOSQueryFlow(%s, %s, QOSQueryPacketPriority, %d, 0, NULL)", h, flowName(op.Flow), op.Size)
	case OpEnumerateFlows:
		return fmt.Sprintf("QOSEnumerateFlows(%s, %d)", h, op.Size)
	case OpStartTrackingClient:
		return fmt.Sprintf("QOSStartTrackingClient(%s, %v, 0)", h, op.Addr)
	case OpStopTrackingClient:
		return fmt.Sprintf("QOSStopTrackingClient(%s, %v, 0)", h, op.Addr)
	}
	return fmt.Sprintf("OpKind(%d)", op.Kind)
}

func handleName(i int) string {
	if i == Garbage {
		return fmt.Sprintf("%#x", uint64(GarbageHandle))
	}
	return "h" + strconv.Itoa(i)
}

func flowName(i int) string {
	if i == Garbage {
		return fmt.Sprintf("%#x", uint32(GarbageFlow))
	}
	return "f" + strconv.Itoa(i)
}

func socketName(i int) string {
	if i == NoSocket {
		return "0"
	}
	return "s" + strconv.Itoa(i)
}

var trafficNames = [...]string{
	qwave.QOSTrafficTypeBestEffort:      "QOSTrafficTypeBestEffort",
	qwave.QOSTrafficTypeBackground:      "QOSTrafficTypeBackground",
	qwave.QOSTrafficTypeExcellentEffort: "QOSTrafficTypeExcellentEffort",
	qwave.QOSTrafficTypeAudioVideo:      "QOSTrafficTypeAudioVideo",
	qwave.QOSTrafficTypeVoice:           "QOSTrafficTypeVoice",
	qwave.QOSTrafficTypeControl:         "QOSTrafficTypeControl",
}

func trafficName(t qwave.QOS_TRAFFIC_TYPE) string {
	if t >= 0 && int(t) < len(trafficNames) {
		return trafficNames[t]
	}
	return fmt.Sprintf("QOS_TRAFFIC_TYPE(%d)", t)
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
	netip.MustParseAddr("192.0.2.1"),
	netip.MustParseAddr("2001:db8::1"),
	netip.MustParseAddr("198.51.100.1"),
	netip.MustParseAddr("203.0.113.1"),
}

// GenerateOps returns n ops drawn from a PCG generator seeded with seed. The
// same seed gives the same ops, and GenerateOps(seed, n) is a prefix of
// GenerateOps(seed, m) for n ≤ m, so the first op whose history line differs
// marks the shortest failing sequence.
//
// The generator keeps a rough idea of which handles are open, which flows
// exist and which sockets are in them, only to steer towards calls that do
// something: mostly open handles (at most 3 at once), free sockets (6 in
// all), reachable destinations and live flows, and now and then a closed
// handle, a removed or adaptive flow, a flow of another handle, a busy
// socket, an unreachable or off-link host, a destination without a port,
// a traffic type out of range, or Garbage. Whether a call succeeds is left
// to the implementations.
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
	{OpAddSocketToFlow, 30},
	{OpRemoveSocketFromFlow, 18},
	{OpSetTrafficType, 6},
	{OpQueryPacketPriority, 8},
	{OpEnumerateFlows, 10},
	{OpStartTrackingClient, 4},
	{OpStopTrackingClient, 4},
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
	case OpSetTrafficType:
		op := Op{Kind: OpSetTrafficType, Traffic: g.traffic()}
		op.Handle, op.Flow = g.flow()
		if g.chance(5) {
			op.Traffic = qwave.QOSTrafficTypeControl + 1
		}
		return append(ops, op)
	case OpQueryPacketPriority:
		op := Op{Kind: OpQueryPacketPriority}
		op.Handle, op.Flow = g.flow()
		sizeofPriority := uint32(unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{}))
		op.Size = [...]uint32{sizeofPriority, sizeofPriority, sizeofPriority, 2 * sizeofPriority, sizeofPriority / 2, 0}[g.rng.IntN(6)]
		return append(ops, op)
	case OpEnumerateFlows:
		return append(ops, g.enumerate())
	default: // OpStartTrackingClient, OpStopTrackingClient
		port := uint16(0)
		if g.chance(50) {
			port = 5000 + uint16(g.rng.IntN(3))
		}
		ip := opsAddrs[0]
		if g.chance(40) {
			ip = opsAddrs[g.rng.IntN(len(opsAddrs))]
		}
		return append(ops, Op{Kind: kind, Handle: g.handle(), Addr: netip.AddrPortFrom(ip, port)})
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

func (g *opsGen) createHandle() Op {
	g.open = append(g.open, true)
	return Op{Kind: OpCreateHandle, Handle: len(g.open) - 1}
}

func (g *opsGen) closeHandle() Op {
	h := g.handle()
	if h != Garbage && g.open[h] {
		g.open[h] = false
		for i := range g.flows {
			if g.flows[i].handle == h {
				g.kill(i)
			}
		}
	}
	return Op{Kind: OpCloseHandle, Handle: h}
}

// handle picks a handle: mostly an open one, now and then a closed one or
// Garbage.
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
	case r < 4:
		return Garbage
	case r < 12 && len(closed) > 0, len(open) == 0:
		return closed[g.rng.IntN(len(closed))]
	default:
		return open[g.rng.IntN(len(open))]
	}
}

// flow picks a flow and the handle to pass with it: mostly a live flow with
// its own handle, now and then a removed flow, another handle or Garbage.
func (g *opsGen) flow() (handle, flow int) {
	if len(g.flows) == 0 || g.chance(4) {
		return g.handle(), Garbage
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

func (g *opsGen) traffic() qwave.QOS_TRAFFIC_TYPE {
	return qwave.QOS_TRAFFIC_TYPE(g.rng.IntN(int(qwave.QOSTrafficTypeControl) + 1))
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
	op := Op{Kind: OpAddSocketToFlow, NewFlow: true, Handle: g.handle(), Socket: g.socket(), Traffic: g.traffic()}
	if g.chance(50) {
		op.Flags = qwave.QOS_NON_ADAPTIVE_FLOW
	}
	var reachable bool
	op.Addr, reachable = g.dest()
	op.Flow = len(g.flows)
	f := opsFlow{handle: op.Handle, nonAdaptive: op.Flags != 0}
	if op.Handle != Garbage && g.open[op.Handle] && reachable && g.sockFlow[op.Socket] < 0 {
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
	op := Op{Kind: OpAddSocketToFlow, Handle: f.handle, Flow: flow, Socket: g.socket(), Traffic: g.traffic()}
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
	if op.Flow != Garbage && op.Handle == f.handle && f.live && f.nonAdaptive && reachable && g.sockFlow[op.Socket] < 0 {
		f.sockets++
		g.sockFlow[op.Socket] = flow
	}
	return op
}

// remove removes a socket from a flow, mostly one that is in it, or, with
// NoSocket, the whole flow.
func (g *opsGen) remove() Op {
	op := Op{Kind: OpRemoveSocketFromFlow, Socket: NoSocket}
	op.Handle, op.Flow = g.flow()
	whole := g.chance(35)
	if !whole {
		op.Socket = g.rng.IntN(opsSockets)
		if op.Flow != Garbage && g.chance(80) {
			for s, f := range g.sockFlow {
				if f == op.Flow {
					op.Socket = s
					break
				}
			}
		}
	}
	if op.Flow == Garbage || op.Handle != g.flows[op.Flow].handle || !g.flows[op.Flow].live {
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
	if g.chance(30) {
		size = 256
	}
	return Op{Kind: OpEnumerateFlows, Handle: g.handle(), Size: size}
}

// History is what Execute observed, one line per op: its index, the op, and
// "= TRUE" or "= FALSE, ERROR_X", followed by what the call returned, with
// flows named symbolically.
type History []string

// Execute runs ops on api and returns its history. It maps the symbolic
// names to the handle values and flow ids api returned; a handle whose
// QOSCreateHandle failed is passed as 0 and a flow whose creation failed
// as 0xffffffff, values no implementation should accept.
func Execute(api qwave.API, ops []Op) History {
	x := opsExec{api: api, ids: make(map[qwave.QOS_FLOWID]int)}
	hist := make(History, len(ops))
	for i, op := range ops {
		hist[i] = fmt.Sprintf("%d %v = %s", i, op, x.run(op))
	}
	return hist
}

// opsExec maps symbols to what an implementation returned.
type opsExec struct {
	api     qwave.API
	handles []qwave.Handle     // by symbol; 0 until created
	flows   []qwave.QOS_FLOWID // by symbol; 0 until created
	ids     map[qwave.QOS_FLOWID]int
}

// unboundFlow is passed for a flow whose creation failed.
const unboundFlow qwave.QOS_FLOWID = 0xffffffff

// Socket values passed for s0, s1, ...: never 0 or INVALID_SOCKET.
const opsSocketBase qwave.Socket = 0x100

func (x *opsExec) handle(i int) qwave.Handle {
	if i == Garbage {
		return GarbageHandle
	}
	if i < len(x.handles) {
		return x.handles[i]
	}
	return 0
}

func (x *opsExec) flow(i int) qwave.QOS_FLOWID {
	if i == Garbage {
		return GarbageFlow
	}
	if i < len(x.flows) && x.flows[i] != 0 {
		return x.flows[i]
	}
	return unboundFlow
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
		err := x.api.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1}, &v)
		if err == nil {
			for len(x.handles) <= op.Handle {
				x.handles = append(x.handles, 0)
			}
			x.handles[op.Handle] = v
		}
		return judge.Outcome(err)
	case OpCloseHandle:
		return judge.Outcome(x.api.QOSCloseHandle(h))
	case OpAddSocketToFlow:
		var id qwave.QOS_FLOWID
		if !op.NewFlow {
			id = x.flow(op.Flow)
		}
		err := x.api.QOSAddSocketToFlow(h, opsSocket(op.Socket), judge.Sockaddr(op.Addr), op.Traffic, op.Flags, &id)
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
		return judge.Outcome(x.api.QOSRemoveSocketFromFlow(h, opsSocket(op.Socket), x.flow(op.Flow), 0))
	case OpSetTrafficType:
		t := op.Traffic
		return judge.Outcome(x.api.QOSSetFlow(h, x.flow(op.Flow), qwave.QOSSetTrafficType, uint32(unsafe.Sizeof(t)), unsafe.Pointer(&t), 0, nil))
	case OpQueryPacketPriority:
		var buf [4]qwave.QOS_PACKET_PRIORITY // room for every generated Size
		ptr := unsafe.Pointer(&buf[0])
		if op.Size == 0 {
			ptr = nil
		}
		size := op.Size
		err := x.api.QOSQueryFlow(h, x.flow(op.Flow), qwave.QOSQueryPacketPriority, &size, ptr, 0, nil)
		switch {
		case insufficient(err):
			return fmt.Sprintf("%s, size %d", judge.Outcome(err), size)
		case err != nil:
			return judge.Outcome(err)
		}
		p := buf[0]
		return fmt.Sprintf("TRUE, size %d, DSCP %#x/%#x, L2 %d/%d", size,
			p.ConformantDSCPValue, p.NonConformantDSCPValue, p.ConformantL2Value, p.NonConformantL2Value)
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
		return judge.Outcome(x.api.QOSStartTrackingClient(h, judge.Sockaddr(op.Addr), 0))
	case OpStopTrackingClient:
		return judge.Outcome(x.api.QOSStopTrackingClient(h, judge.Sockaddr(op.Addr), 0))
	}
	return "not run"
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
