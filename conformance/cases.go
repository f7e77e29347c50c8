package conformance

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"github.com/winqos/winqos/conformance/judge"
	"github.com/winqos/winqos/qwave"
)

// testCase is one check: a name unique in the suite, the function and rule
// it checks, where the rule is written, and the code that runs it.
type testCase struct {
	name   string
	fn     string
	rule   string
	source string
	run    func(e *env)
}

// args are one call's arguments by documented parameter name, holding the Go
// values the API method takes.
type args map[string]any

// callSpec says how to make a valid call of one function: prepare builds
// arguments that the docs say succeed, invoke calls the API with them, and
// verify checks what a success must have written.
type callSpec struct {
	prepare func(e *env) (args, bool)
	invoke  func(api qwave.API, a args) error
	verify  func(e *env, a args)
}

// calls holds a callSpec for each of the 11 functions, by qwave.FuncID.
var calls = [qwave.NumFuncs]callSpec{
	qwave.FuncQOSCreateHandle: {
		prepare: func(e *env) (args, bool) {
			return args{"Version": &qwave.QOS_VERSION{MajorVersion: 1}, "QOSHandle": new(qwave.Handle)}, true
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSCreateHandle(a["Version"].(*qwave.QOS_VERSION), a["QOSHandle"].(*qwave.Handle))
		},
		verify: func(e *env, a args) {
			h := *a["QOSHandle"].(*qwave.Handle)
			if h == 0 {
				e.fail("success did not write the [out] QOSHandle")
				return
			}
			e.closers = append(e.closers, func() { e.api.QOSCloseHandle(h) })
		},
	},
	qwave.FuncQOSCloseHandle: {
		prepare: func(e *env) (args, bool) {
			h, ok := e.handle()
			return args{"QOSHandle": h}, ok
		},
		invoke: func(api qwave.API, a args) error { return api.QOSCloseHandle(a["QOSHandle"].(qwave.Handle)) },
	},
	qwave.FuncQOSAddSocketToFlow: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			s, ok := e.socket()
			return args{"QOSHandle": h, "Socket": s, "DestAddr": e.peer(), "TrafficType": qwave.QOSTrafficTypeBestEffort,
				"Flags": uint32(0), "FlowId": new(qwave.QOS_FLOWID)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSAddSocketToFlow(a["QOSHandle"].(qwave.Handle), a["Socket"].(qwave.Socket), a["DestAddr"].(*qwave.RawSockaddrAny),
				a["TrafficType"].(qwave.QOS_TRAFFIC_TYPE), a["Flags"].(uint32), a["FlowId"].(*qwave.QOS_FLOWID))
		},
		verify: func(e *env, a args) {
			if *a["FlowId"].(*qwave.QOS_FLOWID) == 0 {
				e.fail("success did not write the [in, out] FlowId")
			}
		},
	},
	qwave.FuncQOSRemoveSocketFromFlow: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			s, id, ok := e.flow(h, 0)
			return args{"QOSHandle": h, "Socket": s, "FlowId": id, "Flags": uint32(0)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSRemoveSocketFromFlow(a["QOSHandle"].(qwave.Handle), a["Socket"].(qwave.Socket), a["FlowId"].(qwave.QOS_FLOWID), a["Flags"].(uint32))
		},
	},
	qwave.FuncQOSSetFlow: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			_, id, ok := e.flow(h, 0)
			tt := qwave.QOSTrafficTypeAudioVideo
			return args{"QOSHandle": h, "FlowId": id, "Operation": qwave.QOSSetTrafficType, "Size": uint32(unsafe.Sizeof(tt)),
				"Buffer": unsafe.Pointer(&tt), "Flags": uint32(0), "Overlapped": (*qwave.Overlapped)(nil)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSSetFlow(a["QOSHandle"].(qwave.Handle), a["FlowId"].(qwave.QOS_FLOWID), a["Operation"].(qwave.QOS_SET_FLOW),
				a["Size"].(uint32), a["Buffer"].(unsafe.Pointer), a["Flags"].(uint32), a["Overlapped"].(*qwave.Overlapped))
		},
	},
	qwave.FuncQOSQueryFlow: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			_, id, ok := e.flow(h, 0)
			var prio qwave.QOS_PACKET_PRIORITY
			size := uint32(unsafe.Sizeof(prio))
			return args{"QOSHandle": h, "FlowId": id, "Operation": qwave.QOSQueryPacketPriority, "Size": &size,
				"Buffer": unsafe.Pointer(&prio), "Flags": uint32(0), "Overlapped": (*qwave.Overlapped)(nil)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSQueryFlow(a["QOSHandle"].(qwave.Handle), a["FlowId"].(qwave.QOS_FLOWID), a["Operation"].(qwave.QOS_QUERY_FLOW),
				a["Size"].(*uint32), a["Buffer"].(unsafe.Pointer), a["Flags"].(uint32), a["Overlapped"].(*qwave.Overlapped))
		},
		verify: func(e *env, a args) {
			if got := *a["Size"].(*uint32); got != uint32(unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{})) {
				e.fail("success set the [in, out] Size to %d, not the %d bytes of QOS_PACKET_PRIORITY", got, unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{}))
			}
		},
	},
	qwave.FuncQOSNotifyFlow: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			_, id, ok := e.flow(h, 0)
			threshold := uint64(1) // 1 bit/s is available on any path
			size := uint32(unsafe.Sizeof(threshold))
			return args{"QOSHandle": h, "FlowId": id, "Operation": qwave.QOSNotifyAvailable, "Size": &size,
				"Buffer": unsafe.Pointer(&threshold), "Flags": uint32(0), "Overlapped": (*qwave.Overlapped)(nil)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSNotifyFlow(a["QOSHandle"].(qwave.Handle), a["FlowId"].(qwave.QOS_FLOWID), a["Operation"].(qwave.QOS_NOTIFY_FLOW),
				a["Size"].(*uint32), a["Buffer"].(unsafe.Pointer), a["Flags"].(uint32), a["Overlapped"].(*qwave.Overlapped))
		},
	},
	qwave.FuncQOSCancel: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			_, id, _ := e.flow(h, 0)
			ov, ok := e.pendingSet(h, id)
			return args{"QOSHandle": h, "Overlapped": ov}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSCancel(a["QOSHandle"].(qwave.Handle), a["Overlapped"].(*qwave.Overlapped))
		},
		verify: func(e *env, a args) {
			ov := a["Overlapped"].(*qwave.Overlapped)
			if status, done := e.completion(ov); !done || !judge.Aborted(status) {
				e.failStep("GetOverlappedResult(&overlapped)", judge.StatusName(status), "ERROR_OPERATION_ABORTED",
					"after a successful cancel the operation is not aborted")
			}
		},
	},
	qwave.FuncQOSEnumerateFlows: {
		prepare: func(e *env) (args, bool) {
			h, _ := e.handle()
			_, id, ok := e.flow(h, 0)
			buf := make([]qwave.QOS_FLOWID, 16)
			size := uint32(len(buf)) * uint32(unsafe.Sizeof(buf[0]))
			return args{"QOSHandle": h, "Size": &size, "Buffer": unsafe.Pointer(&buf[0]), "id": id}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSEnumerateFlows(a["QOSHandle"].(qwave.Handle), a["Size"].(*uint32), a["Buffer"].(unsafe.Pointer))
		},
		verify: func(e *env, a args) {
			size := *a["Size"].(*uint32)
			first := *(*qwave.QOS_FLOWID)(a["Buffer"].(unsafe.Pointer))
			if size != 4 || first != a["id"].(qwave.QOS_FLOWID) {
				e.fail("with one flow (id %d), success returned Size %d and first id %d; want 4 and %d", a["id"], size, first, a["id"])
			}
		},
	},
	qwave.FuncQOSStartTrackingClient: {
		prepare: func(e *env) (args, bool) {
			h, ok := e.handle()
			return args{"QOSHandle": h, "DestAddr": e.peer(), "Flags": uint32(0)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSStartTrackingClient(a["QOSHandle"].(qwave.Handle), a["DestAddr"].(*qwave.RawSockaddrAny), a["Flags"].(uint32))
		},
	},
	qwave.FuncQOSStopTrackingClient: {
		prepare: func(e *env) (args, bool) {
			h, ok := e.handle()
			if ok {
				ok = e.setup("QOSStartTrackingClient", e.api.QOSStartTrackingClient(h, e.peer(), 0))
			}
			return args{"QOSHandle": h, "DestAddr": e.peer(), "Flags": uint32(0)}, ok
		},
		invoke: func(api qwave.API, a args) error {
			return api.QOSStopTrackingClient(a["QOSHandle"].(qwave.Handle), a["DestAddr"].(*qwave.RawSockaddrAny), a["Flags"].(uint32))
		},
	},
}

