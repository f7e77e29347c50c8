package qwave

import "encoding/binary"

// Socket is a Winsock SOCKET. Zero is "no socket" where a Socket parameter
// is optional.
type Socket uintptr

// Overlapped has the layout of the Win32 OVERLAPPED structure and of
// x/sys/windows.Overlapped; (*windows.Overlapped)(unsafe.Pointer(o)) is free.
//
// An OVERLAPPED passed to an asynchronous call, and the buffer passed with it,
// must stay alive and unmoved until the operation completes or is cancelled:
// keep them reachable (and pinned with runtime.Pinner if they live on the
// heap of a moving collector) until then.
type Overlapped struct {
	Internal     uintptr
	InternalHigh uintptr
	Offset       uint32
	OffsetHigh   uint32
	HEvent       Handle
}

// Address families, as ws2def.h numbers them.
const (
	AF_INET  = 2
	AF_INET6 = 23
)

// RawSockaddrAny is storage for any Winsock socket address (SOCKADDR_STORAGE,
// 128 bytes). A *RawSockaddrAny is what PSOCKADDR parameters take.
type RawSockaddrAny struct {
	Family uint16
	Data   [126]byte
}

// SockaddrInet4 returns an AF_INET address with port in host order.
func SockaddrInet4(ip [4]byte, port uint16) *RawSockaddrAny {
	sa := &RawSockaddrAny{Family: AF_INET}
	sa.Data[0], sa.Data[1] = byte(port>>8), byte(port)
	copy(sa.Data[2:6], ip[:])
	return sa
}

// SockaddrInet6 returns an AF_INET6 address with port in host order.
func SockaddrInet6(ip [16]byte, port uint16, scope uint32) *RawSockaddrAny {
	sa := &RawSockaddrAny{Family: AF_INET6}
	sa.Data[0], sa.Data[1] = byte(port>>8), byte(port)
	copy(sa.Data[6:22], ip[:])
	binary.LittleEndian.PutUint32(sa.Data[22:26], scope)
	return sa
}

// Addr returns the IP address and port of an AF_INET or AF_INET6 address;
// ok is false for any other family.
func (sa *RawSockaddrAny) Addr() (ip []byte, port uint16, ok bool) {
	if sa == nil {
		return nil, 0, false
	}
	port = uint16(sa.Data[0])<<8 | uint16(sa.Data[1])
	switch sa.Family {
	case AF_INET:
		return append([]byte(nil), sa.Data[2:6]...), port, true
	case AF_INET6:
		return append([]byte(nil), sa.Data[6:22]...), port, true
	}
	return nil, 0, false
}
