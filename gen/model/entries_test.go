package model

import (
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/diag"
)

func TestParseEntries(t *testing.T) {
	type entry struct {
		Func string `yaml:"func"`
		Note string `yaml:"note"`
	}
	keys, required := []string{"func", "note"}, []string{"func"}
	for _, tc := range []struct{ name, src, want string }{
		{"not a list", "func: A\n", "x.yaml:1: expected a list of entries"},
		{"entry not a mapping", "- A\n", "x.yaml:1: expected an entry with func"},
		{"required key missing", "- note: n\n", "x.yaml:1: entry has no func"},
		{"required key null", "- func: ~\n", "x.yaml:1: entry has no func"},
		{"required key empty", "- func: \"\"\n", "x.yaml:1: entry has no func"},
		{"unknown key", "- func: A\n  colour: red\n", `x.yaml:2: unknown key "colour"; expected one of func, note`},
		{"check reports", "- func: A\n- func: B\n", "x.yaml:2: B is not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseEntries("x.yaml", []byte(tc.src), keys, required, func(e *entry, line int, errs *diag.List) {
				if e.Func == "B" {
					errs.Add(line, "B is not allowed")
				}
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v; want one containing %q", err, tc.want)
			}
		})
	}
	got, err := parseEntries("x.yaml", []byte("- func: A\n  note: n\n- func: C\n"), keys, required, func(*entry, int, *diag.List) {})
	if err != nil || len(got) != 2 || got[0] != (entry{"A", "n"}) || got[1] != (entry{"C", ""}) {
		t.Errorf("parseEntries = %+v, %v; want [{A n} {C }], nil", got, err)
	}
}