// callString renders a call in C terms: QOSSetFlow(0x1000, 1, QOSSetTrafficType, 4, &buf, 0, NULL).
func callString(fn string, c *qwave.Contract, a args) string {
	vals := make([]any, len(c.Params))
	for i, p := range c.Params {
		vals[i] = a[p.Name]
		if f, ok := vals[i].(uint32); ok && p.Name == "Flags" {
			vals[i] = judge.Flags(f)
		}
	}
	return judge.Call(fn, vals...)
}

// invoke calls fn with a, under the sentinel, and names the call.
func (e *env) invoke(fn string, a args) observation {
	c, _ := qwave.ContractOf(fn)
	return e.do(callString(fn, c, a), func() error { return callOf(fn).invoke(e.api, a) })
}

// callOf returns the callSpec of the named function.
func callOf(fn string) callSpec {
	id, _ := qwave.FuncOf(fn)
	return calls[id]
}

// mutation is one way of making a valid call invalid.
type mutation struct {
	suffix string
	rule   string
	// tolerant mutations run even when the valid call could not be set
	// up: an invalid handle is rejected before anything else is looked at,
	// so the case still says something on an implementation that cannot
	// create handles.
	tolerant bool
	// apply edits the prepared arguments; it may use e for setup.
	apply func(e *env, a args) bool
	want  []qwave.Errno
}

