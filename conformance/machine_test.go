package conformance_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/conformance"
)

func TestMachineRendering(t *testing.T) {
	m := &conformance.Machine{
		Name: "lab-7", Target: "qwave.dll", Profile: "windows", OS: "Windows 11 Pro", Version: "10.0.22631.4460", Build: 22631,
		Release: "23H2", Arch: "386 on amd64", QwaveDLL: `C:\Windows\system32\qwave.dll`, QwaveVersion: "10.0.22621.1",
		Elevated: "no", QWAVEService: "running", Peer: "10.0.0.2:5004", Date: "2026-12-03T00:00:00Z",
		Adapters: []conformance.Adapter{{Name: "Ethernet", Type: "ethernet", Speed: 1e9, Used: true}, {Name: "Wi-Fi", Type: "wifi", Speed: 866_700_000}},
	}
	if got := m.Platform(); got != "Windows 11 Pro 10.0.22631.4460 (23H2), 386 on amd64" {
		t.Errorf("Platform() = %q", got)
	}
	var got []string
	for _, p := range m.Properties() {
		got = append(got, p.Name+"="+p.Value)
	}
	want := []string{"name=lab-7", "target=qwave.dll", "profile=windows", "os=Windows 11 Pro", "version=10.0.22631.4460", "build=22631",
		"release=23H2", "arch=386 on amd64", `qwave_dll=C:\Windows\system32\qwave.dll`, "qwave_version=10.0.22621.1", "elevated=no",
		"qwave_service=running", "adapter.1=Ethernet (ethernet, 1 Gbit/s) to the peer", "adapter.2=Wi-Fi (wifi, 866 Mbit/s)",
		"peer=10.0.0.2:5004", "date=2026-12-03T00:00:00Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Properties (-want +got):\n%s", diff)
	}
	var nilMachine *conformance.Machine
	if nilMachine.Platform() != "" || nilMachine.Properties() != nil {
		t.Error("a nil machine describes something")
	}
	wine := conformance.Machine{OS: "Microsoft Windows 7", Version: "6.1.7601", Wine: "8.0", Arch: "amd64"}
	if p := wine.Platform(); !strings.Contains(p, "Wine 8.0") {
		t.Errorf("Platform() = %q; want Wine's version", p)
	}
}

// TestReadResultSetClassifies: results a killed run left without verdicts
// are classified on reading, under Wine against that Wine's baseline.
func TestReadResultSetClassifies(t *testing.T) {
	crashed, _ := conformance.Describe("QOSCancel/QOSHandle-null")
	crashed.Status, crashed.Observed = conformance.Crashed, "exit status 0x80000100"
	dir := writeSet(t, conformance.Report{Machine: &conformance.Machine{Name: "vm", Wine: "8.0"}, Results: []conformance.Result{crashed}})
	set, err := conformance.ReadResultSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res := set.Report.Results[0]; res.Verdict != conformance.VerdictKnown || res.Why == "" {
		t.Errorf("verdict %q, why %q; want a known deviation with the baseline's why", res.Verdict, res.Why)
	}
}
