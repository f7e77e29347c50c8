package qos_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// loopback is a network where both loopback addresses are on-link hosts.
func loopback() qwavetest.Network {
	return qwavetest.Network{Hosts: map[netip.Addr]qwavetest.Host{
		netip.MustParseAddr("127.0.0.1"): {BottleneckBandwidth: 1_000_000_000, AvailableBandwidth: 800_000_000, RTT: 50},
		netip.MustParseAddr("::1"):       {BottleneckBandwidth: 1_000_000_000, AvailableBandwidth: 900_000_000, RTT: 40},
	}}
}

// model returns a model on the loopback network that behaves as Windows is
// observed to, and a Client over it, closed when the test ends.
func model(t testing.TB, opts ...qwavetest.Option) (*qwavetest.Model, *qos.Client) {
	t.Helper()
	m := qwavetest.New(append([]qwavetest.Option{qwavetest.WithNetwork(loopback()), qwavetest.WithProfile(qwave.ProfileWindows)}, opts...)...)
	c := qos.New(m)
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Client.Close: %v", err)
		}
		if n := m.LiveHandles(); n != 0 {
			t.Errorf("%d handles left open after Client.Close", n)
		}
	})
	return m, c
}

// peer is a UDP socket to send to.
func peer(t testing.TB, network, addr string) *net.UDPConn {
	t.Helper()
	pc, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(addr)))
	if err != nil {
		t.Skipf("no %s socket on %s: %v", network, addr, err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

func addrPort(c net.Conn) netip.AddrPort { return c.LocalAddr().(*net.UDPAddr).AddrPort() }

func dialUDP(t testing.TB, network string, to *net.UDPConn) *net.UDPConn {
	t.Helper()
	conn, err := net.DialUDP(network, nil, to.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// connected returns a socket connected to 127.0.0.1: a UDP one, or a TCP
// one where Go cannot open UDP sockets (Wine 8 rejects the
// SIO_UDP_CONNRESET ioctl Go's net package makes).
func connected(t testing.TB) syscall.Conn {
	t.Helper()
	if to, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err == nil {
		t.Cleanup(func() { to.Close() })
		return dialUDP(t, "udp4", to)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	return conn.(*net.TCPConn)
}

func apply(t testing.TB, c *qos.Client, conn syscall.Conn, class qos.Class, opts ...qos.ApplyOption) *qos.Flow {
	t.Helper()
	f, err := c.Apply(conn, class, opts...)
	if err != nil {
		t.Fatalf("Apply(%v): %v", class, err)
	}
	return f
}

func priority(t testing.TB, f *qos.Flow) qos.Priority {
	t.Helper()
	p, err := f.Priority()
	if err != nil {
		t.Fatalf("Priority: %v", err)
	}
	return p
}

func TestApplyConnectedUDP(t *testing.T) {
	for _, tc := range []struct{ network, addr string }{
		{"udp4", "127.0.0.1:0"},
		{"udp6", "[::1]:0"},
		{"udp", "127.0.0.1:0"}, // Dial("udp") to an IPv4 peer: an AF_INET socket
	} {
		t.Run(tc.network+"-"+tc.addr, func(t *testing.T) {
			m, c := model(t)
			to := peer(t, tc.network, tc.addr)
			conn := dialUDP(t, tc.network, to)
			f := apply(t, c, conn, qos.Voice, qos.NonAdaptive())
			if f.Destination() != addrPort(to) {
				t.Errorf("Destination() = %v; want %v", f.Destination(), addrPort(to))
			}
			if got, want := priority(t, f), (qos.Priority{DSCP: 0x38}); got != want {
				t.Errorf("Priority() = %+v; want %+v", got, want)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if n := m.LiveFlows(); n != 0 {
				t.Errorf("%d flows left after Flow.Close", n)
			}
			if _, err := f.Priority(); !errors.Is(err, qos.ErrClosed) {
				t.Errorf("Priority after Close = %v; want ErrClosed", err)
			}
		})
	}
}

func TestApplyTCP(t *testing.T) {
	m, c := model(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- conn
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	server := <-accepted
	if server == nil {
		t.Fatal("Accept failed")
	}
	defer server.Close()
	fc := apply(t, c, conn.(*net.TCPConn), qos.ExcellentEffort)
	fs := apply(t, c, server.(*net.TCPConn), qos.Background)
	if fs.Destination() != conn.LocalAddr().(*net.TCPAddr).AddrPort() {
		t.Errorf("server flow goes to %v; want the client %v", fs.Destination(), conn.LocalAddr())
	}
	if m.LiveFlows() != 2 || c.Flows() != 2 {
		t.Errorf("LiveFlows() = %d, Flows() = %d; want 2", m.LiveFlows(), c.Flows())
	}
	// The listener has no peer: there is nothing to add.
	if _, err := c.Apply(ln.(*net.TCPListener), qos.Voice); !errors.Is(err, qos.ErrNoDestination) {
		t.Errorf("Apply(listener) = %v; want ErrNoDestination", err)
	}
	fc.Close()
	fs.Close()
}

// Pitfall: the docs forbid a NULL DestAddr on an unconnected socket, which
// one-off wrappers pass anyway.
func TestUnconnectedUDPNeedsDestination(t *testing.T) {
	m, c := model(t)
	conn := peer(t, "udp4", "127.0.0.1:0")
	to := peer(t, "udp4", "127.0.0.1:0")
	if _, err := c.Apply(conn, qos.Voice); !errors.Is(err, qos.ErrNoDestination) {
		t.Fatalf("Apply without Destination = %v; want ErrNoDestination", err)
	}
	if m.LiveFlows() != 0 {
		t.Fatal("a failed Apply left a flow")
	}
	f := apply(t, c, conn, qos.Voice, qos.Destination(addrPort(to)))
	if f.Destination() != addrPort(to) {
		t.Errorf("Destination() = %v; want %v", f.Destination(), addrPort(to))
	}
}

// Pitfall: Windows rejects an IPv4-mapped IPv6 DestAddr. qos passes the
// IPv4 address to an IPv4 socket.
func TestIPv4MappedDestination(t *testing.T) {
	m, c := model(t)
	conn := peer(t, "udp4", "127.0.0.1:0")
	to := addrPort(peer(t, "udp4", "127.0.0.1:0"))
	mapped := netip.AddrPortFrom(netip.AddrFrom16(to.Addr().As16()), to.Port())
	f := apply(t, c, conn, qos.Voice, qos.Destination(mapped))
	if f.Destination() != to {
		t.Errorf("Destination() = %v; want the unmapped %v", f.Destination(), to)
	}
	// The model itself rejects the mapped address, as Windows does.
	var h qwave.Handle
	if err := m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1}, &h); err != nil {
		t.Fatal(err)
	}
	defer m.QOSCloseHandle(h)
	var id qwave.QOS_FLOWID
	err := m.QOSAddSocketToFlow(h, 0x7777, qwave.SockaddrOf(mapped), qwave.QOSTrafficTypeVoice, 0, &id)
	if !errors.Is(err, qwave.ERROR_INVALID_PARAMETER) {
		t.Errorf("QOSAddSocketToFlow(mapped %v) = %v; want ERROR_INVALID_PARAMETER", mapped, err)
	}
}

// dualStack returns an unconnected dual-stack UDP socket, or skips.
func dualStack(t *testing.T) *net.UDPConn {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{})
	if err != nil {
		t.Skipf("no dual-stack socket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if !addrPort(conn).Addr().Is6() {
		t.Skipf("ListenUDP(udp) gave %v, not a dual-stack IPv6 socket", conn.LocalAddr())
	}
	return conn
}

// Pitfall: an IPv4 destination on a dual-stack socket fails with
// ERROR_INVALID_PARAMETER on Windows; the fix is to connect the socket and
// pass no DestAddr.
func TestDualStackIPv4Destination(t *testing.T) {
	m, c := model(t)
	conn := dualStack(t)
	to := peer(t, "udp4", "127.0.0.1:0")
	if _, err := c.Apply(conn, qos.Voice, qos.Destination(addrPort(to))); !errors.Is(err, qos.ErrDualStackIPv4) {
		t.Fatalf("Apply = %v; want ErrDualStackIPv4", err)
	}
	if m.LiveFlows() != 0 {
		t.Fatal("a failed Apply left a flow")
	}

	// What the model does with the DestAddr qos refused to pass.
	var h qwave.Handle
	if err := m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1}, &h); err != nil {
		t.Fatal(err)
	}
	defer m.QOSCloseHandle(h)
	m.DescribeSocket(0x9999, netip.MustParseAddrPort("[::]:5000"), netip.AddrPort{}, true)
	var id qwave.QOS_FLOWID
	if err := m.QOSAddSocketToFlow(h, 0x9999, qwave.SockaddrOf(addrPort(to)), qwave.QOSTrafficTypeVoice, 0, &id); !errors.Is(err, qwave.ERROR_INVALID_PARAMETER) {
		t.Errorf("model: IPv4 DestAddr on a dual-stack socket = %v; want ERROR_INVALID_PARAMETER", err)
	}

	f := apply(t, c, conn, qos.Voice, qos.Destination(addrPort(to)), qos.ConnectDualStack())
	if f.Destination() != addrPort(to) {
		t.Errorf("Destination() = %v; want %v", f.Destination(), addrPort(to))
	}
	// The socket is connected now: Write reaches the peer.
	if _, err := conn.Write([]byte("marked")); err != nil {
		t.Fatalf("Write on the connected socket: %v", err)
	}
	to.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	n, _, err := to.ReadFromUDPAddrPort(buf)
	if err != nil || string(buf[:n]) != "marked" {
		t.Errorf("peer read %q, %v; want \"marked\"", buf[:n], err)
	}
}

// An IPv6 destination on a dual-stack socket needs no workaround.
func TestDualStackIPv6Destination(t *testing.T) {
	_, c := model(t)
	conn := dualStack(t)
	to := peer(t, "udp6", "[::1]:0")
	apply(t, c, conn, qos.AudioVideo, qos.Destination(addrPort(to)))
}

func TestWrongFamily(t *testing.T) {
	_, c := model(t)
	conn := peer(t, "udp4", "127.0.0.1:0")
	if _, err := c.Apply(conn, qos.Voice, qos.Destination(netip.MustParseAddrPort("[::1]:5004"))); err == nil {
		t.Error("Apply of an IPv4 socket with an IPv6 destination succeeded")
	}
}

// Pitfall: QOSSetOutgoingDSCPValue needs Administrators or Network
// Configuration Operators, or is blocked by policy.
func TestDSCPDenied(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  qwavetest.Option
		kind error
		code qwave.Errno
	}{
		{"not admin", qwavetest.WithAdmin(false), qos.ErrNeedsAdmin, qwave.ERROR_ACCESS_DENIED},
		{"policy", qwavetest.WithDSCPPolicy(), qos.ErrBlockedByPolicy, qwave.ERROR_ACCESS_DISABLED_BY_POLICY},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := model(t, tc.opt)
			conn := connected(t)
			_, err := c.Apply(conn, qos.Voice, qos.DSCP(46))
			if !errors.Is(err, tc.kind) || !errors.Is(err, tc.code) {
				t.Fatalf("Apply(DSCP 46) = %v; want %v and %v", err, tc.kind, tc.code.Name())
			}
			if m.LiveFlows() != 0 || c.Flows() != 0 {
				t.Fatal("a failed Apply left a flow")
			}
			f := apply(t, c, conn, qos.Voice, qos.DSCP(46), qos.IgnoreDSCPDenied())
			if got, want := priority(t, f), (qos.Priority{DSCP: 0x38}); got != want {
				t.Errorf("Priority() without the DSCP = %+v; want the class's %+v", got, want)
			}
			if err := f.SetDSCP(10); !errors.Is(err, tc.kind) {
				t.Errorf("SetDSCP = %v; want %v", err, tc.kind)
			}
		})
	}
}

