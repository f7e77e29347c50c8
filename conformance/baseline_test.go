package conformance_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/conformance/internal/scratch"
	"github.com/winqos/winqos/qwave"
)

func writeBaseline(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(scratch.Dir(t), "lab.json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadBaselineRejectsUnknownNames(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"case", `{"deviations": {"QOSCloseHandle/QOSHandle-nul": {"status": "fail"}}}`,
			`deviations["QOSCloseHandle/QOSHandle-nul"]: no case "QOSCloseHandle/QOSHandle-nul" in the suite; did you mean QOSCloseHandle/QOSHandle-null?`},
		{"status", `{"deviations": {"QOSCloseHandle/QOSHandle-null": {"status": "failed"}}}`,
			`deviations["QOSCloseHandle/QOSHandle-null"]: status "failed"; want fail, crashed or hung`},
		{"crashing function", `{"crashes": ["QOSCancle"]}`, `crashes[0]: no function "QOSCancle"`},
		{"codes function", `{"codes": {"QOSCreate": ["ERROR_SERVICE_ALREADY_RUNNING"]}}`, `codes["QOSCreate"]: no function "QOSCreate"; did you mean QOSCreateHandle?`},
		{"code name", `{"codes": {"QOSCreateHandle": ["ERROR_SERVICE_ALREADY_RUNING"]}}`, `codes["QOSCreateHandle"][0]: winerror.h defines no "ERROR_SERVICE_ALREADY_RUNING"`},
		{"unknown field", `{"deviation": {}}`, `unknown field "deviation"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeBaseline(t, tc.src)
			_, err := conformance.LoadBaseline(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v\nwant the file %s and %q", err, path, tc.want)
			}
		})
	}
}

func TestEmbeddedBaselinesLoad(t *testing.T) {
	for _, name := range conformance.BaselineNames() {
		if _, err := conformance.LoadBaseline(name); err != nil {
			t.Error(err)
		}
	}
}

func TestBaselineAllows(t *testing.T) {
	b, err := conformance.LoadBaseline(writeBaseline(t, `{"codes": {"QOSCreateHandle": ["ERROR_SERVICE_ALREADY_RUNNING", "ERROR_BUSY"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fn   string
		code qwave.Errno
		want bool
	}{
		{"QOSCreateHandle", 1056, true},
		{"QOSCreateHandle", 170, true}, // ERROR_BUSY: any winerror name resolves
		{"QOSCreateHandle", 0, false},  // no name matches code 0
		{"QOSCloseHandle", 1056, false},
	} {
		if got := b.Allows(tc.fn, tc.code); got != tc.want {
			t.Errorf("Allows(%s, %d) = %v; want %v", tc.fn, tc.code, got, tc.want)
		}
	}
	// Windows' own codes come from the facts, not a baseline.
	if !qwave.ProfileWindows.Allows("QOSCloseHandle", qwave.ERROR_INVALID_HANDLE) || qwave.ProfileDocumented.Allows("QOSCloseHandle", qwave.ERROR_INVALID_HANDLE) {
		t.Error("ERROR_INVALID_HANDLE of QOSCloseHandle: want allowed by the Windows profile only")
	}
}

func TestCompareListsNotRun(t *testing.T) {
	b, err := conformance.LoadBaseline(writeBaseline(t, `{"deviations": {
		"QOSCancel/QOSHandle-null": {"status": "crashed"},
		"QOSCloseHandle/QOSHandle-null": {"status": "fail", "observed": "FALSE, ERROR_INVALID_HANDLE"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := conformance.Report{Results: []conformance.Result{
		{Case: "QOSCloseHandle/QOSHandle-null", Status: conformance.Fail, Observed: "FALSE, ERROR_INVALID_HANDLE"},
		{Case: "QOSCreateHandle/valid", Status: conformance.Pass},
	}}
	diffs := b.Compare(r)
	if len(diffs) != 1 || diffs[0].Case != "QOSCancel/QOSHandle-null" || !diffs[0].NotRun() {
		t.Fatalf("diffs = %v; want QOSCancel/QOSHandle-null not run", diffs)
	}
	if s := diffs[0].String(); s != "QOSCancel/QOSHandle-null: not run; the baseline expects crashed" {
		t.Errorf("String() = %q", s)
	}
}
