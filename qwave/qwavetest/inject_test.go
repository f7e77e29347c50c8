package qwavetest

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// validCalls returns, for each function, a call that succeeds every time it
// is made on fx; setup it needs goes through other functions, so it does not
// count as a call of the function itself.
func validCalls(fx *fixture) map[string]func() error {
	m := fx.m
	next := freeSocket
	socket := func() qwave.Socket { next++; return next }
	voice := qwave.QOSTrafficTypeVoice
	return map[string]func() error{
		"QOSCreateHandle": func() error {
			var h qwave.Handle
			return m.QOSCreateHandle(&v10, &h)
		},
		"QOSCloseHandle": func() error { return m.QOSCloseHandle(fx.handle()) },
		"QOSAddSocketToFlow": func() error {
			var id qwave.QOS_FLOWID
			return m.QOSAddSocketToFlow(fx.h, socket(), sa(OnLinkIPv4, 80), voice, 0, &id)
		},
		"QOSRemoveSocketFromFlow": func() error {
			s := socket()
			id := fx.add(fx.h, s, OnLinkIPv4, 0)
			return m.QOSRemoveSocketFromFlow(fx.h, s, id, 0)
		},
		"QOSSetFlow": func() error {
			return m.QOSSetFlow(fx.h, fx.adaptive, qwave.QOSSetTrafficType, 4, unsafe.Pointer(&voice), 0, nil)
		},
		"QOSQueryFlow":  func() error { return fx.query(fx.adaptive, qwave.QOSQueryFlowFundamentals, 0, nil) },
		"QOSNotifyFlow": func() error { return fx.notify(fx.adaptive, qwave.QOSNotifyUncongested, 0, nil) },
		"QOSCancel": func() error {
			last := m.GetLastError()
			o := new(qwave.Overlapped)
			if err := fx.setRate(fx.adaptive, 1000, o); err != qwave.ERROR_IO_PENDING {
				return err
			}
			m.SetLastError(last)
			return m.QOSCancel(fx.h, o)
		},
		"QOSEnumerateFlows": func() error {
			size := uint32(len(fx.buf) * 8)
			return m.QOSEnumerateFlows(fx.h, &size, fx.ptr())
		},
		"QOSStartTrackingClient": func() error { return m.QOSStartTrackingClient(fx.h, sa(OnLinkIPv4, 0), 0) },
		"QOSStopTrackingClient": func() error {
			must(fx.t, m.QOSStartTrackingClient(fx.h, sa(OnLinkIPv6, 0), 0))
			return m.QOSStopTrackingClient(fx.h, sa(OnLinkIPv6, 0), 0)
		},
	}
}

func TestValidCallsCoverAPI(t *testing.T) {
	calls := validCalls(newFixture(t))
	for _, c := range qwave.Contracts() {
		if calls[c.Func] == nil {
			t.Errorf("no valid call of %s", c.Func)
		}
	}
	if len(calls) != len(qwave.Contracts()) {
		t.Errorf("%d valid calls for %d functions", len(calls), len(qwave.Contracts()))
	}
}

// TestInjectEveryDocumentedCode makes every documented (function, code)
// pair happen and checks that the failure is exactly that code, with the
// last error set, and that the calls around it are unaffected.
func TestInjectEveryDocumentedCode(t *testing.T) {
	for _, c := range qwave.Contracts() {
		for _, e := range c.Errors {
			t.Run(c.Func+"/"+e.Name, func(t *testing.T) {
				fx := newFixture(t)
				call := validCalls(fx)[c.Func]
				must(t, fx.m.Inject(mustFunc(t, c.Func), e.Code, 2))
				fx.m.SetLastError(sentinel)
				if err := call(); err != nil {
					t.Fatalf("call 1 of %s, before the injected one: %v", c.Func, err)
				}
				checkCall(t, fx.m, c.Func, nil)
				err := call()
				if !errors.Is(err, e.Code) {
					t.Fatalf("injected call of %s = %v, want %s", c.Func, err, e.Name)
				}
				if got := checkCall(t, fx.m, c.Func, err); got != e.Code {
					t.Errorf("injected call of %s: last error %s, want %s", c.Func, name(got), e.Name)
				}
				fx.m.SetLastError(sentinel)
				if err := call(); err != nil {
					t.Errorf("call 3 of %s, after the injected one: %v", c.Func, err)
				}
				checkCall(t, fx.m, c.Func, nil)
			})
		}
	}
}