func TestSetDSCP(t *testing.T) {
	_, c := model(t)
	f := apply(t, c, connected(t), qos.BestEffort, qos.DSCP(46))
	if got := priority(t, f).DSCP; got != 46 {
		t.Errorf("DSCP after DSCP(46) = %d", got)
	}
	if err := f.SetDSCP(64); err == nil {
		t.Error("SetDSCP(64) succeeded")
	}
	if err := f.SetDSCP(10); err != nil {
		t.Fatal(err)
	}
	if got := priority(t, f).DSCP; got != 10 {
		t.Errorf("DSCP after SetDSCP(10) = %d", got)
	}
}

func TestRateAndEstimates(t *testing.T) {
	m, c := model(t)
	f := apply(t, c, connected(t), qos.AudioVideo)
	if _, err := f.Rate(); !errors.Is(err, qos.ErrNotYet) || !errors.Is(err, qwave.ERROR_NO_DATA) {
		t.Errorf("Rate() before SetRate = %v; want ErrNotYet (ERROR_NO_DATA)", err)
	}
	if err := f.SetRate(2_000_000, qos.ShapeAndMark); err != nil {
		t.Fatal(err)
	}
	if r, err := f.Rate(); err != nil || r != 2_000_000 {
		t.Errorf("Rate() = %d, %v; want 2000000", r, err)
	}
	if err := f.SetRate(10_000_000_000, qos.ShapeOnly); !errors.Is(err, qwave.ERROR_NETWORK_BUSY) {
		t.Errorf("SetRate above the path = %v; want ERROR_NETWORK_BUSY", err)
	}
	e, err := f.Estimates(false)
	if want := (qos.Estimates{BottleneckBandwidth: 1e9, AvailableBandwidth: 8e8, RTT: 50 * time.Microsecond}); err != nil || e != want {
		t.Errorf("Estimates() = %+v, %v; want %+v", e, err, want)
	}
	// A path with no estimates yet: fresh data is "not yet".
	m.SetNetwork(qwavetest.Network{Hosts: map[netip.Addr]qwavetest.Host{netip.MustParseAddr("127.0.0.1"): {}}})
	if _, err := f.Estimates(true); !errors.Is(err, qos.ErrNotYet) || !errors.Is(err, qwave.ERROR_RETRY) {
		t.Errorf("Estimates(fresh) without data = %v; want ErrNotYet (ERROR_RETRY)", err)
	}
}

