package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/internal/scratch"
	"github.com/winqos/winqos/qwave"
)

// TestFlagsValidatedFirst: a bad flag fails at once, with exit status 2 and
// before any case runs (no results.jsonl).
func TestFlagsValidatedFirst(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-baseline", "nosuch"}, `-baseline: baseline "nosuch"`},
		{[]string{"-timeout", "0"}, "-timeout 0s: want a positive duration"},
		{[]string{"-profile", "linux"}, `-profile "linux": want documented or windows`},
		{[]string{"-target", "phone"}, `-target "phone"`},
		{[]string{"-run", "("}, "-run:"},
		{[]string{"-peer", "nowhere"}, "-peer:"},
	} {
		out := scratch.Dir(t)
		var stderr bytes.Buffer
		code, err := run(append([]string{"-target", "model", "-out", out, "-q"}, tc.args...), &bytes.Buffer{}, &stderr)
		if code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, %v; want 2 and %q", tc.args, code, err, tc.want)
		}
		if _, err := os.Stat(filepath.Join(out, "results.jsonl")); err == nil {
			t.Errorf("%v: cases ran before the flag was rejected", tc.args)
		}
	}
}

func TestUsageHidesChild(t *testing.T) {
	var stderr bytes.Buffer
	run([]string{"-h"}, &bytes.Buffer{}, &stderr)
	help := stderr.String()
	if strings.Contains(help, "-child") || !strings.Contains(help, "-profile") || !strings.Contains(help, "Exit status") {
		t.Errorf("usage shows -child, or lacks -profile or the exit status:\n%s", help)
	}
}

// TestModelWindowsProfile runs qoslab -target model -profile windows: every
// case passes, and the cases of facts that differ from the docs are
// documentation findings.
func TestModelWindowsProfile(t *testing.T) {
	bin := buildQoslab(t)
	out := scratch.Dir(t)
	cmd := exec.Command(bin, "-target", "model", "-profile", "windows", "-out", out, "-q")
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qoslab -target model -profile windows: %v\n%s", err, msg)
	}
	f, err := os.Open(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := conformance.ReadJSONL(f)
	if err != nil {
		t.Fatal(err)
	}
	findings := map[string]bool{}
	for _, res := range r.Results {
		if res.Status != conformance.Pass {
			t.Errorf("%s: %s: %s", res.Case, res.Status, res.Message())
		}
		if res.Verdict == conformance.VerdictFinding {
			findings[res.Case] = true
		}
	}
	for _, fact := range qwave.Facts() {
		if name := fact.Func + "/" + fact.Case; findings[name] == fact.Documented {
			t.Errorf("%s: documentation finding %v; the fact (%s) differs from the docs: %v", name, findings[name], fact.Spec, !fact.Documented)
		}
	}
	if !strings.Contains(string(msg), "documentation findings") || !strings.Contains(string(msg), "no regression") {
		t.Errorf("summary does not say the run differs from the docs as Windows does:\n%s", msg)
	}
}