func TestInjectComesFirst(t *testing.T) {
	fx := newFixture(t)
	// Before the handle is checked, and without side effects.
	must(t, fx.m.Inject(qwave.FuncQOSCreateHandle, qwave.ERROR_RESOURCE_DISABLED, 1))
	h := qwave.Handle(7)
	if err := fx.m.QOSCreateHandle(nil, &h); err != qwave.ERROR_RESOURCE_DISABLED || h != 7 {
		t.Errorf("injected QOSCreateHandle = %v, handle %#x; want ERROR_RESOURCE_DISABLED, 7", err, h)
	}
	must(t, fx.m.Inject(qwave.FuncQOSCloseHandle, qwave.ERROR_INVALID_PARAMETER, 1))
	if err := fx.m.QOSCloseHandle(fx.h); err != qwave.ERROR_INVALID_PARAMETER || fx.m.LiveHandles() != 2 {
		t.Errorf("injected QOSCloseHandle = %v and closed the handle", err)
	}
	must(t, fx.m.Inject(qwave.FuncQOSAddSocketToFlow, qwave.ERROR_IO_DEVICE, 1))
	id := qwave.QOS_FLOWID(0)
	flows := fx.m.LiveFlows()
	if err := fx.m.QOSAddSocketToFlow(0, 0, nil, 0, 0, &id); err != qwave.ERROR_IO_DEVICE || id != 0 || fx.m.LiveFlows() != flows {
		t.Errorf("injected QOSAddSocketToFlow = %v, id %d", err, id)
	}
	must(t, fx.m.Inject(qwave.FuncQOSQueryFlow, qwave.ERROR_INSUFFICIENT_BUFFER, 1))
	size := uint32(3)
	if err := fx.m.QOSQueryFlow(fx.h, fx.adaptive, qwave.QOSQueryFlowFundamentals, &size, nil, 0, nil); err != qwave.ERROR_INSUFFICIENT_BUFFER || size != 3 {
		t.Errorf("injected QOSQueryFlow = %v, size %d; want ERROR_INSUFFICIENT_BUFFER, 3", err, size)
	}
	var o qwave.Overlapped
	must(t, fx.m.Inject(qwave.FuncQOSSetFlow, qwave.ERROR_IO_PENDING, 1))
	if err := fx.setRate(fx.adaptive, 1000, &o); err != qwave.ERROR_IO_PENDING || fx.m.Pending() != 0 {
		t.Errorf("injected ERROR_IO_PENDING = %v and started an operation", err)
	}
}

func TestInjectSeveral(t *testing.T) {
	fx := newFixture(t)
	must(t, fx.m.Inject(qwave.FuncQOSEnumerateFlows, qwave.ERROR_IO_DEVICE, 3))
	must(t, fx.m.Inject(qwave.FuncQOSEnumerateFlows, qwave.ERROR_NOT_ENOUGH_MEMORY, 1))
	must(t, fx.m.Inject(qwave.FuncQOSEnumerateFlows, qwave.ERROR_NO_SYSTEM_RESOURCES, 1)) // replaces the one before
	must(t, fx.m.Inject(qwave.FuncQOSCancel, qwave.ERROR_IO_DEVICE, 1))                   // another function
	call := validCalls(fx)["QOSEnumerateFlows"]
	want := []qwave.Errno{qwave.ERROR_NO_SYSTEM_RESOURCES, 0, qwave.ERROR_IO_DEVICE, 0}
	for i, w := range want {
		err := call()
		if w == 0 && err != nil || w != 0 && !errors.Is(err, w) {
			t.Errorf("call %d: %v, want %s", i+1, err, name(w))
		}
	}
}

func TestInjectRejects(t *testing.T) {
	m := New()
	for _, c := range []struct {
		fn   qwave.FuncID
		code qwave.Errno
		nth  int
	}{
		{qwave.NumFuncs, qwave.ERROR_INVALID_PARAMETER, 1},
		{qwave.FuncID(200), qwave.ERROR_INVALID_PARAMETER, 1},
		{qwave.FuncQOSCancel, qwave.ERROR_NOT_FOUND, 1},
		{qwave.FuncQOSCloseHandle, qwave.ERROR_INVALID_HANDLE, 1},
		{qwave.FuncQOSCreateHandle, 0, 1},
		{qwave.FuncQOSCreateHandle, qwave.ERROR_INVALID_PARAMETER, 0},
		{qwave.FuncQOSCreateHandle, qwave.ERROR_INVALID_PARAMETER, -1},
	} {
		if err := m.Inject(c.fn, c.code, c.nth); !errors.Is(err, ErrInject) {
			t.Errorf("Inject(%v, %d, %d) = %v, want an ErrInject", c.fn, uint32(c.code), c.nth, err)
		}
	}
	var h qwave.Handle
	must(t, m.QOSCreateHandle(&v10, &h))
}
