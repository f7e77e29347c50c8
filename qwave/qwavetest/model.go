// Package qwavetest is an in-memory qWAVE: a Model implements qwave.API
// exactly as the spec pages in spec/qos2 document it, on every GOOS, so code
// written against qwave.API can be tested without qwave.dll, and its error
// handling can be tested with Inject, which makes any documented failure
// happen on demand.
//
// The Model keeps handles, flows, sockets, tracked clients and pending
// overlapped operations in maps, so the cost of a call does not grow with the
// number of live flows. It starts no goroutines: overlapped operations finish
// when the test calls Complete (QOSSetFlow, QOSQueryFlow) or SetNetwork
// (QOSNotifyFlow), or when they are cancelled; Done gives a channel to wait
// on and OverlappedResult reports how they ended. Everything is deterministic: the same calls give the same
// handles, flow ids, results and last errors.
//
// Every method returns nil on success and leaves the last error as it was; on
// failure it sets the last error (GetLastError) and returns the code as a
// pre-boxed qwave.Errno, always one that the function's page documents, or,
// with WithProfile(qwave.ProfileWindows), the one qwave.Facts record real
// Windows returning where it differs from the page.
//
// The Model has no sockets of its own: DescribeSocket tells it a socket's
// family, peer and dual-stack state (package qos does so for real sockets),
// and the Windows pitfalls follow from that. WithAdmin, WithDSCPPolicy,
// Reinitialize and Missing set up the rest of the environment programs
// using qWAVE meet.
//
// Where a page is silent or contradicts itself, the choice made is written
// next to the code that makes it, marked "documentation gap" or
// "documentation contradiction".
package qwavetest

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// Model is an in-memory qWAVE. Create one with New. It is safe for
// concurrent use; all callers share one last error, as the threads of a
// process would if they all were one thread.
type Model struct {
	mu sync.Mutex

	admin      bool
	dscpPolicy bool
	profile    qwave.Profile
	// badHandle is, per function, the code an invalid QOS handle fails
	// with: documented, or as the profile's facts record.
	badHandle [qwave.NumFuncs]qwave.Errno
	hosts     map[netip.Addr]Host
	lastErr   qwave.Errno

	nextHandle qwave.Handle
	nextFlow   qwave.QOS_FLOWID
	seq        uint64

	handles   map[qwave.Handle]*handle
	sockets   map[qwave.Socket]sockRef
	connected map[qwave.Socket]netip.AddrPort
	pending   map[*qwave.Overlapped]*op
	flows     int
	sockInfo  map[qwave.Socket]sockInfo           // from DescribeSocket
	waiters   map[*qwave.Overlapped]chan struct{} // from Done

	faults [qwave.NumFuncs]faults

	// freeFlows are removed flows kept for reuse.
	freeFlows []*flow

	// scratch space reused by QOSEnumerateFlows, Complete and SetNetwork.
	ids []qwave.QOS_FLOWID
	ops []*op
}

var (
	_ qwave.API             = (*Model)(nil)
	_ qwave.LastErrorAccess = (*Model)(nil)
)

type config struct {
	network    Network
	admin      bool
	dscpPolicy bool
	profile    qwave.Profile
}

// Option configures a Model in New.
type Option func(*config)

// WithNetwork sets the network the Model starts with instead of
// DefaultNetwork.
func WithNetwork(n Network) Option { return func(c *config) { c.network = n } }

// WithAdmin says whether the caller counts as a member of the Administrators
// or Network Configuration Operators group (the default is true). Without,
// QOSSetFlow with QOSSetOutgoingDSCPValue fails with ERROR_ACCESS_DENIED.
func WithAdmin(admin bool) Option { return func(c *config) { c.admin = admin } }

// WithProfile sets whose behaviour the Model follows where real Windows
// differs from the docs: qwave.ProfileDocumented (the default) behaves as the
// pages say; qwave.ProfileWindows behaves as qwave.Facts record Windows
// behaving, e.g. QOSCloseHandle of a handle that is not open fails with
// ERROR_INVALID_HANDLE, not the documented ERROR_INVALID_PARAMETER, and
// Inject accepts those codes too. Code tested against the Windows profile
// handles Windows' real answers.
func WithProfile(p qwave.Profile) Option { return func(c *config) { c.profile = p } }

