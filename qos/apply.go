package qos

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// ApplyOption configures one Apply.
type ApplyOption func(*applyConfig)

type applyConfig struct {
	dest        netip.AddrPort
	nonAdaptive bool
	dscp        int // -1: none
	ignoreDSCP  bool
	connect     bool
}

// Destination gives the peer of an unconnected UDP socket, or of a TCP
// socket not connected yet (a Dialer's Control hook). An IPv4-mapped IPv6
// address is the IPv4 address. For a connected socket it must be the peer.
func Destination(ap netip.AddrPort) ApplyOption { return func(c *applyConfig) { c.dest = ap } }

// NonAdaptive makes a flow qWAVE does not measure (QOS_NON_ADAPTIVE_FLOW):
// it is marked at once, but has no bandwidth estimates or notifications.
func NonAdaptive() ApplyOption { return nonAdaptive }

func nonAdaptive(c *applyConfig) { c.nonAdaptive = true }

// DSCP marks the flow's packets with dscp (0-63) instead of the class's
// value: the flow is non-adaptive and SetDSCP runs on it. Without the
// rights it needs Apply fails with ErrNeedsAdmin or ErrBlockedByPolicy and
// leaves no flow, unless IgnoreDSCPDenied is given too.
func DSCP(dscp uint8) ApplyOption {
	return func(c *applyConfig) { c.dscp, c.nonAdaptive = int(dscp), true }
}

// IgnoreDSCPDenied keeps the flow, with the class's own marks, when DSCP is
// refused for want of rights or by policy. Flow.Priority says what applies.
func IgnoreDSCPDenied() ApplyOption { return ignoreDSCPDenied }

func ignoreDSCPDenied(c *applyConfig) { c.ignoreDSCP = true }

// ConnectDualStack lets Apply connect an unconnected dual-stack UDP socket
// to an IPv4 Destination, which Windows needs before it adds such a socket
// to a flow; the socket then sends with Write and receives from that peer
// only, as after net.DialUDP.
func ConnectDualStack() ApplyOption { return connectDualStack }

func connectDualStack(c *applyConfig) { c.connect = true }

// Apply adds conn's traffic to a new flow of class. conn is a *net.UDPConn,
// *net.TCPConn or anything else whose SyscallConn gives a socket: IPv4,
// IPv6 or dual-stack, connected or not (see Destination). Close the Flow
// before conn. A socket that already has a flow of this Client gets the new
// one instead; the old Flow reports ErrClosed.
func (c *Client) Apply(conn syscall.Conn, class Class, opts ...ApplyOption) (*Flow, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("qos: %w", err)
	}
	var known sockState
	if nc, ok := conn.(interface {
		LocalAddr() net.Addr
		RemoteAddr() net.Addr
	}); ok {
		// net's own record of the addresses spares two system calls.
		known.local, known.peer = addrPortOf(nc.LocalAddr()), addrPortOf(nc.RemoteAddr())
	}
	return c.applyRaw(rc, "", known, class, opts)
}

// addrPortOf returns a *net.UDPAddr's or *net.TCPAddr's address, or an
// invalid one.
func addrPortOf(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.UDPAddr:
		if a != nil {
			return a.AddrPort()
		}
	case *net.TCPAddr:
		if a != nil {
			return a.AddrPort()
		}
	}
	return netip.AddrPort{}
}

// applyCall is one Apply's arguments and results, pooled together with its
// Control function so that an Apply allocates no closure.
type applyCall struct {
	c       *Client
	network string
	known   sockState
	class   Class
	cfg     applyConfig
	f       *Flow
	err     error
	control func(fd uintptr)
}

var applyCalls = sync.Pool{New: func() any {
	a := new(applyCall)
	a.control = func(fd uintptr) { a.f, a.err = a.c.applyFD(fd, a) }
	return a
}}

// applyRaw applies class to the socket of rc. network ("tcp4", "udp6"...)
// is known in a Control hook, "" otherwise; known holds the addresses
// net.Conn knows, if any.
func (c *Client) applyRaw(rc syscall.RawConn, network string, known sockState, class Class, opts []ApplyOption) (*Flow, error) {
	if !class.valid() {
		return nil, fmt.Errorf("qos: %v is not a traffic class", class)
	}
	a := applyCalls.Get().(*applyCall)
	a.c, a.network, a.known, a.class, a.cfg = c, network, known, class, applyConfig{dscp: -1}
	for _, o := range opts {
		o(&a.cfg)
	}
	err := rc.Control(a.control)
	f, ferr := a.f, a.err
	a.c, a.f, a.err = nil, nil, nil
	applyCalls.Put(a)
	if err != nil {
		return nil, fmt.Errorf("qos: %w", err)
	}
	return f, ferr
}

