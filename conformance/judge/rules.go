package judge

import "github.com/winqos/winqos/qwave"

// The documented rules by kind. The conformance cases and the fuzz oracle
// build their expectations from these, so a kind of rule has one wording,
// one set of codes and one source. Each is built once per function and
// parameter (rules), so asking for one costs a map lookup.

// ruleKind names a constructor below, for the table of built rules.
type ruleKind uint8

const (
	kindNullHandle ruleKind = iota
	kindGarbageHandle
	kindClosedHandle
	kindNotOptional
	kindReserved
	kindEnumMember
	kindVersion
	kindNotASocket
	kindZeroFlow
	kindUnknownFlow
	kindUnreachable
	kindBufferTooSmall
	kindAlreadyPending
	kindNonAdaptive
)

type ruleKey struct {
	kind             ruleKind
	fn, param, ctype string
}

// rules holds every rule of every kind for every function and parameter of
// the contract tables, built at init and only read after.
var rules = func() map[ruleKey]Rule {
	m := map[ruleKey]Rule{}
	for _, c := range qwave.Contracts() {
		fn := c.Func
		for kind, mk := range map[ruleKind]func(string) Rule{
			kindNullHandle: nullHandle, kindGarbageHandle: garbageHandle, kindClosedHandle: closedHandle, kindVersion: version,
			kindZeroFlow: zeroFlow, kindUnknownFlow: unknownFlow, kindUnreachable: unreachable, kindBufferTooSmall: bufferTooSmall,
			kindAlreadyPending: alreadyPending, kindNonAdaptive: nonAdaptive,
		} {
			m[ruleKey{kind: kind, fn: fn}] = mk(fn)
		}
		for _, p := range c.Params {
			m[ruleKey{kind: kindNotOptional, fn: fn, param: p.Name}] = notOptional(fn, p.Name)
			m[ruleKey{kind: kindReserved, fn: fn, param: p.Name}] = reserved(fn, p.Name)
			m[ruleKey{kind: kindNotASocket, fn: fn, param: p.Name}] = notASocket(fn, p.Name)
			m[ruleKey{kindEnumMember, fn, p.Name, p.CType}] = enumMember(fn, p.Name, p.CType)
		}
	}
	return m
}()

// built returns the rule of kind for fn and param from the table, or builds
// it for a function or parameter the contract tables do not have.
func built(kind ruleKind, fn, param string, mk func() Rule) Rule {
	if r, ok := rules[ruleKey{kind: kind, fn: fn, param: param}]; ok {
		return r
	}
	return mk()
}

// NullHandle is the rule for a NULL QOS handle.
func NullHandle(fn string) Rule {
	return built(kindNullHandle, fn, "", func() Rule { return nullHandle(fn) })
}

func nullHandle(fn string) Rule { return Handle(fn, "a NULL QOS handle is invalid") }

// GarbageHandle is the rule for a handle no QOSCreateHandle returned.
func GarbageHandle(fn string) Rule {
	return built(kindGarbageHandle, fn, "", func() Rule { return garbageHandle(fn) })
}

func garbageHandle(fn string) Rule {
	return Handle(fn, "a handle QOSCreateHandle did not return is invalid")
}

// ClosedHandle is the rule for a handle QOSCloseHandle closed.
func ClosedHandle(fn string) Rule {
	return built(kindClosedHandle, fn, "", func() Rule { return closedHandle(fn) })
}

func closedHandle(fn string) Rule {
	return Handle(fn, "a handle is invalid once QOSCloseHandle closed it")
}

// NotOptional is the rule for NULL in a parameter the page does not mark
// optional.
func NotOptional(fn, param string) Rule {
	return built(kindNotOptional, fn, param, func() Rule { return notOptional(fn, param) })
}

func notOptional(fn, param string) Rule { return Param(fn, param, param+" is not optional") }

// Reserved is the rule for a reserved parameter that is not 0.
func Reserved(fn, param string) Rule {
	return built(kindReserved, fn, param, func() Rule { return reserved(fn, param) })
}

