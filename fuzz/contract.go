package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unsafe"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// Functions lists the 11 qWAVE functions in contract order (qwave.FuncID
// order); a fuzzed call's first byte picks one.
var Functions = func() []qwave.FuncID {
	ids := make([]qwave.FuncID, qwave.NumFuncs)
	for i := range ids {
		ids[i] = qwave.FuncID(i)
	}
	return ids
}()

// ContractOptions tune CheckCall for one implementation.
type ContractOptions struct {
	// Funcs limits the calls to these functions (nil: all 11), e.g. to the
	// ones a platform baseline does not mark as crashing.
	Funcs []qwave.FuncID
	// Profile sets the expected codes: documented ones (the default), or
	// with qwave.ProfileWindows also those qwave.Facts record Windows
	// returning, as for a real qwave.dll on Windows.
	Profile qwave.Profile
	// Allowed accepts failure codes a platform baseline lists beyond the
	// documented ones (nil: documented codes only).
	Allowed func(fn string, code qwave.Errno) bool
	// Socket is a socket the implementation accepts in a flow, for the
	// state CheckCall sets up, and Socket2 a second one; 0 uses fake values
	// only in-memory implementations accept.
	Socket, Socket2 qwave.Socket
	// Network is the network the implementation sees, for the outcomes
	// that depend on it (reachable, off-link and congested hosts, available
	// bandwidth). nil means qwavetest.DefaultNetwork; UnknownNetwork allows
	// either outcome of such calls.
	Network *qwavetest.Network
	// UnknownNetwork: the oracle does not know the network (a real DLL), so
	// a call whose outcome depends on it may succeed or fail with the codes
	// the docs give for that dependency.
	UnknownNetwork bool
}

// expectations is the judge.Expectations CheckCall judges by: the
// documented contract, widened by the profile's observed codes and by
// Allowed.
func (o ContractOptions) expectations() judge.Expectations {
	if o.Profile == qwave.ProfileDocumented && o.Allowed == nil {
		return judge.DocumentedOnly
	}
	return judge.Expectations{
		Extra: func(fn string, code qwave.Errno) bool {
			return o.Allowed != nil && o.Allowed(fn, code) || !qwave.Documented(fn, code) && o.Profile.Allows(fn, code)
		},
	}
}

// DLLOptions are the contract options for a real qwave.dll, whose network
// the oracle does not know: on Windows, Windows' observed codes are accepted
// (qwave.ProfileWindows); under Wine (wine true) the Wine 8.0 baseline's
// crashing functions are left out, and its extra codes and the codes its
// deviations record a function returning where the docs want another (Wine's
// QOSAddSocketToFlow fails every call with ERROR_NOT_SUPPORTED) are
// allowed.
func DLLOptions(wine bool) (ContractOptions, error) {
	if !wine {
		return ContractOptions{Profile: qwave.ProfileWindows, UnknownNetwork: true}, nil
	}
	b, err := conformance.LoadBaseline("wine-8.0")
	if err != nil {
		return ContractOptions{}, err
	}
	opts := ContractOptions{UnknownNetwork: true}
	for _, fn := range Functions {
		if !b.Crashing(fn.String()) {
			opts.Funcs = append(opts.Funcs, fn)
		}
	}
	deviates := map[string]bool{}
	for name, d := range b.Deviations {
		fn, _, _ := strings.Cut(name, "/")
		if code, ok := strings.CutPrefix(d.Observed, "FALSE, "); ok {
			deviates[fn+" "+code] = true
		}
	}
	opts.Allowed = func(fn string, code qwave.Errno) bool {
		return b.Allows(fn, code) || deviates[fn+" "+judge.CodeName(code)]
	}
	return opts, nil
}

// reader hands out fuzz bytes; past the end it returns zeros, so every input
// decodes to some call.
type reader struct{ b []byte }

