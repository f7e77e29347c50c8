package fuzz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

// The work each layer does on a mutant: the conformance suite once, with
// and without injection; CheckCall on mutationInputs random calls; the op
// fuzzer on mutationSeeds sequences of 64 ops.
const (
	mutationInputs = 4000
	mutationSeeds  = 400
)

// kill runs one layer on a mutant and returns what killed it, or "".
func kill(l layer, newAPI func() qwave.API) string {
	switch l {
	case layerCheck:
		for _, r := range conformance.Check(newAPI).Results {
			if r.Status == conformance.Fail || r.Status == conformance.Crashed || r.Status == conformance.Hung {
				return r.Case + ": " + r.Message()
			}
		}
	case layerInjection:
		inject := func(api qwave.API, fn qwave.FuncID, code qwave.Errno) error {
			return api.(interface {
				Inject(qwave.FuncID, qwave.Errno, int) error
			}).Inject(fn, code, 1)
		}
		only := conformance.WithFilter(func(name string) bool { return strings.Contains(name, "/injected-") })
		for _, r := range conformance.Check(newAPI, conformance.WithInjection(inject), only).Results {
			if r.Status != conformance.Pass && r.Status != conformance.Skip {
				return r.Case + ": " + r.Message()
			}
		}
	case layerCheckCall:
		for i, data := range randomInputs(11, mutationInputs) {
			if err := CheckCall(newAPI(), data, ContractOptions{}); err != nil {
				return fmt.Sprintf("input %d: %v", i, err)
			}
		}
	case layerOps:
		for seed := range uint64(mutationSeeds) {
			if err := CompareOps(newAPI, "mutant", func() qwave.API { return NewShadow() }, "Shadow", seed, 64, ""); err != nil {
				first, _, _ := strings.Cut(err.Error(), "\n")
				return first
			}
		}
	}
	return ""
}

// TestMutantsKilled holds the suite to the mutant set: every mutant must be
// killed, and by the layer its entry expects. The table of which layers
// kill which mutant is logged (go test -v).
func TestMutantsKilled(t *testing.T) {
	if len(mutants) < 25 {
		t.Errorf("%d mutants; the set keeps at least 25", len(mutants))
	}
	var table strings.Builder
	fmt.Fprintf(&table, "| mutant | rule broken | spec | expected | Check | Check+injection | CheckCall | FuzzOps |\n|---|---|---|---|---|---|---|---|\n")
	killed := 0
	for _, m := range mutants {
		var by [numLayers]string
		any := false
		for l := range numLayers {
			by[l] = kill(l, m.api)
			any = any || by[l] != ""
		}
		if any {
			killed++
		}
		mark := func(l layer) string {
			if by[l] != "" {
				return "killed"
			}
			return "-"
		}
		fmt.Fprintf(&table, "| %s | %s | %s | %v | %s | %s | %s | %s |\n", m.name, m.rule, m.source, m.layer,
			mark(layerCheck), mark(layerInjection), mark(layerCheckCall), mark(layerOps))
		switch {
		case !any:
			t.Errorf("mutant %s (%s: %s) survives every layer", m.name, m.source, m.rule)
		case by[m.layer] == "":
			t.Errorf("mutant %s is not killed by %v, the layer expected to kill it", m.name, m.layer)
		default:
			t.Logf("%s killed by %v: %s", m.name, m.layer, by[m.layer])
		}
	}
	t.Logf("%d of %d mutants killed (%.0f %%)\n%s", killed, len(mutants), 100*float64(killed)/float64(len(mutants)), table.String())
}