// firstHandle is the value of the first handle. Handles step by 4, as Windows
// handles do, so 0, INVALID_HANDLE_VALUE and the sentinel 0xdeadbeef are
// never valid handles; values are never reused.
const firstHandle qwave.Handle = 0x1000

// New returns a Model with no handles on DefaultNetwork, or on the network
// WithNetwork gives.
func New(opts ...Option) *Model {
	c := config{network: DefaultNetwork(), admin: true}
	for _, o := range opts {
		o(&c)
	}
	m := &Model{
		admin:      c.admin,
		dscpPolicy: c.dscpPolicy,
		profile:    c.profile,
		nextHandle: firstHandle,
		nextFlow:   1,
		handles:    make(map[qwave.Handle]*handle),
		sockets:    make(map[qwave.Socket]sockRef),
		connected:  make(map[qwave.Socket]netip.AddrPort),
		pending:    make(map[*qwave.Overlapped]*op),
	}
	m.hosts = c.network.copyHosts()
	for id := range qwave.FuncID(qwave.NumFuncs) {
		m.badHandle[id] = badHandleCode(c.profile, id.String())
	}
	return m
}

// badHandleCode is the code fn fails with for a QOS handle that is not open:
// under qwave.ProfileWindows the code a fact about fn's QOSHandle records;
// otherwise the one its page documents for QOSHandle (ERROR_INVALID_HANDLE, or
// ERROR_INVALID_PARAMETER for QOSCloseHandle, whose page documents nothing
// else).
func badHandleCode(p qwave.Profile, fn string) qwave.Errno {
	if p == qwave.ProfileWindows {
		for _, f := range qwave.FactsOf(fn) {
			if f.Param == "QOSHandle" && !f.OK {
				return f.Code
			}
		}
	}
	if qwave.Documented(fn, qwave.ERROR_INVALID_HANDLE) {
		return qwave.ERROR_INVALID_HANDLE
	}
	return qwave.ERROR_INVALID_PARAMETER
}

// Profile returns the profile the Model follows (WithProfile).
func (m *Model) Profile() qwave.Profile { return m.profile }

// handle is one QOS handle.
type handle struct {
	flows   map[qwave.QOS_FLOWID]*flow
	clients map[netip.Addr]struct{} // tracked clients, nil until the first
	stale   bool                    // Reinitialize ran: only QOSCloseHandle works
}

// flow is one flow of a handle.
type flow struct {
	id          qwave.QOS_FLOWID
	h           *handle
	nonAdaptive bool
	prioritized bool
	dest        netip.Addr
	traffic     qwave.QOS_TRAFFIC_TYPE
	rateSet     bool
	dscpSet     bool
	dscp        uint32
	rate        qwave.QOS_FLOWRATE_OUTGOING
	socks       []qwave.Socket
	sock0       [1]qwave.Socket // socks' first backing array: most flows have one socket
	ops         *op             // pending operations, a doubly linked list
	notifying   uint8           // bit n set: a QOSNotifyFlow with operation n is pending
}

// sockRef says where a socket sits: its flow and its index in flow.socks.
type sockRef struct {
	f *flow
	i int
}

// GetLastError returns the last error a failing call set.
func (m *Model) GetLastError() qwave.Errno {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastErr
}

// SetLastError sets the last error, as SetLastError does; conformance checks
// set a sentinel before each call to see whether a call changes it.
func (m *Model) SetLastError(e qwave.Errno) {
	m.mu.Lock()
	m.lastErr = e
	m.mu.Unlock()
}

// LiveHandles returns the number of open handles.
func (m *Model) LiveHandles() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.handles)
}

// LiveFlows returns the number of flows of all open handles.
func (m *Model) LiveFlows() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flows
}

