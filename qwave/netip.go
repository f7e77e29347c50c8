package qwave

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// SockaddrOf returns ap as a socket address: AF_INET for an IPv4 address,
// AF_INET6 for an IPv6 one (an IPv4-mapped address stays AF_INET6, which
// QOSAddSocketToFlow rejects; Unmap it first to get AF_INET). A numeric zone
// becomes the scope id. It returns nil for an invalid ap.
func SockaddrOf(ap netip.AddrPort) *RawSockaddrAny {
	sa := new(RawSockaddrAny)
	if !sa.SetAddrPort(ap) {
		return nil
	}
	return sa
}

// SetAddrPort stores ap in sa as SockaddrOf describes, without allocating,
// and reports whether ap was valid; sa is cleared either way.
func (sa *RawSockaddrAny) SetAddrPort(ap netip.AddrPort) bool {
	*sa = RawSockaddrAny{}
	ip, port := ap.Addr(), ap.Port()
	sa.Data[0], sa.Data[1] = byte(port>>8), byte(port)
	switch {
	case ip.Is4():
		sa.Family = AF_INET
		b := ip.As4()
		copy(sa.Data[2:6], b[:])
	case ip.Is6():
		sa.Family = AF_INET6
		b := ip.As16()
		copy(sa.Data[6:22], b[:])
		if zone := ip.Zone(); zone != "" {
			if scope, err := strconv.ParseUint(zone, 10, 32); err == nil {
				binary.LittleEndian.PutUint32(sa.Data[22:26], uint32(scope))
			}
		}
	default:
		*sa = RawSockaddrAny{}
		return false
	}
	return true
}

// AddrPort returns an AF_INET or AF_INET6 address as a netip.AddrPort (a
// non-zero scope id becomes a numeric zone); ok is false for a nil sa and
// for any other family.
func (sa *RawSockaddrAny) AddrPort() (ap netip.AddrPort, ok bool) {
	if sa == nil {
		return netip.AddrPort{}, false
	}
	port := uint16(sa.Data[0])<<8 | uint16(sa.Data[1])
	switch sa.Family {
	case AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(sa.Data[2:6])), port), true
	case AF_INET6:
		ip := netip.AddrFrom16([16]byte(sa.Data[6:22]))
		if scope := binary.LittleEndian.Uint32(sa.Data[22:26]); scope != 0 {
			ip = ip.WithZone(strconv.FormatUint(uint64(scope), 10))
		}
		return netip.AddrPortFrom(ip, port), true
	}
	return netip.AddrPort{}, false
}