// applyFD decides how to add socket fd and adds it.
func (c *Client) applyFD(fd uintptr, a *applyCall) (*Flow, error) {
	cfg, class := &a.cfg, a.class
	st, err := inspect(fd, a.network, a.known)
	if err != nil {
		return nil, fmt.Errorf("qos: reading the socket: %w", err)
	}
	f := &Flow{c: c, sock: qwave.Socket(fd), class: class, dscp: -1}
	if cfg.nonAdaptive {
		f.flags = qwave.QOS_NON_ADAPTIVE_FLOW
	}
	dest := netip.AddrPortFrom(cfg.dest.Addr().Unmap(), cfg.dest.Port())
	switch {
	case st.peer.IsValid():
		// Connected: pass no DestAddr, which is what works on dual-stack
		// sockets; the page wants any DestAddr to equal the peer.
		peer := netip.AddrPortFrom(st.peer.Addr().Unmap(), st.peer.Port())
		if cfg.dest.IsValid() && dest != peer {
			return nil, fmt.Errorf("qos: destination %v is not the connected peer %v", cfg.dest, peer)
		}
		f.dest = peer
	case !dest.IsValid() || dest.Addr().IsUnspecified() || dest.Port() == 0:
		return nil, ErrNoDestination
	case st.dualStack && dest.Addr().Is4():
		if !cfg.connect || st.stream {
			return nil, ErrDualStackIPv4
		}
		if err := connect(fd, netip.AddrPortFrom(netip.AddrFrom16(dest.Addr().As16()), dest.Port())); err != nil {
			return nil, fmt.Errorf("qos: connecting the dual-stack socket to %v: %w", dest, err)
		}
		st.peer = dest
		f.dest = dest
	case st.local.IsValid() && st.local.Addr().Is4() != dest.Addr().Is4():
		return nil, fmt.Errorf("qos: destination %v is not of the socket's address family (%v)", dest, st.local)
	default:
		f.dest = dest
		f.sa.SetAddrPort(dest)
		f.hasSA = true
	}
	if c.describe != nil {
		c.describe.DescribeSocket(f.sock, st.local, st.peer, st.dualStack)
	}

	if err := c.register(f); err != nil {
		return nil, err
	}
	if cfg.dscp >= 0 {
		if err := f.SetDSCP(uint8(cfg.dscp)); err != nil && !(cfg.ignoreDSCP && denied(err)) {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// register adds f under the write lock, so that a reinitialisation sees
// either no flow or a recorded one.
func (c *Client) register(f *Flow) error {
	for try := 0; ; try++ {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return ErrClosed
		}
		if !c.open {
			if err := c.create(); err != nil {
				c.mu.Unlock()
				return err
			}
		}
		if prev := c.flows[f.sock]; prev != nil {
			// The socket was applied before, or its descriptor belonged to a
			// socket that closed with its flow still live (a Control hook's
			// connection closed without its Flow): the new flow replaces it.
			prev.lost = true
			delete(c.flows, f.sock)
			_ = c.api.QOSRemoveSocketFromFlow(c.h, 0, prev.id, 0)
		}
		gen := c.gen
		err := c.add(c.h, f)
		if err == nil {
			c.seq++
			f.seq = c.seq
			c.flows[f.sock] = f
		}
		c.mu.Unlock()
		if try > 0 || !reinitNeeded(err) {
			return err
		}
		if err := c.reinit(gen); err != nil {
			return err
		}
	}
}

// add adds f's socket to a new flow through handle h and sets f.id; c.mu is
// held for writing (Apply's caller records the flow).
func (c *Client) add(h qwave.Handle, f *Flow) error {
	var sa *qwave.RawSockaddrAny
	if f.hasSA {
		sa = &f.sa
	}
	f.id = 0
	if err := c.api.QOSAddSocketToFlow(h, f.sock, sa, f.class.TrafficType(), f.flags, &f.id); err != nil {
		return wrap("QOSAddSocketToFlow", err)
	}
	return nil
}

// restore adds f again after reinitialisation, with its DSCP value and
// rate; c.mu is held for writing. A flow that cannot get its settings back
// is removed again, so nothing is left half restored.
func (c *Client) restore(f *Flow) error {
	if err := c.add(c.h, f); err != nil {
		return err
	}
	var err error
	if f.dscp >= 0 {
		f.u32 = uint32(f.dscp)
		err = wrap("QOSSetFlow(QOSSetOutgoingDSCPValue)", c.api.QOSSetFlow(c.h, f.id, qwave.QOSSetOutgoingDSCPValue, 4, unsafe.Pointer(&f.u32), 0, nil))
	}
	if err == nil && f.rateSet {
		f.rateBuf = f.rate
		err = wrap("QOSSetFlow(QOSSetOutgoingRate)", c.api.QOSSetFlow(c.h, f.id, qwave.QOSSetOutgoingRate, sizeofRate, unsafe.Pointer(&f.rateBuf), 0, nil))
	}
	if err != nil {
		_ = c.api.QOSRemoveSocketFromFlow(c.h, 0, f.id, 0)
	}
	return err
}
