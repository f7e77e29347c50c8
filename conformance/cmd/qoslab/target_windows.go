package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

func defaultTarget() string { return "dll" }

func dllTarget(peer netip.AddrPort) (func() qwave.API, []conformance.Option, error) {
	if err := windows.NewLazySystemDLL("qwave.dll").Load(); err != nil {
		return nil, nil, fmt.Errorf("qwave.dll cannot be loaded (%v): on Windows Server install the qWAVE feature (PowerShell as administrator: Install-WindowsFeature qWave), then run again; or test the reference model with -target model", err)
	}
	family := windows.AF_INET
	if peer.Addr().Is6() && !peer.Addr().Is4In6() {
		family = windows.AF_INET6
	}
	return conformance.DLL, []conformance.Option{conformance.UDPSockets(family), conformance.DualStackUDPSockets()}, nil
}

func autoBaseline(target string) string {
	if v := conformance.WineVersion(); target == "dll" && v != "" {
		return conformance.WineBaseline(v)
	}
	return "none"
}

func runUnderWine(config, []string, io.Writer) (int, error) {
	return 2, errors.New("-wine runs on Linux; on Windows qoslab tests qwave.dll directly")
}
