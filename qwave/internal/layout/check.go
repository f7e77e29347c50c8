package layout

import (
	"os"
	"reflect"
	"runtime"
	"testing"
)

// Package says which generated package a layout test checks.
type Package struct {
	Dir       string // its directory, "." from its own tests
	Path      string // its import path
	TypesFile string // the generated file whose structs are checked
	Header    string // the mingw-w64 header that declares them
	// Prelude is the C text that includes Header (and what it needs).
	Prelude string
	// Required are structs TypesFile must declare; the check fails if
	// the struct discovery misses one.
	Required []string
}

// Structs type-checks the package for goarch and returns its structs'
// layouts and names, failing t if one of Required is missing.
func (p Package) Structs(t *testing.T, goarch string) (map[string]Record, []string) {
	t.Helper()
	fset, files, err := ParseFiles(p.Dir, goarch)
	if err != nil {
		t.Fatal(err)
	}
	recs, names, err := GoLayouts(fset, files, p.Path, p.TypesFile, goarch)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, n := range p.Required {
		if !have[n] {
			t.Errorf("struct %s not found in %s (found %v)", n, p.TypesFile, names)
		}
	}
	return recs, names
}

// CheckClang compares every struct of TypesFile with the layout clang
// computes for Header on each Windows target, one parallel subtest per
// GOARCH. each, when set, is also called with the target's C layouts. It
// skips (fails with CI=true) when clang or the headers are missing, and in
// a test binary built for windows: the check runs on the Linux host.
func (p Package) CheckClang(t *testing.T, each func(t *testing.T, goarch string, cRecs map[string]Record)) {
	if runtime.GOOS == "windows" {
		t.Skip("test binary built for windows: the clang layout check runs in the native linux test binary")
	}
	clang, err := Tools(p.Header)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err.Error() + " (CI=true, so the layout check may not be skipped)")
		}
		t.Skip(err)
	}
	for _, a := range Arches {
		t.Run(a.GOARCH, func(t *testing.T) {
			t.Parallel()
			goRecs, names := p.Structs(t, a.GOARCH)
			dump, err := Dump(clang, a.Target, Source(p.Prelude, names))
			if err != nil {
				t.Fatal(err)
			}
			cRecs, err := ParseDump(dump)
			if err != nil {
				t.Fatalf("parsing the clang %s dump: %v", a.Target, err)
			}
			for _, m := range Compare(a.GOARCH, names, goRecs, cRecs) {
				t.Error(m)
			}
			for _, n := range names {
				t.Logf("%s: %s", n, Format(goRecs[n]))
			}
			if each != nil {
				each(t, a.GOARCH, cRecs)
			}
		})
	}
}

// CheckCompiler checks, for the GOARCH the test runs on, that the layouts
// go/types computes (which CheckClang relies on for every GOARCH) are those
// the compiler gave the real types, named in compiled.
func (p Package) CheckCompiler(t *testing.T, compiled map[string]reflect.Type) {
	supported := false
	for _, a := range Arches {
		supported = supported || a.GOARCH == runtime.GOARCH
	}
	if !supported || runtime.Compiler != "gc" {
		t.Skipf("GOARCH %s with compiler %s: Windows structs are checked only for gc on 386, amd64 and arm64", runtime.GOARCH, runtime.Compiler)
	}
	goRecs, _ := p.Structs(t, runtime.GOARCH)
	for _, name := range p.Required {
		rt, ok := compiled[name]
		if !ok {
			t.Errorf("%s: no compiled type given", name)
			continue
		}
		want := Record{Size: int64(rt.Size()), Align: int64(rt.Align())}
		for i := range rt.NumField() {
			if f := rt.Field(i); f.Name != "_" {
				want.Fields = append(want.Fields, Field{Name: f.Name, Offset: int64(f.Offset)})
			}
		}
		if got := goRecs[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s on %s: go/types says %+v, compiler %+v", name, runtime.GOARCH, got, want)
		}
	}
}