// cases derives the suite from the contract tables: per function, a valid
// call that must succeed, and one case per invalid value of each parameter
// the contract constrains; then the scenarios.
func cases(o *options) []testCase {
	var out []testCase
	for i, c := range qwave.Contracts() {
		spec := calls[i]
		if spec.invoke == nil {
			continue // a function this suite does not know how to call
		}
		fn, page := c.Func, c.Page
		out = append(out, testCase{
			name: fn + "/valid", fn: fn, source: page + "#-returns",
			rule: "a valid call succeeds (returns nonzero), writes its out-parameters and leaves the last error alone",
			run: func(e *env) {
				a, ok := spec.prepare(e)
				if !ok {
					return
				}
				if e.wantSuccess(e.invoke(fn, a)) && spec.verify != nil {
					spec.verify(e, a)
				}
			},
		})
		for _, m := range mutations(c) {
			out = append(out, testCase{
				name: fn + "/" + m.suffix, fn: fn, rule: m.rule, source: page + "#-parameters",
				run: func(e *env) {
					a, ok := spec.prepare(e)
					if m.tolerant && !ok {
						ok, e.setupErr = true, nil
					}
					if !ok || !m.apply(e, a) {
						return
					}
					e.wantFailure(e.invoke(fn, a), m.want...)
				},
			})
		}
	}
	out = append(out, scenarios()...)
	out = append(out, boundaries()...)
	out = append(out, dualStackCases()...)
	if o.inject != nil {
		out = append(out, injected(o.inject)...)
	}
	return out
}

