//go:build !windows

// The examples use UDP sockets, which Go cannot open under Wine 8 (its
// Winsock rejects the SIO_UDP_CONNRESET ioctl of Go's net package); the
// tests cover Windows with TCP sockets there.

package qos_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// exampleModel is the reference model on a network where 127.0.0.1 is an
// on-link host: 100 Mbit/s bottleneck, 80 Mbit/s available, 1 ms RTT.
func exampleModel(opts ...qwavetest.Option) *qwavetest.Model {
	n := qwavetest.Network{Hosts: map[netip.Addr]qwavetest.Host{
		netip.MustParseAddr("127.0.0.1"): {BottleneckBandwidth: 100_000_000, AvailableBandwidth: 80_000_000, RTT: 1000},
	}}
	return qwavetest.New(append([]qwavetest.Option{qwavetest.WithNetwork(n), qwavetest.WithProfile(qwave.ProfileWindows)}, opts...)...)
}

// exampleConn returns a UDP socket connected to a local peer, and a function
// closing both.
func exampleConn() (*net.UDPConn, func()) {
	peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	conn, err := net.DialUDP("udp4", nil, peer.LocalAddr().(*net.UDPAddr))
	if err != nil {
		panic(err)
	}
	return conn, func() { conn.Close(); peer.Close() }
}

// Mark a UDP connection as voice. On Windows, qos.Open() gives a Client over
// qwave.dll; here the reference model stands in, with a real socket.
func ExampleClient_Apply() {
	c := qos.New(exampleModel()) // on Windows: c, err := qos.Open()
	defer c.Close()

	peer, _ := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer peer.Close()
	conn, _ := net.DialUDP("udp4", nil, peer.LocalAddr().(*net.UDPAddr))
	defer conn.Close()

	flow, err := c.Apply(conn, qos.Voice, qos.NonAdaptive())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer flow.Close() // before conn.Close
	p, _ := flow.Priority()
	fmt.Printf("%v: DSCP %#x, 802.1p %d\n", flow.Class(), p.DSCP, p.IEEE8021p)
	// Output:
	// Voice: DSCP 0x38, 802.1p 0
}

// An unconnected UDP socket needs its destination.
func ExampleDestination() {
	c := qos.New(exampleModel())
	defer c.Close()
	conn, _ := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer conn.Close()

	_, err := c.Apply(conn, qos.AudioVideo)
	fmt.Println(errors.Is(err, qos.ErrNoDestination))
	flow, err := c.Apply(conn, qos.AudioVideo, qos.Destination(netip.MustParseAddrPort("127.0.0.1:5004")))
	fmt.Println(flow.Destination(), err)
	flow.Close()
	// Output:
	// true
	// 127.0.0.1:5004 <nil>
}

// Setting a DSCP value needs Administrators or Network Configuration
// Operators; IgnoreDSCPDenied goes on with the class's marks.
func ExampleDSCP() {
	c := qos.New(exampleModel(qwavetest.WithAdmin(false)))
	defer c.Close()
	conn, done := exampleConn()
	defer done()

	_, err := c.Apply(conn, qos.Voice, qos.DSCP(46))
	fmt.Println(errors.Is(err, qos.ErrNeedsAdmin), errors.Is(err, qwave.ERROR_ACCESS_DENIED))

	flow, _ := c.Apply(conn, qos.Voice, qos.DSCP(46), qos.IgnoreDSCPDenied())
	defer flow.Close()
	p, _ := flow.Priority()
	fmt.Printf("DSCP %d\n", p.DSCP)
	// Output:
	// true true
	// DSCP 56
}

// Bandwidth estimates and a rate for an adaptive flow.
func ExampleFlow_Estimates() {
	c := qos.New(exampleModel())
	defer c.Close()
	conn, done := exampleConn()
	defer done()

	flow, _ := c.Apply(conn, qos.AudioVideo)
	defer flow.Close()
	e, _ := flow.Estimates(false)
	fmt.Println(e.BottleneckBandwidth, e.AvailableBandwidth, e.RTT)
	_, err := flow.Rate()
	fmt.Println(errors.Is(err, qos.ErrNotYet))
	fmt.Println(flow.SetRate(e.AvailableBandwidth/2, qos.ShapeAndMark))
	rate, _ := flow.Rate()
	p, _ := flow.Priority()
	fmt.Println(rate, p.DSCP, p.IEEE8021p)
	// Output:
	// 100000000 80000000 1ms
	// true
	// <nil>
	// 40000000 40 5
}

// A wait for congestion ends with its context; the request is cancelled.
func ExampleFlow_WaitCongested() {
	c := qos.New(exampleModel())
	defer c.Close()
	conn, done := exampleConn()
	defer done()
	flow, _ := c.Apply(conn, qos.AudioVideo)
	defer flow.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(flow.WaitCongested(ctx))
	// Output:
	// context deadline exceeded
}

// After the host slept, the next call meets
// ERROR_DEVICE_REINITIALIZATION_NEEDED; the Client recreates its handle and
// its flows, and says so.
func ExampleOnReinitialize() {
	m := exampleModel()
	c := qos.New(m, qos.OnReinitialize(func(err error) { fmt.Println("reinitialized:", err) }))
	defer c.Close()
	conn, done := exampleConn()
	defer done()
	flow, _ := c.Apply(conn, qos.Voice, qos.DSCP(46))
	defer flow.Close()

	m.Reinitialize()
	p, err := flow.Priority()
	fmt.Println(p.DSCP, err, m.LiveFlows())
	// Output:
	// reinitialized: <nil>
	// 46 <nil> 1
}

// A Dialer whose every connection is marked.
func ExampleClient_Control() {
	c := qos.New(exampleModel())
	defer c.Close()
	peer, _ := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer peer.Close()

	d := net.Dialer{Control: c.Control(qos.Voice, qos.NonAdaptive())}
	conn, err := d.Dial("udp4", peer.LocalAddr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	flow := c.FlowOf(conn.(*net.UDPConn))
	defer flow.Close()
	fmt.Println(flow.Class(), c.Flows())
	// Output:
	// Voice 1
}

// Classes carry the DSCP values and 802.1p tags the docs give them.
func ExampleClassOf() {
	for _, cl := range []qos.Class{qos.BestEffort, qos.Background, qos.ExcellentEffort, qos.AudioVideo, qos.Voice, qos.Control} {
		fmt.Printf("%-15v DSCP %#02x 802.1p %d\n", cl, cl.DSCP(), cl.IEEE8021p())
	}
	fmt.Println(qos.ClassOf(46), qos.ClassOf(8), qos.ClassOf(63))
	// Output:
	// BestEffort      DSCP 0x00 802.1p 0
	// Background      DSCP 0x08 802.1p 2
	// ExcellentEffort DSCP 0x28 802.1p 5
	// AudioVideo      DSCP 0x28 802.1p 5
	// Voice           DSCP 0x38 802.1p 7
	// Control         DSCP 0x38 802.1p 7
	// AudioVideo Background Voice
}

// Open gives a Client over qwave.dll. Without the qWAVE feature (or outside
// Windows) the error matches ErrUnavailable and says how to install it.
func ExampleOpen() {
	c, err := qos.Open()
	if errors.Is(err, qos.ErrUnavailable) {
		fmt.Println(err)
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
}
