//go:build !windows

package conformance

import (
	"net/netip"
	"os"
	"runtime"
	"strings"
)

// DetectMachine describes this machine. Off Windows there is no qwave.dll:
// it gives the OS, its kernel release and the architecture.
func DetectMachine(netip.AddrPort) Machine {
	m := Machine{OS: runtime.GOOS, Arch: runtime.GOARCH}
	m.Name, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Version = strings.TrimSpace(string(b))
	}
	return m
}

// WineVersion is "": this is not a Windows process.
func WineVersion() string { return "" }
