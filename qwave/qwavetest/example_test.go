package qwavetest_test

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// startStream is the code under test. It puts a socket's traffic into a flow
// and asks for a rate; when the network cannot carry the rate it streams
// without priority instead of failing, as the QOSSetFlow page advises.
func startStream(api qwave.API, h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, bps uint64) (string, error) {
	var id qwave.QOS_FLOWID
	if err := api.QOSAddSocketToFlow(h, s, dest, qwave.QOSTrafficTypeAudioVideo, 0, &id); err != nil {
		return "", fmt.Errorf("add socket: %w", err)
	}
	rate := qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: bps, ShapingBehavior: qwave.QOSShapeAndMark}
	err := api.QOSSetFlow(h, id, qwave.QOSSetOutgoingRate, uint32(unsafe.Sizeof(rate)), unsafe.Pointer(&rate), 0, nil)
	switch {
	case errors.Is(err, qwave.ERROR_NETWORK_BUSY):
		return "best effort", nil
	case err != nil:
		_ = api.QOSRemoveSocketFromFlow(h, 0, id, 0)
		return "", fmt.Errorf("set rate: %w", err)
	}
	return "prioritized", nil
}

// Inject makes a documented failure happen on demand, so each error path of
// startStream can be tested without a network that misbehaves.
func ExampleModel_Inject() {
	m := qwavetest.New()
	var h qwave.Handle
	if err := m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 0}, &h); err != nil {
		panic(err)
	}
	dest := qwave.SockaddrInet4(qwavetest.OnLinkIPv4.As4(), 5004)

	mode, err := startStream(m, h, 1, dest, 1_000_000)
	fmt.Println(mode, err)

	// The next QOSSetFlow fails as if the rate did not fit the path.
	if err := m.Inject(qwave.FuncQOSSetFlow, qwave.ERROR_NETWORK_BUSY, 1); err != nil {
		panic(err)
	}
	mode, err = startStream(m, h, 2, dest, 1_000_000)
	fmt.Println(mode, err)

	// The next QOSSetFlow fails as if the caller lacked a privilege; the
	// code under test must not leak the flow.
	if err := m.Inject(qwave.FuncQOSSetFlow, qwave.ERROR_ACCESS_DENIED, 1); err != nil {
		panic(err)
	}
	_, err = startStream(m, h, 3, dest, 1_000_000)
	fmt.Println(errors.Is(err, qwave.ERROR_ACCESS_DENIED), m.GetLastError().Name(), m.LiveFlows())

	// Only documented failures can be injected: QOSSetFlow never fails
	// with ERROR_INSUFFICIENT_BUFFER.
	fmt.Println(m.Inject(qwave.FuncQOSSetFlow, qwave.ERROR_INSUFFICIENT_BUFFER, 1))
	// Output:
	// prioritized <nil>
	// best effort <nil>
	// true ERROR_ACCESS_DENIED 2
	// qwavetest: bad fault injection: QOSSetFlow does not document ERROR_INSUFFICIENT_BUFFER (122)
}

// An overlapped call fails with ERROR_IO_PENDING and completes when the test
// says so: Complete for QOSSetFlow and QOSQueryFlow, SetNetwork for
// QOSNotifyFlow.
func ExampleModel_Complete() {
	m := qwavetest.New()
	var h qwave.Handle
	var id qwave.QOS_FLOWID
	_ = m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: 1}, &h)
	_ = m.QOSAddSocketToFlow(h, 1, qwave.SockaddrInet4(qwavetest.OnLinkIPv4.As4(), 5004), qwave.QOSTrafficTypeVoice, 0, &id)

	var query, congestion qwave.Overlapped
	var f qwave.QOS_FLOW_FUNDAMENTALS
	size := uint32(unsafe.Sizeof(f))
	fmt.Println(m.QOSQueryFlow(h, id, qwave.QOSQueryFlowFundamentals, &size, unsafe.Pointer(&f), 0, &query))
	fmt.Println(m.QOSNotifyFlow(h, id, qwave.QOSNotifyCongested, nil, nil, 0, &congestion))

	fmt.Println("completed:", m.Complete())
	n, err, done := m.OverlappedResult(&query)
	fmt.Println(n, err, done, f.AvailableBandwidth)

	network := qwavetest.DefaultNetwork()
	host := network.Hosts[qwavetest.OnLinkIPv4]
	host.Congested = true
	network.Hosts[qwavetest.OnLinkIPv4] = host
	_, _, done = m.OverlappedResult(&congestion)
	fmt.Println("congested before:", done)
	m.SetNetwork(network)
	_, err, done = m.OverlappedResult(&congestion)
	fmt.Println("congested after:", done, err)
	// Output:
	// ERROR_IO_PENDING: An overlapped operation has started and will complete later.
	// ERROR_IO_PENDING: An overlapped operation has started and will complete later.
	// completed: 1
	// 40 <nil> true 80000000
	// congested before: false
	// congested after: true <nil>
}
