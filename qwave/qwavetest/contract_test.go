package qwavetest

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

func TestFailuresDoNotAllocate(t *testing.T) {
	fx := newFixture(t)
	m := fx.m
	var o qwave.Overlapped
	if err := fx.notify(fx.adaptive, qwave.QOSNotifyCongested, 0, &o); err != qwave.ERROR_IO_PENDING {
		t.Fatal(err)
	}
	// Pointers the model may keep escape to the heap; allocate them once,
	// outside the calls measured.
	size := new(uint32)
	o2 := new(qwave.Overlapped)
	dest := sa(OnLinkIPv4, 80)
	unreachable := sa(UnreachableIPv4, 80)
	voice := qwave.QOSTrafficTypeVoice
	calls := map[string]func() error{
		"QOSCreateHandle bad version": func() error { var h qwave.Handle; return m.QOSCreateHandle(&qwave.QOS_VERSION{}, &h) },
		"QOSCloseHandle bad handle":   func() error { return m.QOSCloseHandle(0xdeadbeef) },
		"QOSAddSocketToFlow unreachable": func() error {
			var id qwave.QOS_FLOWID
			return m.QOSAddSocketToFlow(fx.h, freeSocket, unreachable, voice, 0, &id)
		},
		"QOSAddSocketToFlow busy socket": func() error {
			var id qwave.QOS_FLOWID
			return m.QOSAddSocketToFlow(fx.h, sockAdaptive, dest, voice, 0, &id)
		},
		"QOSRemoveSocketFromFlow not found": func() error { return m.QOSRemoveSocketFromFlow(fx.h, 0, 0xdeadbeef, 0) },
		"QOSSetFlow network busy":           func() error { return fx.setRate(fx.adaptive, 1<<40, nil) },
		"QOSSetFlow pending":                func() error { return fx.setRate(fx.adaptive, 1000, &o) },
		"QOSQueryFlow insufficient buffer": func() error {
			*size = 0
			return m.QOSQueryFlow(fx.h, fx.adaptive, qwave.QOSQueryFlowFundamentals, size, nil, 0, nil)
		},
		"QOSQueryFlow no data": func() error {
			*size = 8
			return m.QOSQueryFlow(fx.h, fx.adaptive, qwave.QOSQueryOutgoingRate, size, fx.ptr(), 0, nil)
		},
		"QOSNotifyFlow already exists": func() error { return m.QOSNotifyFlow(fx.h, fx.adaptive, qwave.QOSNotifyCongested, nil, nil, 0, o2) },
		"QOSNotifyFlow not supported":  func() error { return fx.notify(fx.nonAdaptive, qwave.QOSNotifyCongested, 0, nil) },
		"QOSCancel bad handle":         func() error { return m.QOSCancel(0, nil) },
		"QOSEnumerateFlows insufficient buffer": func() error {
			var size uint32
			return m.QOSEnumerateFlows(fx.h, &size, nil)
		},
		"QOSStartTrackingClient unreachable": func() error { return m.QOSStartTrackingClient(fx.h, unreachable, 0) },
		"QOSStopTrackingClient not tracked":  func() error { return m.QOSStopTrackingClient(fx.h, dest, 0) },
		"OverlappedResult aborted": func() error {
			_, err, _ := m.OverlappedResult(&qwave.Overlapped{Internal: uintptr(qwave.ERROR_OPERATION_ABORTED)})
			return err
		},
	}
	for what, call := range calls {
		if call() == nil {
			t.Errorf("%s succeeded", what)
			continue
		}
		if n := testing.AllocsPerRun(100, func() { _ = call() }); n != 0 {
			t.Errorf("%s: %v allocations per failing call, want 0", what, n)
		}
	}
	// Injected failures of every documented code, on calls with zero
	// arguments: the injected failure comes first.
	zero := map[string]func() error{
		"QOSAddSocketToFlow":      func() error { return m.QOSAddSocketToFlow(0, 0, nil, 0, 0, nil) },
		"QOSCancel":               func() error { return m.QOSCancel(0, nil) },
		"QOSCloseHandle":          func() error { return m.QOSCloseHandle(0) },
		"QOSCreateHandle":         func() error { return m.QOSCreateHandle(nil, nil) },
		"QOSEnumerateFlows":       func() error { return m.QOSEnumerateFlows(0, nil, nil) },
		"QOSNotifyFlow":           func() error { return m.QOSNotifyFlow(0, 0, 0, nil, nil, 0, nil) },
		"QOSQueryFlow":            func() error { return m.QOSQueryFlow(0, 0, 0, nil, nil, 0, nil) },
		"QOSRemoveSocketFromFlow": func() error { return m.QOSRemoveSocketFromFlow(0, 0, 0, 0) },
		"QOSSetFlow":              func() error { return m.QOSSetFlow(0, 0, 0, 0, nil, 0, nil) },
		"QOSStartTrackingClient":  func() error { return m.QOSStartTrackingClient(0, nil, 0) },
		"QOSStopTrackingClient":   func() error { return m.QOSStopTrackingClient(0, nil, 0) },
	}
	for _, c := range qwave.Contracts() {
		for _, e := range c.Errors {
			target := errOf(e.Code) // boxed here, so the check does not allocate
			n := testing.AllocsPerRun(100, func() {
				if err := m.Inject(mustFunc(t, c.Func), e.Code, 1); err != nil {
					t.Fatal(err)
				}
				if err := zero[c.Func](); !errors.Is(err, target) {
					t.Fatalf("injected %s: %v, want %s", c.Func, err, e.Name)
				}
			})
			if n != 0 {
				t.Errorf("%s injected %s: %v allocations per failing call, want 0", c.Func, e.Name, n)
			}
		}
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	fx := newFixture(t)
	size := uint32(40)
	if n := testing.AllocsPerRun(100, func() {
		size = 40
		must(t, fx.m.QOSQueryFlow(fx.h, fx.adaptive, qwave.QOSQueryFlowFundamentals, &size, fx.ptr(), 0, nil))
	}); n != 0 {
		t.Errorf("QOSQueryFlow: %v allocations, want 0", n)
	}
	voice := qwave.QOSTrafficTypeVoice
	if n := testing.AllocsPerRun(100, func() {
		must(t, fx.m.QOSSetFlow(fx.h, fx.adaptive, qwave.QOSSetTrafficType, 4, unsafe.Pointer(&voice), 0, nil))
	}); n != 0 {
		t.Errorf("QOSSetFlow: %v allocations, want 0", n)
	}
}

// TestNoPanics calls every function with nil, zero and garbage arguments.
// A non-nil buffer is always large enough for the size given, as C demands;
// everything else is fair game.
func TestNoPanics(t *testing.T) {
	fx := newFixture(t)
	m := fx.m
	buf := fx.ptr()
	garbageHandles := []qwave.Handle{0, 1, 4, 0xdeadbeef, ^qwave.Handle(0), fx.closed, fx.h}
	garbageFlows := []qwave.QOS_FLOWID{0, 1, 0xffffffff, 0xdeadbeef, fx.adaptive, fx.nonAdaptive}
	addrs := []*qwave.RawSockaddrAny{nil, {}, {Family: 0xffff}, {Family: qwave.AF_INET}, {Family: qwave.AF_INET6}, sa(OnLinkIPv4, 1)}
	sizes := []uint32{0, 1, 4, 8, 16, 40, 64, 512, 1 << 31, ^uint32(0)}
	for _, h := range garbageHandles {
		_ = m.QOSCloseHandle(h)
		_ = m.QOSCancel(h, nil)
		_ = m.QOSCancel(h, &qwave.Overlapped{Internal: statusPending})
		for _, a := range addrs {
			_ = m.QOSStartTrackingClient(h, a, 0)
			_ = m.QOSStopTrackingClient(h, a, ^uint32(0))
			for _, s := range []qwave.Socket{0, 1, invalidSocket} {
				_ = m.QOSAddSocketToFlow(h, s, a, -1, ^uint32(0), nil)
				_ = m.QOSAddSocketToFlow(h, s, a, 99, 0, new(qwave.QOS_FLOWID))
			}
		}
		for _, f := range garbageFlows {
			_ = m.QOSRemoveSocketFromFlow(h, invalidSocket, f, ^uint32(0))
			for _, op := range []int32{-1, 0, 1, 2, 3, 1 << 30} {
				for _, size := range sizes {
					// nil buffers with any size; the real buffer only with
					// sizes it can hold.
					_ = m.QOSSetFlow(h, f, qwave.QOS_SET_FLOW(op), size, nil, 0, nil)
					s := size
					_ = m.QOSQueryFlow(h, f, qwave.QOS_QUERY_FLOW(op), &s, nil, ^uint32(0), nil)
					s = size
					_ = m.QOSNotifyFlow(h, f, qwave.QOS_NOTIFY_FLOW(op), &s, nil, 0, nil)
					s = size
					_ = m.QOSEnumerateFlows(h, &s, nil)
					if size <= 512 {
						_ = m.QOSSetFlow(h, f, qwave.QOS_SET_FLOW(op), size, buf, 0, nil)
						s = size
						_ = m.QOSQueryFlow(h, f, qwave.QOS_QUERY_FLOW(op), &s, buf, 0, nil)
						s = size
						_ = m.QOSNotifyFlow(h, f, qwave.QOS_NOTIFY_FLOW(op), &s, buf, 0, nil)
						s = size
						_ = m.QOSEnumerateFlows(h, &s, buf)
					}
				}
				_ = m.QOSQueryFlow(h, f, qwave.QOS_QUERY_FLOW(op), nil, nil, 0, nil)
				_ = m.QOSNotifyFlow(h, f, qwave.QOS_NOTIFY_FLOW(op), nil, nil, 0, nil)
			}
		}
		_ = m.QOSEnumerateFlows(h, nil, nil)
		_ = m.QOSCreateHandle(nil, nil)
	}
	m.ConnectSocket(0, nil)
	m.ConnectSocket(invalidSocket, &qwave.RawSockaddrAny{Family: qwave.AF_INET6})
	m.SetNetwork(Network{Hosts: map[netip.Addr]Host{{}: {}}})
	_, _, _ = m.OverlappedResult(nil)
}

// TestConcurrent runs clients on their own handles, plus a goroutine that
// changes the network and completes operations, under the race detector.
func TestConcurrent(t *testing.T) {
	m := New()
	const clients, rounds = 8, 300
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var driver sync.WaitGroup
	driver.Go(func() {
		n := DefaultNetwork()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			h := n.Hosts[OnLinkIPv4]
			h.Congested = i%2 == 0
			n.Hosts[OnLinkIPv4] = h
			m.SetNetwork(n)
			m.Complete()
		}
	})
	for c := range clients {
		wg.Go(func() {
			var h qwave.Handle
			if err := m.QOSCreateHandle(&v10, &h); err != nil {
				t.Error(err)
				return
			}
			var buf [64]uint64
			var o, on qwave.Overlapped
			for r := range rounds {
				s := qwave.Socket(1000 + c*rounds + r)
				var id qwave.QOS_FLOWID
				if err := m.QOSAddSocketToFlow(h, s, sa(OnLinkIPv4, 80), qwave.QOSTrafficTypeVoice, 0, &id); err != nil {
					t.Error(err)
					return
				}
				size := uint32(40)
				if err := m.QOSQueryFlow(h, id, qwave.QOSQueryFlowFundamentals, &size, unsafe.Pointer(&buf[0]), 0, nil); err != nil {
					t.Error(err)
				}
				rate := qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: 1000}
				if err := m.QOSSetFlow(h, id, qwave.QOSSetOutgoingRate, 16, unsafe.Pointer(&rate), 0, &o); err != qwave.ERROR_IO_PENDING {
					t.Error(err)
				}
				_ = m.QOSNotifyFlow(h, id, qwave.QOSNotifyCongested, nil, nil, 0, &on)
				if r%3 == 0 {
					_ = m.QOSCancel(h, &o)
				}
				size = uint32(len(buf) * 8)
				_ = m.QOSEnumerateFlows(h, &size, unsafe.Pointer(&buf[0]))
				if err := m.QOSRemoveSocketFromFlow(h, 0, id, 0); err != nil {
					t.Error(err)
				}
				for _, ov := range []*qwave.Overlapped{&o, &on} {
					if _, _, done := m.OverlappedResult(ov); !done {
						t.Errorf("operation pending after its flow was removed")
					}
				}
			}
			if err := m.QOSCloseHandle(h); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	driver.Wait()
	if m.LiveHandles() != 0 || m.LiveFlows() != 0 || m.Pending() != 0 {
		t.Errorf("left over: %d handles, %d flows, %d pending", m.LiveHandles(), m.LiveFlows(), m.Pending())
	}
}

// FuzzOps runs a seeded random sequence of calls with arguments drawn from
// small pools of valid and invalid values, and checks every outcome against
// the contract: a documented code equal to the last error on failure, the
// last error untouched on success, and the model's counts consistent.
func FuzzOps(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 42, 0xdeadbeef} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 0))
		m := New()
		var buf [512]uint64
		handles := []qwave.Handle{0, 0xdeadbeef}
		flows := []qwave.QOS_FLOWID{0, 1, 2, 3}
		overlapped := make([]*qwave.Overlapped, 4)
		for i := range overlapped {
			overlapped[i] = new(qwave.Overlapped)
		}
		hosts := []netip.Addr{OnLinkIPv4, OnLinkIPv6, OffLinkIPv4, UnreachableIPv4}
		pick := func(n int) int { return r.IntN(n) }
		addr := func() *qwave.RawSockaddrAny {
			if pick(8) == 0 {
				return nil
			}
			return sa(hosts[pick(len(hosts))], uint16(pick(3)))
		}
		ov := func() *qwave.Overlapped {
			if pick(2) == 0 {
				return nil
			}
			return overlapped[pick(len(overlapped))]
		}
		flag := func() uint32 {
			set, clear := uint32(pick(4)), uint32(pick(4))
			return set &^ clear
		}
		for step := range 400 {
			h := handles[pick(len(handles))]
			id := flows[pick(len(flows))]
			size := uint32(pick(5) * 8)
			var ptr unsafe.Pointer
			if pick(4) != 0 {
				ptr = unsafe.Pointer(&buf[0])
			}
			m.SetLastError(sentinel)
			var fn string
			var err error
			switch pick(13) {
			case 0:
				fn = "QOSCreateHandle"
				var nh qwave.Handle
				err = m.QOSCreateHandle(&qwave.QOS_VERSION{MajorVersion: uint16(pick(2) + pick(2))}, &nh)
				if err == nil {
					handles = append(handles, nh)
				}
			case 1:
				fn = "QOSCloseHandle"
				err = m.QOSCloseHandle(h)
			case 2, 3:
				fn = "QOSAddSocketToFlow"
				nid := qwave.QOS_FLOWID(0)
				if pick(3) == 0 {
					nid = id
				}
				err = m.QOSAddSocketToFlow(h, qwave.Socket(pick(12)), addr(), qwave.QOS_TRAFFIC_TYPE(pick(7)), flag(), &nid)
				if err == nil {
					flows = append(flows, nid)
				}
			case 4:
				fn = "QOSRemoveSocketFromFlow"
				err = m.QOSRemoveSocketFromFlow(h, qwave.Socket(pick(12)), id, uint32(pick(8)/7))
			case 5:
				fn = "QOSSetFlow"
				buf[0] = uint64(pick(1 << 20))
				err = m.QOSSetFlow(h, id, qwave.QOS_SET_FLOW(pick(4)), uint32(pick(5)*4), ptr, uint32(pick(8)/7), ov())
			case 6:
				fn = "QOSQueryFlow"
				err = m.QOSQueryFlow(h, id, qwave.QOS_QUERY_FLOW(pick(4)), &size, ptr, flag(), ov())
			case 7:
				fn = "QOSNotifyFlow"
				buf[0] = uint64(pick(1 << 30))
				err = m.QOSNotifyFlow(h, id, qwave.QOS_NOTIFY_FLOW(pick(4)), &size, ptr, uint32(pick(8)/7), ov())
			case 8:
				fn = "QOSCancel"
				err = m.QOSCancel(h, ov())
			case 9:
				fn = "QOSEnumerateFlows"
				err = m.QOSEnumerateFlows(h, &size, ptr)
			case 10:
				fn = "QOSStartTrackingClient"
				err = m.QOSStartTrackingClient(h, addr(), uint32(pick(8)/7))
			case 11:
				fn = "QOSStopTrackingClient"
				err = m.QOSStopTrackingClient(h, addr(), uint32(pick(8)/7))
			case 12:
				fn = "(driver)"
				n := DefaultNetwork()
				for ip, host := range n.Hosts {
					host.Congested = pick(2) == 0
					host.AvailableBandwidth = uint64(pick(1 << 30))
					n.Hosts[ip] = host
				}
				if pick(4) == 0 {
					delete(n.Hosts, hosts[pick(len(hosts))])
				}
				m.SetNetwork(n)
				m.Complete()
				continue
			}
			if errors.Is(err, qwave.ErrNoLastError) {
				t.Fatalf("seed %d step %d: %s returned ErrNoLastError", seed, step, fn)
			}
			checkCall(t, m, fn, err)
			if t.Failed() {
				t.Fatalf("seed %d, step %d: the sequence broke the contract", seed, step)
			}
		}
		// Closing every handle leaves nothing behind.
		for _, h := range handles {
			_ = m.QOSCloseHandle(h)
		}
		for _, o := range overlapped {
			if _, _, done := m.OverlappedResult(o); !done {
				t.Errorf("seed %d: operation still pending after every handle was closed", seed)
			}
		}
		if m.LiveHandles() != 0 || m.LiveFlows() != 0 || m.Pending() != 0 {
			t.Errorf("seed %d: left over %d handles, %d flows, %d pending", seed, m.LiveHandles(), m.LiveFlows(), m.Pending())
		}
	})
}
