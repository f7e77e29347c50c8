package conformance

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// DetectMachine describes this Windows machine: RtlGetVersion and the
// registry for the OS, Wine's version under Wine, System32\qwave.dll and its
// version resource, the token's elevation, the QWAVE service, and the
// adapters (the one toward peer marked Used). What it cannot find it leaves
// empty.
func DetectMachine(peer netip.AddrPort) Machine {
	m := Machine{OS: "Windows", Arch: archString()}
	m.Name, _ = os.Hostname()
	v := windows.RtlGetVersion()
	m.Version = fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)
	m.Build = v.BuildNumber
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE); err == nil {
		if name, _, err := k.GetStringValue("ProductName"); err == nil && name != "" {
			m.OS = name
		}
		if rel, _, err := k.GetStringValue("DisplayVersion"); err == nil {
			m.Release = rel
		}
		if ubr, _, err := k.GetIntegerValue("UBR"); err == nil {
			m.Version += fmt.Sprintf(".%d", ubr)
		}
		k.Close()
	}
	m.Wine = WineVersion()
	m.QwaveDLL, m.QwaveVersion = qwaveFile()
	m.Elevated = "no"
	if windows.GetCurrentProcessToken().IsElevated() {
		m.Elevated = "yes"
	}
	m.QWAVEService = serviceState("QWAVE")
	m.Adapters = adapters(peer)
	return m
}

// WineVersion is Wine's version (ntdll's wine_get_version) when running
// under Wine, else "".
func WineVersion() string {
	p := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")
	if p.Find() != nil {
		return ""
	}
	r, _, _ := p.Call()
	if r == 0 {
		return ""
	}
	// r is a pointer to a static C string in ntdll; reading it through
	// its address avoids converting a uintptr to a pointer.
	return windows.BytePtrToString(*(**byte)(unsafe.Pointer(&r)))
}

func archString() string {
	var process, native uint16
	if windows.IsWow64Process2(windows.CurrentProcess(), &process, &native) == nil {
		names := map[uint16]string{0x14c: "386", 0x8664: "amd64", 0xaa64: "arm64", 0x1c4: "arm"}
		if n, ok := names[native]; ok && n != runtime.GOARCH {
			return runtime.GOARCH + " on " + n
		}
	}
	return runtime.GOARCH
}

// qwaveFile finds System32\qwave.dll and reads its file version.
func qwaveFile() (path, version string) {
	sys, err := windows.GetSystemDirectory()
	if err != nil {
		return "", ""
	}
	path = filepath.Join(sys, "qwave.dll")
	if _, err := os.Stat(path); err != nil {
		return path + " (missing)", ""
	}
	if v := fileVersion(path); v != "" {
		return path, v
	}
	return path, unversioned(path)
}

// unversioned identifies a file without a version resource (Wine 8's
// builtin qwave.dll has none): a content hash, and whether it is a Wine
// builtin DLL (whose DOS stub says so).
func unversioned(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "no version resource"
	}
	sum := sha256.Sum256(b)
	kind := ""
	if bytes.Contains(b[:min(len(b), 0x100)], []byte("Wine builtin DLL")) {
		kind = "Wine builtin DLL, "
	}
	return fmt.Sprintf("no version resource (%ssha256 %x)", kind, sum[:8])
}

// fileVersion reads a file's version resource (VS_FIXEDFILEINFO).
func fileVersion(path string) string {
	var zero windows.Handle
	size, err := windows.GetFileVersionInfoSize(path, &zero)
	if err != nil || size == 0 {
		return ""
	}
	buf := make([]byte, size)
	if windows.GetFileVersionInfo(path, 0, size, unsafe.Pointer(&buf[0])) != nil {
		return ""
	}
	var info *windows.VS_FIXEDFILEINFO
	var n uint32
	if windows.VerQueryValue(unsafe.Pointer(&buf[0]), `\`, unsafe.Pointer(&info), &n) != nil || info == nil || n == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d.%d", info.FileVersionMS>>16, info.FileVersionMS&0xffff, info.FileVersionLS>>16, info.FileVersionLS&0xffff)
}

// serviceState is a service's state as a word.
func serviceState(name string) string {
	scm, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer windows.CloseServiceHandle(scm)
	n, _ := windows.UTF16PtrFromString(name)
	svc, err := windows.OpenService(scm, n, windows.SERVICE_QUERY_STATUS)
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		return "not installed"
	}
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer windows.CloseServiceHandle(svc)
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(svc, &st); err != nil {
		return "unknown (" + err.Error() + ")"
	}
	switch st.CurrentState {
	case windows.SERVICE_RUNNING:
		return "running"
	case windows.SERVICE_STOPPED:
		return "stopped"
	case windows.SERVICE_START_PENDING:
		return "starting"
	case windows.SERVICE_STOP_PENDING:
		return "stopping"
	case windows.SERVICE_PAUSED:
		return "paused"
	}
	return fmt.Sprintf("state %d", st.CurrentState)
}

// adapters lists the adapters that are up, marking the one the route to
// peer leaves by.
func adapters(peer netip.AddrPort) []Adapter {
	var best uint32
	var sa windows.Sockaddr
	if peer.Addr().Is4() {
		sa = &windows.SockaddrInet4{Addr: peer.Addr().As4(), Port: int(peer.Port())}
	} else if peer.Addr().Is6() {
		sa = &windows.SockaddrInet6{Addr: peer.Addr().As16(), Port: int(peer.Port())}
	}
	haveBest := sa != nil && windows.GetBestInterfaceEx(sa, &best) == nil
	size := uint32(15 << 10)
	var buf []byte
	for range 3 {
		buf = make([]byte, size)
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, windows.GAA_FLAG_SKIP_ANYCAST|windows.GAA_FLAG_SKIP_MULTICAST|windows.GAA_FLAG_SKIP_DNS_SERVER,
			0, (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])), &size)
		if err == nil {
			break
		}
		if !errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			return nil
		}
		buf = nil
	}
	if buf == nil {
		return nil
	}
	var out []Adapter
	for a := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])); a != nil; a = a.Next {
		if a.OperStatus != windows.IfOperStatusUp {
			continue
		}
		out = append(out, Adapter{
			Name:  windows.UTF16PtrToString(a.FriendlyName),
			Type:  ifType(a.IfType),
			Speed: a.TransmitLinkSpeed,
			Used:  haveBest && (a.IfIndex == best || a.Ipv6IfIndex == best),
		})
	}
	return out
}

func ifType(t uint32) string {
	switch t {
	case windows.IF_TYPE_ETHERNET_CSMACD:
		return "ethernet"
	case windows.IF_TYPE_IEEE80211:
		return "wifi"
	case windows.IF_TYPE_SOFTWARE_LOOPBACK:
		return "loopback"
	case windows.IF_TYPE_TUNNEL:
		return "tunnel"
	case windows.IF_TYPE_PPP:
		return "ppp"
	}
	return fmt.Sprintf("other (IF_TYPE %d)", t)
}
