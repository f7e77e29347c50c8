package judge

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// Call renders a call in C terms, each argument by Arg:
// QOSSetFlow(0x1000, 1, QOSSetTrafficType, 4, &buf, 0, NULL).
func Call(fn string, args ...any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = Arg(a)
	}
	return fn + "(" + strings.Join(parts, ", ") + ")"
}

// Flags is a Flags argument: Arg prints it in hexadecimal (0x40000000), so
// a single bit reads as one.
type Flags uint32

func (f Flags) String() string {
	if f == 0 {
		return "0"
	}
	return fmt.Sprintf("%#x", uint32(f))
}

// Arg renders one argument as messages print it: handles and sockets in
// hexadecimal, enumerators by name, NULL for nil pointers, the value behind
// pointers to sizes, flow ids, versions and addresses, and &buf for other
// pointers.
func Arg(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case qwave.Handle:
		return fmt.Sprintf("%#x", uint64(x))
	case qwave.Socket:
		return fmt.Sprintf("%#x", uint64(x))
	case *qwave.Handle:
		if x != nil {
			return fmt.Sprintf("&%#x", uint64(*x))
		}
	case *uint32:
		if x != nil {
			return fmt.Sprintf("&%d", *x)
		}
	case *qwave.QOS_FLOWID:
		if x != nil {
			return fmt.Sprintf("&%d", *x)
		}
	case *qwave.QOS_VERSION:
		if x != nil {
			return fmt.Sprintf("&{%d, %d}", x.MajorVersion, x.MinorVersion)
		}
	case *qwave.RawSockaddrAny:
		if x != nil {
			if ip, port, ok := x.Addr(); ok {
				a, _ := netip.AddrFromSlice(ip)
				return "&" + netip.AddrPortFrom(a, port).String()
			}
			return fmt.Sprintf("&{family %d}", x.Family)
		}
	case *qwave.Overlapped:
		if x != nil {
			return "&overlapped"
		}
	case unsafe.Pointer:
		if x != nil {
			return "&buf"
		}
	}
	rv := reflect.ValueOf(v)
	if k := rv.Kind(); k == reflect.Pointer || k == reflect.UnsafePointer {
		if rv.IsNil() {
			return "NULL"
		}
		return "&buf"
	}
	return fmt.Sprint(v)
}

// The completion statuses an OVERLAPPED's Internal holds on Windows (an
// NTSTATUS); qwavetest keeps a Win32 code there instead.
const (
	StatusPending   = 0x103      // STATUS_PENDING: the operation goes on
	StatusCancelled = 0xC0000120 // STATUS_CANCELLED
)

// Aborted reports whether a completion status means the operation was
// cancelled: STATUS_CANCELLED, or ERROR_OPERATION_ABORTED as qwavetest
// keeps it.
func Aborted(status uintptr) bool {
	return status == StatusCancelled || status == uintptr(qwave.ERROR_OPERATION_ABORTED)
}

// StatusName names the completion status an OVERLAPPED holds in Internal:
// Windows keeps an NTSTATUS there (STATUS_PENDING, STATUS_CANCELLED),
// qwavetest a Win32 code (ERROR_OPERATION_ABORTED).
func StatusName(status uintptr) string {
	switch status {
	case StatusPending:
		return "STATUS_PENDING"
	case StatusCancelled:
		return "STATUS_CANCELLED"
	}
	if status <= 0xffffffff {
		return CodeName(qwave.Errno(status))
	}
	return fmt.Sprintf("%#x", uint64(status))
}
