package qwave

import "unsafe"

// QueryData is what QOSQueryFlow can write: QOS_FLOW_FUNDAMENTALS for
// QOSQueryFlowFundamentals, QOS_PACKET_PRIORITY for QOSQueryPacketPriority
// and a uint64 (bits per second) for QOSQueryOutgoingRate.
type QueryData interface {
	QOS_FLOW_FUNDAMENTALS | QOS_PACKET_PRIORITY | uint64
}

// QueryFlow calls QOSQueryFlow synchronously with the Operation and Size
// that out's type calls for, writing the answer to *out: no unsafe.Pointer,
// no size to get wrong. flags is 0, or QOS_QUERYFLOW_FRESH with
// QOS_FLOW_FUNDAMENTALS. A call allocates the 4 bytes of Size, as the
// pointer arguments of an interface method escape.
//
//	var prio qwave.QOS_PACKET_PRIORITY
//	err := qwave.QueryFlow(api, h, flow, 0, &prio)
func QueryFlow[T QueryData](api API, h Handle, flow QOS_FLOWID, flags uint32, out *T) error {
	var op QOS_QUERY_FLOW
	switch any(out).(type) {
	case *QOS_FLOW_FUNDAMENTALS:
		op = QOSQueryFlowFundamentals
	case *QOS_PACKET_PRIORITY:
		op = QOSQueryPacketPriority
	case *uint64:
		op = QOSQueryOutgoingRate
	}
	size := uint32(unsafe.Sizeof(*out))
	return api.QOSQueryFlow(h, flow, op, &size, unsafe.Pointer(out), flags, nil)
}
