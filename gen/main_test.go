package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadSpecNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../spec/qos2/nf-qos2-qoscancel.md")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "### -param Overlapped [in]", "### -param Overlapped [in, sideways]", 1)
	if err := os.WriteFile(filepath.Join(dir, "nf-qos2-qoscancel.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	err = run([]string{"-spec", dir, "-out", out}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "nf-qos2-qoscancel.md:") || !strings.Contains(err.Error(), "unknown direction [in, sideways]") {
		t.Fatalf("err = %v; want file:line and the unknown direction", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("gen wrote %d files despite the error", len(entries))
	}
}

func TestDumpIsStable(t *testing.T) {
	var a, b bytes.Buffer
	if err := run([]string{"-spec", "../spec/qos2", "-dump"}, &a, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-spec", "../spec/qos2", "-dump"}, &b, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || !strings.HasPrefix(a.String(), "{\n  \"functions\": [") {
		t.Errorf("dump unstable or malformed:\n%.200s", a.String())
	}
}

// BenchmarkGenerateInProcess is the same work without process start.
func BenchmarkGenerateInProcess(b *testing.B) {
	out := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := run([]string{"-spec", "../spec/qos2", "-out", out}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCodeHeadersCrossChecked: a code two code headers define with
// different values fails the run, naming both places.
func TestCodeHeadersCrossChecked(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.h"), filepath.Join(dir, "b.h")
	os.WriteFile(a, []byte("#define ERROR_X 5L\n#define WSAEX (10000 + 4)\n"), 0o644)
	os.WriteFile(b, []byte("#define WSAEX 10004\n#define ERROR_X 6L\n"), 0o644)
	_, _, err := readCodes([]string{a, b})
	if err == nil || !strings.Contains(err.Error(), b+":2: ERROR_X is 0x6; "+a+":1 defines it as 0x5") || strings.Contains(err.Error(), "WSAEX") {
		t.Errorf("readCodes = %v; want one error for ERROR_X naming both lines, none for WSAEX", err)
	}
}

// TestReportIsStableAndComplete: -report over the traffic spec lists every
// function once, with its convention, and is the same on every run.
func TestReportIsStableAndComplete(t *testing.T) {
	const inc = "/usr/share/mingw-w64/include/"
	if _, err := os.Stat(inc + "traffic.h"); err != nil {
		t.Skipf("%v (apt-get install -y --no-install-recommends mingw-w64-common)", err)
	}
	args := []string{"-spec", "../spec/traffic", "-header", inc + "traffic.h", "-header", inc + "qos.h", "-header", inc + "ntddndis.h", "-report"}
	var first, second bytes.Buffer
	if err := run(args, &first, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := run(args, &second, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Error("two -report runs differ")
	}
	for _, fn := range []string{"TcRegisterClient", "TcAddFlow", "TcOpenInterfaceW", "TcEnumerateFlows"} {
		if n := strings.Count(first.String(), "generated function "+fn+" "); n != 1 {
			t.Errorf("report lists %s %d times:\n%s", fn, n, first.String())
		}
	}
	if !strings.Contains(first.String(), "win32-status") || strings.Contains(first.String(), "skipped") && !strings.Contains(first.String(), "skipped: 0") {
		t.Errorf("report:\n%s\nwant every function generated as win32-status, nothing skipped", first.String())
	}
}
