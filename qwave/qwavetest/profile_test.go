package qwavetest_test

import (
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// TestWindowsProfileReproducesFacts makes the call of every fact in
// spec/qos2/observed.yaml, through the conformance case the fact names, on
// the model under the Windows profile: the outcome must be the fact's.
// Under the documented profile the facts that differ from the docs must not
// be reproduced.
func TestWindowsProfileReproducesFacts(t *testing.T) {
	if len(qwave.Facts()) == 0 {
		t.Fatal("no facts")
	}
	for _, f := range qwave.Facts() {
		name := f.Func + "/" + f.Case
		t.Run(name, func(t *testing.T) {
			windows := func() qwave.API { return qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows)) }
			res, ok := conformance.RunCase(name, windows, conformance.WithProfile(qwave.ProfileWindows))
			if !ok {
				t.Fatalf("%s (%s) names no conformance case", name, f.Spec)
			}
			if res.Observed != f.Outcome() || res.Status != conformance.Pass {
				t.Errorf("%s under the Windows profile = %s (%s: %s); %s records %s", f.Call, res.Observed, res.Status, res.Msg, f.Spec, f.Outcome())
			}
			if !f.Documented && (res.Expectation != conformance.ExpectObserved || res.Why != f.Why || res.Fact != f.Spec) {
				t.Errorf("expectation %q, why %q, fact %q; want %q and the fact's why and entry", res.Expectation, res.Why, res.Fact, conformance.ExpectObserved)
			}
			documented := func() qwave.API { return qwavetest.New() }
			res, _ = conformance.RunCase(name, documented)
			if got := res.Observed == f.Outcome(); got != f.Documented {
				t.Errorf("documented model: %s = %s; reproducing the fact is %v, want %v (the fact agrees with the docs: %v)", f.Call, res.Observed, got, f.Documented, f.Documented)
			}
		})
	}
}

func TestInjectUnderProfile(t *testing.T) {
	m := qwavetest.New()
	if err := m.Inject(qwave.FuncQOSCloseHandle, qwave.ERROR_INVALID_HANDLE, 1); err == nil {
		t.Error("the documented model accepted an undocumented code for injection")
	}
	w := qwavetest.New(qwavetest.WithProfile(qwave.ProfileWindows))
	if err := w.Inject(qwave.FuncQOSCloseHandle, qwave.ERROR_INVALID_HANDLE, 1); err != nil {
		t.Errorf("the Windows model refused a code Windows is known to return: %v", err)
	}
	if w.Profile() != qwave.ProfileWindows || m.Profile() != qwave.ProfileDocumented {
		t.Errorf("profiles %v, %v", w.Profile(), m.Profile())
	}
}