// Pending returns the number of overlapped operations not yet completed.
func (m *Model) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// ConnectSocket records that socket s is connected to dest, as connect would:
// QOSAddSocketToFlow then accepts a NULL DestAddr for s ("For a socket that is
// already connected it may be omitted; if it is supplied anyway, the host and
// port must be the same as those given to the socket's connect call"). A nil
// dest, or one that is not an IPv4 or IPv6 address with a port, disconnects
// s. The model has no real sockets: every other socket counts as unconnected.
func (m *Model) ConnectSocket(s qwave.Socket, dest *qwave.RawSockaddrAny) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ap, ok := parseSockaddr(dest)
	if !ok || ap.Port() == 0 {
		delete(m.connected, s)
		return
	}
	m.connected[s] = ap
}

// fail sets the last error to code and returns it as an error.
func (m *Model) fail(code qwave.Errno) error {
	m.lastErr = code
	return errOf(code)
}

// faults are the injected failures of one function, keyed by the number of
// the call that fails.
type faults struct {
	calls uint64
	at    map[uint64]qwave.Errno
}

// ErrInject is matched (errors.Is) by the errors Inject returns.
var ErrInject = errors.New("qwavetest: bad fault injection")

// Inject makes the nth next call of fn (1 is the very next) fail with code:
// the call returns FALSE with code as its last error before it checks
// anything else, and has no other effect (it writes no out-parameter, and an
// injected ERROR_IO_PENDING starts no operation). code must be one that fn
// documents (or, under qwave.ProfileWindows, one a fact records for fn).
// Injecting twice for the same call keeps the later code. Calls after the
// failing one are unaffected.
func (m *Model) Inject(fn qwave.FuncID, code qwave.Errno, nth int) error {
	id := fn
	switch {
	case fn >= qwave.NumFuncs:
		return fmt.Errorf("%w: %v is not a qWAVE function", ErrInject, fn)
	case !m.profile.Allows(fn.String(), code):
		return fmt.Errorf("%w: %v does not document %v (%d)", ErrInject, fn, code.Name(), uint32(code))
	case nth < 1:
		return fmt.Errorf("%w: call number %d of %v; the next call is 1", ErrInject, nth, fn)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	f := &m.faults[id]
	if f.at == nil {
		f.at = make(map[uint64]qwave.Errno)
	}
	f.at[f.calls+uint64(nth)] = code
	return nil
}

// begin starts a call of a function that takes a QOS handle: it counts the
// call and returns the handle, or the error the call fails with, injected or
// ERROR_INVALID_HANDLE ("The value passed in QOSHandle is not a valid QOS
// handle").
func (m *Model) begin(id qwave.FuncID, qosHandle qwave.Handle) (*handle, error) {
	if code, ok := m.injected(id); ok {
		return nil, m.fail(code)
	}
	h := m.handles[qosHandle]
	if h == nil {
		return nil, m.fail(m.badHandle[id])
	}
	if h.stale {
		return nil, m.fail(qwave.ERROR_DEVICE_REINITIALIZATION_NEEDED)
	}
	return h, nil
}

// injected counts a call of fn and returns the failure injected for it.
func (m *Model) injected(id qwave.FuncID) (qwave.Errno, bool) {
	f := &m.faults[id]
	f.calls++
	if len(f.at) == 0 {
		return 0, false
	}
	code, ok := f.at[f.calls]
	if ok {
		delete(f.at, f.calls)
	}
	return code, ok
}

// errOf returns a non-zero code as the error the API returns for it:
// pre-boxed for documented codes, so a failure does not allocate (converting
// an Errno of 256 or more to an error would).
func errOf(code qwave.Errno) error {
	return qwave.Outcome{LastError: code}.Err()
}

// The sizes of the buffers the operations take, as C's sizeof gives them.
const (
	sizeofTrafficType  = uint32(unsafe.Sizeof(qwave.QOS_TRAFFIC_TYPE(0)))
	sizeofFlowrate     = uint32(unsafe.Sizeof(qwave.QOS_FLOWRATE_OUTGOING{}))
	sizeofDWORD        = uint32(unsafe.Sizeof(uint32(0)))
	sizeofFundamentals = uint32(unsafe.Sizeof(qwave.QOS_FLOW_FUNDAMENTALS{}))
	sizeofPriority     = uint32(unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{}))
	sizeofUINT64       = uint32(unsafe.Sizeof(uint64(0)))
	sizeofFlowID       = uint32(unsafe.Sizeof(qwave.QOS_FLOWID(0)))
)
