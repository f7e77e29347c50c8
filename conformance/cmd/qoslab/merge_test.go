package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/internal/scratch"
	"github.com/winqos/winqos/qwave"
)

// modelRun writes the results of the reference model, as qoslab writes
// them, into a directory.
func modelRun(t testing.TB, profile qwave.Profile) string {
	t.Helper()
	r := conformance.Check(newModelAPI, conformance.WithProfile(profile))
	conformance.Classify(&r, nil)
	r.Machine = &conformance.Machine{Name: "model", Target: "model", Profile: profile.String(), OS: "linux", Arch: "amd64", Date: "2026-12-03T00:00:00Z"}
	dir := scratch.Dir(t)
	var buf bytes.Buffer
	if err := conformance.WriteJSONL(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.jsonl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// truncatedCopy copies a results directory keeping its first n lines, with
// a broken line among them and the next line cut mid-way, as a machine that
// died mid-write leaves it.
func truncatedCopy(t testing.TB, dir string, n int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	out := strings.Join(lines[:n], "") + "{not json\n" + lines[n][:len(lines[n])/2]
	cp := scratch.Dir(t)
	if err := os.WriteFile(filepath.Join(cp, "results.jsonl"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return cp
}

// wineRun is the Wine 8.0 run recorded by qoslab -wine.
var wineRun = filepath.Join("..", "..", "testdata", "wine-8.0")

// TestMergeCommand runs qoslab merge over the model run, the Wine run and a
// truncated copy of the Wine run: it writes the three files 0644, reports
// the broken line and succeeds.
func TestMergeCommand(t *testing.T) {
	out := scratch.Dir(t)
	var stderr bytes.Buffer
	code, err := run([]string{"merge", "-out", out, modelRun(t, qwave.ProfileDocumented), wineRun, truncatedCopy(t, wineRun, 21)}, &bytes.Buffer{}, &stderr)
	if code != 0 || err != nil {
		t.Fatalf("merge = %d, %v\n%s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "results.jsonl: line 22: ") || !strings.Contains(stderr.String(), "3 machines") {
		t.Errorf("stderr does not report the broken line and the machines:\n%s", stderr.String())
	}
	var mg conformance.Merged
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &mg); err != nil || len(mg.Machines) != 3 {
		t.Fatalf("results.json: %v, %d machines", err, len(mg.Machines))
	}
	junit, _ := os.ReadFile(filepath.Join(out, "junit.xml"))
	if n := strings.Count(string(junit), "<testsuite "); n != 3 {
		t.Errorf("%d JUnit suites; want one per machine", n)
	}
	for _, name := range []string{"report.html", "results.json", "junit.xml"} {
		info, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Error(err)
		} else if runtime.GOOS != "windows" && info.Mode().Perm() != 0o644 { // Windows has no Unix modes
			t.Errorf("%s: mode %v; want 0644", name, info.Mode())
		}
	}
}

func TestMergeUsage(t *testing.T) {
	for _, args := range [][]string{{"merge"}, {"merge", "-out", scratch.Dir(t)}, {"merge", "-out", scratch.Dir(t), scratch.Dir(t)}} {
		if code, _ := run(args, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
}

// BenchmarkMerge100Machines merges the result directories of 100 machines
// (the model and Wine runs, alternating, each as its own machine) from disk
// into report.html, results.json and junit.xml, as qoslab merge does.
func BenchmarkMerge100Machines(b *testing.B) {
	src := []string{modelRun(b, qwave.ProfileDocumented), wineRun}
	root := scratch.Dir(b)
	var dirs []string
	for i := range 100 {
		f, err := os.Open(filepath.Join(src[i%2], "results.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		r, _, _ := conformance.ReadJSONLLenient(f)
		f.Close()
		m := *r.Machine
		m.Name = fmt.Sprintf("lab-%03d", i)
		m.Build = uint32(19041 + i%5*1000)
		m.Wine = ""
		r.Machine = &m
		dir := filepath.Join(root, m.Name)
		os.MkdirAll(dir, 0o755)
		var buf bytes.Buffer
		conformance.WriteJSONL(&buf, r)
		os.WriteFile(filepath.Join(dir, "results.jsonl"), buf.Bytes(), 0o644)
		dirs = append(dirs, dir)
	}
	out := scratch.Dir(b)
	args := append([]string{"merge", "-out", out}, dirs...)
	b.ReportAllocs()
	for b.Loop() {
		if code, err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
			b.Fatal(code, err)
		}
	}
}
