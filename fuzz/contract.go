package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

// Functions lists the 11 qWAVE functions in contract order; a fuzzed call's
// first byte picks one.
var Functions = func() []string {
	var names []string
	for _, c := range qwave.Contracts() {
		names = append(names, c.Func)
	}
	return names
}()

// ContractOptions tune CheckCall for one implementation.
type ContractOptions struct {
	// Funcs limits the calls to these functions (nil: all 11), e.g. to the
	// ones a platform baseline does not mark as crashing.
	Funcs []string
	// Profile sets the expected codes: documented ones (the default), or
	// with qwave.ProfileWindows also those qwave.Facts record Windows
	// returning, as for a real qwave.dll on Windows.
	Profile qwave.Profile
	// Allowed accepts failure codes a platform baseline lists beyond the
	// documented ones (nil: documented codes only).
	Allowed func(fn string, code qwave.Errno) bool
	// Socket is a socket the implementation accepts in a flow, for the
	// state CheckCall sets up; 0 uses a fake value only in-memory
	// implementations accept.
	Socket qwave.Socket
}

// sentinel is set as the last error before each call, on implementations
// that expose it, so a stale or clobbered last error shows.
const sentinel qwave.Errno = 0xdeadbeef

// reader hands out fuzz bytes; past the end it returns zeros, so every input
// decodes to some call.
type reader struct{ b []byte }

func (r *reader) u8() uint8 {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u32() uint32 {
	return uint32(r.u8()) | uint32(r.u8())<<8 | uint32(r.u8())<<16 | uint32(r.u8())<<24
}

// state is what a call can refer to: a live handle with one flow, a closed
// handle, and an arena for buffers with guard bytes after the size given.
type state struct {
	api          qwave.API
	live, closed qwave.Handle
	flow         qwave.QOS_FLOWID
	socket       qwave.Socket
	arena        [256]byte
}

// call is one decoded call: its description, the function to make it, and
// what it may write.
type call struct {
	fn    string
	args  []any // for the description, rendered only when a check fails
	do    func() error
	size  *uint32 // the [in, out] Size, if any
	limit int     // bytes of arena the call may write (the input *Size or Size)
	outs  []out   // other out-parameters
}

// out is a value an out-parameter points at, to compare before and after.
type out struct {
	name string
	read func() uint64
}

// CheckCall decodes data into one call of any qWAVE function, with valid,
// closed and garbage handles, random flags, flow ids, sizes and enum values,
// and nil or non-nil pointers, makes it on api and checks the documented
// contract: success iff nil error; on failure a code the function documents
// (or opts.Allowed accepts), also in the last error, and no out-parameter or
// buffer written; on success the last error left alone and nothing written
// past the size given. It returns nil or an error describing the broken rule
// and the call.
func CheckCall(api qwave.API, data []byte, opts ContractOptions) error {
	r := &reader{b: data}
	funcs := opts.Funcs
	if funcs == nil {
		funcs = Functions
	}
	st := setup(api, opts.Socket)
	c := decode(r, funcs[int(r.u8())%len(funcs)], st)
	var before [256]byte
	copy(before[:], st.arena[:])
	var sizeBefore uint32
	if c.size != nil {
		sizeBefore = *c.size
	}
	outsBefore := make([]uint64, len(c.outs))
	for i, o := range c.outs {
		outsBefore[i] = o.read()
	}
	la, hasLast := api.(qwave.LastErrorAccess)
	if hasLast {
		la.SetLastError(sentinel)
	}
	err := c.do()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s = %s: %s", c.describe(), outcome(err), fmt.Sprintf(format, args...))
	}
	if err == nil {
		if hasLast && la.GetLastError() != sentinel {
			return fail("success changed the last error to %v", la.GetLastError())
		}
		if !bytes.Equal(st.arena[c.limit:], before[c.limit:]) {
			return fail("success wrote past the %d bytes of the buffer", c.limit)
		}
		return nil
	}
	var code qwave.Errno
	if !errors.As(err, &code) {
		return fail("a failure must carry a Win32 code")
	}
	if !opts.Profile.Allows(c.fn, code) && (opts.Allowed == nil || !opts.Allowed(c.fn, code)) {
		return fail("%s does not document %s%s", c.fn, codeName(code), profileNote(opts.Profile))
	}
	if hasLast && la.GetLastError() != code {
		return fail("the last error is %v, not the returned code", la.GetLastError())
	}
	if code == qwave.ERROR_IO_PENDING {
		return nil // the operation goes on; its buffers are written at completion
	}
	if !bytes.Equal(st.arena[:], before[:]) {
		return fail("a failure wrote into the buffer")
	}
	if c.size != nil && *c.size != sizeBefore && code != qwave.ERROR_INSUFFICIENT_BUFFER {
		return fail("a failure other than ERROR_INSUFFICIENT_BUFFER changed Size from %d to %d", sizeBefore, *c.size)
	}
	for i, o := range c.outs {
		if v := o.read(); v != outsBefore[i] {
			return fail("a failure changed the out-parameter %s from %#x to %#x", o.name, outsBefore[i], v)
		}
	}
	return nil
}

