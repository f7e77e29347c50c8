package qwave_test

// The structs in ztypes.go carry explicit `_ [N]byte` padding so that they
// match the Windows C ABI on every GOARCH: on 386 the Windows ABI aligns a
// UINT64 inside a struct to 8 bytes while Go aligns uint64 to 4
// (golang.org/issue/41001). The tests below check that padding against the
// layout clang computes for the mingw-w64 qos2.h, so a wrong or missing pad
// cannot go unnoticed.

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/internal/layout"
)

const (
	// layoutTypesFile is the generated file whose structs are checked: every
	// struct type declared there is compared with its C counterpart.
	layoutTypesFile = "ztypes.go"
	// layoutRecorded is clang's dump of the qos2.h records for
	// i686-w64-mingw32. TestLayoutDetectsMismatch uses it so that it runs
	// without clang; TestLayoutMatchesClang keeps it equal to live clang.
	layoutRecorded = "testdata/layout/i686-w64-mingw32.txt"
)

// layoutRequired are the structs ztypes.go must declare; a test fails if the
// struct discovery misses one of them.
var layoutRequired = []string{
	"QOS_FLOWRATE_OUTGOING",
	"QOS_FLOW_FUNDAMENTALS",
	"QOS_PACKET_PRIORITY",
	"QOS_VERSION",
}

// qos2Layout is what the layout tests check: ztypes.go against mingw-w64's
// qos2.h.
var qos2Layout = layout.Package{Dir: ".", Path: "github.com/winqos/winqos/qwave", TypesFile: layoutTypesFile, Header: "qos2.h", Prelude: qos2Prelude, Required: layoutRequired}

// qos2Prelude includes qos2.h as a Windows C file does, with the fix-up its
// mingw-w64 copy needs.
const qos2Prelude = `#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>
/* mingw-w64's qos2.h uses QOS_FLOWID before declaring it and never declares PQOS_FLOWID. */
typedef UINT32 QOS_FLOWID, *PQOS_FLOWID;
#include <qos2.h>
`

// TestLayoutMatchesClang compares every struct of ztypes.go with the layout
// clang computes for the mingw-w64 qos2.h on each Windows target.
func TestLayoutMatchesClang(t *testing.T) {
	qos2Layout.CheckClang(t, func(t *testing.T, goarch string, cRecs map[string]layout.Record) {
		if goarch == "386" {
			checkRecordedLayouts(t, cRecs)
		}
	})
}

// checkRecordedLayouts keeps the recorded dump TestLayoutDetectsMismatch uses equal
// to what clang reports now.
func checkRecordedLayouts(t *testing.T, live map[string]layout.Record) {
	t.Helper()
	recorded, err := readRecordedLayouts()
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for tag := range recorded {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	for _, tag := range tags {
		if !reflect.DeepEqual(recorded[tag], live[tag]) {
			t.Errorf("%s: record %s is %+v there, clang now says %+v; re-record it from "+
				"clang -target i686-w64-mingw32 -fsyntax-only -Xclang -fdump-record-layouts",
				layoutRecorded, tag, recorded[tag], live[tag])
		}
	}
}

func readRecordedLayouts() (map[string]layout.Record, error) {
	data, err := os.ReadFile(layoutRecorded)
	if err != nil {
		return nil, err
	}
	recs, err := layout.ParseDump(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", layoutRecorded, err)
	}
	return recs, nil
}

// layoutStructDecl returns the declaration of the named struct type in file.
func layoutStructDecl(files []*ast.File, fset *token.FileSet, file, name string) *ast.StructType {
	for _, f := range files {
		if filepath.Base(fset.Position(f.Pos()).Filename) != file {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				if ts := s.(*ast.TypeSpec); ts.Name.Name == name {
					st, _ := ts.Type.(*ast.StructType)
					return st
				}
			}
		}
	}
	return nil
}

