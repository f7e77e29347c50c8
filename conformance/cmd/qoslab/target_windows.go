package main

import (
	"errors"
	"io"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

func defaultTarget() string { return "dll" }

func dllTarget(peer netip.AddrPort) (func() qwave.API, []conformance.Option, error) {
	family := windows.AF_INET
	if peer.Addr().Is6() && !peer.Addr().Is4In6() {
		family = windows.AF_INET6
	}
	return conformance.DLL, []conformance.Option{conformance.UDPSockets(family)}, nil
}

// wineVersion is Wine's version when running under Wine, else "".
func wineVersion() string {
	p := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")
	if p.Find() != nil {
		return ""
	}
	r, _, _ := p.Call()
	// r is a pointer to a static C string in ntdll; reading it through
	// its address avoids converting a uintptr to a pointer.
	return windows.BytePtrToString(*(**byte)(unsafe.Pointer(&r)))
}

func autoBaseline(target string) string {
	if target == "dll" && wineVersion() != "" {
		return "wine-" + wineVersion()
	}
	return "none"
}

func runUnderWine(config, []string, io.Writer) (int, error) {
	return 2, errors.New("-wine runs on Linux; on Windows qoslab tests qwave.dll directly")
}
