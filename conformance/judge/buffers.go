package judge

import (
	"github.com/winqos/winqos/qwave"
)

// Buffer is what the Buffer parameter of one operation of QOSSetFlow,
// QOSQueryFlow or QOSNotifyFlow holds: its C type and size, and where the
// function's page says so (qwave.OperationBuffers, from
// spec/qos2/buffers.yaml). Type is "" for an operation whose Buffer must be
// NULL.
type Buffer struct {
	Type   string
	Size   uint32
	Source string
}

func bufferOf(fn string, op int32) (Buffer, bool) {
	b, ok := qwave.OperationBufferOf(fn, op)
	return Buffer{Type: b.Type, Size: b.Size, Source: b.Source}, ok
}

// SetFlowBuffer returns what QOSSetFlow's Buffer holds for op; ok is false
// for a value that is no QOS_SET_FLOW member.
func SetFlowBuffer(op qwave.QOS_SET_FLOW) (Buffer, bool) { return bufferOf("QOSSetFlow", int32(op)) }

// QueryFlowBuffer returns what QOSQueryFlow's Buffer receives for op.
func QueryFlowBuffer(op qwave.QOS_QUERY_FLOW) (Buffer, bool) {
	return bufferOf("QOSQueryFlow", int32(op))
}

// NotifyFlowBuffer returns what QOSNotifyFlow's Buffer holds for op.
func NotifyFlowBuffer(op qwave.QOS_NOTIFY_FLOW) (Buffer, bool) {
	return bufferOf("QOSNotifyFlow", int32(op))
}

// EnumRange returns the smallest and largest member of the named C
// enumeration (qwave.Enums); ok is false for an unknown name.
func EnumRange(ctype string) (first, last int32, ok bool) {
	members := qwave.Enums[ctype]
	if len(members) == 0 {
		return 0, 0, false
	}
	first, last = members[0].Value, members[0].Value
	for _, m := range members[1:] {
		first, last = min(first, m.Value), max(last, m.Value)
	}
	return first, last, true
}

// InEnum reports whether v is a member of the named C enumeration.
func InEnum(ctype string, v int32) bool {
	for _, m := range qwave.Enums[ctype] {
		if m.Value == v {
			return true
		}
	}
	return false
}

// Identifier is the kind of object a parameter names, by its C type: the
// values an implementation issues and a caller passes back.
type Identifier uint8

// The identifier kinds.
const (
	NotIdentifier Identifier = iota
	HandleID                 // HANDLE: issued by QOSCreateHandle
	FlowID                   // QOS_FLOWID: issued by QOSAddSocketToFlow
	OverlappedID             // LPOVERLAPPED: passed to an operation that completes later
	SocketID                 // SOCKET: the caller's socket
)

// IdentifierOf returns the kind of identifier p is, or NotIdentifier.
func IdentifierOf(p qwave.ParamContract) Identifier {
	switch p.CType {
	case "HANDLE":
		return HandleID
	case "QOS_FLOWID", "PQOS_FLOWID":
		return FlowID
	case "LPOVERLAPPED":
		return OverlappedID
	case "SOCKET":
		return SocketID
	}
	return NotIdentifier
}
