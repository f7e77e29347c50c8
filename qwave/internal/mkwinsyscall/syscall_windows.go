package mkwinsyscall

import (
	"syscall"

	"github.com/winqos/winqos/qwave"
)

type (
	QOS_VERSION      = qwave.QOS_VERSION
	QOS_TRAFFIC_TYPE = qwave.QOS_TRAFFIC_TYPE
	QOS_FLOWID       = qwave.QOS_FLOWID
	RawSockaddrAny   = qwave.RawSockaddrAny
	Handle           = qwave.Handle
	Socket           = qwave.Socket
)

//sys	QOSCreateHandle(version *QOS_VERSION, qosHandle *Handle) (err error) [failretval==0] = qwave.QOSCreateHandle
//sys	QOSAddSocketToFlow(qosHandle Handle, socket Socket, destAddr *RawSockaddrAny, trafficType QOS_TRAFFIC_TYPE, flags uint32, flowId *QOS_FLOWID) (err error) [failretval==0] = qwave.QOSAddSocketToFlow

// ErrnoErr is mkwinsyscall's conversion of a last error to an error.
func ErrnoErr(e syscall.Errno) error { return errnoErr(e) }
