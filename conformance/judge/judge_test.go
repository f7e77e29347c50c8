package judge_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// callNotImplemented is ERROR_CALL_NOT_IMPLEMENTED, which no qWAVE function
// documents.
const callNotImplemented qwave.Errno = 120

func TestJudge(t *testing.T) {
	const fn = "QOSSetFlow"
	handle := judge.Expect{Rules: []judge.Rule{judge.Handle(fn, "a closed handle is invalid")}}
	valid := judge.Expect{Rules: []judge.Rule{judge.Succeeds(fn, "every argument is valid")}}
	pending := judge.Expect{Rules: valid.Rules, Pending: true, Success: true}
	baseline := judge.Expectations{Extra: func(f string, c qwave.Errno) bool { return c == callNotImplemented }}
	for _, c := range []struct {
		name    string
		o       judge.Observed
		x       judge.Expect
		exp     judge.Expectations
		problem string // "" for a pass
	}{
		{"wanted code", judge.Observed{Err: qwave.ERROR_INVALID_HANDLE, LastError: qwave.ERROR_INVALID_HANDLE, HaveLast: true}, handle, judge.DocumentedOnly, ""},
		{"documented code, wrong situation", judge.Observed{Err: qwave.ERROR_NOT_FOUND, LastError: qwave.ERROR_NOT_FOUND, HaveLast: true}, handle, judge.DocumentedOnly,
			"ERROR_NOT_FOUND is documented, but not for this situation"},
		{"success where a failure is due", judge.Observed{LastError: judge.Sentinel, HaveLast: true}, handle, judge.DocumentedOnly, "the call succeeded"},
		{"success", judge.Observed{LastError: judge.Sentinel, HaveLast: true}, valid, judge.DocumentedOnly, ""},
		{"success clobbers", judge.Observed{LastError: 0, HaveLast: true}, valid, judge.DocumentedOnly, "success changed the last error from 0xDEADBEEF to ERROR_SUCCESS"},
		{"failure where success is due", judge.Observed{Err: qwave.ERROR_NOT_FOUND, LastError: qwave.ERROR_NOT_FOUND, HaveLast: true}, valid, judge.DocumentedOnly,
			"the call failed; ERROR_NOT_FOUND is documented, but not for this situation"},
		{"stale sentinel", judge.Observed{Err: judge.Sentinel, LastError: judge.Sentinel, HaveLast: true}, handle, judge.DocumentedOnly,
			"the call failed and left the stale last error 0xDEADBEEF"},
		{"last error differs", judge.Observed{Err: qwave.ERROR_INVALID_HANDLE, LastError: qwave.ERROR_NOT_FOUND, HaveLast: true}, handle, judge.DocumentedOnly,
			"the last error is ERROR_NOT_FOUND, not the returned code"},
		{"undocumented", judge.Observed{Err: callNotImplemented}, handle, judge.DocumentedOnly, "QOSSetFlow does not document ERROR_CALL_NOT_IMPLEMENTED"},
		{"baseline deviation", judge.Observed{Err: qwave.ERROR_NOT_FOUND}, handle, judge.Expectations{Extra: func(string, qwave.Errno) bool { return true }}, ""},
		{"baseline allows", judge.Observed{Err: callNotImplemented}, handle, baseline, ""},
		{"no code", judge.Observed{Err: errors.New("boom")}, handle, judge.DocumentedOnly, "the call failed with boom, not a Win32 code"},
		{"pending allowed", judge.Observed{Err: qwave.ERROR_IO_PENDING}, pending, judge.DocumentedOnly, ""},
		{"pending not allowed", judge.Observed{Err: qwave.ERROR_IO_PENDING}, handle, judge.DocumentedOnly, "ERROR_IO_PENDING is documented, but not for this situation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := judge.Judge(fn, "QOSSetFlow(…)", c.o, c.x, c.exp)
			if c.problem == "" {
				if err != nil {
					t.Fatalf("Judge = %v; want nil", err)
				}
				return
			}
			var m *judge.Mismatch
			if !errors.As(err, &m) {
				t.Fatalf("Judge = %v; want a *Mismatch", err)
			}
			if m.Problem != c.problem {
				t.Errorf("problem %q; want %q", m.Problem, c.problem)
			}
			if !strings.Contains(err.Error(), "spec/qos2/nf-qos2-qossetflow.md#-") {
				t.Errorf("%q names no spec page", err)
			}
		})
	}
}