func (r *reader) u8() uint8 {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u32() uint32 {
	return uint32(r.u8()) | uint32(r.u8())<<8 | uint32(r.u8())<<16 | uint32(r.u8())<<24
}

// state is what a call can refer to, and what the oracle knows of it: a
// live handle with an adaptive flow (one socket) and a non-adaptive flow
// (one socket), a closed handle, a client the live handle tracks, a pending
// notification, and an arena for buffers with guard bytes after the size
// given.
type state struct {
	api          qwave.API
	opts         *ContractOptions
	hosts        map[netip.Addr]qwavetest.Host
	live, closed qwave.Handle
	flow, shared qwave.QOS_FLOWID // adaptive and non-adaptive flows of live (0 if setup failed or, for shared, not yet made)
	sharedTried  bool
	socket       qwave.Socket // in flow
	socket2      qwave.Socket // in shared
	tracked      netip.Addr   // a client live tracks (zero if none)
	pending      *qwave.Overlapped
	pendingOp    qwave.QOS_NOTIFY_FLOW // what pending waits for
	arena        [256]byte
}

// call is one decoded call: its arguments (rendered only when a check
// fails), the function to make it, what it may write, and what the docs
// allow.
type call struct {
	fn    qwave.FuncID
	args  []any
	do    func() error
	size  *uint32 // the [in, out] Size, if any
	limit int     // bytes of arena the call may write (the input *Size or Size)
	outs  []out   // other out-parameters
	want  judge.Expect
	// needed is the Size an ERROR_INSUFFICIENT_BUFFER failure, or a
	// success, must leave in *Size (0: not checked).
	needed uint32
	// pendingSize: a success leaves Size to the completion (needed is
	// checked on failure only).
	pendingSize bool
}

// out is a value an out-parameter points at, to compare before and after.
type out struct {
	name string
	read func() uint64
}

// CheckCall decodes data into one call of any qWAVE function, with valid,
// closed, NULL, never issued and garbage handles, flow ids and OVERLAPPEDs,
// each single reserved flag bit, enum values just past either end, sizes of
// 0, needed-1, needed and needed+1, valid buffers for every operation, and
// nil or non-nil pointers; makes it on api; and judges the outcome against
// an oracle: the contract tables and the state CheckCall set up say whether
// the call must succeed or fail, and with which codes (conformance/judge).
// It also checks that a failure carries its code in the last error and
// writes nothing, that a success leaves the last error alone and writes
// nothing past the size given, and that Size is the size needed after
// ERROR_INSUFFICIENT_BUFFER and after a successful query. It returns nil or
// a *judge.Mismatch naming the call, the outcome, what the docs allow and
// the rule with its spec page and section.
func CheckCall(api qwave.API, data []byte, opts ContractOptions) error {
	r := &reader{b: data}
	funcs := opts.Funcs
	if funcs == nil {
		funcs = Functions
	}
	st := setup(api, &opts)
	c := st.decode(r, funcs[int(r.u8())%len(funcs)])
	var before [256]byte
	copy(before[:], st.arena[:])
	var sizeBefore uint32
	if c.size != nil {
		sizeBefore = *c.size
	}
	var outsBuf [2]uint64
	outsBefore := outsBuf[:len(c.outs)]
	for i, o := range c.outs {
		outsBefore[i] = o.read()
	}
	la, hasLast := api.(qwave.LastErrorAccess)
	if hasLast {
		la.SetLastError(judge.Sentinel)
	}
	obs := judge.Observed{Err: c.do()}
	if hasLast {
		obs.LastError, obs.HaveLast = la.GetLastError(), true
	}
	fn := c.fn.String()
	if err := judge.Judge(fn, "", obs, c.want, opts.expectations()); err != nil {
		m := err.(*judge.Mismatch)
		m.Call = c.describe()
		return m
	}
	fail := func(format string, args ...any) error {
		return &judge.Mismatch{Call: c.describe(), Observed: obs.Outcome(), Allowed: c.want.Allowed(),
			Problem: fmt.Sprintf(format, args...), Because: c.want.Because(), Code: obs.Code()}
	}
	if obs.Err == nil {
		if !bytes.Equal(st.arena[c.limit:], before[c.limit:]) {
			return fail("success wrote past the %d bytes of the buffer", c.limit)
		}
		if c.size != nil && c.needed != 0 && !c.pendingSize && *c.size != c.needed {
			return fail("success set Size to %d, not the %d bytes written", *c.size, c.needed)
		}
		return nil
	}
	code := obs.Code()
	if code == qwave.ERROR_IO_PENDING {
		return nil // the operation goes on; its buffers are written at completion
	}
	if !bytes.Equal(st.arena[:], before[:]) {
		return fail("a failure wrote into the buffer")
	}
	if c.size != nil {
		switch {
		case code == qwave.ERROR_INSUFFICIENT_BUFFER && c.needed != 0 && *c.size != c.needed:
			return fail("ERROR_INSUFFICIENT_BUFFER set Size to %d, not the %d bytes needed", *c.size, c.needed)
		case code != qwave.ERROR_INSUFFICIENT_BUFFER && *c.size != sizeBefore:
			return fail("a failure other than ERROR_INSUFFICIENT_BUFFER changed Size from %d to %d", sizeBefore, *c.size)
		}
	}
	for i, o := range c.outs {
		if v := o.read(); v != outsBefore[i] {
			return fail("a failure changed the out-parameter %s from %#x to %#x", o.name, outsBefore[i], v)
		}
	}
	return nil
}

// The fake sockets CheckCall uses when ContractOptions gives none.
const (
	fakeSocket  qwave.Socket = 0x200
	fakeSocket2 qwave.Socket = 0x204
)

// The destinations of the flows CheckCall sets up and the client it
// tracks: qwavetest's on-link hosts.
var (
	setupDest   = netip.AddrPortFrom(qwavetest.OnLinkIPv4, 5004)
	setupShared = netip.AddrPortFrom(qwavetest.OnLinkIPv6, 5004)
)

// The sockaddrs of the addresses calls use, built once; no implementation
// writes a DestAddr.
var (
	saDest        = qwave.SockaddrOf(setupDest)
	saShared      = qwave.SockaddrOf(setupShared)
	saUnreachable = qwave.SockaddrOf(netip.AddrPortFrom(qwavetest.UnreachableIPv4, 5004))
	saOffLink     = qwave.SockaddrOf(netip.AddrPortFrom(qwavetest.OffLinkIPv4, 5004))
	saNoPort      = qwave.SockaddrOf(netip.AddrPortFrom(qwavetest.OnLinkIPv4, 0))
	saMixed       = qwave.SockaddrOf(netip.AddrPortFrom(netip.AddrFrom16(qwavetest.OnLinkIPv4.As16()), 5004)) // mixed IPv4/IPv6
	saUnspecified = qwave.SockaddrOf(netip.AddrPortFrom(netip.IPv4Unspecified(), 5004))
)

// defaultHosts is qwavetest.DefaultNetwork's hosts, read once.
var defaultHosts = qwavetest.DefaultNetwork().Hosts

// setup creates the state calls refer to. On an implementation where setup
// fails (Wine's stub qwave.dll), the handles and flows stay 0, the oracle
// knows it, and the calls still run.
func setup(api qwave.API, opts *ContractOptions) *state {
	st := &state{api: api, opts: opts, hosts: defaultHosts, socket: opts.Socket, socket2: opts.Socket2}
	if opts.Network != nil {
		st.hosts = opts.Network.Hosts
	}
	if st.socket == 0 {
		st.socket, st.socket2 = fakeSocket, fakeSocket2
	}
	v := qwave.QOS_VERSION{MajorVersion: 1}
	if api.QOSCreateHandle(&v, &st.live) != nil {
		st.live = 0
	}
	if api.QOSCreateHandle(&v, &st.closed) == nil {
		api.QOSCloseHandle(st.closed)
	}
	if st.live == 0 {
		return st
	}
	var id qwave.QOS_FLOWID
	if api.QOSAddSocketToFlow(st.live, st.socket, saDest, qwave.QOSTrafficTypeBestEffort, 0, &id) == nil {
		st.flow = id
	}
	return st
}

// sharedFlow returns the non-adaptive flow, creating it the first time a
// call needs it: most calls do not, and setup is most of an exec's cost.
func (st *state) sharedFlow() qwave.QOS_FLOWID {
	if st.live != 0 && st.socket2 != 0 && !st.sharedTried {
		st.sharedTried = true
		var id qwave.QOS_FLOWID
		if st.api.QOSAddSocketToFlow(st.live, st.socket2, saShared, qwave.QOSTrafficTypeVoice, qwave.QOS_NON_ADAPTIVE_FLOW, &id) == nil {
			st.shared = id
		}
	}
	return st.shared
}

// track makes the live handle track the on-link client, when the decoder
// wants a tracked client.
func (st *state) track() {
	if st.live != 0 && st.api.QOSStartTrackingClient(st.live, saDest, 0) == nil {
		st.tracked = setupDest.Addr()
	}
}

// startPending starts a notification that waits for congestion on the
// adaptive flow: an OVERLAPPED in use, for QOSCancel and for calls that must
// refuse a busy OVERLAPPED.
func (st *state) startPending() {
	if st.pending != nil || st.flow == 0 {
		return
	}
	ov := new(qwave.Overlapped)
	if isCode(st.api.QOSNotifyFlow(st.live, st.flow, qwave.QOSNotifyCongested, nil, nil, 0, ov), qwave.ERROR_IO_PENDING) {
		st.pending, st.pendingOp = ov, qwave.QOSNotifyCongested
	}
}

// flowOf returns whether id is a flow of handle h, and whether it is the
// non-adaptive one.
func (st *state) flowOf(h qwave.Handle, id qwave.QOS_FLOWID) (ok, shared bool) {
	if h == 0 || h != st.live || id == 0 {
		return false, false
	}
	return id == st.flow || id == st.shared, id == st.shared
}

// flowCount is the number of flows of the live handle.
func (st *state) flowCount() uint32 {
	n := uint32(0)
	if st.flow != 0 {
		n++
	}
	if st.shared != 0 {
		n++
	}
	return n
}

func (st *state) handle(r *reader) qwave.Handle {
	switch r.u8() % 12 {
	case 0, 1, 2, 3, 4, 5, 6, 7:
		return st.live
	case 8:
		return st.closed
	case 9:
		return 0
	case 10:
		return GarbageHandle
	}
	return qwave.Handle(r.u32())
}

// neverIssued is a flow id no implementation has handed out in a fresh
// state: far above the few ids setup created.
const neverIssued qwave.QOS_FLOWID = 0x7ffffff0

func (st *state) flowID(r *reader) qwave.QOS_FLOWID {
	switch r.u8() % 10 {
	case 0, 1, 2, 3:
		return st.flow
	case 4, 5:
		return st.sharedFlow()
	case 6:
		return 0
	case 7:
		return neverIssued
	case 8:
		return st.flow + st.shared + 1 // the next id, never issued
	}
	return qwave.QOS_FLOWID(r.u32())
}

func (st *state) socketArg(r *reader) qwave.Socket {
	switch r.u8() % 8 {
	case 0:
		return 0
	case 1:
		return st.socket
	case 2:
		return st.socket2
	case 3:
		return ^qwave.Socket(0) // INVALID_SOCKET
	case 4, 5, 6:
		return 0x300 + qwave.Socket(r.u8())*4
	}
	return qwave.Socket(r.u32())
}

func addr(r *reader) *qwave.RawSockaddrAny {
	switch r.u8() % 10 {
	case 0:
		return nil
	case 1, 2:
		return saDest
	case 3:
		return saShared
	case 4:
		return saUnreachable
	case 5:
		return saOffLink
	case 6:
		return saNoPort
	case 7:
		return saMixed
	case 8:
		return saUnspecified
	}
	sa := &qwave.RawSockaddrAny{Family: uint16(r.u32())}
	for i := range sa.Data[:8] {
		sa.Data[i] = r.u8()
	}
	return sa
}

// flags returns 0 most of the time, then each single bit, then any value.
func flags(r *reader) uint32 {
	switch r.u8() % 8 {
	case 0, 1, 2, 3, 4:
		return 0
	case 5, 6:
		return 1 << (r.u8() % 32)
	}
	return r.u32()
}

// enum returns a member of the named enumeration most of the time, else
// the value just before its first member or just past its last, or any
// int32.
func enum(r *reader, ctype string) int32 {
	first, last, _ := judge.EnumRange(ctype)
	switch r.u8() % 8 {
	case 0:
		return first - 1
	case 1:
		return last + 1
	case 2:
		return int32(r.u32())
	}
	return first + int32(r.u8())%(last-first+1)
}

// sizeAround returns 0, needed-1, needed, needed+1 or a random size of at
// most 200 bytes (the arena is 256).
func sizeAround(r *reader, needed uint32) uint32 {
	switch r.u8() % 6 {
	case 0:
		return 0
	case 1:
		return needed - min(needed, 1)
	case 2, 3:
		return needed
	case 4:
		return needed + 1
	}
	return uint32(r.u8()) % 201
}

// sizePtr returns nil or a size around needed.
func sizePtr(r *reader, needed uint32) *uint32 {
	if r.u8()%6 == 0 {
		return nil
	}
	v := sizeAround(r, needed)
	return &v
}

func (st *state) buffer(r *reader) unsafe.Pointer {
	if r.u8()%8 == 0 {
		return nil
	}
	return unsafe.Pointer(&st.arena[0])
}

// overlapped returns NULL, an OVERLAPPED never passed to any call, or the
// one a pending notification uses.
func (st *state) overlapped(r *reader) *qwave.Overlapped {
	switch r.u8() % 6 {
	case 0, 1:
		return new(qwave.Overlapped)
	case 2:
		st.startPending()
		return st.pending
	}
	return nil
}

func limitOf(size *uint32) int {
	if size == nil {
		return 0
	}
	return int(min(*size, 256))
}

// describe renders the call in C terms, e.g. QOSCloseHandle(0xdeadbeef).
func (c call) describe() string { return judge.Call(c.fn.String(), c.args...) }

// oracle builds a call's judge.Expect from the rules its arguments break.
type oracle struct {
	st    *state
	fn    string
	x     judge.Expect
	rules [4]judge.Rule // x.Rules' first backing array: most calls break few rules
}

// param adds the rule for a bad value of param when bad holds.
func (o *oracle) param(bad bool, param, text string) {
	if bad {
		o.x.Add(judge.Param(o.fn, param, text))
	}
}

// rule adds r when bad holds.
func (o *oracle) rule(bad bool, r judge.Rule) {
	if bad {
		o.x.Add(r)
	}
}

// flow adds the rule for a flow id that is not one of h's flows.
func (o *oracle) flow(bad bool, id qwave.QOS_FLOWID) {
	switch {
	case bad && id == 0:
		o.x.Add(judge.ZeroFlow(o.fn))
	case bad:
		o.x.Add(judge.UnknownFlow(o.fn))
	}
}

// code adds a rule with one documented code when bad holds.
func (o *oracle) code(bad bool, code qwave.Errno, text string) {
	if bad {
		o.x.Add(judge.Code(o.fn, code, text))
	}
}

// network adds a rule whose outcome depends on the network: when the
// network is unknown the call may also succeed.
func (o *oracle) network(bad bool, r judge.Rule) {
	switch {
	case o.st.opts.UnknownNetwork:
		o.x.Success = true
		r.Text += " (if the network says so)"
		o.x.Add(r)
	case bad:
		o.x.Add(r)
	}
}

// handle adds the rule for an invalid QOS handle and reports whether h is
// the live one.
func (o *oracle) handle(h qwave.Handle) bool {
	switch {
	case h != 0 && h == o.st.live:
		return true
	case h == 0:
		o.x.Add(judge.NullHandle(o.fn))
	case h == o.st.closed:
		o.x.Add(judge.ClosedHandle(o.fn))
	default:
		o.x.Add(judge.GarbageHandle(o.fn))
	}
	return false
}

// overlapped says what a call that breaks no rule may do with an
// OVERLAPPED: be accepted for completion through it (ERROR_IO_PENDING), or be
// done at once.
func (o *oracle) overlapped(ov *qwave.Overlapped) {
	if ov != nil && !o.x.Fails() {
		o.x.Pending, o.x.Success = true, true
	}
}

// busy adds the rule for an OVERLAPPED already in use.
func (o *oracle) busy(ov *qwave.Overlapped) {
	o.param(ov != nil && ov == o.st.pending, "Overlapped", "an OVERLAPPED in use by a pending operation cannot start another")
}

// dest reads a destination as the docs take it: a plain IPv4 or IPv6
// address ("qWAVE does not support mixed IPv4/IPv6 addresses"), not the
// unspecified one.
func dest(sa *qwave.RawSockaddrAny) (netip.AddrPort, bool) {
	b, port, ok := sa.Addr()
	if !ok {
		return netip.AddrPort{}, false
	}
	ip, _ := netip.AddrFromSlice(b)
	if ip.Is4In6() || ip.IsUnspecified() {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, port), true
}

func (o *oracle) host(ip netip.Addr) (qwavetest.Host, bool) {
	h, ok := o.st.hosts[ip]
	return h, ok
}

// flowHost is the host a flow of the state sends to.
func (st *state) flowHost(shared bool) netip.Addr {
	if shared {
		return setupShared.Addr()
	}
	return setupDest.Addr()
}

// decode builds a call of fn from the fuzz bytes, with what the docs allow
// for it.
func (st *state) decode(r *reader, fn qwave.FuncID) call {
	c := call{fn: fn}
	o := &oracle{st: st, fn: fn.String()}
	o.x.Rules = o.rules[:0]
	switch fn {
	case qwave.FuncQOSCreateHandle:
		var v *qwave.QOS_VERSION
		switch r.u8() % 8 {
		case 0:
		case 1:
			v = &qwave.QOS_VERSION{MajorVersion: 0, MinorVersion: 0}
		case 2:
			v = &qwave.QOS_VERSION{MajorVersion: 2, MinorVersion: 0}
		case 3:
			v = &qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 1}
		case 4:
			v = &qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 0xffff}
		case 5:
			v = &qwave.QOS_VERSION{MajorVersion: uint16(r.u32()), MinorVersion: uint16(r.u32())}
		default:
			v = &qwave.QOS_VERSION{MajorVersion: 1}
		}
		var h *qwave.Handle
		if r.u8()%4 != 0 {
			h = new(qwave.Handle)
			c.outs = append(c.outs, out{"QOSHandle", func() uint64 { return uint64(*h) }})
		}
		o.rule(v == nil, judge.NotOptional(o.fn, "Version"))
		o.rule(v != nil && *v != qwave.QOS_VERSION{MajorVersion: 1}, judge.Version(o.fn))
		o.rule(h == nil, judge.NotOptional(o.fn, "QOSHandle"))
		c.args = []any{v, h}
		c.do = func() error { return st.api.QOSCreateHandle(v, h) }
	case qwave.FuncQOSCloseHandle:
		h := st.handle(r)
		o.handle(h)
		c.args = []any{h}
		c.do = func() error { return st.api.QOSCloseHandle(h) }
	case qwave.FuncQOSAddSocketToFlow:
		h, s, a := st.handle(r), st.socketArg(r), addr(r)
		tt, fl := qwave.QOS_TRAFFIC_TYPE(enum(r, "QOS_TRAFFIC_TYPE")), flags(r)
		if r.u8()%2 == 0 {
			fl &= qwave.QOS_NON_ADAPTIVE_FLOW
		}
		var id *qwave.QOS_FLOWID
		if r.u8()%5 != 0 {
			v := qwave.QOS_FLOWID(0)
			if r.u8()%3 == 0 {
				v = st.flowID(r)
			}
			id = &v
			c.outs = append(c.outs, out{"FlowId", func() uint64 { return uint64(*id) }})
		}
		if o.handle(h) {
			o.rule(s == 0 || s == ^qwave.Socket(0), judge.NotASocket(o.fn, "Socket"))
			o.param(s != 0 && (s == st.socket && st.flow != 0 || s == st.socket2 && st.shared != 0), "Socket", "a socket already in a flow cannot be added to another")
			o.rule(id == nil, judge.NotOptional(o.fn, "FlowId"))
			o.param(fl&^qwave.QOS_NON_ADAPTIVE_FLOW != 0, "Flags", "QOS_NON_ADAPTIVE_FLOW is the only flag")
			o.rule(!judge.InEnum("QOS_TRAFFIC_TYPE", int32(tt)), judge.EnumMember(o.fn, "TrafficType", "QOS_TRAFFIC_TYPE"))
			d, ok := dest(a)
			o.param(a == nil, "DestAddr", "DestAddr is required for an unconnected socket")
			o.param(a != nil && !ok, "DestAddr", "DestAddr must be a plain IPv4 or IPv6 address")
			o.param(ok && d.Port() == 0, "DestAddr", "the destination must include a port")
			if id != nil && *id != 0 {
				of, shared := st.flowOf(h, *id)
				o.param(!of, "FlowId", "a flow to add the socket to must be one of this handle's")
				o.param(of && !shared, "FlowId", "only non-adaptive flows can have more than one socket attached")
			}
			if ok {
				_, reachable := o.host(d.Addr())
				o.network(!reachable, judge.Unreachable(o.fn))
			}
		}
		c.args = []any{h, s, a, tt, judge.Flags(fl), id}
		c.do = func() error { return st.api.QOSAddSocketToFlow(h, s, a, tt, fl, id) }
	case qwave.FuncQOSRemoveSocketFromFlow:
		h, s, id, fl := st.handle(r), st.socketArg(r), st.flowID(r), flags(r)
		if o.handle(h) {
			of, shared := st.flowOf(h, id)
			o.flow(!of, id)
			o.rule(fl != 0, judge.Reserved(o.fn, "Flags"))
			in := shared && s == st.socket2 || of && !shared && s == st.socket
			o.code(of && s != 0 && !in, qwave.ERROR_NOT_FOUND, "a socket that is not in the flow is not found")
		}
		c.args = []any{h, s, id, judge.Flags(fl)}
		c.do = func() error { return st.api.QOSRemoveSocketFromFlow(h, s, id, fl) }
	case qwave.FuncQOSSetFlow:
		st.decodeSet(r, o, &c)
	case qwave.FuncQOSQueryFlow:
		st.decodeQuery(r, o, &c)
	case qwave.FuncQOSNotifyFlow:
		st.decodeNotify(r, o, &c)
	case qwave.FuncQOSCancel:
		h := st.handle(r)
		var ov *qwave.Overlapped
		switch r.u8() % 4 {
		case 0, 1:
			st.startPending()
			ov = st.pending
		case 2:
			ov = new(qwave.Overlapped) // never passed to any call
		}
		if o.handle(h) {
			o.param(ov == nil, "Overlapped", "there is no valid use of QOSCancel with a NULL Overlapped")
			o.param(ov != nil && ov != st.pending, "Overlapped", "an OVERLAPPED no pending operation of this handle uses cannot be cancelled")
		}
		c.args = []any{h, ov}
		c.do = func() error { return st.api.QOSCancel(h, ov) }
	case qwave.FuncQOSEnumerateFlows:
		h := st.handle(r)
		st.sharedFlow() // two flows to list
		need := 4 * st.flowCount()
		size, buf := sizePtr(r, need), st.buffer(r)
		c.size, c.limit = size, limitOf(size)
		if o.handle(h) {
			c.needed = need
			o.rule(size == nil, judge.NotOptional(o.fn, "Size"))
			o.code(size != nil && *size != 0 && buf == nil, qwave.ERROR_INVALID_PARAMETER, "a Buffer is needed unless Size is 0")
			o.rule(size != nil && *size < need, judge.BufferTooSmall(o.fn))
		}
		c.args = []any{h, size, buf}
		c.do = func() error { return st.api.QOSEnumerateFlows(h, size, buf) }
	case qwave.FuncQOSStartTrackingClient, qwave.FuncQOSStopTrackingClient:
		h, a, fl := st.handle(r), addr(r), flags(r)
		start := fn == qwave.FuncQOSStartTrackingClient
		if !start && r.u8()%2 == 0 {
			st.track()
		}
		if o.handle(h) {
			d, ok := dest(a)
			o.param(!ok, "DestAddr", "DestAddr must be a plain IPv4 or IPv6 address")
			o.rule(fl != 0, judge.Reserved(o.fn, "Flags"))
			if ok && start {
				host, reachable := o.host(d.Addr())
				o.network(!reachable, judge.Unreachable(o.fn))
				o.network(reachable && host.OffLink, judge.Code(o.fn, qwave.ERROR_NOT_SUPPORTED, "no experiments run toward an off-link client"))
			}
			if ok && !start {
				o.param(h != st.live || d.Addr() != st.tracked, "DestAddr", "a client the handle does not track cannot be stopped")
			}
		}
		c.args = []any{h, a, judge.Flags(fl)}
		if start {
			c.do = func() error { return st.api.QOSStartTrackingClient(h, a, fl) }
		} else {
			c.do = func() error { return st.api.QOSStopTrackingClient(h, a, fl) }
		}
	}
	if len(o.x.Rules) == 0 {
		o.x.Add(judge.Succeeds(o.fn, "every argument is valid"))
	}
	c.want = o.x
	return c
}

