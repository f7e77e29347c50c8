package qwavetest

import (
	"errors"
	"net/netip"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// sentinel is the last error set before each checked call, as Wine's tests
// do, so that a success that changes the last error shows.
const sentinel qwave.Errno = 0xdeadbeef

var v10 = qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 0}

// sa returns a socket address for ip and port.
func sa(ip netip.Addr, port uint16) *qwave.RawSockaddrAny {
	if ip.Is4() {
		return qwave.SockaddrInet4(ip.As4(), port)
	}
	return qwave.SockaddrInet6(ip.As16(), port, 0)
}

// Sockets of the fixture's flows; tests add other flows with sockets from
// freeSocket up.
const (
	sockAdaptive    qwave.Socket = 100
	sockNonAdaptive qwave.Socket = 101
	sockOffLink     qwave.Socket = 102
	sockIPv6        qwave.Socket = 103
	sockOther       qwave.Socket = 104 // in other's flow
	freeSocket      qwave.Socket = 200
)

// fixture is a Model with an open handle h and a flow of each kind on it,
// a second open handle with one flow, and a closed handle.
type fixture struct {
	t           testing.TB
	m           *Model
	h, other    qwave.Handle
	closed      qwave.Handle
	adaptive    qwave.QOS_FLOWID // to OnLinkIPv4
	nonAdaptive qwave.QOS_FLOWID // to OnLinkIPv4, QOS_NON_ADAPTIVE_FLOW
	offLink     qwave.QOS_FLOWID // adaptive, to OffLinkIPv4
	ipv6        qwave.QOS_FLOWID // adaptive, to OnLinkIPv6
	otherFlow   qwave.QOS_FLOWID // on other
	buf         [64]uint64       // a buffer large enough for any operation
}

func newFixture(t testing.TB, opts ...Option) *fixture {
	t.Helper()
	fx := &fixture{t: t, m: New(opts...)}
	fx.h = fx.handle()
	fx.other = fx.handle()
	fx.closed = fx.handle()
	must(t, fx.m.QOSCloseHandle(fx.closed))
	fx.adaptive = fx.add(fx.h, sockAdaptive, OnLinkIPv4, 0)
	fx.nonAdaptive = fx.add(fx.h, sockNonAdaptive, OnLinkIPv4, qwave.QOS_NON_ADAPTIVE_FLOW)
	fx.offLink = fx.add(fx.h, sockOffLink, OffLinkIPv4, 0)
	fx.ipv6 = fx.add(fx.h, sockIPv6, OnLinkIPv6, 0)
	fx.otherFlow = fx.add(fx.other, sockOther, OnLinkIPv4, 0)
	return fx
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (fx *fixture) handle() qwave.Handle {
	fx.t.Helper()
	var h qwave.Handle
	must(fx.t, fx.m.QOSCreateHandle(&v10, &h))
	return h
}

func (fx *fixture) add(h qwave.Handle, s qwave.Socket, ip netip.Addr, flags uint32) qwave.QOS_FLOWID {
	fx.t.Helper()
	var id qwave.QOS_FLOWID
	must(fx.t, fx.m.QOSAddSocketToFlow(h, s, sa(ip, 5004), qwave.QOSTrafficTypeAudioVideo, flags, &id))
	return id
}

// ptr returns the fixture's buffer.
func (fx *fixture) ptr() unsafe.Pointer { return unsafe.Pointer(&fx.buf[0]) }

// setRate is QOSSetFlow with QOSSetOutgoingRate.
func (fx *fixture) setRate(id qwave.QOS_FLOWID, bps uint64, o *qwave.Overlapped) error {
	r := qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: bps, ShapingBehavior: qwave.QOSShapeAndMark}
	return fx.m.QOSSetFlow(fx.h, id, qwave.QOSSetOutgoingRate, sizeofFlowrate, unsafe.Pointer(&r), 0, o)
}

// query is QOSQueryFlow into the fixture's buffer.
func (fx *fixture) query(id qwave.QOS_FLOWID, op qwave.QOS_QUERY_FLOW, flags uint32, o *qwave.Overlapped) error {
	size := uint32(len(fx.buf) * 8)
	return fx.m.QOSQueryFlow(fx.h, id, op, &size, fx.ptr(), flags, o)
}

// notify is QOSNotifyFlow; want is used with QOSNotifyAvailable only.
func (fx *fixture) notify(id qwave.QOS_FLOWID, op qwave.QOS_NOTIFY_FLOW, want uint64, o *qwave.Overlapped) error {
	if op != qwave.QOSNotifyAvailable {
		return fx.m.QOSNotifyFlow(fx.h, id, op, nil, nil, 0, o)
	}
	fx.buf[0] = want
	size := sizeofUINT64
	return fx.m.QOSNotifyFlow(fx.h, id, op, &size, fx.ptr(), 0, o)
}

// checkCall checks the result of a call of fn against the contract: nil
// leaves the last error at the sentinel set before the call; an error is
// a code fn documents, equal to the last error. It returns the
// code, 0 for success.
func checkCall(t testing.TB, m *Model, fn string, err error) qwave.Errno {
	t.Helper()
	last := m.GetLastError()
	if err == nil {
		if last != sentinel {
			t.Errorf("%s succeeded but changed the last error from %#x to %v", fn, uint32(sentinel), last)
		}
		return 0
	}
	var code qwave.Errno
	if !errors.As(err, &code) {
		t.Fatalf("%s returned %v (%T), not a qwave.Errno", fn, err, err)
	}
	if !qwave.Documented(fn, code) {
		t.Errorf("%s failed with %v, which its page does not document", fn, err)
	}
	if last != code {
		t.Errorf("%s returned %v but set the last error to %v", fn, err, last)
	}
	return code
}

// name returns a code's name for messages, "success" for 0.
func name(code qwave.Errno) string {
	if code == 0 {
		return "success"
	}
	return code.Name()
}

// mustFunc returns the identifier of the named function.
func mustFunc(t testing.TB, name string) qwave.FuncID {
	t.Helper()
	id, ok := qwave.FuncOf(name)
	if !ok {
		t.Fatalf("no function %s", name)
	}
	return id
}