func TestExpectAllowed(t *testing.T) {
	x := judge.Expect{Rules: []judge.Rule{judge.Handle("QOSQueryFlow", "h"), judge.Param("QOSQueryFlow", "Size", "s")}}
	if got, want := x.Allowed(), "FALSE with one of [ERROR_INVALID_HANDLE ERROR_INSUFFICIENT_BUFFER ERROR_INVALID_PARAMETER]"; got != want {
		t.Errorf("Allowed() = %q; want %q", got, want)
	}
	if got := (judge.Expect{Success: true, Pending: true}).Allowed(); got != "TRUE, or FALSE with one of [ERROR_IO_PENDING]" {
		t.Errorf("Allowed() = %q", got)
	}
	if got := judge.Param("QOSRemoveSocketFromFlow", "Flags", "").Codes; len(got) == 0 {
		t.Error("a parameter no code names falls back to no code at all")
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{judge.CodeName(judge.Sentinel), "0xDEADBEEF"},
		{judge.CodeName(qwave.ERROR_NOT_FOUND), "ERROR_NOT_FOUND"},
		{judge.CodeName(0), "ERROR_SUCCESS"},
		{judge.CodeName(1056), "ERROR_SERVICE_ALREADY_RUNNING"},
		{judge.StatusName(0x103), "STATUS_PENDING"},
		{judge.StatusName(0xC0000120), "STATUS_CANCELLED"},
		{judge.StatusName(uintptr(qwave.ERROR_OPERATION_ABORTED)), "ERROR_OPERATION_ABORTED"},
		{judge.Arg(qwave.QOSSetTrafficType), "QOSSetTrafficType"},
		{judge.Arg(qwave.QOS_TRAFFIC_TYPE(6)), "QOS_TRAFFIC_TYPE(6)"},
		{judge.Arg(qwave.Handle(0xdeadbeef)), "0xdeadbeef"},
		{judge.Arg((*qwave.Overlapped)(nil)), "NULL"},
		{judge.Arg(unsafe.Pointer(nil)), "NULL"},
		{judge.Arg(qwave.SockaddrOf(netip.MustParseAddrPort("[2001:db8::1]:5004"))), "&[2001:db8::1]:5004"},
		{judge.Call("QOSCloseHandle", qwave.Handle(0)), "QOSCloseHandle(0x0)"},
		{judge.Arg(judge.Flags(1 << 30)), "0x40000000"},
		{judge.Arg(judge.Flags(0)), "0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q; want %q", c.got, c.want)
		}
	}
}

func TestBuffersAndEnums(t *testing.T) {
	if b, ok := judge.QueryFlowBuffer(qwave.QOSQueryPacketPriority); !ok || b.Size != uint32(unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{})) {
		t.Errorf("QueryFlowBuffer(QOSQueryPacketPriority) = %+v, %v", b, ok)
	}
	if _, ok := judge.SetFlowBuffer(-1); ok {
		t.Error("SetFlowBuffer(-1) is known")
	}
	for name := range qwave.Enums {
		first, last, ok := judge.EnumRange(name)
		if !ok || !judge.InEnum(name, first) || !judge.InEnum(name, last) || judge.InEnum(name, first-1) || judge.InEnum(name, last+1) {
			t.Errorf("EnumRange(%s) = %d, %d, %v", name, first, last, ok)
		}
	}
	// Every operation of every operation enum has a buffer entry.
	for _, m := range qwave.Enums["QOS_SET_FLOW"] {
		if _, ok := judge.SetFlowBuffer(qwave.QOS_SET_FLOW(m.Value)); !ok {
			t.Errorf("no buffer for %s", m.Name)
		}
	}
	for _, m := range qwave.Enums["QOS_QUERY_FLOW"] {
		if _, ok := judge.QueryFlowBuffer(qwave.QOS_QUERY_FLOW(m.Value)); !ok {
			t.Errorf("no buffer for %s", m.Name)
		}
	}
	for _, m := range qwave.Enums["QOS_NOTIFY_FLOW"] {
		if _, ok := judge.NotifyFlowBuffer(qwave.QOS_NOTIFY_FLOW(m.Value)); !ok {
			t.Errorf("no buffer for %s", m.Name)
		}
	}
}