// injected has a case per documented (function, code) pair: the fault is
// injected, then the valid call must fail with exactly that code.
func injected(inject func(api qwave.API, fn qwave.FuncID, code qwave.Errno) error) []testCase {
	var out []testCase
	for i, c := range qwave.Contracts() {
		spec := calls[i]
		if spec.invoke == nil {
			continue
		}
		id := qwave.FuncID(i)
		for _, d := range c.Errors {
			fn, code := c.Func, d.Code
			out = append(out, testCase{
				name: fn + "/injected-" + d.Name, fn: fn, source: d.Source,
				rule: d.Name + " is documented: " + d.Text,
				run: func(e *env) {
					a, ok := spec.prepare(e)
					if !ok || !e.setup("inject", inject(e.api, id, code)) {
						return
					}
					e.wantFailure(e.invoke(fn, a), code)
				},
			})
		}
	}
	return out
}

// mutations lists the invalid variants of fn's valid call that its contract
// implies.
func mutations(c qwave.Contract) []mutation {
	fn := c.Func
	var ms []mutation
	for _, p := range c.Params {
		name := p.Name
		switch {
		case judge.IdentifierOf(p) == judge.HandleID:
			garbage, null, closed := judge.GarbageHandle(fn), judge.NullHandle(fn), judge.ClosedHandle(fn)
			want := closed.Codes
			ms = append(ms,
				mutation{suffix: "QOSHandle-garbage", rule: garbage.Text, tolerant: true,
					apply: set(name, qwave.Handle(0xdeadbeef)), want: garbage.Codes},
				mutation{suffix: "QOSHandle-null", rule: null.Text, tolerant: true,
					apply: set(name, qwave.Handle(0)), want: null.Codes},
				mutation{suffix: "QOSHandle-closed", rule: closed.Text, apply: func(e *env, a args) bool {
					return e.setup("QOSCloseHandle", e.api.QOSCloseHandle(a[name].(qwave.Handle)))
				}, want: want},
			)
		case p.Reserved:
			// Each single bit: an implementation that tests only some
			// of them passes a check of the value 1 alone.
			for bit := range 32 {
				suffix := name + "-reserved"
				if bit > 0 {
					suffix = fmt.Sprintf("%s-bit-%d", name, bit)
				}
				r := judge.Reserved(fn, name)
				ms = append(ms, mutation{suffix: suffix, rule: r.Text, apply: set(name, uint32(1)<<bit), want: r.Codes})
			}
		case p.Pointer && !p.Optional:
			r := judge.NotOptional(fn, name)
			ms = append(ms, mutation{suffix: name + "-null", rule: r.Text, apply: func(e *env, a args) bool {
				a[name] = reflect.Zero(reflect.TypeOf(a[name])).Interface()
				return true
			}, want: r.Codes})
		case strings.HasPrefix(p.CType, "QOS_") && !p.Pointer && p.CType != "QOS_FLOWID":
			r := judge.EnumMember(fn, name, p.CType)
			rule, want := r.Text, r.Codes
			first, last, _ := judge.EnumRange(p.CType)
			// Far off, and just outside either end of the enumeration.
			for _, v := range []struct {
				suffix string
				value  int64
			}{{"out-of-range", 0x7fff}, {"below-first", int64(first) - 1}, {"past-last", int64(last) + 1}} {
				ms = append(ms, mutation{suffix: name + "-" + v.suffix, rule: rule, apply: func(e *env, a args) bool {
					a[name] = reflect.ValueOf(v.value).Convert(reflect.TypeOf(a[name])).Interface()
					return true
				}, want: want})
			}
		case judge.IdentifierOf(p) == judge.SocketID && !p.Optional:
			// Sockets no one created: 0 and INVALID_SOCKET.
			for _, v := range []struct {
				suffix string
				s      qwave.Socket
			}{{"zero", 0}, {"invalid", ^qwave.Socket(0)}} {
				r := judge.NotASocket(fn, name)
				ms = append(ms, mutation{suffix: name + "-" + v.suffix, rule: r.Text, apply: set(name, v.s), want: r.Codes})
			}
		case judge.IdentifierOf(p) == judge.FlowID && !p.Pointer:
			// Identifiers never issued: 0, and the id after this one.
			// The id after this one is judged as any flow the handle
			// does not have, as the unknown-flow scenarios are.
			for _, v := range []struct {
				suffix string
				id     func(qwave.QOS_FLOWID) qwave.QOS_FLOWID
				rule   judge.Rule
			}{
				{"zero", func(qwave.QOS_FLOWID) qwave.QOS_FLOWID { return 0 }, judge.ZeroFlow(fn)},
				{"never-issued", func(id qwave.QOS_FLOWID) qwave.QOS_FLOWID { return id + 1 }, judge.UnknownFlow(fn)},
			} {
				r := v.rule
				ms = append(ms, mutation{suffix: "FlowId-" + v.suffix, rule: r.Text, apply: func(e *env, a args) bool {
					a[name] = v.id(a[name].(qwave.QOS_FLOWID))
					return true
				}, want: r.Codes})
			}
		}
	}
	return ms
}