func reserved(fn, param string) Rule { return Param(fn, param, param+" is reserved and must be 0") }

// EnumMember is the rule for a value that is no member of the parameter's
// enumeration.
func EnumMember(fn, param, ctype string) Rule {
	if r, ok := rules[ruleKey{kindEnumMember, fn, param, ctype}]; ok {
		return r
	}
	return enumMember(fn, param, ctype)
}

func enumMember(fn, param, ctype string) Rule {
	return Param(fn, param, param+" must be a "+ctype+" value")
}

// Version is the rule for a QOS_VERSION other than 1.0.
func Version(fn string) Rule {
	return built(kindVersion, fn, "", func() Rule { return version(fn) })
}

func version(fn string) Rule {
	return Param(fn, "Version", "MajorVersion must be 1 and MinorVersion 0")
}

// NotASocket is the rule for a socket no one created (0, INVALID_SOCKET)
// where one is required.
func NotASocket(fn, param string) Rule {
	return built(kindNotASocket, fn, param, func() Rule { return notASocket(fn, param) })
}

func notASocket(fn, param string) Rule { return Param(fn, param, param+" must be a socket") }

// ZeroFlow is the rule for a flow id of 0, which no flow has.
func ZeroFlow(fn string) Rule {
	return built(kindZeroFlow, fn, "", func() Rule { return zeroFlow(fn) })
}

func zeroFlow(fn string) Rule {
	return Param(fn, "FlowId", "a flow id the handle was never given is not found")
}

// UnknownFlow is the rule for a flow id that is not one of the handle's
// flows: never issued, removed, or another handle's.
func UnknownFlow(fn string) Rule {
	return built(kindUnknownFlow, fn, "", func() Rule { return unknownFlow(fn) })
}

func unknownFlow(fn string) Rule {
	if qwave.Documented(fn, qwave.ERROR_NOT_FOUND) {
		return Code(fn, qwave.ERROR_NOT_FOUND, "a flow id the handle does not have fails with ERROR_NOT_FOUND")
	}
	return Param(fn, "FlowId", "a flow id the handle does not have is not valid")
}

// Unreachable is the rule for a destination or client no route leads to.
func Unreachable(fn string) Rule {
	return built(kindUnreachable, fn, "", func() Rule { return unreachable(fn) })
}

func unreachable(fn string) Rule {
	return Code(fn, qwave.ERROR_HOST_UNREACHABLE, "a destination that cannot be reached fails with ERROR_HOST_UNREACHABLE")
}

// BufferTooSmall is the rule for a Size smaller than the data.
func BufferTooSmall(fn string) Rule {
	return built(kindBufferTooSmall, fn, "", func() Rule { return bufferTooSmall(fn) })
}

func bufferTooSmall(fn string) Rule {
	return Code(fn, qwave.ERROR_INSUFFICIENT_BUFFER, "a buffer too small fails with ERROR_INSUFFICIENT_BUFFER and Size set to the size needed")
}

// AlreadyPending is the rule for a second pending notification request of
// the same type on a flow.
func AlreadyPending(fn string) Rule {
	return built(kindAlreadyPending, fn, "", func() Rule { return alreadyPending(fn) })
}

func alreadyPending(fn string) Rule {
	return Code(fn, qwave.ERROR_ALREADY_EXISTS, "a second pending notification request of the same type on a flow fails with ERROR_ALREADY_EXISTS")
}

// NonAdaptive is the rule for path data asked of a QOS_NON_ADAPTIVE_FLOW
// flow.
func NonAdaptive(fn string) Rule {
	return built(kindNonAdaptive, fn, "", func() Rule { return nonAdaptive(fn) })
}

func nonAdaptive(fn string) Rule {
	return Code(fn, qwave.ERROR_NOT_SUPPORTED, "QOS_NON_ADAPTIVE_FLOW flows gather no path data: the operation is unavailable (ERROR_NOT_SUPPORTED)")
}
