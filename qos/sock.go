package qos

import (
	"net/netip"
	"strings"
)

// sockState is what Apply reads from a socket.
type sockState struct {
	local     netip.AddrPort // invalid when the socket is not bound
	peer      netip.AddrPort // invalid when it is not connected
	dualStack bool           // AF_INET6 with IPV6_V6ONLY off
	stream    bool           // SOCK_STREAM (TCP)
}

// fromNetwork fills in what a Control hook's network says ("tcp4",
// "udp6") where the socket could not tell.
func (s *sockState) fromNetwork(network string) {
	if network == "" {
		return
	}
	s.stream = strings.HasPrefix(network, "tcp")
	if !s.local.IsValid() {
		if strings.HasSuffix(network, "4") {
			s.local = netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
		} else if strings.HasSuffix(network, "6") {
			s.local = netip.AddrPortFrom(netip.IPv6Unspecified(), 0)
		}
	}
}