func TestIdentifierOf(t *testing.T) {
	kinds := map[string]judge.Identifier{}
	for _, c := range qwave.Contracts() {
		for _, p := range c.Params {
			if k := judge.IdentifierOf(p); k != judge.NotIdentifier {
				kinds[c.Func+"."+p.Name] = k
			}
		}
	}
	for key, want := range map[string]judge.Identifier{
		"QOSCloseHandle.QOSHandle": judge.HandleID, "QOSSetFlow.FlowId": judge.FlowID, "QOSAddSocketToFlow.FlowId": judge.FlowID,
		"QOSCancel.Overlapped": judge.OverlappedID, "QOSAddSocketToFlow.Socket": judge.SocketID,
	} {
		if kinds[key] != want {
			t.Errorf("%s: kind %d; want %d", key, kinds[key], want)
		}
	}
	if _, ok := kinds["QOSSetFlow.Size"]; ok {
		t.Error("Size is no identifier")
	}
}

// TestRuleKinds: every kind of rule has a text, a source on the function's
// page and codes the function documents.
func TestRuleKinds(t *testing.T) {
	for _, r := range []judge.Rule{
		judge.NullHandle("QOSSetFlow"), judge.GarbageHandle("QOSCloseHandle"), judge.ClosedHandle("QOSCancel"),
		judge.NotOptional("QOSCreateHandle", "Version"), judge.Reserved("QOSStartTrackingClient", "Flags"),
		judge.EnumMember("QOSAddSocketToFlow", "TrafficType", "QOS_TRAFFIC_TYPE"), judge.Version("QOSCreateHandle"),
		judge.NotASocket("QOSAddSocketToFlow", "Socket"), judge.ZeroFlow("QOSQueryFlow"), judge.UnknownFlow("QOSRemoveSocketFromFlow"),
		judge.Unreachable("QOSAddSocketToFlow"), judge.BufferTooSmall("QOSEnumerateFlows"), judge.AlreadyPending("QOSNotifyFlow"),
		judge.NonAdaptive("QOSQueryFlow"),
	} {
		c, _ := qwave.ContractOf(r.Func)
		if r.Text == "" || !strings.HasPrefix(r.Source, c.Page+"#-") || len(r.Codes) == 0 {
			t.Errorf("%+v: want a text, a source on %s and codes", r, c.Page)
		}
		for _, code := range r.Codes {
			if !qwave.Documented(r.Func, code) {
				t.Errorf("%s: %s allows %s, which it does not document", r.Text, r.Func, judge.CodeName(code))
			}
		}
	}
	if got := judge.UnknownFlow("QOSSetFlow").Codes; len(got) != 1 || got[0] != qwave.ERROR_NOT_FOUND {
		t.Errorf("UnknownFlow(QOSSetFlow) allows %v; want ERROR_NOT_FOUND", got)
	}
	if got := judge.ClosedHandle("QOSCloseHandle").Codes; len(got) != 1 || got[0] != qwave.ERROR_INVALID_PARAMETER {
		t.Errorf("ClosedHandle(QOSCloseHandle) allows %v; want ERROR_INVALID_PARAMETER, the one code its page documents", got)
	}
}
