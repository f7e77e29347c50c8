package qwavetest

import (
	"net/netip"

	"github.com/winqos/winqos/qwave"
)

// Network is the network a Model sees: the destinations it can reach and the
// conditions on the path to each. Tests set it with WithNetwork or
// SetNetwork; nothing else changes it.
type Network struct {
	// Hosts are the reachable destinations, keyed by IP address (a zone is
	// ignored). QOSAddSocketToFlow and QOSStartTrackingClient fail with
	// ERROR_HOST_UNREACHABLE for any other address; flows to a host that
	// SetNetwork removes see it as unreachable from then on.
	Hosts map[netip.Addr]Host
}

// Host is the path to one destination.
type Host struct {
	// OffLink: the host is behind a router. qWAVE runs no network
	// experiments toward it, so it has no bandwidth estimates: QOSQueryFlow
	// with QOSQueryFlowFundamentals and QOSNotifyFlow fail with
	// ERROR_NOT_SUPPORTED, QOSStartTrackingClient with ERROR_NOT_SUPPORTED,
	// and QOSSetFlow with QOSSetOutgoingRate on an adaptive flow with
	// ERROR_ACCESS_DISABLED_BY_POLICY. Its flows get no 802.1p tag.
	OffLink bool
	// BottleneckBandwidth and AvailableBandwidth are in bits per second, RTT
	// in microseconds. Zero means "no estimate yet": QOSQueryFlow reports the
	// member as not set, and with QOS_QUERYFLOW_FRESH fails with ERROR_RETRY
	// when all three are zero.
	BottleneckBandwidth uint64
	AvailableBandwidth  uint64
	RTT                 uint32
	// Congested is the condition QOSNotifyFlow with QOSNotifyCongested
	// waits for, and QOSNotifyUncongested waits for its end.
	Congested bool
}

// The hosts of DefaultNetwork.
var (
	// OnLinkIPv4 is an on-link host of DefaultNetwork: 100 Mbit/s bottleneck,
	// 80 Mbit/s available, 1 ms RTT, not congested.
	OnLinkIPv4 = netip.MustParseAddr("192.0.2.1")
	// OnLinkIPv6 is an on-link host of DefaultNetwork: 1 Gbit/s bottleneck,
	// 900 Mbit/s available, 500 µs RTT, not congested.
	OnLinkIPv6 = netip.MustParseAddr("2001:db8::1")
	// OffLinkIPv4 is an off-link host of DefaultNetwork.
	OffLinkIPv4 = netip.MustParseAddr("198.51.100.1")
	// UnreachableIPv4 is not in DefaultNetwork.
	UnreachableIPv4 = netip.MustParseAddr("203.0.113.1")
)

// DefaultNetwork returns the network a Model starts with: the on-link hosts
// OnLinkIPv4 and OnLinkIPv6 and the off-link host OffLinkIPv4. Every other
// address (UnreachableIPv4, for one) is unreachable.
func DefaultNetwork() Network {
	return Network{Hosts: map[netip.Addr]Host{
		OnLinkIPv4:  {BottleneckBandwidth: 100_000_000, AvailableBandwidth: 80_000_000, RTT: 1000},
		OnLinkIPv6:  {BottleneckBandwidth: 1_000_000_000, AvailableBandwidth: 900_000_000, RTT: 500},
		OffLinkIPv4: {OffLink: true, BottleneckBandwidth: 10_000_000, AvailableBandwidth: 5_000_000, RTT: 30_000},
	}}
}

func (n Network) copyHosts() map[netip.Addr]Host {
	hosts := make(map[netip.Addr]Host, len(n.Hosts))
	for ip, h := range n.Hosts {
		if ip.IsValid() {
			hosts[ip.WithZone("")] = h
		}
	}
	return hosts
}

// SetNetwork replaces the network. Pending QOSNotifyFlow requests whose
// condition now holds complete successfully, and those whose host is now
// unreachable or off-link complete with ERROR_HOST_UNREACHABLE or
// ERROR_NOT_SUPPORTED, in the order they were made. Pending QOSSetFlow and
// QOSQueryFlow operations see the new network when Complete runs them.
func (m *Model) SetNetwork(n Network) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hosts = n.copyHosts()
	ops := m.pendingOps(opNotify)
	for _, o := range ops {
		if code, n, done := m.notifyOutcome(o.f, o.notify, o.want, o.size, o.buf); done {
			m.finish(o, code, n)
		}
	}
	clear(ops)
}

// host returns the path to a flow's destination; ok is false once the host
// is unreachable.
func (m *Model) host(ip netip.Addr) (Host, bool) {
	h, ok := m.hosts[ip]
	return h, ok
}

// parseSockaddr reads an AF_INET or AF_INET6 address. It rejects other
// families, the unspecified address and IPv4-mapped IPv6 addresses: "qWAVE
// does not support mixed IPv4/IPv6 addresses; the address in DestAddr has to
// be a plain IPv4 or a plain IPv6 address." The scope id is ignored.
func parseSockaddr(sa *qwave.RawSockaddrAny) (netip.AddrPort, bool) {
	if sa == nil {
		return netip.AddrPort{}, false
	}
	port := uint16(sa.Data[0])<<8 | uint16(sa.Data[1])
	var ip netip.Addr
	switch sa.Family {
	case qwave.AF_INET:
		ip = netip.AddrFrom4([4]byte(sa.Data[2:6]))
	case qwave.AF_INET6:
		ip = netip.AddrFrom16([16]byte(sa.Data[6:22]))
		if ip.Is4In6() {
			return netip.AddrPort{}, false
		}
	default:
		return netip.AddrPort{}, false
	}
	if ip.IsUnspecified() {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, port), true
}
