package conformance

import (
	"fmt"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// sizeCase is one Size of one operation: 0, needed-1, needed or needed+1.
type sizeCase struct {
	suffix string
	size   uint32
}

// sizesAround returns the four sizes the suite tries for a buffer that
// needs n bytes.
func sizesAround(n uint32) []sizeCase {
	return []sizeCase{{"0", 0}, {"needed-1", n - 1}, {"needed", n}, {"needed+1", n + 1}}
}

// boundaries are the cases just outside and just inside the documented
// ranges of sizes and identifiers: per operation, a Size of 0, needed-1,
// needed and needed+1; an OVERLAPPED never passed to any call; a flow id
// never issued.
func boundaries() []testCase {
	var out []testCase
	const setSrc = "spec/qos2/nf-qos2-qossetflow.md#-parameters"
	for _, m := range qwave.Enums["QOS_SET_FLOW"] {
		op := qwave.QOS_SET_FLOW(m.Value)
		b, _ := judge.SetFlowBuffer(op)
		for _, sc := range sizesAround(b.Size) {
			out = append(out, testCase{
				name: fmt.Sprintf("QOSSetFlow/size-%s-%s", m.Name, sc.suffix), fn: "QOSSetFlow", source: setSrc,
				rule: fmt.Sprintf("Size must be the size of the %s %s takes (%d bytes)", b.Type, m.Name, b.Size),
				run: func(e *env) {
					a, ok := calls[qwave.FuncQOSSetFlow].prepare(e)
					if !ok {
						return
					}
					var buf [64]byte // a valid value of each operation's type
					switch op {
					case qwave.QOSSetTrafficType:
						*(*qwave.QOS_TRAFFIC_TYPE)(unsafe.Pointer(&buf)) = qwave.QOSTrafficTypeVoice
					case qwave.QOSSetOutgoingRate:
						*(*qwave.QOS_FLOWRATE_OUTGOING)(unsafe.Pointer(&buf)) = qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: 1_000_000, ShapingBehavior: qwave.QOSShapeOnly}
					case qwave.QOSSetOutgoingDSCPValue:
						*(*uint32)(unsafe.Pointer(&buf)) = 46
					}
					a["Operation"], a["Buffer"], a["Size"] = op, unsafe.Pointer(&buf), sc.size
					o := e.invoke("QOSSetFlow", a)
					if sc.size != b.Size {
						e.wantFailure(o, judge.Param("QOSSetFlow", "Size", "").Codes...)
						return
					}
					x := judge.Expect{Rules: []judge.Rule{judge.Succeeds("QOSSetFlow", e.c.rule)}}
					if op == qwave.QOSSetOutgoingDSCPValue {
						// Only members of Administrators or Network
						// Configuration Operators may set a DSCP value.
						x.Success = true
						x.Add(judge.Code("QOSSetFlow", qwave.ERROR_ACCESS_DENIED, "QOSSetOutgoingDSCPValue needs Administrators or Network Configuration Operators"))
					}
					e.expect(o, x, judge.DocumentedOnly)
				},
			})
		}
	}
	const querySrc = "spec/qos2/nf-qos2-qosqueryflow.md#-parameters"
	for _, m := range qwave.Enums["QOS_QUERY_FLOW"] {
		op := qwave.QOS_QUERY_FLOW(m.Value)
		b, _ := judge.QueryFlowBuffer(op)
		for _, sc := range sizesAround(b.Size) {
			out = append(out, testCase{
				name: fmt.Sprintf("QOSQueryFlow/size-%s-%s", m.Name, sc.suffix), fn: "QOSQueryFlow", source: querySrc,
				rule: fmt.Sprintf("a Size under the %d bytes of the %s %s returns fails with ERROR_INSUFFICIENT_BUFFER and the size needed; a larger one succeeds and receives the size written", b.Size, b.Type, m.Name),
				run: func(e *env) {
					a, ok := calls[qwave.FuncQOSQueryFlow].prepare(e)
					if !ok {
						return
					}
					if op == qwave.QOSQueryOutgoingRate {
						// A rate to read back.
						rate := qwave.QOS_FLOWRATE_OUTGOING{Bandwidth: 1_000_000, ShapingBehavior: qwave.QOSShapeOnly}
						err := e.api.QOSSetFlow(a["QOSHandle"].(qwave.Handle), a["FlowId"].(qwave.QOS_FLOWID), qwave.QOSSetOutgoingRate,
							uint32(unsafe.Sizeof(rate)), unsafe.Pointer(&rate), 0, nil)
						if !e.setup("QOSSetFlow(QOSSetOutgoingRate)", err) {
							return
						}
					}
					var buf [64]byte
					size := sc.size
					a["Operation"], a["Buffer"], a["Size"] = op, unsafe.Pointer(&buf), &size
					o := e.invoke("QOSQueryFlow", a)
					if sc.size < b.Size {
						if _, ok := e.wantFailure(o, qwave.ERROR_INSUFFICIENT_BUFFER); ok && size != b.Size {
							e.fail("Size is %d after ERROR_INSUFFICIENT_BUFFER; want %d, the size of %s", size, b.Size, b.Type)
						}
						return
					}
					if e.wantSuccess(o) && size != b.Size {
						e.fail("success set Size to %d; want %d, the size of %s", size, b.Size, b.Type)
					}
				},
			})
		}
	}
	b, _ := judge.NotifyFlowBuffer(qwave.QOSNotifyAvailable)
	for _, sc := range sizesAround(b.Size) {
		out = append(out, testCase{
			name: "QOSNotifyFlow/size-QOSNotifyAvailable-" + sc.suffix, fn: "QOSNotifyFlow", source: b.Source,
			rule: fmt.Sprintf("with QOSNotifyAvailable, Buffer points to a %s and Size is its size (%d bytes)", b.Type, b.Size),
			run: func(e *env) {
				a, ok := calls[qwave.FuncQOSNotifyFlow].prepare(e)
				if !ok {
					return
				}
				size := sc.size
				a["Size"] = &size
				o := e.invoke("QOSNotifyFlow", a)
				if sc.size != b.Size {
					e.wantFailure(o, judge.Param("QOSNotifyFlow", "Size", "").Codes...)
					return
				}
				e.wantSuccess(o)
			},
		})
	}
	for _, sc := range sizesAround(8) {
		out = append(out, testCase{
			name: "QOSEnumerateFlows/size-two-flows-" + sc.suffix, fn: "QOSEnumerateFlows", source: "spec/qos2/nf-qos2-qosenumerateflows.md#-parameters",
			rule: "with two flows the buffer needs 8 bytes: less fails with ERROR_INSUFFICIENT_BUFFER and Size 8; 8 or more succeeds with Size 8",
			run: func(e *env) {
				h, _ := e.handle()
				e.flow(h, 0)
				if _, _, ok := e.flow(h, 0); !ok {
					return
				}
				var ids [4]qwave.QOS_FLOWID
				size := sc.size
				o := e.do(judge.Call("QOSEnumerateFlows", h, &size, unsafe.Pointer(&ids)), func() error {
					return e.api.QOSEnumerateFlows(h, &size, unsafe.Pointer(&ids))
				})
				if sc.size < 8 {
					if _, ok := e.wantFailure(o, qwave.ERROR_INSUFFICIENT_BUFFER); ok && size != 8 {
						e.fail("Size is %d after ERROR_INSUFFICIENT_BUFFER; want 8", size)
					}
					return
				}
				if e.wantSuccess(o) && size != 8 {
					e.fail("success set Size to %d; want 8, two flow ids", size)
				}
			},
		})
	}
	out = append(out,
		testCase{
			name: "QOSCancel/Overlapped-never-passed", fn: "QOSCancel", source: "spec/qos2/nf-qos2-qoscancel.md#-parameters",
			rule: "an OVERLAPPED never passed to an operation of this handle cannot be cancelled",
			run: func(e *env) {
				h, ok := e.handle()
				if !ok {
					return
				}
				ov := new(qwave.Overlapped)
				o := e.do(judge.Call("QOSCancel", h, ov), func() error { return e.api.QOSCancel(h, ov) })
				e.wantFailure(o, judge.Param("QOSCancel", "Overlapped", "").Codes...)
			},
		},
		testCase{
			name: "QOSAddSocketToFlow/FlowId-never-issued", fn: "QOSAddSocketToFlow", source: "spec/qos2/nf-qos2-qosaddsockettoflow.md#-parameters",
			rule: "a socket can only join a flow that exists",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, _ := e.flow(h, qwave.QOS_NON_ADAPTIVE_FLOW)
				s, ok := e.socket()
				if !ok {
					return
				}
				join := id + 1
				o := e.do(judge.Call("QOSAddSocketToFlow", h, s, e.peer(), qwave.QOSTrafficTypeBestEffort, uint32(qwave.QOS_NON_ADAPTIVE_FLOW), &join), func() error {
					return e.api.QOSAddSocketToFlow(h, s, e.peer(), qwave.QOSTrafficTypeBestEffort, qwave.QOS_NON_ADAPTIVE_FLOW, &join)
				})
				e.wantFailure(o, judge.Param("QOSAddSocketToFlow", "FlowId", "").Codes...)
			},
		},
	)
	return out
}