// decodeSet decodes a QOSSetFlow: mostly a valid buffer for the operation
// (a traffic type, a rate, a DSCP value of 0 to 63) of the right size,
// sometimes a value or size just off.
func (st *state) decodeSet(r *reader, o *oracle, c *call) {
	h, id := st.handle(r), st.flowID(r)
	op := qwave.QOS_SET_FLOW(enum(r, "QOS_SET_FLOW"))
	b, known := judge.SetFlowBuffer(op)
	valid := true
	switch op {
	case qwave.QOSSetTrafficType:
		tt := qwave.QOS_TRAFFIC_TYPE(enum(r, "QOS_TRAFFIC_TYPE"))
		*(*qwave.QOS_TRAFFIC_TYPE)(unsafe.Pointer(&st.arena[0])) = tt
		valid = judge.InEnum("QOS_TRAFFIC_TYPE", int32(tt))
	case qwave.QOSSetOutgoingRate:
		rate := qwave.QOS_FLOWRATE_OUTGOING{
			ShapingBehavior: qwave.QOS_SHAPING(enum(r, "QOS_SHAPING")),
			Reason:          qwave.QOS_FLOWRATE_REASON(enum(r, "QOS_FLOWRATE_REASON")),
		}
		switch r.u8() % 4 {
		case 0:
			rate.Bandwidth = 1_000_000 // fits every on-link path
		case 1:
			rate.Bandwidth = qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH
		case 2:
			rate.Bandwidth = 1 << 40 // fits no path
		default:
			rate.Bandwidth = uint64(r.u32()) << (r.u8() % 16)
		}
		*(*qwave.QOS_FLOWRATE_OUTGOING)(unsafe.Pointer(&st.arena[0])) = rate
		valid = judge.InEnum("QOS_SHAPING", int32(rate.ShapingBehavior)) && judge.InEnum("QOS_FLOWRATE_REASON", int32(rate.Reason))
		if valid {
			// Admission depends on the path of an adaptive flow: more than
			// the host has available does not fit.
			if of, shared := st.flowOf(h, id); of && !shared {
				host, _ := o.host(st.flowHost(false))
				limit := host.AvailableBandwidth
				if limit == 0 {
					limit = host.BottleneckBandwidth
				}
				o.network(limit != 0 && rate.Bandwidth != qwave.QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH && rate.Bandwidth > limit,
					judge.Code(o.fn, qwave.ERROR_NETWORK_BUSY, "a rate the path cannot carry is refused"))
			}
		}
	case qwave.QOSSetOutgoingDSCPValue:
		dscp := uint32(r.u8()) % 64
		switch r.u8() % 6 {
		case 0:
			dscp = 64
		case 1:
			dscp = r.u32()
		}
		*(*uint32)(unsafe.Pointer(&st.arena[0])) = dscp
		valid = dscp <= 63
	}
	size := b.Size
	if !known || r.u8()%4 == 0 {
		size = sizeAround(r, b.Size)
	}
	buf, fl, ov := st.buffer(r), flags(r), st.overlapped(r)
	if o.handle(h) {
		o.rule(!known, judge.EnumMember(o.fn, "Operation", "QOS_SET_FLOW"))
		o.rule(buf == nil, judge.NotOptional(o.fn, "Buffer"))
		o.param(known && size != b.Size, "Size", "Size must be the size of the "+b.Type+" the operation takes ("+b.Source+")")
		o.param(known && buf != nil && size == b.Size && !valid, "Buffer", "the "+b.Type+" in Buffer must hold valid values")
		o.rule(fl != 0, judge.Reserved(o.fn, "Flags"))
		o.busy(ov)
		of, _ := st.flowOf(h, id)
		o.flow(!of, id)
		o.overlapped(ov)
	}
	c.args = []any{h, id, op, size, buf, judge.Flags(fl), ov}
	// An [in] buffer: limit 0, so a success that writes it is caught.
	c.do = func() error { return st.api.QOSSetFlow(h, id, op, size, buf, fl, ov) }
}

