//go:build unix

package qos

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// inspect reads a socket's addresses (unless known has them), type and
// IPV6_V6ONLY.
func inspect(fd uintptr, network string, known sockState) (sockState, error) {
	s := known
	if !s.local.IsValid() {
		sa, err := unix.Getsockname(int(fd))
		if err != nil {
			return s, err
		}
		s.local = addrPort(sa)
		if pa, err := unix.Getpeername(int(fd)); err == nil {
			s.peer = addrPort(pa)
		}
	}
	if typ, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TYPE); err == nil {
		s.stream = typ == unix.SOCK_STREAM
	}
	if s.local.Addr().Is6() {
		v6only, err := unix.GetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY)
		s.dualStack = err == nil && v6only == 0
	}
	s.fromNetwork(network)
	return s, nil
}

func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// connect connects a dual-stack socket to an IPv6 (IPv4-mapped) address.
func connect(fd uintptr, ap netip.AddrPort) error {
	return unix.Connect(int(fd), &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()})
}
