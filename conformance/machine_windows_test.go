package conformance_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
)

// TestDetectMachine reads this machine's identity; under Wine it must name
// Wine's version and identify qwave.dll.
func TestDetectMachine(t *testing.T) {
	m := conformance.DetectMachine(netip.MustParseAddrPort("192.0.2.1:5004"))
	if m.OS == "" || m.Build == 0 || !strings.Contains(m.Version, ".") || m.Arch == "" {
		t.Errorf("machine %+v lacks the OS, build, version or architecture", m)
	}
	if m.Elevated != "yes" && m.Elevated != "no" {
		t.Errorf("elevated %q", m.Elevated)
	}
	if m.QWAVEService == "" || !strings.HasSuffix(strings.ToLower(m.QwaveDLL), `\qwave.dll`) {
		t.Errorf("QWAVE service %q, qwave.dll %q", m.QWAVEService, m.QwaveDLL)
	}
	if m.QwaveVersion == "" {
		t.Error("qwave.dll's version is not recorded")
	}
	if conformance.WineVersion() != "" && m.Wine == "" {
		t.Error("under Wine, Wine's version is not recorded")
	}
	t.Logf("%s; qwave.dll %s; adapters %v", m.Platform(), m.QwaveVersion, m.Adapters)
}
