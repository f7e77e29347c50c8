package qwave_test

import (
	"strings"
	"testing"

	"github.com/winqos/winqos/qwave"
)

func TestProfileNames(t *testing.T) {
	for _, p := range []qwave.Profile{qwave.ProfileDocumented, qwave.ProfileWindows} {
		got, err := qwave.ParseProfile(p.String())
		if err != nil || got != p {
			t.Errorf("ParseProfile(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := qwave.ParseProfile("Windows"); err == nil {
		t.Error(`ParseProfile("Windows") accepted a name that is not one`)
	}
}

// TestProfileErrors: under the Windows profile a function may also fail with
// the codes its facts record, each listed with the fact's why and entry.
func TestProfileErrors(t *testing.T) {
	for _, c := range qwave.Contracts() {
		docs := qwave.ProfileDocumented.Errors(c.Func)
		if len(docs) != len(c.Errors) {
			t.Errorf("%s: documented profile lists %d codes; the page documents %d", c.Func, len(docs), len(c.Errors))
		}
		win := qwave.ProfileWindows.Errors(c.Func)
		extra := map[qwave.Errno]bool{}
		for _, f := range qwave.FactsOf(c.Func) {
			if f.Func != c.Func {
				t.Errorf("FactsOf(%s) holds a fact of %s", c.Func, f.Func)
			}
			if !f.OK && !f.Documented {
				extra[f.Code] = true
			}
			if got, ok := qwave.FactOf(f.Func, f.Case); !ok || got != f {
				t.Errorf("FactOf(%s, %s) = %v, %v", f.Func, f.Case, got, ok)
			}
		}
		if len(win) != len(docs)+len(extra) {
			t.Errorf("%s: Windows profile lists %d codes; want %d documented and %d observed", c.Func, len(win), len(docs), len(extra))
		}
		for _, e := range win[len(docs):] {
			if !extra[e.Code] || !strings.HasPrefix(e.Source, "spec/qos2/observed.yaml:") || e.Text == "" {
				t.Errorf("%s: observed code %+v", c.Func, e)
			}
			if !qwave.ProfileWindows.Allows(c.Func, e.Code) || qwave.ProfileDocumented.Allows(c.Func, e.Code) {
				t.Errorf("%s: %s allowed by the wrong profile", c.Func, e.Name)
			}
		}
	}
	if f, ok := qwave.FactOf("QOSCloseHandle", "QOSHandle-null"); !ok || f.Outcome() != "FALSE, ERROR_INVALID_HANDLE" ||
		!f.Matches(qwave.Outcome{LastError: qwave.ERROR_INVALID_HANDLE}) || f.Matches(qwave.Outcome{LastError: qwave.ERROR_INVALID_PARAMETER}) || f.Kind != qwave.FactObserved {
		t.Errorf("QOSCloseHandle(NULL) fact = %+v, %v", f, ok)
	}
	if qwave.FactsOf("QOSNoSuchFunction") != nil {
		t.Error("facts about an unknown function")
	}
}
