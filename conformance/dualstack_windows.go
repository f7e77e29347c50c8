package conformance

import (
	"github.com/winqos/winqos/qwave"
	"golang.org/x/sys/windows"
)

// DualStackUDPSockets returns an Option that gives the dual-stack cases real
// dual-stack UDP sockets: AF_INET6 with IPV6_V6ONLY off, bound to [::]:0.
func DualStackUDPSockets() Option {
	return WithDualStackSockets(func() (qwave.Socket, func(), error) {
		s, err := udpSocket(windows.AF_INET6)
		if err != nil {
			return 0, nil, err
		}
		closeSocket := func() { windows.Closesocket(s) }
		if err := windows.SetsockoptInt(s, windows.IPPROTO_IPV6, windows.IPV6_V6ONLY, 0); err != nil {
			closeSocket()
			return 0, nil, err
		}
		if err := windows.Bind(s, &windows.SockaddrInet6{}); err != nil {
			closeSocket()
			return 0, nil, err
		}
		return qwave.Socket(s), closeSocket, nil
	})
}
