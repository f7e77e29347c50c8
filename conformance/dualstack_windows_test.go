package conformance

import (
	"testing"

	"golang.org/x/sys/windows"
)

// The dual-stack sockets really are dual-stack, as Winsock reports them.
func TestDualStackUDPSockets(t *testing.T) {
	var o options
	DualStackUDPSockets()(&o)
	s, closeSocket, err := o.dualStack()
	if err != nil {
		t.Skipf("no dual-stack socket here: %v", err)
	}
	defer closeSocket()
	v6only, err := windows.GetsockoptInt(windows.Handle(s), windows.IPPROTO_IPV6, windows.IPV6_V6ONLY)
	if err != nil || v6only != 0 {
		t.Errorf("IPV6_V6ONLY = %d, %v; want 0", v6only, err)
	}
	sa, err := windows.Getsockname(windows.Handle(s))
	if _, ok := sa.(*windows.SockaddrInet6); err != nil || !ok {
		t.Errorf("getsockname = %#v, %v; want an AF_INET6 address", sa, err)
	}
}
