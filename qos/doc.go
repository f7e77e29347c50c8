// Package qos marks the traffic of Go network connections on Windows with
// qWAVE (qos2.h, qwave.dll), the supported way: Windows accepts IP_TOS and
// ignores it (golang/go#42728).
//
// A Client owns one QOS handle and the flows it made:
//
//	c, err := qos.Open()                    // the real qwave.dll, Windows only
//	if errors.Is(err, qos.ErrUnavailable) { /* Server without the qWAVE feature */ }
//	defer c.Close()                         // removes every flow it made
//	flow, err := c.Apply(conn, qos.Voice)   // *net.UDPConn, *net.TCPConn, ...
//	defer flow.Close()                      // before conn.Close
//
// New takes any qwave.API, so the same code runs on every GOOS against the
// reference model (package qwavetest), with real loopback sockets: qos tells
// the model what Winsock would tell Windows about each socket.
//
// Apply handles what programs using qWAVE trip on:
//
//   - A connected socket (TCP, or UDP after Dial) is added without a
//     destination address, which is what works on dual-stack sockets; a
//     destination given anyway must be the peer.
//   - An unconnected UDP socket needs its destination (Destination); qos
//     never adds one without, as the QOSAddSocketToFlow page forbids.
//   - Windows rejects an IPv4 destination on a dual-stack socket, and every
//     IPv4-mapped IPv6 destination, with ERROR_INVALID_PARAMETER. qos passes
//     plain IPv4 addresses to IPv4 sockets, and for a dual-stack UDP socket
//     either connects it (ConnectDualStack) and passes no address, or
//     returns ErrDualStackIPv4 saying so.
//   - QOSSetOutgoingDSCPValue needs Administrators or Network Configuration
//     Operators (ErrNeedsAdmin) and may be blocked by policy
//     (ErrBlockedByPolicy); IgnoreDSCPDenied goes on without it.
//   - After ERROR_DEVICE_REINITIALIZATION_NEEDED the Client recreates its
//     handle, adds its live flows again and tells OnReinitialize.
//   - Flows are removed before their sockets close: close a Flow (or the
//     Client) before its connection.
package qos
