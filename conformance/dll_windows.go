package conformance

import (
	"sync"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/qwave"
)

// DLL returns qwave.dll's API for conformance runs, with the thread's last
// error made observable (qwave.LastErrorAccess).
//
// Go's runtime clears the thread's last error before every system call, so a
// sentinel set with SetLastError never reaches the DLL: the runtime's 0 takes
// its place. A call after which the last error is still 0 left it alone, and
// GetLastError then reports the value set with SetLastError, as the DLL would
// have left it. Only a DLL that explicitly sets the last error to 0 is misread
// as leaving it alone.
func DLL() qwave.API {
	d := &dll{}
	d.Observed.Observe = func(_ string, o qwave.Outcome) {
		if o.LastError == 0 {
			d.last = d.set
		} else {
			d.last = o.LastError
		}
	}
	return d
}

type dll struct {
	qwave.Observed
	set, last qwave.Errno
}

func (d *dll) SetLastError(e qwave.Errno) { d.set, d.last = e, e }
func (d *dll) GetLastError() qwave.Errno  { return d.last }

// wsaStartup starts Winsock once for the sockets cases are given.
var wsaStartup = sync.OnceValue(func() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x202), &data)
})

// udpSocket opens a UDP socket of family, starting Winsock first.
func udpSocket(family int) (windows.Handle, error) {
	if err := wsaStartup(); err != nil {
		return 0, err
	}
	return windows.Socket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
}

// UDPSockets returns an Option that gives cases real UDP sockets of the
// peer's address family (windows.AF_INET or windows.AF_INET6), as
// QOSAddSocketToFlow on Windows needs.
func UDPSockets(family int) Option {
	return WithSockets(func() (qwave.Socket, func(), error) {
		s, err := udpSocket(family)
		if err != nil {
			return 0, nil, err
		}
		return qwave.Socket(s), func() { windows.Closesocket(s) }, nil
	})
}
