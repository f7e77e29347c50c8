package qos_test

import (
	"errors"
	"net/netip"
	"syscall"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
)

// On the real qwave.dll (Windows, or Wine's stub), qos either works or
// reports ErrUnavailable or a documented error; it never panics.
func TestNativeNeverPanics(t *testing.T) {
	c := qos.New(qwave.Native{})
	defer c.Close()
	f, err := c.Apply(connected(t), qos.Voice)
	if err != nil {
		var code qwave.Errno
		if !errors.Is(err, qos.ErrUnavailable) && !(errors.As(err, &code) && qwave.Documented("QOSAddSocketToFlow", code)) {
			t.Fatalf("Apply on qwave.dll = %v; want success, ErrUnavailable or a code QOSAddSocketToFlow documents", err)
		}
		t.Logf("Apply on this qwave.dll: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Priority(); err != nil {
		t.Logf("Priority: %v", err)
	}
}

func TestOpenOnWindows(t *testing.T) {
	c, err := qos.Open()
	if err != nil {
		if !errors.Is(err, qos.ErrUnavailable) {
			t.Errorf("Open() = %v; want success or ErrUnavailable", err)
		}
		t.Logf("Open: %v", err)
		return
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// rawSocket is a Winsock socket made without package net, whose UDP sockets
// Wine 8 refuses (SIO_UDP_CONNRESET), so that qos's Windows socket code runs
// under Wine too.
type rawSocket windows.Handle

func (s rawSocket) SyscallConn() (syscall.RawConn, error) { return s, nil }
func (s rawSocket) Control(f func(fd uintptr)) error      { f(uintptr(s)); return nil }
func (s rawSocket) Read(func(fd uintptr) bool) error      { return errors.New("rawSocket: no Read") }
func (s rawSocket) Write(func(fd uintptr) bool) error     { return errors.New("rawSocket: no Write") }

func newRawUDP(t *testing.T, family int, v6only int, bind windows.Sockaddr) rawSocket {
	t.Helper()
	var data windows.WSAData
	if err := windows.WSAStartup(0x202, &data); err != nil {
		t.Fatal(err)
	}
	s, err := windows.Socket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
	if err != nil {
		t.Skipf("no UDP socket: %v", err)
	}
	t.Cleanup(func() { windows.Closesocket(s) })
	if family == windows.AF_INET6 {
		if err := windows.SetsockoptInt(s, windows.IPPROTO_IPV6, windows.IPV6_V6ONLY, v6only); err != nil {
			t.Skipf("IPV6_V6ONLY: %v", err)
		}
	}
	if err := windows.Bind(s, bind); err != nil {
		t.Skipf("bind: %v", err)
	}
	return rawSocket(s)
}

// Winsock's view of UDP sockets: family, dual-stack and connecting, read by
// qos's Windows code and handed to the model.
func TestWinsockUDPSockets(t *testing.T) {
	_, c := model(t)
	dest := netip.MustParseAddrPort("127.0.0.1:9")

	s4 := newRawUDP(t, windows.AF_INET, 0, &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	if _, err := c.Apply(s4, qos.Voice); !errors.Is(err, qos.ErrNoDestination) {
		t.Errorf("unconnected IPv4 socket without Destination: %v; want ErrNoDestination", err)
	}
	f := apply(t, c, s4, qos.Voice, qos.Destination(dest))
	if f.Destination() != dest {
		t.Errorf("Destination() = %v; want %v", f.Destination(), dest)
	}
	f.Close()

	dual := newRawUDP(t, windows.AF_INET6, 0, &windows.SockaddrInet6{})
	if _, err := c.Apply(dual, qos.Voice, qos.Destination(dest)); !errors.Is(err, qos.ErrDualStackIPv4) {
		t.Fatalf("dual-stack socket, IPv4 destination: %v; want ErrDualStackIPv4", err)
	}
	f = apply(t, c, dual, qos.Voice, qos.Destination(dest), qos.ConnectDualStack())
	if f.Destination() != dest {
		t.Errorf("Destination() = %v; want %v", f.Destination(), dest)
	}
	sa, err := windows.Getpeername(windows.Handle(dual))
	if in6, ok := sa.(*windows.SockaddrInet6); err != nil || !ok || netip.AddrFrom16(in6.Addr).Unmap() != dest.Addr() {
		t.Errorf("the dual-stack socket's peer is %#v, %v; want %v", sa, err, dest)
	}
	f.Close()

	v6only := newRawUDP(t, windows.AF_INET6, 1, &windows.SockaddrInet6{})
	if _, err := c.Apply(v6only, qos.Voice, qos.Destination(dest)); err == nil || errors.Is(err, qos.ErrDualStackIPv4) {
		t.Errorf("IPv6-only socket, IPv4 destination: %v; want a family error", err)
	}
}