// layoutFieldIndex returns the index in st.Fields.List of the field declaring name.
func layoutFieldIndex(st *ast.StructType, name string) (int, error) {
	for i, f := range st.Fields.List {
		for _, id := range f.Names {
			if id.Name == name {
				if len(f.Names) != 1 {
					return 0, fmt.Errorf("field %s shares its declaration with others", name)
				}
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("no field %s", name)
}

// TestLayoutDetectsMismatch breaks ztypes.go in ways the comparison must
// catch, type-checks the broken source for 386 and checks that
// compareLayouts reports exactly the expected differences against the
// recorded clang layout. It needs neither clang nor the mingw-w64 headers.
func TestLayoutDetectsMismatch(t *testing.T) {
	const ff = "QOS_FLOW_FUNDAMENTALS"
	cases := []struct {
		name   string
		record string
		mutate func(st *ast.StructType) error
		want   []string
	}{
		{name: "unchanged", record: ff},
		{
			name:   "pad before BottleneckBandwidth removed",
			record: ff,
			mutate: func(st *ast.StructType) error {
				i, err := layoutFieldIndex(st, "BottleneckBandwidth")
				if err != nil {
					return err
				}
				if i == 0 || len(st.Fields.List[i-1].Names) != 1 || st.Fields.List[i-1].Names[0].Name != "_" {
					return fmt.Errorf("no padding field before BottleneckBandwidth")
				}
				st.Fields.List = append(st.Fields.List[:i-1:i-1], st.Fields.List[i:]...)
				return nil
			},
			want: []string{
				"QOS_FLOW_FUNDAMENTALS on 386: Go size 36, C size 40",
				"QOS_FLOW_FUNDAMENTALS.AvailableBandwidth on 386: Go offset 20, C offset 24",
				"QOS_FLOW_FUNDAMENTALS.AvailableBandwidthSet on 386: Go offset 12, C offset 16",
				"QOS_FLOW_FUNDAMENTALS.BottleneckBandwidth on 386: Go offset 4, C offset 8",
				"QOS_FLOW_FUNDAMENTALS.RTT on 386: Go offset 32, C offset 36",
				"QOS_FLOW_FUNDAMENTALS.RTTSet on 386: Go offset 28, C offset 32",
			},
		},
		{
			name:   "RTT uint32 to uint64",
			record: ff,
			mutate: func(st *ast.StructType) error {
				i, err := layoutFieldIndex(st, "RTT")
				if err != nil {
					return err
				}
				f := st.Fields.List[i]
				f.Type = &ast.Ident{NamePos: f.Type.Pos(), Name: "uint64"}
				return nil
			},
			want: []string{"QOS_FLOW_FUNDAMENTALS on 386: Go size 44, C size 40"},
		},
		{
			name:   "RTT renamed",
			record: ff,
			mutate: func(st *ast.StructType) error {
				i, err := layoutFieldIndex(st, "RTT")
				if err != nil {
					return err
				}
				st.Fields.List[i].Names[0].Name = "Rtt"
				return nil
			},
			want: []string{
				"QOS_FLOW_FUNDAMENTALS.RTT on 386: C offset 36, no Go field",
				"QOS_FLOW_FUNDAMENTALS.Rtt on 386: Go offset 36, no C field",
			},
		},
		{
			name:   "Reason removed",
			record: "QOS_FLOWRATE_OUTGOING",
			mutate: func(st *ast.StructType) error {
				i, err := layoutFieldIndex(st, "Reason")
				if err != nil {
					return err
				}
				st.Fields.List = append(st.Fields.List[:i:i], st.Fields.List[i+1:]...)
				return nil
			},
			want: []string{
				"QOS_FLOWRATE_OUTGOING on 386: Go size 12, C size 16",
				"QOS_FLOWRATE_OUTGOING.Reason on 386: C offset 12, no Go field",
			},
		},
	}
	recorded, err := readRecordedLayouts()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fset, files, err := layout.ParseFiles(".", "386")
			if err != nil {
				t.Fatal(err)
			}
			st := layoutStructDecl(files, fset, layoutTypesFile, tc.record)
			if st == nil {
				t.Fatalf("struct %s not found in %s", tc.record, layoutTypesFile)
			}
			if tc.mutate != nil {
				if err := tc.mutate(st); err != nil {
					t.Fatalf("%s in %s: %v", tc.record, layoutTypesFile, err)
				}
			}
			goRecs, _, err := layout.GoLayouts(fset, files, "github.com/winqos/winqos/qwave", layoutTypesFile, "386")
			if err != nil {
				t.Fatal(err)
			}
			got := layout.Compare("386", layoutRequired, goRecs, recorded)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("mismatches:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// TestLayoutGoTypesMatchesCompiler checks, for the GOARCH the test runs on,
// that the layouts go/types computes (which TestLayoutMatchesClang relies on
// for every GOARCH) are those the compiler produced for the real types.
func TestLayoutGoTypesMatchesCompiler(t *testing.T) {
	qos2Layout.CheckCompiler(t, map[string]reflect.Type{
		"QOS_FLOWRATE_OUTGOING": reflect.TypeFor[qwave.QOS_FLOWRATE_OUTGOING](),
		"QOS_FLOW_FUNDAMENTALS": reflect.TypeFor[qwave.QOS_FLOW_FUNDAMENTALS](),
		"QOS_PACKET_PRIORITY":   reflect.TypeFor[qwave.QOS_PACKET_PRIORITY](),
		"QOS_VERSION":           reflect.TypeFor[qwave.QOS_VERSION](),
	})
}
