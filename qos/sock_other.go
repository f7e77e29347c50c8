//go:build !unix && !windows

package qos

import (
	"errors"
	"net/netip"
)

var errNoSockets = errors.New("qos: cannot read sockets on this platform")

func inspect(uintptr, string, sockState) (sockState, error) { return sockState{}, errNoSockets }

func connect(uintptr, netip.AddrPort) error { return errNoSockets }
