package qos

import (
	"net/netip"

	"golang.org/x/sys/windows"
)

// Winsock's SO_TYPE and SOCK_STREAM, which x/sys/windows does not define.
const (
	soType     = 0x1008
	sockStream = 1
)

// inspect reads a socket's addresses, type and IPV6_V6ONLY. A socket not
// bound yet (a Dialer's Control hook) has no local address; network tells
// its family then.
func inspect(fd uintptr, network string, known sockState) (sockState, error) {
	s := known
	h := windows.Handle(fd)
	if !s.local.IsValid() {
		if sa, err := windows.Getsockname(h); err == nil {
			s.local = addrPort(sa)
		}
		if pa, err := windows.Getpeername(h); err == nil {
			s.peer = addrPort(pa)
		}
	}
	typ, err := windows.GetsockoptInt(h, windows.SOL_SOCKET, soType)
	if err != nil {
		return s, err
	}
	s.stream = typ == sockStream
	s.fromNetwork(network)
	if s.local.Addr().Is6() {
		v6only, err := windows.GetsockoptInt(h, windows.IPPROTO_IPV6, windows.IPV6_V6ONLY)
		s.dualStack = err == nil && v6only == 0
	}
	return s, nil
}

func addrPort(sa windows.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *windows.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *windows.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// connect connects a dual-stack socket to an IPv6 (IPv4-mapped) address.
func connect(fd uintptr, ap netip.AddrPort) error {
	return windows.Connect(windows.Handle(fd), &windows.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()})
}
