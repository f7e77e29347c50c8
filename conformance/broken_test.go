package conformance_test

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// Deliberately broken models: each embeds the reference model and breaks one
// documented rule. The suite must fail on the cases that check that rule.

// wrongHandleCode answers an invalid handle in QOSSetFlow with a code that
// QOSSetFlow documents, but for unknown flows.
type wrongHandleCode struct{ *qwavetest.Model }

func (m wrongHandleCode) QOSSetFlow(h qwave.Handle, id qwave.QOS_FLOWID, op qwave.QOS_SET_FLOW, size uint32, buf unsafe.Pointer, flags uint32, ov *qwave.Overlapped) error {
	err := m.Model.QOSSetFlow(h, id, op, size, buf, flags, ov)
	if errors.Is(err, qwave.ERROR_INVALID_HANDLE) {
		m.SetLastError(qwave.ERROR_NOT_FOUND)
		return qwave.ERROR_NOT_FOUND
	}
	return err
}

// unwrittenOut succeeds in QOSCreateHandle without writing the handle.
type unwrittenOut struct{ *qwavetest.Model }

func (m unwrittenOut) QOSCreateHandle(v *qwave.QOS_VERSION, h *qwave.Handle) error {
	var discard qwave.Handle
	return m.Model.QOSCreateHandle(v, &discard)
}

// undocumentedCode fails QOSCancel with ERROR_NOT_FOUND, which QOSCancel
// does not document.
type undocumentedCode struct{ *qwavetest.Model }

func (m undocumentedCode) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.Model.QOSCancel(h, ov)
	if errors.Is(err, qwave.ERROR_INVALID_PARAMETER) {
		m.SetLastError(qwave.ERROR_NOT_FOUND)
		return qwave.ERROR_NOT_FOUND
	}
	return err
}

// usableAfterClose reports success for QOSCloseHandle of a live handle but
// keeps it open.
type usableAfterClose struct{ *qwavetest.Model }

func (m usableAfterClose) QOSCloseHandle(h qwave.Handle) error {
	if h == 0 || h == 0xdeadbeef {
		return m.Model.QOSCloseHandle(h)
	}
	return nil
}

// clobbersLastError sets the last error to 0 on every successful
// QOSStartTrackingClient.
type clobbersLastError struct{ *qwavetest.Model }

func (m clobbersLastError) QOSStartTrackingClient(h qwave.Handle, dest *qwave.RawSockaddrAny, flags uint32) error {
	err := m.Model.QOSStartTrackingClient(h, dest, flags)
	if err == nil {
		m.SetLastError(0)
	}
	return err
}

func TestSuiteCatchesBrokenModels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		api     func() qwave.API
		failing []string // cases that must fail, each with this text in its message
		msg     string
	}{
		{"wrong code for an invalid handle", func() qwave.API { return wrongHandleCode{qwavetest.New()} },
			[]string{"QOSSetFlow/QOSHandle-garbage", "QOSSetFlow/QOSHandle-null", "QOSSetFlow/QOSHandle-closed"}, "documented, but not for this situation"},
		{"success without the out-param written", func() qwave.API { return unwrittenOut{qwavetest.New()} },
			[]string{"QOSCreateHandle/valid"}, "did not write the [out] QOSHandle"},
		{"an undocumented code", func() qwave.API { return undocumentedCode{qwavetest.New()} },
			[]string{"QOSCancel/Overlapped-null", "QOSCancel/completed-operation"}, "QOSCancel does not document ERROR_NOT_FOUND"},
		{"a handle still usable after close", func() qwave.API { return usableAfterClose{qwavetest.New()} },
			[]string{"QOSSetFlow/QOSHandle-closed", "QOSAddSocketToFlow/QOSHandle-closed", "QOSEnumerateFlows/QOSHandle-closed"}, "the call succeeded"},
		{"last error clobbered on success", func() qwave.API { return clobbersLastError{qwavetest.New()} },
			[]string{"QOSStartTrackingClient/valid"}, "success changed the last error from 0xDEADBEEF to ERROR_SUCCESS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			report := conformance.Check(tc.api)
			failed := map[string]conformance.Result{}
			for _, r := range report.Results {
				if r.Status == conformance.Fail {
					failed[r.Case] = r
				}
			}
			for _, name := range tc.failing {
				r, ok := failed[name]
				if !ok {
					t.Errorf("case %s did not fail", name)
					continue
				}
				if !strings.Contains(r.Message(), tc.msg) {
					t.Errorf("case %s failed with %q; want it to say %q", name, r.Message(), tc.msg)
				}
			}
			if report.Err() == nil {
				t.Error("Report.Err() is nil for a broken model")
			}
		})
	}
}

