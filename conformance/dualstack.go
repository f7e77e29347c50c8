package conformance

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/winqos/winqos/qwave"
)

// WithDualStackSockets sets how the dual-stack cases get a dual-stack UDP
// socket (AF_INET6 with IPV6_V6ONLY off): the socket and a function that
// closes it. Without it, an implementation with a DescribeSocket method (the
// reference model) gets a fake socket described as dual-stack; any other
// skips those cases.
func WithDualStackSockets(f func() (qwave.Socket, func(), error)) Option {
	return func(o *options) { o.dualStack = f }
}

// socketDescriber is implemented by implementations without sockets of their
// own, such as qwavetest.Model, that are told what Winsock would say.
type socketDescriber interface {
	DescribeSocket(s qwave.Socket, local, peer netip.AddrPort, dualStack bool)
}

var errNoDualStack = errors.New("no dual-stack sockets (conformance.WithDualStackSockets)")

// dualStackSocket returns an unconnected dual-stack socket.
func (e *env) dualStackSocket() (qwave.Socket, bool) {
	if e.setupErr != nil {
		return 0, false
	}
	if e.opts.dualStack != nil {
		s, closeSocket, err := e.opts.dualStack()
		if !e.setup("dual-stack socket", err) {
			return 0, false
		}
		e.closers = append(e.closers, closeSocket)
		return s, true
	}
	d, ok := e.api.(socketDescriber)
	if !ok {
		e.setup("dual-stack socket", errNoDualStack)
		return 0, false
	}
	s, ok := e.socket()
	if ok {
		d.DescribeSocket(s, netip.AddrPortFrom(netip.IPv6Unspecified(), 0), netip.AddrPort{}, true)
	}
	return s, ok
}

// dualStackCases are the cases about dual-stack sockets, which programs
// using qWAVE trip on.
func dualStackCases() []testCase {
	add := "spec/qos2/nf-qos2-qosaddsockettoflow.md#-returns"
	return []testCase{{
		name: "QOSAddSocketToFlow/DestAddr-ipv4-on-dual-stack", fn: "QOSAddSocketToFlow", source: add,
		rule: "an IPv4 DestAddr on a dual-stack IPv6 socket is a mixed IPv4/IPv6 address: ERROR_INVALID_PARAMETER (connect the socket and pass no DestAddr instead)",
		run: func(e *env) {
			if !e.opts.peer.Addr().Is4() {
				e.setup("dual-stack socket", fmt.Errorf("the peer %v is not an IPv4 address", e.opts.peer))
				return
			}
			h, _ := e.handle()
			s, ok := e.dualStackSocket()
			if !ok {
				return
			}
			var id qwave.QOS_FLOWID
			o := e.do(fmt.Sprintf("QOSAddSocketToFlow(%#x, %#x (dual-stack), &%v (AF_INET), 0, 0, &0)", uint64(h), uint64(s), e.opts.peer), func() error {
				return e.api.QOSAddSocketToFlow(h, s, e.peer(), qwave.QOSTrafficTypeBestEffort, 0, &id)
			})
			e.wantFailure(o, qwave.ERROR_INVALID_PARAMETER)
		},
	}}
}