// decodeQuery decodes a QOSQueryFlow with a Size around the operation's.
func (st *state) decodeQuery(r *reader, o *oracle, c *call) {
	h, id := st.handle(r), st.flowID(r)
	op := qwave.QOS_QUERY_FLOW(enum(r, "QOS_QUERY_FLOW"))
	b, known := judge.QueryFlowBuffer(op)
	size, buf := sizePtr(r, b.Size), st.buffer(r)
	var fl uint32
	switch r.u8() % 4 {
	case 1:
		fl = qwave.QOS_QUERYFLOW_FRESH
	case 2:
		fl = flags(r)
	}
	ov := st.overlapped(r)
	c.size, c.limit = size, limitOf(size)
	if o.handle(h) {
		o.rule(size == nil, judge.NotOptional(o.fn, "Size"))
		o.rule(!known, judge.EnumMember(o.fn, "Operation", "QOS_QUERY_FLOW"))
		o.param(fl&^qwave.QOS_QUERYFLOW_FRESH != 0, "Flags", "QOS_QUERYFLOW_FRESH is the only flag")
		o.param(fl == qwave.QOS_QUERYFLOW_FRESH && op != qwave.QOSQueryFlowFundamentals, "Flags", "QOS_QUERYFLOW_FRESH applies only to QOSQueryFlowFundamentals")
		o.busy(ov)
		of, shared := st.flowOf(h, id)
		o.flow(!of, id)
		small := known && size != nil && *size < b.Size
		o.rule(small, judge.BufferTooSmall(o.fn))
		o.param(known && size != nil && !small && buf == nil, "Buffer", "Buffer is needed once Size is large enough")
		if known {
			c.needed = b.Size
		}
		if of && known {
			switch op {
			case qwave.QOSQueryFlowFundamentals:
				o.rule(shared, judge.NonAdaptive(o.fn))
			case qwave.QOSQueryOutgoingRate:
				o.network(true, judge.Code(o.fn, qwave.ERROR_NO_DATA, "no rate was set on the flow, so no valid data is available"))
			}
		}
		o.overlapped(ov)
		if ov != nil {
			c.pendingSize = true // a pending query writes Size at completion
		}
	}
	c.args = []any{h, id, op, size, buf, judge.Flags(fl), ov}
	c.do = func() error { return st.api.QOSQueryFlow(h, id, op, size, buf, fl, ov) }
}