func TestCloseRemovesEveryFlow(t *testing.T) {
	m := qwavetest.New(qwavetest.WithNetwork(loopback()))
	c := qos.New(m)
	var flows []*qos.Flow
	for range 3 {
		flows = append(flows, apply(t, c, connected(t), qos.Voice))
	}
	if m.LiveFlows() != 3 {
		t.Fatalf("LiveFlows() = %d; want 3", m.LiveFlows())
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if m.LiveFlows() != 0 || m.LiveHandles() != 0 {
		t.Errorf("after Close: %d flows, %d handles; want 0, 0", m.LiveFlows(), m.LiveHandles())
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, f := range flows {
		if err := f.Close(); err != nil {
			t.Errorf("Flow.Close after Client.Close: %v", err)
		}
	}
	if _, err := c.Apply(connected(t), qos.Voice); !errors.Is(err, qos.ErrClosed) {
		t.Errorf("Apply after Close = %v; want ErrClosed", err)
	}
}

// Pitfall: qwave.dll is missing (Windows Server without the qWAVE feature).
func TestUnavailable(t *testing.T) {
	c := qos.New(qwavetest.Missing{})
	defer c.Close()
	_, err := c.Apply(connected(t), qos.Voice)
	if !errors.Is(err, qos.ErrUnavailable) {
		t.Fatalf("Apply with qwave.dll missing = %v; want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), "Install-WindowsFeature qWave") {
		t.Errorf("the error does not say how to install qWAVE: %v", err)
	}
}

// A QOSCreateHandle failure that means the service cannot run is
// ErrUnavailable; a passing one is not.
func TestCreateHandleFailures(t *testing.T) {
	for _, tc := range []struct {
		code        qwave.Errno
		unavailable bool
	}{
		{qwave.ERROR_SERVICE_DEPENDENCY_FAIL, true},
		{qwave.ERROR_RESOURCE_DISABLED, true},
		{qwave.ERROR_NOT_ENOUGH_MEMORY, false},
	} {
		m, c := model(t)
		if err := m.Inject(qwave.FuncQOSCreateHandle, tc.code, 1); err != nil {
			t.Fatal(err)
		}
		_, err := c.Apply(connected(t), qos.Voice)
		if errors.Is(err, qos.ErrUnavailable) != tc.unavailable || !errors.Is(err, tc.code) {
			t.Errorf("QOSCreateHandle failing with %s: Apply = %v; want ErrUnavailable %v", tc.code.Name(), err, tc.unavailable)
		}
	}
}

// Pitfall: after ERROR_DEVICE_REINITIALIZATION_NEEDED the handle must be
// recreated; the Client does, re-adds its flows with their settings, and
// says so.
func TestReinitialization(t *testing.T) {
	var calls []error
	m := qwavetest.New(qwavetest.WithNetwork(loopback()))
	c := qos.New(m, qos.OnReinitialize(func(err error) { calls = append(calls, err) }))
	defer c.Close()
	f1 := apply(t, c, connected(t), qos.Voice, qos.DSCP(46))
	f2 := apply(t, c, connected(t), qos.AudioVideo)
	if err := f2.SetRate(1_000_000, qos.ShapeOnly); err != nil {
		t.Fatal(err)
	}
	old := f1.ID()

	m.Reinitialize()
	if m.LiveFlows() != 0 {
		t.Fatal("Reinitialize left flows")
	}
	p := priority(t, f1) // meets ERROR_DEVICE_REINITIALIZATION_NEEDED, recovers
	if len(calls) != 1 || calls[0] != nil {
		t.Fatalf("OnReinitialize calls = %v; want one, with nil", calls)
	}
	if m.LiveFlows() != 2 || m.LiveHandles() != 1 {
		t.Errorf("after recovery: %d flows, %d handles; want 2, 1", m.LiveFlows(), m.LiveHandles())
	}
	if p.DSCP != 46 {
		t.Errorf("DSCP after recovery = %d; want 46 again", p.DSCP)
	}
	if r, err := f2.Rate(); err != nil || r != 1_000_000 {
		t.Errorf("Rate after recovery = %d, %v; want 1000000", r, err)
	}
	if f1.ID() == old {
		t.Errorf("flow id %d unchanged after the new handle", old)
	}

	// A flow that cannot come back is reported and closed.
	m.Reinitialize()
	if err := m.Inject(qwave.FuncQOSAddSocketToFlow, qwave.ERROR_NO_SYSTEM_RESOURCES, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f2.Rate(); err != nil {
		t.Fatalf("Rate of the flow that came back: %v", err)
	}
	if len(calls) != 2 || !errors.Is(calls[1], qwave.ERROR_NO_SYSTEM_RESOURCES) {
		t.Fatalf("OnReinitialize calls = %v; want a second one with ERROR_NO_SYSTEM_RESOURCES", calls)
	}
	lost := 0
	for _, f := range []*qos.Flow{f1, f2} {
		if _, err := f.Priority(); errors.Is(err, qos.ErrClosed) {
			lost++
		}
	}
	if lost != 1 || c.Flows() != 1 || m.LiveFlows() != 1 {
		t.Errorf("%d flows lost, Flows() = %d, LiveFlows() = %d; want 1, 1, 1", lost, c.Flows(), m.LiveFlows())
	}
}

// Apply itself meets the reinitialisation and recovers.
func TestReinitializationDuringApply(t *testing.T) {
	m, c := model(t)
	apply(t, c, connected(t), qos.Voice)
	m.Reinitialize()
	apply(t, c, connected(t), qos.Voice)
	if m.LiveFlows() != 2 {
		t.Errorf("LiveFlows() = %d; want 2", m.LiveFlows())
	}
}

// A wait ends with its context: the request is cancelled through QOSCancel,
// nothing stays pending, no goroutine is left (TestMain checks).
func TestWaitCancelled(t *testing.T) {
	m, c := model(t)
	f := apply(t, c, connected(t), qos.AudioVideo)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.WaitCongested(ctx) }()
	waitPending(t, m, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("WaitCongested after cancel = %v; want context.Canceled", err)
	}
	if n := m.Pending(); n != 0 {
		t.Errorf("%d operations pending after the cancelled wait", n)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := f.WaitAvailable(ctx, 5_000_000_000); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitAvailable past its deadline = %v; want context.DeadlineExceeded", err)
	}
	if n := m.Pending(); n != 0 {
		t.Errorf("%d operations pending after the timed-out wait", n)
	}
}

func TestWaitCompletes(t *testing.T) {
	m, c := model(t)
	f := apply(t, c, connected(t), qos.AudioVideo)
	// Already true: returns at once.
	if got, err := f.WaitAvailable(context.Background(), 1_000_000); err != nil || got != 800_000_000 {
		t.Fatalf("WaitAvailable(1 Mbit/s) = %d, %v; want 800000000", got, err)
	}
	done := make(chan error, 1)
	go func() { done <- f.WaitCongested(context.Background()) }()
	waitPending(t, m, 1)
	n := loopback()
	h := n.Hosts[netip.MustParseAddr("127.0.0.1")]
	h.Congested = true
	n.Hosts[netip.MustParseAddr("127.0.0.1")] = h
	m.SetNetwork(n)
	if err := <-done; err != nil {
		t.Errorf("WaitCongested once congested = %v", err)
	}
	// A flow closed during a wait ends it with ERROR_OPERATION_ABORTED.
	go func() { done <- f.WaitUncongested(context.Background()) }()
	waitPending(t, m, 1)
	f.Close()
	if err := <-done; !errors.Is(err, qwave.ERROR_OPERATION_ABORTED) {
		t.Errorf("WaitUncongested when the flow closes = %v; want ERROR_OPERATION_ABORTED", err)
	}
}

// waitPending waits until the model has n pending operations.
func waitPending(t *testing.T, m *qwavetest.Model, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for m.Pending() != n {
		if time.Now().After(deadline) {
			t.Fatalf("Pending() = %d; want %d", m.Pending(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Concurrent use, meant for -race: Apply, flow calls, waits, Close and a
// reinitialisation from many goroutines.
func TestConcurrentUse(t *testing.T) {
	m, c := model(t)
	to := peer(t, "udp4", "127.0.0.1:0")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				conn, err := net.DialUDP("udp4", nil, to.LocalAddr().(*net.UDPAddr))
				if err != nil {
					errs <- err
					return
				}
				f, err := c.Apply(conn, qos.Class(j%6), qos.NonAdaptive())
				if err != nil {
					errs <- err
					conn.Close()
					return
				}
				if err := f.SetDSCP(uint8(i + j)); err != nil {
					errs <- err
				}
				if _, err := f.Priority(); err != nil {
					errs <- err
				}
				if i == 0 && j == 10 {
					m.Reinitialize()
				}
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := f.WaitCongested(ctx); !errors.Is(err, context.Canceled) {
					errs <- err
				}
				if err := f.Close(); err != nil {
					errs <- err
				}
				conn.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m.LiveFlows() != 0 || c.Flows() != 0 {
		t.Errorf("%d model flows, %d client flows left", m.LiveFlows(), c.Flows())
	}
}

func TestDialerControl(t *testing.T) {
	m, c := model(t)
	to := peer(t, "udp4", "127.0.0.1:0")
	d := net.Dialer{Control: c.Control(qos.Voice, qos.NonAdaptive())}
	conn, err := d.Dial("udp", to.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	f := c.FlowOf(conn.(*net.UDPConn))
	if f == nil {
		t.Fatal("FlowOf(dialled conn) = nil")
	}
	defer f.Close()
	if f.Destination() != addrPort(to) || priority(t, f).DSCP != 0x38 {
		t.Errorf("flow to %v with %+v; want %v, DSCP 0x38", f.Destination(), priority(t, f), addrPort(to))
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if s, err := ln.Accept(); err == nil {
			s.Close()
		}
	}()
	td := net.Dialer{Control: c.Control(qos.Background)}
	tc, err := td.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	if tf := c.FlowOf(tc.(*net.TCPConn)); tf == nil || tf.Class() != qos.Background {
		t.Errorf("FlowOf(TCP conn) = %v", tf)
	} else {
		tf.Close()
	}
	if m.LiveFlows() != 1 {
		t.Errorf("LiveFlows() = %d; want 1", m.LiveFlows())
	}

	// A listening UDP socket needs a destination.
	lc := net.ListenConfig{Control: c.Control(qos.Voice)}
	if pc, err := lc.ListenPacket(context.Background(), "udp4", "127.0.0.1:0"); err == nil {
		pc.Close()
		t.Error("ListenConfig with a Control hook and no Destination succeeded")
	} else if !errors.Is(err, qos.ErrNoDestination) {
		t.Errorf("ListenPacket = %v; want ErrNoDestination", err)
	}
	lc = net.ListenConfig{Control: c.Control(qos.Voice, qos.Destination(addrPort(to)))}
	pc, err := lc.ListenPacket(context.Background(), "udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if f := c.FlowOf(pc.(*net.UDPConn)); f == nil || f.Destination() != addrPort(to) {
		t.Errorf("FlowOf(listening conn) = %v", f)
	} else {
		f.Close()
	}
}

func TestOpenFailsOrWorks(t *testing.T) {
	c, err := qos.Open()
	if err == nil {
		c.Close()
		t.Skip("qWAVE is available here")
	}
	if !errors.Is(err, qos.ErrUnavailable) {
		t.Errorf("Open() = %v; want ErrUnavailable", err)
	}
}

// Bad input is an error, never a panic.
func TestBadInput(t *testing.T) {
	_, c := model(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := c.Apply(r, qos.Voice); err == nil {
		t.Error("Apply(pipe) succeeded")
	}
	if _, err := c.Apply(connected(t), qos.Class(6)); err == nil {
		t.Error("Apply(Class(6)) succeeded")
	}
	nilAPI := qos.New(nil)
	if _, err := nilAPI.Apply(connected(t), qos.Voice); !errors.Is(err, qos.ErrUnavailable) {
		t.Errorf("Apply with a nil API = %v; want ErrUnavailable", err)
	}
	if err := nilAPI.Close(); err != nil {
		t.Errorf("Close with a nil API = %v", err)
	}
}

// The classes are the traffic types by value: type 2 is ExcellentEffort,
// not AudioVideo, as some wrappers have it.
func TestClassValues(t *testing.T) {
	for c, want := range map[qos.Class]qwave.QOS_TRAFFIC_TYPE{
		qos.BestEffort: 0, qos.Background: 1, qos.ExcellentEffort: 2,
		qos.AudioVideo: 3, qos.Voice: 4, qos.Control: 5,
	} {
		if c.TrafficType() != want {
			t.Errorf("%v is traffic type %d; want %d", c, c.TrafficType(), want)
		}
	}
	for dscp, want := range map[uint8]qos.Class{0: qos.BestEffort, 3: qos.BestEffort, 4: qos.BestEffort, 5: qos.Background, 24: qos.Background, 25: qos.AudioVideo, 46: qos.AudioVideo, 48: qos.AudioVideo, 49: qos.Voice, 200: qos.Voice} {
		if got := qos.ClassOf(dscp); got != want {
			t.Errorf("ClassOf(%d) = %v; want %v", dscp, got, want)
		}
	}
	if s := qos.Class(9).String(); s != "Class(9)" {
		t.Errorf("Class(9).String() = %q", s)
	}
}

// Pitfall: a flow must be removed before its socket closes. Flow.Close
// removes the flow by its id (QOSRemoveSocketFromFlow with no socket), so a
// flow whose connection closed first still goes; and a new socket that gets
// the same descriptor can be marked again.
func TestFlowOutlivesItsSocket(t *testing.T) {
	m, c := model(t)
	conn := connected(t).(net.Conn)
	f := apply(t, c, conn.(syscall.Conn), qos.Voice)
	conn.Close()
	if err := f.Close(); err != nil {
		t.Fatalf("Flow.Close after its connection closed: %v", err)
	}
	if m.LiveFlows() != 0 || c.Flows() != 0 {
		t.Errorf("%d model flows, %d client flows left", m.LiveFlows(), c.Flows())
	}
	apply(t, c, connected(t), qos.Voice)
}

// A flow whose DSCP value cannot be set again after a reinitialisation is
// removed, not left marked differently from what the caller asked.
func TestReinitializationRestoreFails(t *testing.T) {
	var got []error
	m := qwavetest.New(qwavetest.WithNetwork(loopback()))
	c := qos.New(m, qos.OnReinitialize(func(err error) { got = append(got, err) }))
	defer c.Close()
	f := apply(t, c, connected(t), qos.Voice, qos.DSCP(46))
	m.Reinitialize()
	if err := m.Inject(qwave.FuncQOSSetFlow, qwave.ERROR_NO_SYSTEM_RESOURCES, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Priority(); !errors.Is(err, qos.ErrClosed) {
		t.Errorf("Priority of the flow that could not be restored = %v; want ErrClosed", err)
	}
	if len(got) != 1 || !errors.Is(got[0], qwave.ERROR_NO_SYSTEM_RESOURCES) {
		t.Errorf("OnReinitialize got %v; want ERROR_NO_SYSTEM_RESOURCES", got)
	}
	if m.LiveFlows() != 0 {
		t.Errorf("%d flows left half restored", m.LiveFlows())
	}
}

// Applying twice replaces the flow, so a descriptor that a closed socket
// left with a live flow (a Control hook's connection closed without its
// Flow) can be marked again.
func TestApplyReplaces(t *testing.T) {
	m, c := model(t)
	conn := connected(t)
	old := apply(t, c, conn, qos.Voice)
	f := apply(t, c, conn, qos.Background)
	if _, err := old.Priority(); !errors.Is(err, qos.ErrClosed) {
		t.Errorf("the replaced flow: Priority = %v; want ErrClosed", err)
	}
	if c.Flows() != 1 || m.LiveFlows() != 1 || c.FlowOf(conn) != f {
		t.Errorf("Flows() = %d, LiveFlows() = %d, FlowOf is the new flow %v; want 1, 1, true", c.Flows(), m.LiveFlows(), c.FlowOf(conn) == f)
	}
	if err := old.Close(); err != nil || m.LiveFlows() != 1 {
		t.Errorf("closing the replaced flow: %v, %d flows left; want nil, 1", err, m.LiveFlows())
	}
}

// noDone is the model with its Done method shadowed: outside Windows qos
// cannot wait for such an API, and says so before starting anything.
type noDone struct{ *qwavetest.Model }

func (noDone) Done() {}

func TestWaitWithoutDone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("on Windows qos waits on the OVERLAPPED's event")
	}
	m := qwavetest.New(qwavetest.WithNetwork(loopback()))
	c := qos.New(noDone{m})
	defer c.Close()
	f := apply(t, c, connected(t), qos.AudioVideo)
	if err := f.WaitCongested(context.Background()); err == nil {
		t.Error("WaitCongested without a way to wait succeeded")
	}
	if m.Pending() != 0 {
		t.Errorf("%d operations left pending", m.Pending())
	}
}

// TestReinitializeCallbackUsesFlow: OnReinitialize runs with no lock held,
// so it may call the very flow whose call met the error.
func TestReinitializeCallbackUsesFlow(t *testing.T) {
	m := qwavetest.New(qwavetest.WithNetwork(loopback()))
	var f *qos.Flow
	var got qos.Priority
	var gotErr error
	c := qos.New(m, qos.OnReinitialize(func(error) { got, gotErr = f.Priority() }))
	defer c.Close()
	f = apply(t, c, connected(t), qos.Voice, qos.DSCP(46))
	m.Reinitialize()
	done := make(chan error, 1)
	go func() { _, err := f.Priority(); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Priority after reinitialisation: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Priority did not return: OnReinitialize's call of the same flow deadlocked")
	}
	if gotErr != nil || got.DSCP != 46 {
		t.Errorf("Priority inside OnReinitialize = %+v, %v; want DSCP 46, nil", got, gotErr)
	}
}
