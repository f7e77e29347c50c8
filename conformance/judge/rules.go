package judge

import "github.com/winqos/winqos/qwave"

// The documented rules by kind. The conformance cases and the fuzz oracle
// build their expectations from these, so a kind of rule has one wording,
// one set of codes and one source.

// NullHandle is the rule for a NULL QOS handle.
func NullHandle(fn string) Rule { return Handle(fn, "a NULL QOS handle is invalid") }

// GarbageHandle is the rule for a handle no QOSCreateHandle returned.
func GarbageHandle(fn string) Rule {
	return Handle(fn, "a handle QOSCreateHandle did not return is invalid")
}

// ClosedHandle is the rule for a handle QOSCloseHandle closed.
func ClosedHandle(fn string) Rule {
	return Handle(fn, "a handle is invalid once QOSCloseHandle closed it")
}

// NotOptional is the rule for NULL in a parameter the page does not mark
// optional.
func NotOptional(fn, param string) Rule { return Param(fn, param, param+" is not optional") }

// Reserved is the rule for a reserved parameter that is not 0.
func Reserved(fn, param string) Rule { return Param(fn, param, param+" is reserved and must be 0") }

// EnumMember is the rule for a value that is no member of the parameter's
// enumeration.
func EnumMember(fn, param, ctype string) Rule {
	return Param(fn, param, param+" must be a "+ctype+" value")
}

// Version is the rule for a QOS_VERSION other than 1.0.
func Version(fn string) Rule {
	return Param(fn, "Version", "MajorVersion must be 1 and MinorVersion 0")
}

// NotASocket is the rule for a socket no one created (0, INVALID_SOCKET)
// where one is required.
func NotASocket(fn, param string) Rule { return Param(fn, param, param+" must be a socket") }

// ZeroFlow is the rule for a flow id of 0, which no flow has.
func ZeroFlow(fn string) Rule {
	return Param(fn, "FlowId", "a flow id the handle was never given is not found")
}

// UnknownFlow is the rule for a flow id that is not one of the handle's
// flows: never issued, removed, or another handle's.
func UnknownFlow(fn string) Rule {
	if qwave.Documented(fn, qwave.ERROR_NOT_FOUND) {
		return Code(fn, qwave.ERROR_NOT_FOUND, "a flow id the handle does not have fails with ERROR_NOT_FOUND")
	}
	return Param(fn, "FlowId", "a flow id the handle does not have is not valid")
}

// Unreachable is the rule for a destination or client no route leads to.
func Unreachable(fn string) Rule {
	return Code(fn, qwave.ERROR_HOST_UNREACHABLE, "a destination that cannot be reached fails with ERROR_HOST_UNREACHABLE")
}

// BufferTooSmall is the rule for a Size smaller than the data.
func BufferTooSmall(fn string) Rule {
	return Code(fn, qwave.ERROR_INSUFFICIENT_BUFFER, "a buffer too small fails with ERROR_INSUFFICIENT_BUFFER and Size set to the size needed")
}

// AlreadyPending is the rule for a second pending notification request of
// the same type on a flow.
func AlreadyPending(fn string) Rule {
	return Code(fn, qwave.ERROR_ALREADY_EXISTS, "a second pending notification request of the same type on a flow fails with ERROR_ALREADY_EXISTS")
}

// NonAdaptive is the rule for path data asked of a QOS_NON_ADAPTIVE_FLOW
// flow.
func NonAdaptive(fn string) Rule {
	return Code(fn, qwave.ERROR_NOT_SUPPORTED, "QOS_NON_ADAPTIVE_FLOW flows gather no path data: the operation is unavailable (ERROR_NOT_SUPPORTED)")
}