// decodeNotify decodes a QOSNotifyFlow; for QOSNotifyAvailable the Buffer
// holds a bandwidth that is available now, or one that is not.
func (st *state) decodeNotify(r *reader, o *oracle, c *call) {
	h, id := st.handle(r), st.flowID(r)
	op := qwave.QOS_NOTIFY_FLOW(enum(r, "QOS_NOTIFY_FLOW"))
	b, known := judge.NotifyFlowBuffer(op)
	want := uint64(1000)
	if r.u8()%2 == 0 {
		want = 1 << 40
	}
	*(*uint64)(unsafe.Pointer(&st.arena[0])) = want
	var size *uint32
	if r.u8()%4 != 0 {
		v := sizeAround(r, b.Size)
		size = &v
	}
	var buf unsafe.Pointer
	if r.u8()%3 != 0 && (op == qwave.QOSNotifyAvailable || r.u8()%2 == 0) {
		buf = unsafe.Pointer(&st.arena[0])
	}
	if r.u8()%4 == 0 {
		st.startPending() // a notification already waiting for congestion
	}
	fl, ov := flags(r), st.overlapped(r)
	c.size, c.limit = size, limitOf(size)
	if o.handle(h) {
		o.rule(!known, judge.EnumMember(o.fn, "Operation", "QOS_NOTIFY_FLOW"))
		o.param(known && b.Type == "" && buf != nil, "Buffer", "Buffer must be NULL for "+op.String())
		o.param(known && b.Type != "" && (buf == nil || size == nil || *size != b.Size), "Buffer", "Buffer must point to the "+b.Type+" the operation takes, and Size be its size")
		o.rule(fl != 0, judge.Reserved(o.fn, "Flags"))
		o.busy(ov)
		of, shared := st.flowOf(h, id)
		o.flow(!of, id)
		o.rule(of && shared, judge.NonAdaptive(o.fn))
		o.rule(of && !shared && known && st.pending != nil && ov != st.pending && op == st.pendingOp, judge.AlreadyPending(o.fn))
		if of && !shared && known && !o.x.Fails() {
			host, _ := o.host(st.flowHost(false))
			holds := op == qwave.QOSNotifyCongested && host.Congested ||
				op == qwave.QOSNotifyUncongested && !host.Congested ||
				op == qwave.QOSNotifyAvailable && host.AvailableBandwidth >= want
			switch {
			case st.opts.UnknownNetwork:
				o.x.Success, o.x.Pending = true, ov != nil
			case holds && op == qwave.QOSNotifyAvailable:
				c.needed = b.Size // the bandwidth is written, and Size with it
			case !holds && ov != nil:
				o.x.Add(judge.Code(o.fn, qwave.ERROR_IO_PENDING, "the condition does not hold yet: the request completes through the OVERLAPPED"))
			case !holds:
				// Documentation gap: a synchronous call would wait for the
				// network to change; qwavetest fails it instead.
				o.x.Success = true
				o.x.Add(judge.Code(o.fn, qwave.ERROR_INVALID_PARAMETER, "a synchronous request whose condition does not hold waits (qwavetest: fails)"))
			}
		}
	}
	c.args = []any{h, id, op, size, buf, judge.Flags(fl), ov}
	c.do = func() error { return st.api.QOSNotifyFlow(h, id, op, size, buf, fl, ov) }
}

// isCode reports whether err carries code.
func isCode(err error, code qwave.Errno) bool {
	var c qwave.Errno
	return errors.As(err, &c) && c == code
}
