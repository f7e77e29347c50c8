package traffic_test

import (
	"os"
	"reflect"
	"runtime"
	"testing"

	"github.com/winqos/winqos/qwave/internal/layout"
	"github.com/winqos/winqos/qwave/traffic"
)

// trafficPrelude includes traffic.h as a Windows C file does: qos.h first,
// for FLOWSPEC and QOS_OBJECT_HDR, which traffic.h uses without including.
const trafficPrelude = `#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>
#include <qos.h>
#include <traffic.h>
`

// trafficRequired are structs ztypes.go must declare; the test fails if
// the struct discovery misses one.
var trafficRequired = []string{"ENUMERATION_BUFFER", "TCI_CLIENT_FUNC_LIST", "TC_GEN_FILTER", "TC_GEN_FLOW", "TC_IFC_DESCRIPTOR"}

// TestLayoutMatchesClang compares every struct of ztypes.go with the layout
// clang computes for mingw-w64's traffic.h on each Windows target.
func TestLayoutMatchesClang(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("test binary built for windows: the clang layout check runs in the native linux test binary")
	}
	clang, err := layout.Tools("traffic.h")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err.Error() + " (CI=true, so the layout check may not be skipped)")
		}
		t.Skip(err)
	}
	for _, a := range layout.Arches {
		t.Run(a.GOARCH, func(t *testing.T) {
			t.Parallel()
			fset, files, err := layout.ParseFiles(".", a.GOARCH)
			if err != nil {
				t.Fatal(err)
			}
			goRecs, names, err := layout.GoLayouts(fset, files, "github.com/winqos/winqos/qwave/traffic", "ztypes.go", a.GOARCH)
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, n := range names {
				have[n] = true
			}
			for _, n := range trafficRequired {
				if !have[n] {
					t.Errorf("struct %s not found in ztypes.go (found %v)", n, names)
				}
			}
			dump, err := layout.Dump(clang, a.Target, layout.Source(trafficPrelude, names))
			if err != nil {
				t.Fatal(err)
			}
			cRecs, err := layout.ParseDump(dump)
			if err != nil {
				t.Fatalf("parsing the clang %s dump: %v", a.Target, err)
			}
			for _, m := range layout.Compare(a.GOARCH, names, goRecs, cRecs) {
				t.Error(m)
			}
			for _, n := range names {
				t.Logf("%s: %s", n, layout.Format(goRecs[n]))
			}
		})
	}
}

// TestLayoutGoTypesMatchesCompiler checks, for the GOARCH the test runs on,
// that go/types computes the layouts the compiler gave the real types.
func TestLayoutGoTypesMatchesCompiler(t *testing.T) {
	compiled := map[string]reflect.Type{
		"ENUMERATION_BUFFER":   reflect.TypeFor[traffic.ENUMERATION_BUFFER](),
		"TCI_CLIENT_FUNC_LIST": reflect.TypeFor[traffic.TCI_CLIENT_FUNC_LIST](),
		"TC_GEN_FILTER":        reflect.TypeFor[traffic.TC_GEN_FILTER](),
		"TC_GEN_FLOW":          reflect.TypeFor[traffic.TC_GEN_FLOW](),
		"TC_IFC_DESCRIPTOR":    reflect.TypeFor[traffic.TC_IFC_DESCRIPTOR](),
	}
	supported := false
	for _, a := range layout.Arches {
		supported = supported || a.GOARCH == runtime.GOARCH
	}
	if !supported || runtime.Compiler != "gc" {
		t.Skipf("GOARCH %s with compiler %s: Windows structs are checked only for gc on 386, amd64 and arm64", runtime.GOARCH, runtime.Compiler)
	}
	fset, files, err := layout.ParseFiles(".", runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	goRecs, _, err := layout.GoLayouts(fset, files, "github.com/winqos/winqos/qwave/traffic", "ztypes.go", runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range trafficRequired {
		rt := compiled[name]
		want := layout.Record{Size: int64(rt.Size()), Align: int64(rt.Align())}
		for i := range rt.NumField() {
			if f := rt.Field(i); f.Name != "_" {
				want.Fields = append(want.Fields, layout.Field{Name: f.Name, Offset: int64(f.Offset)})
			}
		}
		if got := goRecs[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s on %s: go/types says %+v, compiler %+v", name, runtime.GOARCH, got, want)
		}
	}
}