func outcome(err error) string {
	if err == nil {
		return "TRUE"
	}
	var code qwave.Errno
	if errors.As(err, &code) {
		return "FALSE, " + codeName(code)
	}
	return "FALSE (" + err.Error() + ")"
}

// codeName names a code from the complete winerror table.
func codeName(code qwave.Errno) string {
	if name, ok := qwave.ErrorName(code); ok {
		return name
	}
	return fmt.Sprintf("Win32 error %d", uint32(code))
}

func profileNote(p qwave.Profile) string {
	if p == qwave.ProfileWindows {
		return ", nor is it known to return it on Windows"
	}
	return ""
}

// DLLOptions are the contract options for a real qwave.dll: on Windows,
// Windows' observed codes are accepted (qwave.ProfileWindows); under Wine
// (wine true) the Wine 8.0 baseline's crashing functions are left out and its
// extra codes allowed.
func DLLOptions(wine bool) (ContractOptions, error) {
	if !wine {
		return ContractOptions{Profile: qwave.ProfileWindows}, nil
	}
	b, err := conformance.LoadBaseline("wine-8.0")
	if err != nil {
		return ContractOptions{}, err
	}
	var opts ContractOptions
	for _, fn := range Functions {
		if !b.Crashing(fn) {
			opts.Funcs = append(opts.Funcs, fn)
		}
	}
	opts.Allowed = b.Allows
	return opts, nil
}

// setup creates the state calls refer to. On an implementation where setup
// fails (Wine's stub qwave.dll), the handles stay 0 and the calls still run.
func setup(api qwave.API, socket qwave.Socket) *state {
	st := &state{api: api}
	v := qwave.QOS_VERSION{MajorVersion: 1}
	if api.QOSCreateHandle(&v, &st.live) != nil {
		st.live = 0
	}
	if api.QOSCreateHandle(&v, &st.closed) == nil {
		api.QOSCloseHandle(st.closed)
	}
	st.socket = socket
	if st.socket == 0 {
		st.socket = 0x200
	}
	if st.live != 0 {
		var id qwave.QOS_FLOWID
		if api.QOSAddSocketToFlow(st.live, st.socket, qwave.SockaddrInet4([4]byte{192, 0, 2, 1}, 5004), qwave.QOSTrafficTypeBestEffort, 0, &id) == nil {
			st.flow = id
		}
	}
	return st
}

func (st *state) handle(r *reader) qwave.Handle {
	switch r.u8() % 6 {
	case 0, 1:
		return st.live
	case 2:
		return st.closed
	case 3:
		return 0
	case 4:
		return 0xdeadbeef
	}
	return qwave.Handle(r.u32())
}

func (st *state) flowID(r *reader) qwave.QOS_FLOWID {
	switch r.u8() % 4 {
	case 0, 1:
		return st.flow
	case 2:
		return 0
	}
	return qwave.QOS_FLOWID(r.u32())
}

func (st *state) socketArg(r *reader) qwave.Socket {
	switch r.u8() % 4 {
	case 0:
		return 0
	case 1:
		return st.socket
	case 2:
		return 0x300 + qwave.Socket(r.u8())*4
	}
	return qwave.Socket(r.u32())
}

