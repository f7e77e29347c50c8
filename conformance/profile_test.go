package conformance_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// windowsLike behaves as Windows is observed to: QOSCloseHandle of NULL, of
// 0xdeadbeef and of a closed handle fails with ERROR_INVALID_HANDLE.
func windowsLike() qwave.API { return qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows)) }

// undocumentedFacts lists the cases whose fact differs from the docs.
func undocumentedFacts() []string {
	var out []string
	for _, f := range qwave.Facts() {
		if !f.Documented {
			out = append(out, f.Func+"/"+f.Case)
		}
	}
	sort.Strings(out)
	return out
}

func TestFactsNameCases(t *testing.T) {
	for _, f := range qwave.Facts() {
		if _, ok := conformance.Describe(f.Func + "/" + f.Case); !ok {
			t.Errorf("%s: %s/%s is not a conformance case", f.Spec, f.Func, f.Case)
		}
	}
	if len(undocumentedFacts()) == 0 {
		t.Fatal("no fact differs from the docs")
	}
}

func TestWindowsLikeByProfile(t *testing.T) {
	// The Windows profile: every case passes; the facts' cases are
	// documentation findings with the fact's why, and nothing regresses.
	r := conformance.Check(windowsLike, conformance.WithProfile(qwave.ProfileWindows))
	if err := r.Err(); err != nil {
		t.Errorf("Windows profile: %v", err)
	}
	conformance.Classify(&r, nil)
	var findings []string
	for _, res := range r.Results {
		switch res.Verdict {
		case conformance.VerdictRegression:
			t.Errorf("Windows profile: regression %s: %s", res.Case, res.Message())
		case conformance.VerdictFinding:
			findings = append(findings, res.Case)
			if res.Why == "" || !strings.HasPrefix(res.Fact, "spec/qos2/observed.yaml:") {
				t.Errorf("%s: why %q, fact %q", res.Case, res.Why, res.Fact)
			}
		}
	}
	if diff := cmp.Diff(undocumentedFacts(), findings); diff != "" {
		t.Errorf("Windows profile: documentation findings (-want +got):\n%s", diff)
	}

	// The documented profile: exactly those cases fail, and Classify,
	// reading the same facts, calls them documentation findings.
	r = conformance.Check(windowsLike)
	conformance.Classify(&r, nil)
	var failed []string
	for _, res := range r.Results {
		if res.Status != conformance.Pass && res.Status != conformance.Skip {
			failed = append(failed, res.Case)
			if res.Verdict != conformance.VerdictFinding || res.Expectation != conformance.ExpectObserved {
				t.Errorf("documented profile: %s: verdict %q, expectation %q", res.Case, res.Verdict, res.Expectation)
			}
		}
	}
	if diff := cmp.Diff(undocumentedFacts(), failed); diff != "" {
		t.Errorf("documented profile: failed cases (-want +got):\n%s", diff)
	}
}

// TestDocumentedModelUnderWindowsProfile: the Windows profile accepts the
// documented answers too.
func TestDocumentedModelUnderWindowsProfile(t *testing.T) {
	if err := conformance.Check(newModel, conformance.WithProfile(qwave.ProfileWindows)).Err(); err != nil {
		t.Error(err)
	}
}
