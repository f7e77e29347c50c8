package model

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/winqos/winqos/gen/doc"
)

// upstreamDir holds Microsoft's sdk-api pages for qos2, shared reference data
// that is not part of this module.
const upstreamDir = "../../../shared/sdk-api/qos2"

// erratum is an entry of spec/errata.yaml: a place where spec/ knowingly
// differs from upstream.
type erratum struct {
	File     string `yaml:"file"`
	Section  string `yaml:"section"`
	Kind     string `yaml:"kind"`
	Upstream string `yaml:"upstream"`
	Fact     string `yaml:"fact"`
	Why      string `yaml:"why"`
}

func readErrata(t *testing.T) []erratum {
	src, err := os.ReadFile("../../spec/errata.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var errata []erratum
	if err := yaml.Unmarshal(src, &errata); err != nil {
		t.Fatalf("spec/errata.yaml: %v", err)
	}
	for i, e := range errata {
		if e.File == "" || e.Section == "" || e.Upstream == "" || e.Fact == "" || e.Why == "" {
			t.Errorf("spec/errata.yaml entry %d lacks file, section, upstream, fact or why: %+v", i+1, e)
		}
		if e.Kind != "rename-error" && e.Kind != "duplicate-error" {
			t.Errorf("spec/errata.yaml entry %d: unknown kind %q", i+1, e.Kind)
		}
	}
	return errata
}

// facts is what the drift test compares: everything spec/ must agree with
// upstream on. Prose is not a fact.
type facts struct {
	Functions map[string]funcFacts
	Structs   map[string][]string
	Enums     map[string][]string // "Name=Value"
}

type funcFacts struct {
	Params []string // "Name [annotation] reserved?"
	Codes  []string // sorted
}

func factsOf(pages []*doc.Page) facts {
	f := facts{Functions: map[string]funcFacts{}, Structs: map[string][]string{}, Enums: map[string][]string{}}
	for _, p := range pages {
		name := strings.Join(p.Front.APIName, ",")
		switch p.Kind {
		case doc.Function:
			var ff funcFacts
			for _, par := range p.Params {
				s := par.Name + " [" + par.Annotation + "]"
				if par.Reserved {
					s += " reserved"
				}
				ff.Params = append(ff.Params, s)
			}
			for _, r := range p.Returns {
				if r.Code {
					ff.Codes = append(ff.Codes, r.Name)
				}
			}
			sort.Strings(ff.Codes)
			f.Functions[name] = ff
		case doc.Struct:
			for _, fl := range p.Fields {
				f.Structs[name] = append(f.Structs[name], fl.Name)
			}
		case doc.Enum:
			for _, fl := range p.Fields {
				f.Enums[name] = append(f.Enums[name], fl.Name+"="+fl.Value)
			}
		}
	}
	return f
}

// applyErrata corrects upstream facts as spec/errata.yaml says, after
// checking that each erratum still describes the upstream text.
func applyErrata(t *testing.T, f facts, pages map[string]*doc.Page, errata []erratum) {
	for _, e := range errata {
		p, ok := pages[e.File]
		if !ok {
			t.Errorf("erratum for %s: no such upstream page", e.File)
			continue
		}
		if e.Section != "returns" {
			s, _ := p.Section(e.Section)
			if !strings.Contains(s.Body, e.Upstream) {
				t.Errorf("erratum for %s: upstream section %s no longer says %s; drop the erratum", e.File, e.Section, e.Upstream)
			}
			continue
		}
		name := p.Front.APIName[0]
		ff := f.Functions[name]
		var codes []string
		seen := map[string]bool{}
		found := 0
		for _, c := range ff.Codes {
			if c == e.Upstream {
				found++
				if e.Kind == "rename-error" {
					c = e.Fact
				}
			}
			if e.Kind == "duplicate-error" && seen[c] {
				continue
			}
			seen[c] = true
			codes = append(codes, c)
		}
		if found == 0 || e.Kind == "duplicate-error" && found < 2 {
			t.Errorf("erratum %s for %s: upstream no longer has it; drop the erratum", e.Kind, e.File)
		}
		sort.Strings(codes)
		ff.Codes = codes
		f.Functions[name] = ff
	}
}

// TestDriftFromUpstream checks that spec/ states exactly the facts of
// Microsoft's pages, except the listed errata.
func TestDriftFromUpstream(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(upstreamDir, "n*.md"))
	if len(names) == 0 {
		t.Skipf("no upstream pages in %s (../shared is absent); nothing to compare", upstreamDir)
	}
	var upstream []*doc.Page
	byFile := map[string]*doc.Page{}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		p, err := doc.Parse(n, src)
		if err != nil {
			t.Fatal(err)
		}
		upstream = append(upstream, p)
		byFile[filepath.Base(n)] = p
	}
	ours, err := ParseDir(specDir)
	if err != nil {
		t.Fatal(err)
	}
	want := factsOf(upstream)
	applyErrata(t, want, byFile, readErrata(t))
	got := factsOf(ours)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("spec/qos2 differs from upstream beyond spec/errata.yaml (-upstream +spec):\n%s", d)
	}
	if len(want.Functions) != 11 || len(want.Structs) != 4 || len(want.Enums) != 6 {
		t.Errorf("compared %d functions, %d structs, %d enums; want 11, 4, 6", len(want.Functions), len(want.Structs), len(want.Enums))
	}
}