func addr(r *reader) *qwave.RawSockaddrAny {
	switch r.u8() % 7 {
	case 0:
		return nil
	case 1:
		return qwave.SockaddrInet4([4]byte{192, 0, 2, 1}, 5004)
	case 2:
		return qwave.SockaddrInet6([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}, 5004, 0)
	case 3:
		return qwave.SockaddrInet4([4]byte{203, 0, 113, 1}, 5004)
	case 4:
		return qwave.SockaddrInet4([4]byte{198, 51, 100, 1}, 5004)
	case 5:
		return qwave.SockaddrInet4([4]byte{192, 0, 2, 1}, 0)
	}
	sa := &qwave.RawSockaddrAny{Family: uint16(r.u32())}
	for i := range sa.Data[:8] {
		sa.Data[i] = r.u8()
	}
	return sa
}

func flags(r *reader) uint32 {
	switch r.u8() % 4 {
	case 0, 1:
		return 0
	case 2:
		return 1 << (r.u8() % 32)
	}
	return r.u32()
}

// enum returns a small value most of the time, any int32 sometimes.
func enum(r *reader) int32 {
	if r.u8()%4 == 0 {
		return int32(r.u32())
	}
	return int32(r.u8() % 6)
}

// sizePtr returns nil or a size of at most 200 bytes (the arena is 256).
func sizePtr(r *reader) *uint32 {
	if r.u8()%5 == 0 {
		return nil
	}
	v := uint32(r.u8()) % 201
	return &v
}

func (st *state) buffer(r *reader) unsafe.Pointer {
	if r.u8()%5 == 0 {
		return nil
	}
	return unsafe.Pointer(&st.arena[0])
}

func overlapped(r *reader) *qwave.Overlapped {
	if r.u8()%3 == 0 {
		return new(qwave.Overlapped)
	}
	return nil
}

func limitOf(size *uint32) int {
	if size == nil {
		return 0
	}
	return int(min(*size, 256))
}

// describe renders the call in C terms, e.g. QOSCloseHandle(0xdeadbeef).
func (c call) describe() string {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		parts[i] = argText(a)
	}
	return c.fn + "(" + strings.Join(parts, ", ") + ")"
}

