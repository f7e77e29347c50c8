package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// buildQoslab builds the command once per test binary run.
func buildQoslab(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command to build qoslab (not there under Wine)")
	}
	bin := filepath.Join(t.TempDir(), "qoslab")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"results.jsonl", "junit.xml", "report.html"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return files
}

// TestResumeAfterKill kills a run midway with SIGKILL, resumes it, and
// expects the same reports as an uninterrupted run.
func TestResumeAfterKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGKILL; the Linux run covers the runner logic")
	}
	bin := buildQoslab(t)
	full, cut := t.TempDir(), t.TempDir()
	// The same date for both runs, as reproducible builds set it.
	t.Setenv("SOURCE_DATE_EPOCH", "1764720000")
	if out, err := exec.Command(bin, "-target", "model", "-out", full, "-q").CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-target", "model", "-out", cut, "-q")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	total := len(conformance.Names())
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(cut, "results.jsonl"))
		if n := bytes.Count(b, []byte("\n")); n >= total/3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run wrote no results")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	b, _ := os.ReadFile(filepath.Join(cut, "results.jsonl"))
	kept := bytes.Count(b, []byte("\n"))
	if kept >= total {
		t.Fatalf("the run finished (%d results) before it was killed", kept)
	}
	if _, err := os.Stat(filepath.Join(cut, "report.html")); err == nil {
		t.Fatal("a killed run wrote its final report")
	}
	if out, err := exec.Command(bin, "-target", "model", "-out", cut, "-q", "-resume").CombinedOutput(); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	want, got := readAll(t, full), readAll(t, cut)
	for name := range want {
		if want[name] != got[name] {
			t.Errorf("%s differs between the uninterrupted run and the run killed after %d of %d cases and resumed", name, kept, total)
		}
	}
}

// fakeChild writes a script that stands in for the child process.
func fakeChild(t *testing.T, body string) string {
	if runtime.GOOS == "windows" {
		t.Skip("uses a shell script as the child")
	}
	path := filepath.Join(t.TempDir(), "child")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCrashedChildIsRecorded(t *testing.T) {
	self := fakeChild(t, "echo 'wine: Call from 0x7b013d7e to unimplemented function qwave.dll.QOSCloseHandle, aborting' >&2; exit 3")
	res := runIsolated(self, config{target: "dll", timeout: 5 * time.Second}, "QOSCloseHandle/QOSHandle-garbage")
	if res.Status != conformance.Crashed || res.ExitCode != 3 || !strings.Contains(res.Stderr, "unimplemented function") {
		t.Errorf("result %+v; want crashed, exit code 3 and the stderr kept", res)
	}
	if res.Source == "" || res.Rule == "" {
		t.Errorf("a crashed case lost its rule and source: %+v", res)
	}
}

func TestHungChildIsKilled(t *testing.T) {
	self := fakeChild(t, "exec sleep 60")
	start := time.Now()
	res := runIsolated(self, config{target: "dll", timeout: 100 * time.Millisecond}, "QOSCloseHandle/valid")
	if res.Status != conformance.Hung {
		t.Errorf("status %s; want hung", res.Status)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("a hung child held the runner for %v", time.Since(start))
	}
}

func TestChildWithoutResultIsCrashed(t *testing.T) {
	self := fakeChild(t, "echo not json")
	res := runIsolated(self, config{target: "dll", timeout: 5 * time.Second}, "QOSCloseHandle/valid")
	if res.Status != conformance.Crashed || !strings.Contains(res.Msg, "printed no result") {
		t.Errorf("result %+v; want crashed with no result", res)
	}
}

// TestReportForLabEngineer runs finish on a crashed case recorded from a
// real child process and a baseline that explains it, then reads report.html:
// it must hold the baseline's why, the child's stderr and a link per spec
// source, and every file qoslab wrote must be mode 0644.
func TestReportForLabEngineer(t *testing.T) {
	self := fakeChild(t, "echo 'wine: Call from 000000007B013D7E to unimplemented function qwave.dll.QOSCancel, aborting' >&2; exit 3")
	crashed := runIsolated(self, config{target: "dll", timeout: 5 * time.Second}, "QOSCancel/QOSHandle-null")
	valid, _ := conformance.RunCase("QOSCreateHandle/valid", newModelAPI)
	baseline := filepath.Join(t.TempDir(), "lab.json")
	const why = "the qwave.dll of this lab aborts in QOSCancel"
	if err := os.WriteFile(baseline, []byte(`{"platform": "lab", "deviations": {"QOSCancel/QOSHandle-null": {"status": "crashed", "why": "`+why+`"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	c := config{target: "dll", out: out, baseline: baseline, profile: "documented", peer: "192.0.2.1:5004"}
	m := conformance.Machine{Name: "lab-1", OS: "Windows"}
	code, err := finish(c, conformance.Report{Machine: &m, Results: []conformance.Result{crashed, valid}}, &bytes.Buffer{})
	if code != 0 || err != nil {
		t.Fatalf("finish = %d, %v", code, err)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		why,
		"unimplemented function qwave.dll.QOSCancel",
		`href="https://github.com/winqos/winqos/blob/`,
		`href="https://learn.microsoft.com/en-us/windows/win32/api/qos2/nf-qos2-qoscancel"`,
		`href="https://learn.microsoft.com/en-us/windows/win32/api/qos2/nf-qos2-qoscreatehandle"`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 3 {
		t.Errorf("%d files written", len(entries))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v; want 0644", e.Name(), info.Mode().Perm())
		}
	}
}

func newModelAPI() qwave.API { return qwavetest.New() }
