//go:build !windows

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
)

func TestWineMissingNamesTheInstall(t *testing.T) {
	saved := wineLoader
	defer func() { wineLoader = saved }()
	wineLoader = "/nonexistent/wine64"
	code, err := run([]string{"-wine", "-out", t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
	if code == 0 || err == nil || !strings.Contains(err.Error(), "apt-get install -y --no-install-recommends wine64") {
		t.Fatalf("run -wine without Wine = %d, %v; want a failure naming the apt-get line", code, err)
	}
}

// TestWineStderrAttached feeds Wine's stderr, as qoslab.exe and its children
// write it, through caseLines, and checks that the crashed case's report
// then shows the line Wine printed for it.
func TestWineStderrAttached(t *testing.T) {
	out := t.TempDir()
	crashed, _ := conformance.Describe("QOSCancel/QOSHandle-null")
	crashed.Status, crashed.Observed, crashed.ExitCode = conformance.Crashed, "exit status 0x80000100", 0x80000100
	passed, _ := conformance.Describe("QOSCreateHandle/version-0.0")
	passed.Status = conformance.Pass
	m := conformance.Machine{Name: "vm", Target: "qwave.dll", Wine: "8.0"}
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, conformance.Report{Machine: &m, Results: []conformance.Result{crashed, passed}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "results.jsonl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var passThrough bytes.Buffer
	lines := &caseLines{out: &passThrough, byCase: map[string][]string{}}
	const wine = "wine: Call from 000000007B013D7E to unimplemented function qwave.dll.QOSCancel, aborting"
	io.WriteString(lines, caseMark+"QOSCancel/QOSHandle-null\n"+wine[:20])
	io.WriteString(lines, wine[20:]+"\nqoslab: [10/81] QOSCancel/QOSHandle-null\n"+caseMark+"QOSCreateHandle/version-0.0\nwine: fixme:qwave:something\n")
	lines.flush()
	if strings.Contains(passThrough.String(), caseMark) || !strings.Contains(passThrough.String(), wine) {
		t.Errorf("passed through:\n%s", passThrough.String())
	}
	if err := attachStderr(config{out: out, baseline: "auto", profile: "documented", peer: "192.0.2.1:5004"}, lines.byCase); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "unimplemented function qwave.dll.QOSCancel, aborting") {
		t.Error("report.html lacks the crashed case's stderr")
	}
	if strings.Contains(string(page), "fixme:qwave:something") {
		t.Error("a passing case's Wine output was attached")
	}
	if strings.Contains(string(page), "[10/81]") {
		t.Error("qoslab's progress line was attached")
	}
}

// machineIn checks that the three report files of a run name the machine:
// the first line of results.jsonl, machine.* properties in junit.xml and the
// machine table of report.html, each with every given value.
func machineIn(t *testing.T, dir string, values ...string) {
	t.Helper()
	files := readAll(t, dir)
	first, _, _ := strings.Cut(files["results.jsonl"], "\n")
	if !strings.HasPrefix(first, `{"machine":`) {
		t.Errorf("results.jsonl does not open with the machine: %.100s", first)
	}
	_, table, _ := strings.Cut(files["report.html"], `<table class="meta" id="machine">`)
	table, _, _ = strings.Cut(table, "</table>")
	for _, v := range values {
		if !strings.Contains(first, v) {
			t.Errorf("results.jsonl's machine lacks %q", v)
		}
		if !strings.Contains(files["junit.xml"], `property name="machine.`) || !strings.Contains(files["junit.xml"], `value="`+v) {
			t.Errorf("junit.xml has no machine property with %q", v)
		}
		if !strings.Contains(table, v) {
			t.Errorf("report.html's machine table lacks %q", v)
		}
	}
}

func TestMachineInModelRun(t *testing.T) {
	out := t.TempDir()
	if msg, err := exec.Command(buildQoslab(t), "-target", "model", "-profile", "windows", "-run", "^QOSCloseHandle/", "-out", out, "-q").CombinedOutput(); err != nil {
		t.Fatalf("qoslab: %v\n%s", err, msg)
	}
	machineIn(t, out, "model", "windows", "192.0.2.1:5004")
}

// TestMachineInWineRun runs one case under Wine with qoslab -wine: the
// reports must name Wine's version and identify qwave.dll.
func TestMachineInWineRun(t *testing.T) {
	if _, err := os.Stat(wineLoader); err != nil || testing.Short() {
		t.Skip("needs Wine (apt-get install wine64) and no -short")
	}
	out := t.TempDir()
	var stderr bytes.Buffer
	code, err := run([]string{"-wine", "-run", "^QOSCreateHandle/version-2.0$", "-out", out, "-q"}, &bytes.Buffer{}, &stderr)
	if code != 0 || err != nil {
		t.Fatalf("qoslab -wine = %d, %v\n%s", code, err, stderr.String())
	}
	f, err := os.Open(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := conformance.ReadJSONL(f)
	f.Close()
	if err != nil || r.Machine == nil {
		t.Fatalf("results.jsonl: %v, machine %v", err, r.Machine)
	}
	if r.Machine.Wine == "" || r.Machine.QwaveVersion == "" || r.Machine.Build == 0 {
		t.Errorf("machine %+v lacks Wine's version, qwave.dll's version or the build", *r.Machine)
	}
	machineIn(t, out, r.Machine.Wine, r.Machine.QwaveVersion, r.Machine.Version)
}