// decode builds a call of fn from the fuzz bytes.
func decode(r *reader, fn string, st *state) call {
	c := call{fn: fn}
	describe := func(args ...any) { c.args = args }
	switch fn {
	case "QOSCreateHandle":
		var v *qwave.QOS_VERSION
		if r.u8()%4 != 0 {
			v = &qwave.QOS_VERSION{MajorVersion: uint16(r.u8() % 3), MinorVersion: uint16(r.u8() % 3)}
		}
		var h *qwave.Handle
		if r.u8()%4 != 0 {
			h = new(qwave.Handle)
			c.outs = append(c.outs, out{"QOSHandle", func() uint64 { return uint64(*h) }})
		}
		describe(v, h)
		c.do = func() error { return st.api.QOSCreateHandle(v, h) }
	case "QOSCloseHandle":
		h := st.handle(r)
		describe(h)
		c.do = func() error { return st.api.QOSCloseHandle(h) }
	case "QOSAddSocketToFlow":
		h, s, a, tt, fl := st.handle(r), st.socketArg(r), addr(r), qwave.QOS_TRAFFIC_TYPE(enum(r)), flags(r)
		var id *qwave.QOS_FLOWID
		if r.u8()%4 != 0 {
			v := st.flowID(r)
			if r.u8()%2 == 0 {
				v = 0
			}
			id = &v
			c.outs = append(c.outs, out{"FlowId", func() uint64 { return uint64(*id) }})
		}
		describe(h, s, a, tt, fl, id)
		c.do = func() error { return st.api.QOSAddSocketToFlow(h, s, a, tt, fl, id) }
	case "QOSRemoveSocketFromFlow":
		h, s, id, fl := st.handle(r), st.socketArg(r), st.flowID(r), flags(r)
		describe(h, s, id, fl)
		c.do = func() error { return st.api.QOSRemoveSocketFromFlow(h, s, id, fl) }
	case "QOSSetFlow":
		h, id, op := st.handle(r), st.flowID(r), qwave.QOS_SET_FLOW(enum(r))
		size := uint32(r.u8()) % 33
		buf := st.buffer(r)
		for i := range st.arena[:32] {
			st.arena[i] = r.u8() % 8 // small values: valid traffic types and DSCP values
		}
		fl, ov := flags(r), overlapped(r)
		describe(h, id, op, size, buf, fl, ov)
		// An [in] buffer: limit 0, so a success that writes it is caught.
		c.do = func() error { return st.api.QOSSetFlow(h, id, op, size, buf, fl, ov) }
	case "QOSQueryFlow":
		h, id, op, size, buf, fl, ov := st.handle(r), st.flowID(r), qwave.QOS_QUERY_FLOW(enum(r)), sizePtr(r), st.buffer(r), flags(r)&3, overlapped(r)
		describe(h, id, op, size, buf, fl, ov)
		c.size, c.limit = size, limitOf(size)
		c.do = func() error { return st.api.QOSQueryFlow(h, id, op, size, buf, fl, ov) }
	case "QOSNotifyFlow":
		h, id, op, size, buf, fl, ov := st.handle(r), st.flowID(r), qwave.QOS_NOTIFY_FLOW(enum(r)), sizePtr(r), st.buffer(r), flags(r), overlapped(r)
		describe(h, id, op, size, buf, fl, ov)
		c.size, c.limit = size, limitOf(size)
		c.do = func() error { return st.api.QOSNotifyFlow(h, id, op, size, buf, fl, ov) }
	case "QOSCancel":
		h := st.handle(r)
		var ov *qwave.Overlapped
		if r.u8()%4 != 0 && st.live != 0 && st.flow != 0 {
			// A pending operation to cancel, when the implementation
			// makes one.
			ov = new(qwave.Overlapped)
			tt := qwave.QOSTrafficTypeVoice
			st.api.QOSSetFlow(st.live, st.flow, qwave.QOSSetTrafficType, 4, unsafe.Pointer(&tt), 0, ov)
		} else if r.u8()%2 == 0 {
			ov = new(qwave.Overlapped)
		}
		describe(h, ov)
		c.do = func() error { return st.api.QOSCancel(h, ov) }
	case "QOSEnumerateFlows":
		h, size, buf := st.handle(r), sizePtr(r), st.buffer(r)
		describe(h, size, buf)
		c.size, c.limit = size, limitOf(size)
		c.do = func() error { return st.api.QOSEnumerateFlows(h, size, buf) }
	case "QOSStartTrackingClient", "QOSStopTrackingClient":
		h, a, fl := st.handle(r), addr(r), flags(r)
		if fn == "QOSStopTrackingClient" && r.u8()%2 == 0 && st.live != 0 {
			st.api.QOSStartTrackingClient(st.live, a, 0)
		}
		describe(h, a, fl)
		if fn == "QOSStartTrackingClient" {
			c.do = func() error { return st.api.QOSStartTrackingClient(h, a, fl) }
		} else {
			c.do = func() error { return st.api.QOSStopTrackingClient(h, a, fl) }
		}
	}
	return c
}

func argText(a any) string {
	switch v := a.(type) {
	case qwave.Handle:
		return fmt.Sprintf("%#x", uint64(v))
	case qwave.Socket:
		return fmt.Sprintf("%#x", uint64(v))
	case *qwave.RawSockaddrAny:
		if v == nil {
			return "NULL"
		}
		if ip, port, ok := v.Addr(); ok {
			return fmt.Sprintf("&{%v:%d}", ip, port)
		}
		return fmt.Sprintf("&{family %d}", v.Family)
	case *uint32:
		if v == nil {
			return "NULL"
		}
		return fmt.Sprintf("&%d", *v)
	case *qwave.QOS_FLOWID:
		if v == nil {
			return "NULL"
		}
		return fmt.Sprintf("&%d", *v)
	case *qwave.QOS_VERSION:
		if v == nil {
			return "NULL"
		}
		return fmt.Sprintf("&{%d, %d}", v.MajorVersion, v.MinorVersion)
	case *qwave.Handle:
		if v == nil {
			return "NULL"
		}
		return "&h"
	case *qwave.Overlapped:
		if v == nil {
			return "NULL"
		}
		return "&overlapped"
	case unsafe.Pointer:
		if v == nil {
			return "NULL"
		}
		return "&buf"
	}
	return fmt.Sprint(a)
}
