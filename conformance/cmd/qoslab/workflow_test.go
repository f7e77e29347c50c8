package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

const workflow = "../../../.github/workflows/windows-lab.yml"

// TestWorkflowLints checks the Windows lab workflow with actionlint, and
// that it runs qoslab on the three hosted Windows runners and merges.
func TestWorkflowLints(t *testing.T) {
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(workflow, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", workflow, e.Line, e.Column, e.Message, e.Kind)
	}
	src, err := os.ReadFile(workflow)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"runs-on":"windows-2022"`, `"runs-on":"windows-2025"`, `"runs-on":"windows-11-arm"`, "vars.QWAVE_LAB_RUNNERS",
		"qoslab -target dll", "qoslab merge -out", "Install-WindowsFeature -Name qWave", "upload-artifact", "probe.json"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the workflow lacks %q", want)
		}
	}
}
