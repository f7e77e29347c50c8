package qwave

import (
	"errors"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/qwave/internal/winapi"
)

// onWine reports whether the test runs under Wine, whose qwave.dll
// implements only QOSCreateHandle (always failing) and QOSAddSocketToFlow
// (ERROR_NOT_SUPPORTED). Its platform baseline is in conformance/baselines.
func onWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

func TestProceduresResolve(t *testing.T) {
	for _, p := range []*winapi.Proc{
		procQOSAddSocketToFlow, procQOSCancel, procQOSCloseHandle, procQOSCreateHandle, procQOSEnumerateFlows,
		procQOSNotifyFlow, procQOSQueryFlow, procQOSRemoveSocketFromFlow, procQOSSetFlow,
		procQOSStartTrackingClient, procQOSStopTrackingClient,
	} {
		if _, err := p.Load(); err != nil {
			t.Errorf("%s: %v", p.Name(), err)
		}
	}
	if len(Contracts()) != 11 {
		t.Errorf("%d contracts; want 11 procedures checked", len(Contracts()))
	}
}

func TestCreateHandleNilIsInvalidParameter(t *testing.T) {
	err := QOSCreateHandle(nil, nil)
	if !errors.Is(err, windows.ERROR_INVALID_PARAMETER) || !errors.Is(err, ERROR_INVALID_PARAMETER) {
		t.Fatalf("QOSCreateHandle(nil, nil) = %v; want ERROR_INVALID_PARAMETER", err)
	}
	var code Errno
	if !errors.As(err, &code) || code.Name() != "ERROR_INVALID_PARAMETER" {
		t.Errorf("error %v is not the Errno ERROR_INVALID_PARAMETER", err)
	}
}

// TestCreateHandleBadVersions: QOS_VERSION 1.0 is the only valid version;
// Windows answers 0.0, 1.5 and 2.0 with ERROR_INVALID_PARAMETER (Wine's
// dlls/qwave/tests/qos.c, run on Windows), as the docs require.
func TestCreateHandleBadVersions(t *testing.T) {
	for _, v := range []QOS_VERSION{{0, 0}, {1, 5}, {2, 0}} {
		var h Handle
		err := QOSCreateHandle(&v, &h)
		if !errors.Is(err, ERROR_INVALID_PARAMETER) {
			t.Errorf("QOSCreateHandle(&{%d, %d}) = %v; want ERROR_INVALID_PARAMETER", v.MajorVersion, v.MinorVersion, err)
		}
		if err == nil {
			QOSCloseHandle(h)
		}
	}
}

func TestCreateHandleValid(t *testing.T) {
	var h Handle
	err := QOSCreateHandle(&QOS_VERSION{MajorVersion: 1}, &h)
	if onWine() {
		// Platform baseline (Wine 8.0): the stub fails every valid call.
		if !errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING) {
			t.Fatalf("on Wine, QOSCreateHandle(&{1, 0}) = %v; the Wine 8.0 baseline is ERROR_SERVICE_ALREADY_RUNNING", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("QOSCreateHandle(&{1, 0}) = %v", err)
	}
	if h == 0 {
		t.Fatal("QOSCreateHandle succeeded without writing the handle")
	}
	if err := QOSCloseHandle(h); err != nil {
		t.Errorf("QOSCloseHandle = %v", err)
	}
}

func TestAddSocketToFlowOnWine(t *testing.T) {
	if !onWine() {
		t.Skip("checks Wine's baseline; the conformance suite covers Windows")
	}
	var id QOS_FLOWID
	err := QOSAddSocketToFlow(0, 0, nil, QOSTrafficTypeBestEffort, 0, &id)
	if !errors.Is(err, windows.ERROR_NOT_SUPPORTED) {
		t.Fatalf("QOSAddSocketToFlow = %v; the Wine 8.0 baseline is ERROR_NOT_SUPPORTED", err)
	}
}

// TestDocumentedFailureDoesNotAllocate: documented codes come back
// pre-boxed, also those >= 256 that errnoErr of x/sys would box anew.
func TestDocumentedFailureDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = QOSCreateHandle(nil, nil) }); n != 0 {
		t.Errorf("QOSCreateHandle(nil, nil) allocates %v times", n)
	}
	for _, c := range Contracts() {
		for _, d := range c.Errors {
			if n := testing.AllocsPerRun(10, func() { _ = errnoErr(d.Code) }); n != 0 {
				t.Errorf("%s %s: errnoErr allocates %v times", c.Func, d.Name, n)
			}
		}
	}
}

// TestUnavailableIsTestable runs the stubs' loading path on a DLL that does
// not exist, as on Windows Server without the qWAVE feature: an error to
// test, never a panic, and no address cached.
func TestUnavailableIsTestable(t *testing.T) {
	p := winapi.NewProc(windows.NewLazySystemDLL("winqos-no-such.dll"), "QOSCreateHandle")
	addr, err := p.Load()
	if err == nil || addr != 0 {
		t.Fatalf("load of a missing DLL = %#x, %v", addr, err)
	}
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("errors.Is(%v, ErrUnavailable) is false", err)
	}
	var u *UnavailableError
	if !errors.As(err, &u) || u.Proc != "QOSCreateHandle" || u.Err == nil {
		t.Errorf("error %#v does not name the procedure and wrap the loader's error", err)
	}
	if p.Addr() != 0 {
		t.Error("a failed load cached an address")
	}
}

func TestOverlappedConversions(t *testing.T) {
	var w windows.Overlapped
	o := OverlappedOf(&w)
	o.Offset, o.HEvent = 7, 9
	if w.Offset != 7 || w.HEvent != 9 || o.Windows() != &w {
		t.Errorf("conversions do not alias the same OVERLAPPED: %+v", w)
	}
}
