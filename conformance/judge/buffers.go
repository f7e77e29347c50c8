package judge

import (
	"unsafe"

	"github.com/winqos/winqos/qwave"
)

// Buffer is what the Buffer parameter of one operation of QOSSetFlow,
// QOSQueryFlow or QOSNotifyFlow holds: its C type and size, and where the
// function's page says so. Type is "" for an operation whose Buffer must be
// NULL.
type Buffer struct {
	Type   string
	Size   uint32
	Source string
}

var (
	setBuffers = [...]Buffer{
		qwave.QOSSetTrafficType:       {"QOS_TRAFFIC_TYPE", uint32(unsafe.Sizeof(qwave.QOS_TRAFFIC_TYPE(0))), "spec/qos2/nf-qos2-qossetflow.md#-parameters"},
		qwave.QOSSetOutgoingRate:      {"QOS_FLOWRATE_OUTGOING", uint32(unsafe.Sizeof(qwave.QOS_FLOWRATE_OUTGOING{})), "spec/qos2/nf-qos2-qossetflow.md#-parameters"},
		qwave.QOSSetOutgoingDSCPValue: {"DWORD", uint32(unsafe.Sizeof(uint32(0))), "spec/qos2/nf-qos2-qossetflow.md#-parameters"},
	}
	queryBuffers = [...]Buffer{
		qwave.QOSQueryFlowFundamentals: {"QOS_FLOW_FUNDAMENTALS", uint32(unsafe.Sizeof(qwave.QOS_FLOW_FUNDAMENTALS{})), "spec/qos2/nf-qos2-qosqueryflow.md#-parameters"},
		qwave.QOSQueryPacketPriority:   {"QOS_PACKET_PRIORITY", uint32(unsafe.Sizeof(qwave.QOS_PACKET_PRIORITY{})), "spec/qos2/nf-qos2-qosqueryflow.md#-parameters"},
		qwave.QOSQueryOutgoingRate:     {"UINT64", uint32(unsafe.Sizeof(uint64(0))), "spec/qos2/nf-qos2-qosqueryflow.md#-parameters"},
	}
	notifyBuffers = [...]Buffer{
		qwave.QOSNotifyCongested:   {Source: "spec/qos2/nf-qos2-qosnotifyflow.md#-parameters"},
		qwave.QOSNotifyUncongested: {Source: "spec/qos2/nf-qos2-qosnotifyflow.md#-parameters"},
		qwave.QOSNotifyAvailable:   {"UINT64", uint32(unsafe.Sizeof(uint64(0))), "spec/qos2/nf-qos2-qosnotifyflow.md#-parameters"},
	}
)

// SetFlowBuffer returns what QOSSetFlow's Buffer holds for op; ok is false
// for a value that is no QOS_SET_FLOW member.
func SetFlowBuffer(op qwave.QOS_SET_FLOW) (Buffer, bool) {
	if op < 0 || int(op) >= len(setBuffers) {
		return Buffer{}, false
	}
	return setBuffers[op], true
}

// QueryFlowBuffer returns what QOSQueryFlow's Buffer receives for op.
func QueryFlowBuffer(op qwave.QOS_QUERY_FLOW) (Buffer, bool) {
	if op < 0 || int(op) >= len(queryBuffers) {
		return Buffer{}, false
	}
	return queryBuffers[op], true
}

// NotifyFlowBuffer returns what QOSNotifyFlow's Buffer holds for op.
func NotifyFlowBuffer(op qwave.QOS_NOTIFY_FLOW) (Buffer, bool) {
	if op < 0 || int(op) >= len(notifyBuffers) {
		return Buffer{}, false
	}
	return notifyBuffers[op], true
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
