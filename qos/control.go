package qos

import (
	"fmt"
	"net/netip"
	"syscall"

	"github.com/winqos/winqos/qwave"
)

// Control returns a function for net.Dialer.Control (and
// net.ListenConfig.Control) that applies class to every socket it sees,
// before it connects. A dialled socket's destination is the address being
// dialled; a listening UDP socket needs Destination in opts; TCP listeners
// have no peer, so apply a class to each accepted connection with Apply.
// Get a connection's flow with FlowOf, and close it before the connection;
// a flow left behind is removed by Client.Close, or replaced when its
// descriptor is reused by a new socket.
func (c *Client) Control(class Class, opts ...ApplyOption) func(network, address string, rc syscall.RawConn) error {
	return func(network, address string, rc syscall.RawConn) error {
		all := opts
		if ap, err := netip.ParseAddrPort(address); err == nil && !ap.Addr().IsUnspecified() && ap.Port() != 0 {
			all = append([]ApplyOption{Destination(ap)}, opts...)
		}
		if _, err := c.applyRaw(rc, network, sockState{}, class, all); err != nil {
			return fmt.Errorf("qos: applying %v to %s %s: %w", class, network, address, err)
		}
		return nil
	}
}

// FlowOf returns the live flow of conn's socket made by this Client, or nil.
func (c *Client) FlowOf(conn syscall.Conn) *Flow {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	var f *Flow
	rc.Control(func(fd uintptr) {
		c.mu.RLock()
		f = c.flows[qwave.Socket(fd)]
		c.mu.RUnlock()
	})
	return f
}
