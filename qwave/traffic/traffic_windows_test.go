package traffic

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// onWine reports whether the test runs under Wine.
func onWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// wineBaseline is testdata/wine-8.0.json: what Wine's traffic.dll does.
type wineBaseline struct {
	Wine      string `json:"wine"`
	Functions map[string]struct {
		Aborts bool   `json:"aborts"`
		Status string `json:"status"`
		Code   uint32 `json:"code"`
		Handle string `json:"handle"`
	} `json:"functions"`
}

// calls makes each function's call with zero handles and NULL pointers,
// returning, for the functions that return a handle through a pointer, what
// was written there, and the error.
var calls = map[string]func() (Handle, error){
	"TcAddFilter":      func() (Handle, error) { var h Handle; err := TcAddFilter(0, nil, &h); return h, err },
	"TcAddFlow":        func() (Handle, error) { var h Handle; err := TcAddFlow(0, 0, 0, nil, &h); return h, err },
	"TcCloseInterface": func() (Handle, error) { return 0, TcCloseInterface(0) },
	"TcDeleteFilter":   func() (Handle, error) { return 0, TcDeleteFilter(0) },
	"TcDeleteFlow":     func() (Handle, error) { return 0, TcDeleteFlow(0) },
	"TcDeregisterClient": func() (Handle, error) {
		return 0, TcDeregisterClient(0)
	},
	"TcEnumerateFlows": func() (Handle, error) {
		var e Handle
		var n, size uint32
		err := TcEnumerateFlows(0, &e, &n, &size, nil)
		return e, err
	},
	"TcEnumerateInterfaces": func() (Handle, error) { var n uint32; return 0, TcEnumerateInterfaces(0, &n, nil) },
	"TcGetFlowNameW":        func() (Handle, error) { return 0, TcGetFlowNameW(0, 0, nil) },
	"TcModifyFlow":          func() (Handle, error) { return 0, TcModifyFlow(0, nil) },
	"TcOpenInterfaceW":      func() (Handle, error) { var h Handle; err := TcOpenInterfaceW(nil, 0, 0, &h); return h, err },
	"TcQueryFlowW":          func() (Handle, error) { var n uint32; return 0, TcQueryFlowW(nil, nil, &n, nil) },
	"TcQueryInterface":      func() (Handle, error) { var n uint32; return 0, TcQueryInterface(0, nil, 0, &n, nil) },
	"TcRegisterClient": func() (Handle, error) {
		var h Handle
		err := TcRegisterClient(2, 0, &TCI_CLIENT_FUNC_LIST{}, &h)
		return h, err
	},
	"TcSetFlowW":     func() (Handle, error) { return 0, TcSetFlowW(nil, nil, 0, nil) },
	"TcSetInterface": func() (Handle, error) { return 0, TcSetInterface(0, nil, 0, nil) },
}

// exceptionWineStub is the exit status of a process that called a Wine
// stub export (EXCEPTION_WINE_STUB, include/wine/exception.h).
const exceptionWineStub uint32 = 0x80000100

// childEnv names the function a child test process calls, for the calls
// that abort their process under Wine.
const childEnv = "TRAFFIC_TEST_CALL"

// TestChildCall is the child side: it makes one call and reports it.
func TestChildCall(t *testing.T) {
	fn := os.Getenv(childEnv)
	if fn == "" {
		t.Skip("runs only as the child of TestWineBaseline")
	}
	h, err := calls[fn]()
	fmt.Printf("returned %v %#x\n", err, uintptr(h))
}

func TestProceduresResolve(t *testing.T) {
	if len(Contracts()) != len(calls) {
		t.Errorf("%d contracts, %d calls: every function needs a call here", len(Contracts()), len(calls))
	}
	for _, c := range Contracts() {
		p := map[string]interface{ Load() (uintptr, error) }{
			"TcAddFilter": procTcAddFilter, "TcAddFlow": procTcAddFlow, "TcCloseInterface": procTcCloseInterface,
			"TcDeleteFilter": procTcDeleteFilter, "TcDeleteFlow": procTcDeleteFlow, "TcDeregisterClient": procTcDeregisterClient,
			"TcEnumerateFlows": procTcEnumerateFlows, "TcEnumerateInterfaces": procTcEnumerateInterfaces,
			"TcGetFlowNameW": procTcGetFlowNameW, "TcModifyFlow": procTcModifyFlow, "TcOpenInterfaceW": procTcOpenInterfaceW,
			"TcQueryFlowW": procTcQueryFlowW, "TcQueryInterface": procTcQueryInterface, "TcRegisterClient": procTcRegisterClient,
			"TcSetFlowW": procTcSetFlowW, "TcSetInterface": procTcSetInterface,
		}[c.Func]
		if p == nil {
			t.Errorf("%s: no procedure", c.Func)
			continue
		}
		if _, err := p.Load(); err != nil {
			t.Errorf("%s: %v", c.Func, err)
		}
	}
}

// TestWineBaseline holds Wine's traffic.dll to the recorded baseline: the
// two stubs fail with their recorded status (returned, not set as the last
// error: the DWORD-status convention end to end), and each unimplemented
// export aborts the process that calls it, checked in a child process.
func TestWineBaseline(t *testing.T) {
	if !onWine() {
		t.Skip("not under Wine: the baseline records Wine's traffic.dll")
	}
	data, err := os.ReadFile("testdata/wine-8.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var b wineBaseline
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("testdata/wine-8.0.json: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Contracts() {
		want, ok := b.Functions[c.Func]
		if !ok {
			t.Errorf("%s is not in testdata/wine-8.0.json: record what Wine does", c.Func)
			continue
		}
		t.Run(c.Func, func(t *testing.T) {
			if want.Aborts {
				cmd := exec.Command(exe, "-test.run=^TestChildCall$", "-test.v")
				cmd.Env = append(os.Environ(), childEnv+"="+c.Func)
				out, err := cmd.CombinedOutput()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || uint32(ee.ExitCode()) != exceptionWineStub || strings.Contains(string(out), "returned ") {
					t.Errorf("%s under Wine: child %v\n%s\nthe baseline says it aborts with EXCEPTION_WINE_STUB (%#x): update testdata/wine-8.0.json; rerun with GOOS=windows go test ./qwave/traffic -run 'TestWineBaseline/%s' -v",
						c.Func, err, out, exceptionWineStub, c.Func)
				}
				return
			}
			h, err := calls[c.Func]()
			if !errors.Is(err, windows.Errno(want.Code)) {
				t.Errorf("%s = %v; the baseline says %s (%d)", c.Func, err, want.Status, want.Code)
			}
			var code Errno
			if !errors.As(err, &code) || uint32(code) != want.Code {
				t.Errorf("%s: error %v is not the Errno %d", c.Func, err, want.Code)
			}
			if want.Handle == "INVALID_HANDLE_VALUE" && h != Handle(windows.InvalidHandle) {
				t.Errorf("%s wrote handle %#x; the baseline says INVALID_HANDLE_VALUE", c.Func, uintptr(h))
			}
			if o, err := (Raw{}).TcDeregisterClient(0); c.Func == "TcDeregisterClient" && (err != nil || o.OK() || o.Ret != want.Code) {
				t.Errorf("Raw TcDeregisterClient(0) = %+v, %v; want Ret %d, not OK", o, err, want.Code)
			}
		})
	}
}
