// Command qosmark marks a UDP or TCP connection to a peer with a qWAVE
// traffic class and prints what Windows applied, for checking a machine by
// hand:
//
//	qosmark -peer 192.0.2.1:5004 -class Voice
//	qosmark -net tcp -peer example.com:443 -class Background -dscp 10
//	qosmark -unconnected -peer [2001:db8::1]:5004 -class AudioVideo -rate 2000000
//
// It dials the peer (for UDP nothing is sent; TCP needs a listening peer),
// applies the class with package qos, reads back the marks
// (QOSQueryPacketPriority), the rate and the bandwidth estimates, and
// removes the flow. -model runs the same against the reference model with
// the peer as an on-link host, on any GOOS. Exit status: 0 when the class
// was applied, 1 when it was not, 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qosmark", flag.ContinueOnError)
	fs.SetOutput(stderr)
	network := fs.String("net", "udp", "udp or tcp (udp4, udp6, tcp4, tcp6 to pick a family)")
	peer := fs.String("peer", "", "the peer, host:port (required)")
	className := fs.String("class", "Voice", "traffic class: BestEffort, Background, ExcellentEffort, AudioVideo, Voice or Control")
	dscp := fs.Int("dscp", -1, "a DSCP value (0-63) to set instead of the class's; needs Administrators or Network Configuration Operators")
	rate := fs.Uint64("rate", 0, "an outgoing rate to set, in bits per second")
	nonAdaptive := fs.Bool("nonadaptive", false, "a non-adaptive flow (QOS_NON_ADAPTIVE_FLOW): marked at once, no estimates")
	unconnected := fs.Bool("unconnected", false, "UDP only: an unconnected socket with the peer as its destination (dual-stack sockets are connected, as Windows needs)")
	useModel := fs.Bool("model", false, "use the reference model instead of qwave.dll, with the peer as an on-link host")
	timeout := fs.Duration("timeout", 5*time.Second, "time allowed for resolving and dialling")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	class, ok := parseClass(*className)
	switch {
	case fs.NArg() != 0:
		fmt.Fprintf(stderr, "qosmark: unexpected arguments %q\n", fs.Args())
		return 2
	case *peer == "":
		fmt.Fprintln(stderr, "qosmark: -peer host:port is required")
		return 2
	case !ok:
		fmt.Fprintf(stderr, "qosmark: -class %q is not a traffic class\n", *className)
		return 2
	case *dscp > 63:
		fmt.Fprintf(stderr, "qosmark: -dscp %d is not in 0-63\n", *dscp)
		return 2
	case !strings.HasPrefix(*network, "udp") && !strings.HasPrefix(*network, "tcp"):
		fmt.Fprintf(stderr, "qosmark: -net %q is neither udp nor tcp\n", *network)
		return 2
	case *unconnected && !strings.HasPrefix(*network, "udp"):
		fmt.Fprintln(stderr, "qosmark: -unconnected needs -net udp")
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	dest, err := resolve(ctx, *network, *peer)
	if err != nil {
		fmt.Fprintf(stderr, "qosmark: %v\n", err)
		return 1
	}

	var c *qos.Client
	if *useModel {
		n := qwavetest.Network{Hosts: map[netip.Addr]qwavetest.Host{dest.Addr(): {BottleneckBandwidth: 1_000_000_000, AvailableBandwidth: 800_000_000, RTT: 1000}}}
		c = qos.New(qwavetest.New(qwavetest.WithNetwork(n), qwavetest.WithProfile(qwave.ProfileWindows)))
	} else if c, err = qos.Open(); err != nil {
		fmt.Fprintf(stderr, "qosmark: %v\n", err)
		return 1
	}
	defer c.Close()

	conn, err := dial(ctx, *network, dest, *unconnected)
	if err != nil {
		fmt.Fprintf(stderr, "qosmark: %v\n", err)
		return 1
	}
	defer conn.Close()

	opts := []qos.ApplyOption{}
	if *unconnected {
		opts = append(opts, qos.Destination(dest), qos.ConnectDualStack())
	}
	if *nonAdaptive {
		opts = append(opts, qos.NonAdaptive())
	}
	if *dscp >= 0 {
		opts = append(opts, qos.DSCP(uint8(*dscp)))
	}
	sc, _ := conn.(syscall.Conn)
	flow, err := c.Apply(sc, class, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "qosmark: %v\n", err)
		return 1
	}
	defer flow.Close()
	fmt.Fprintf(stdout, "flow %d: %v from %v to %v\n", flow.ID(), class, conn.LocalAddr(), flow.Destination())
	if *rate > 0 {
		if err := flow.SetRate(*rate, qos.ShapeAndMark); err != nil {
			fmt.Fprintf(stdout, "rate: %v\n", err)
		}
	}
	report(stdout, flow)
	return 0
}

// report prints what the flow has: marks, rate and estimates, or why not.
func report(w io.Writer, flow *qos.Flow) {
	if p, err := flow.Priority(); err != nil {
		fmt.Fprintf(w, "marks: %v\n", err)
	} else {
		fmt.Fprintf(w, "marks: DSCP %d (%#02x), 802.1p %d; beyond the rate: DSCP %d, 802.1p %d\n",
			p.DSCP, p.DSCP, p.IEEE8021p, p.NonConformantDSCP, p.NonConformantIEEE8021p)
	}
	if r, err := flow.Rate(); err != nil {
		fmt.Fprintf(w, "rate: %v\n", err)
	} else {
		fmt.Fprintf(w, "rate: %d bit/s\n", r)
	}
	if e, err := flow.Estimates(false); err != nil {
		fmt.Fprintf(w, "estimates: %v\n", err)
	} else {
		fmt.Fprintf(w, "estimates: bottleneck %d bit/s, available %d bit/s, RTT %v\n", e.BottleneckBandwidth, e.AvailableBandwidth, e.RTT)
	}
}

func parseClass(name string) (qos.Class, bool) {
	for c := qos.BestEffort; c <= qos.Control; c++ {
		if strings.EqualFold(c.String(), name) {
			return c, true
		}
	}
	return 0, false
}

// resolve returns the peer's address for the network's family.
func resolve(ctx context.Context, network, peer string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(peer)
	if err != nil {
		return netip.AddrPort{}, err
	}
	ipnet := "ip"
	if strings.HasSuffix(network, "4") || strings.HasSuffix(network, "6") {
		ipnet += network[len(network)-1:]
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, ipnet, host)
	if err != nil {
		return netip.AddrPort{}, err
	}
	p, err := net.DefaultResolver.LookupPort(ctx, network, port)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(ips[0].Unmap(), uint16(p)), nil
}

// dial connects to dest, or for an unconnected UDP socket listens on the
// wildcard address of the network (dual-stack for "udp").
func dial(ctx context.Context, network string, dest netip.AddrPort, unconnected bool) (net.Conn, error) {
	if unconnected {
		conn, err := net.ListenUDP(network, &net.UDPAddr{})
		if err != nil {
			return nil, err
		}
		return conn, nil
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, dest.String())
	if err != nil {
		return nil, err
	}
	if _, ok := conn.(syscall.Conn); !ok {
		conn.Close()
		return nil, errors.New("the connection has no socket")
	}
	return conn, nil
}