// TestReportMessage checks a failure explains itself: call, outcome, what the
// docs allow and where that is written.
func TestReportMessage(t *testing.T) {
	report := conformance.Check(func() qwave.API { return wrongHandleCode{qwavetest.New()} }, conformance.WithFilter(func(n string) bool {
		return n == "QOSSetFlow/QOSHandle-garbage"
	}))
	if len(report.Results) != 1 {
		t.Fatalf("%d results", len(report.Results))
	}
	want := "QOSSetFlow(0xdeadbeef, 1, QOSSetTrafficType, 4, &buf, 0, NULL) = FALSE, ERROR_NOT_FOUND; want FALSE with one of [ERROR_INVALID_HANDLE]: ERROR_NOT_FOUND is documented, but not for this situation (spec/qos2/nf-qos2-qossetflow.md#-parameters: a handle QOSCreateHandle did not return is invalid)"
	if got := report.Results[0].Message(); got != want {
		t.Errorf("message\n got %s\nwant %s", got, want)
	}
}

// TestCoverage: every documented (function, code) pair is produced by some
// case against the model, or exercised by injection; the table is logged.
func TestCoverage(t *testing.T) {
	inject := func(api qwave.API, fn qwave.FuncID, code qwave.Errno) error {
		return api.(*qwavetest.Model).Inject(fn, code, 1)
	}
	report := conformance.Check(func() qwave.API { return qwavetest.New() }, conformance.WithInjection(inject))
	if err := report.Err(); err != nil {
		t.Fatal(err)
	}
	byCase, byInjection := map[string]bool{}, map[string]bool{}
	for _, r := range report.Results {
		if r.Status != conformance.Pass || r.Code == 0 {
			continue
		}
		key := r.Func + " " + r.Code.Name()
		if strings.Contains(r.Case, "/injected-") {
			byInjection[key] = true
		} else {
			byCase[key] = true
		}
	}
	var table []string
	total, covered := 0, 0
	for _, c := range qwave.Contracts() {
		for _, d := range c.Errors {
			total++
			key := c.Func + " " + d.Name
			how := "MISSING"
			switch {
			case byCase[key]:
				how = "case"
			case byInjection[key]:
				how = "injection"
			}
			if how != "MISSING" {
				covered++
			} else {
				t.Errorf("%s %s is produced by no case and no injection", c.Func, d.Name)
			}
			table = append(table, how+"\t"+key)
		}
	}
	sort.Strings(table)
	t.Logf("coverage %d/%d documented (function, code) pairs:\n%s", covered, total, strings.Join(table, "\n"))
	if total == 0 {
		t.Fatal("no documented codes")
	}
}

// cancelLeavesPending reports a successful QOSCancel but leaves the
// operation pending.
type cancelLeavesPending struct{ *qwavetest.Model }

func (m cancelLeavesPending) QOSCancel(h qwave.Handle, ov *qwave.Overlapped) error {
	err := m.Model.QOSCancel(h, ov)
	if err == nil {
		ov.Internal = 0x103 // STATUS_PENDING
	}
	return err
}

// TestScenarioNamesFailingStep: when a step after the judged call fails,
// the message shows that step, with the status by name, not the call before
// it that passed.
func TestScenarioNamesFailingStep(t *testing.T) {
	report := conformance.Check(func() qwave.API { return cancelLeavesPending{qwavetest.New()} }, conformance.WithFilter(func(n string) bool {
		return n == "QOSCancel/valid"
	}))
	if len(report.Results) != 1 {
		t.Fatalf("%d results", len(report.Results))
	}
	want := "GetOverlappedResult(&overlapped) = STATUS_PENDING; want ERROR_OPERATION_ABORTED: after a successful cancel the operation is not aborted (spec/qos2/nf-qos2-qoscancel.md#-returns: "
	if got := report.Results[0].Message(); !strings.HasPrefix(got, want) {
		t.Errorf("message\n got %s\nwant %s…", got, want)
	}
}