func set(name string, v any) func(*env, args) bool {
	return func(_ *env, a args) bool {
		a[name] = v
		return true
	}
}

// scenarios are the cases the remarks imply, beyond single parameters.
func scenarios() []testCase {
	const (
		add    = "spec/qos2/nf-qos2-qosaddsockettoflow.md"
		create = "spec/qos2/nf-qos2-qoscreatehandle.md#-parameters"
		remove = "spec/qos2/nf-qos2-qosremovesocketfromflow.md#-returns"
		closeH = "spec/qos2/nf-qos2-qosclosehandle.md#-remarks"
		cancel = "spec/qos2/nf-qos2-qoscancel.md#-remarks"
		enum   = "spec/qos2/nf-qos2-qosenumerateflows.md#-parameters"
	)
	spec := func(page, section string) string { return "spec/qos2/nf-qos2-" + page + ".md#-" + section }
	var out []testCase
	// Each neighbour of 1.0, and one further off.
	for _, v := range []qwave.QOS_VERSION{{MajorVersion: 0, MinorVersion: 0}, {MajorVersion: 2, MinorVersion: 0}, {MajorVersion: 1, MinorVersion: 1}, {MajorVersion: 1, MinorVersion: 0xffff}, {MajorVersion: 1, MinorVersion: 5}} {
		out = append(out, testCase{
			name: fmt.Sprintf("QOSCreateHandle/version-%d.%d", v.MajorVersion, v.MinorVersion), fn: "QOSCreateHandle", source: create,
			rule: judge.Version("QOSCreateHandle").Text,
			run: func(e *env) {
				var h qwave.Handle
				o := e.do(fmt.Sprintf("QOSCreateHandle(&{%d, %d}, &h)", v.MajorVersion, v.MinorVersion), func() error {
					return e.api.QOSCreateHandle(&v, &h)
				})
				if h != 0 {
					e.closers = append(e.closers, func() { e.api.QOSCloseHandle(h) })
				}
				e.wantFailure(o, judge.Version("QOSCreateHandle").Codes...)
			},
		})
	}
	out = append(out,
		testCase{
			name: "QOSRemoveSocketFromFlow/remove-twice", fn: "QOSRemoveSocketFromFlow", source: remove,
			rule: "a removed flow is gone: removing it again fails with ERROR_NOT_FOUND",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0)
				if !ok || !e.setup("QOSRemoveSocketFromFlow", e.api.QOSRemoveSocketFromFlow(h, 0, id, 0)) {
					return
				}
				o := e.do(fmt.Sprintf("QOSRemoveSocketFromFlow(%#x, 0, %d, 0)", uint64(h), id), func() error {
					return e.api.QOSRemoveSocketFromFlow(h, 0, id, 0)
				})
				e.wantFailure(o, qwave.ERROR_NOT_FOUND)
			},
		},
		testCase{
			name: "QOSCloseHandle/aborts-pending-notify", fn: "QOSCloseHandle", source: closeH,
			rule: "closing a handle completes its pending operations with ERROR_OPERATION_ABORTED",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0) // no call is made after a failed step
				if !ok {
					return
				}
				ov := new(qwave.Overlapped)
				e.keepAlive(ov)
				err := e.api.QOSNotifyFlow(h, id, qwave.QOSNotifyCongested, nil, nil, 0, ov)
				if !errors.Is(err, qwave.ERROR_IO_PENDING) {
					e.setup("overlapped QOSNotifyFlow(QOSNotifyCongested)", fmt.Errorf("returned %v, not ERROR_IO_PENDING", err))
					return
				}
				if !e.wantSuccess(e.do(fmt.Sprintf("QOSCloseHandle(%#x)", uint64(h)), func() error { return e.api.QOSCloseHandle(h) })) {
					return
				}
				if status, done := e.completion(ov); !done || !judge.Aborted(status) {
					e.failStep("GetOverlappedResult(&overlapped)", judge.StatusName(status), "ERROR_OPERATION_ABORTED",
						"the pending notification is not aborted after the close")
				}
			},
		},
		testCase{
			name: "QOSCancel/completed-operation", fn: "QOSCancel", source: cancel,
			rule: "an operation that has completed cannot be cancelled",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0) // no call is made after a failed step
				if !ok {
					return
				}
				ov, ok := e.pendingSet(h, id)
				if !ok {
					return
				}
				if status, done := e.completion(ov); !done {
					e.setup("completing QOSSetFlow", fmt.Errorf("still pending (status %#x)", status))
					return
				}
				e.wantFailure(e.do(fmt.Sprintf("QOSCancel(%#x, &completed)", uint64(h)), func() error { return e.api.QOSCancel(h, ov) }))
			},
		},
		testCase{
			name: "QOSEnumerateFlows/short-buffer", fn: "QOSEnumerateFlows", source: enum,
			rule: judge.BufferTooSmall("QOSEnumerateFlows").Text,
			run: func(e *env) {
				h, _ := e.handle()
				e.flow(h, 0)
				if _, _, ok := e.flow(h, 0); !ok {
					return
				}
				var one qwave.QOS_FLOWID
				size := uint32(unsafe.Sizeof(one))
				o := e.do(fmt.Sprintf("QOSEnumerateFlows(%#x, &4, &buf[1])", uint64(h)), func() error {
					return e.api.QOSEnumerateFlows(h, &size, unsafe.Pointer(&one))
				})
				if _, ok := e.wantFailure(o, judge.BufferTooSmall("QOSEnumerateFlows").Codes...); ok && size != 8 {
					e.fail("with two flows, Size is %d after ERROR_INSUFFICIENT_BUFFER; want 8", size)
				}
			},
		},
		testCase{
			name: "QOSAddSocketToFlow/unreachable-destination", fn: "QOSAddSocketToFlow", source: add + "#-returns",
			rule: judge.Unreachable("QOSAddSocketToFlow").Text,
			run: func(e *env) {
				h, _ := e.handle()
				s, ok := e.socket()
				if !ok {
					return
				}
				var id qwave.QOS_FLOWID
				dest := qwave.SockaddrOf(e.opts.unreachable)
				o := e.do(fmt.Sprintf("QOSAddSocketToFlow(%#x, %#x, &%v, 0, 0, &0)", uint64(h), uint64(s), e.opts.unreachable), func() error {
					return e.api.QOSAddSocketToFlow(h, s, dest, qwave.QOSTrafficTypeBestEffort, 0, &id)
				})
				e.wantFailure(o, judge.Unreachable("QOSAddSocketToFlow").Codes...)
			},
		},
		testCase{
			name: "QOSStartTrackingClient/unreachable-client", fn: "QOSStartTrackingClient", source: spec("qosstarttrackingclient", "returns"),
			rule: judge.Unreachable("QOSStartTrackingClient").Text,
			run: func(e *env) {
				h, ok := e.handle()
				if !ok {
					return
				}
				o := e.do(fmt.Sprintf("QOSStartTrackingClient(%#x, &%v, 0)", uint64(h), e.opts.unreachable), func() error {
					return e.api.QOSStartTrackingClient(h, qwave.SockaddrOf(e.opts.unreachable), 0)
				})
				e.wantFailure(o, judge.Unreachable("QOSStartTrackingClient").Codes...)
			},
		},
		testCase{
			name: "QOSAddSocketToFlow/adaptive-flow-refuses-second-socket", fn: "QOSAddSocketToFlow", source: add + "#-parameters",
			rule: "only non-adaptive flows can have more than one socket attached",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, _ := e.flow(h, 0)
				s2, ok := e.socket()
				if !ok {
					return
				}
				join := id
				o := e.do(fmt.Sprintf("QOSAddSocketToFlow(%#x, %#x, &peer, 0, 0, &%d)", uint64(h), uint64(s2), id), func() error {
					return e.api.QOSAddSocketToFlow(h, s2, e.peer(), qwave.QOSTrafficTypeBestEffort, 0, &join)
				})
				if _, ok := e.wantFailure(o, judge.Param("QOSAddSocketToFlow", "FlowId", "").Codes...); ok && join != id {
					e.fail("the failure changed FlowId from %d to %d", id, join)
				}
			},
		},
		testCase{
			name: "QOSAddSocketToFlow/non-adaptive-flow-shares-sockets", fn: "QOSAddSocketToFlow", source: add + "#-parameters",
			rule: "a socket can be added to an existing non-adaptive flow, which then holds both; removing one socket keeps the flow",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, _ := e.flow(h, qwave.QOS_NON_ADAPTIVE_FLOW)
				s2, ok := e.socket()
				if !ok {
					return
				}
				join := id
				o := e.do(fmt.Sprintf("QOSAddSocketToFlow(%#x, %#x, &peer, 0, QOS_NON_ADAPTIVE_FLOW, &%d)", uint64(h), uint64(s2), id), func() error {
					return e.api.QOSAddSocketToFlow(h, s2, e.peer(), qwave.QOSTrafficTypeBestEffort, qwave.QOS_NON_ADAPTIVE_FLOW, &join)
				})
				if !e.wantSuccess(o) {
					return
				}
				if join != id {
					e.fail("joining flow %d returned flow %d", id, join)
					return
				}
				if err := e.api.QOSRemoveSocketFromFlow(h, s2, id, 0); err != nil {
					e.failStep(judge.Call("QOSRemoveSocketFromFlow", h, s2, id, uint32(0)), judge.Outcome(err), "TRUE", "removing the second socket failed")
					return
				}
				var prio qwave.QOS_PACKET_PRIORITY
				size := uint32(unsafe.Sizeof(prio))
				if err := e.api.QOSQueryFlow(h, id, qwave.QOSQueryPacketPriority, &size, unsafe.Pointer(&prio), 0, nil); err != nil {
					e.failStep(judge.Call("QOSQueryFlow", h, id, qwave.QOSQueryPacketPriority, &size, unsafe.Pointer(&prio), uint32(0), (*qwave.Overlapped)(nil)),
						judge.Outcome(err), "TRUE", "after removing one of its two sockets the flow is gone")
				}
			},
		},
		testCase{
			name: "QOSQueryFlow/short-buffer", fn: "QOSQueryFlow", source: spec("qosqueryflow", "parameters"),
			rule: judge.BufferTooSmall("QOSQueryFlow").Text,
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0)
				if !ok {
					return
				}
				var prio qwave.QOS_PACKET_PRIORITY
				size := uint32(1)
				o := e.do(fmt.Sprintf("QOSQueryFlow(%#x, %d, QOSQueryPacketPriority, &1, &buf, 0, NULL)", uint64(h), id), func() error {
					return e.api.QOSQueryFlow(h, id, qwave.QOSQueryPacketPriority, &size, unsafe.Pointer(&prio), 0, nil)
				})
				if _, ok := e.wantFailure(o, judge.BufferTooSmall("QOSQueryFlow").Codes...); ok && size != uint32(unsafe.Sizeof(prio)) {
					e.fail("Size is %d after ERROR_INSUFFICIENT_BUFFER; want %d, the size of QOS_PACKET_PRIORITY", size, unsafe.Sizeof(prio))
				}
			},
		},
		testCase{
			name: "QOSQueryFlow/fundamentals-of-non-adaptive-flow", fn: "QOSQueryFlow", source: add + "#-parameters",
			rule: judge.NonAdaptive("QOSQueryFlow").Text,
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, qwave.QOS_NON_ADAPTIVE_FLOW)
				if !ok {
					return
				}
				var f qwave.QOS_FLOW_FUNDAMENTALS
				size := uint32(unsafe.Sizeof(f))
				o := e.do(fmt.Sprintf("QOSQueryFlow(%#x, %d, QOSQueryFlowFundamentals, &%d, &buf, 0, NULL)", uint64(h), id, size), func() error {
					return e.api.QOSQueryFlow(h, id, qwave.QOSQueryFlowFundamentals, &size, unsafe.Pointer(&f), 0, nil)
				})
				e.wantFailure(o, judge.NonAdaptive("QOSQueryFlow").Codes...)
			},
		},
		testCase{
			name: "QOSNotifyFlow/second-request-of-a-kind", fn: "QOSNotifyFlow", source: spec("qosnotifyflow", "returns"),
			rule: judge.AlreadyPending("QOSNotifyFlow").Text,
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0)
				if !ok {
					return
				}
				first, second := new(qwave.Overlapped), new(qwave.Overlapped)
				e.keepAlive(first, second)
				err := e.api.QOSNotifyFlow(h, id, qwave.QOSNotifyCongested, nil, nil, 0, first)
				if !errors.Is(err, qwave.ERROR_IO_PENDING) {
					e.setup("overlapped QOSNotifyFlow(QOSNotifyCongested)", fmt.Errorf("returned %v, not ERROR_IO_PENDING", err))
					return
				}
				o := e.do(fmt.Sprintf("QOSNotifyFlow(%#x, %d, QOSNotifyCongested, NULL, NULL, 0, &second)", uint64(h), id), func() error {
					return e.api.QOSNotifyFlow(h, id, qwave.QOSNotifyCongested, nil, nil, 0, second)
				})
				e.wantFailure(o, judge.AlreadyPending("QOSNotifyFlow").Codes...)
			},
		},
		testCase{
			name: "QOSSetFlow/overlapped", fn: "QOSSetFlow", source: spec("qossetflow", "returns"),
			rule: "with an OVERLAPPED the request is accepted with ERROR_IO_PENDING and completes later",
			run: func(e *env) {
				h, _ := e.handle()
				_, id, ok := e.flow(h, 0)
				if !ok {
					return
				}
				ov := new(qwave.Overlapped)
				tt := qwave.QOSTrafficTypeVoice
				e.keepAlive(ov, &tt)
				o := e.do(fmt.Sprintf("QOSSetFlow(%#x, %d, QOSSetTrafficType, 4, &QOSTrafficTypeVoice, 0, &ov)", uint64(h), id), func() error {
					return e.api.QOSSetFlow(h, id, qwave.QOSSetTrafficType, uint32(unsafe.Sizeof(tt)), unsafe.Pointer(&tt), 0, ov)
				})
				if _, ok := e.wantFailure(o, qwave.ERROR_IO_PENDING); !ok {
					return
				}
				if status, done := e.completion(ov); !done || status != 0 {
					e.failStep("GetOverlappedResult(&ov)", judge.StatusName(status), "ERROR_SUCCESS", "the operation did not complete successfully")
				}
			},
		},
	)
	for _, fn := range []string{"QOSSetFlow", "QOSQueryFlow", "QOSNotifyFlow", "QOSRemoveSocketFromFlow"} {
		out = append(out, testCase{
			name: fn + "/unknown-flow", fn: fn, source: "spec/qos2/nf-qos2-" + strings.ToLower(fn) + ".md#-returns",
			rule: judge.UnknownFlow(fn).Text,
			run: func(e *env) {
				spec := callOf(fn)
				a, ok := spec.prepare(e)
				if !ok {
					return
				}
				a["FlowId"] = a["FlowId"].(qwave.QOS_FLOWID) + 1000
				e.wantFailure(e.invoke(fn, a), judge.UnknownFlow(fn).Codes...)
			},
		})
	}
	return out
}
