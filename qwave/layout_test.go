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
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/winqos/winqos/qwave"
)

// layoutArches pairs each GOARCH that Windows supports with the clang target
// whose C ABI the Go structs must match.
var layoutArches = []struct{ goarch, target string }{
	{"386", "i686-w64-mingw32"},
	{"amd64", "x86_64-w64-mingw32"},
	{"arm64", "aarch64-w64-mingw32"},
}

const (
	mingwInclude  = "/usr/share/mingw-w64/include"
	layoutInstall = "apt-get install -y --no-install-recommends clang mingw-w64-common"
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

// fieldLayout is a named field and its byte offset.
type fieldLayout struct {
	Name   string
	Offset int64
}

// recordLayout is the layout of one struct. Fields lists the named fields in
// declaration order; Go's blank padding fields are left out.
type recordLayout struct {
	Size, Align int64
	Fields      []fieldLayout
	// Unsupported, when set, says why the C layout cannot be compared
	// (bit-fields, anonymous members).
	Unsupported string
}

// compareLayouts compares the Go and C layouts of the named structs for
// goarch and returns the differences, sorted; nil means they match. A C
// record may be keyed by its typedef name or by its struct tag (_NAME).
// Struct alignment is not compared: Go cannot express 8-byte alignment on
// 386, and only the size and field offsets matter for memory the C side
// reads and writes.
func compareLayouts(goarch string, names []string, goRecs, cRecs map[string]recordLayout) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, name := range names {
		g, inGo := goRecs[name]
		c, inC := cRecs[name]
		if !inC {
			c, inC = cRecs["_"+name]
		}
		switch {
		case !inGo && !inC:
			add("%s on %s: neither in Go nor in the C layout dump", name, goarch)
			continue
		case !inGo:
			add("%s on %s: in the C layout dump, not declared in Go", name, goarch)
			continue
		case !inC:
			add("%s on %s: declared in Go, not in the C layout dump", name, goarch)
			continue
		case c.Unsupported != "":
			add("%s on %s: C layout not comparable: %s", name, goarch, c.Unsupported)
			continue
		}
		if g.Size != c.Size {
			add("%s on %s: Go size %d, C size %d", name, goarch, g.Size, c.Size)
		}
		goOff, cOff := layoutOffsets(g), layoutOffsets(c)
		for _, f := range layoutFieldNames(goOff, cOff) {
			gv, gok := goOff[f]
			cv, cok := cOff[f]
			switch {
			case !gok:
				add("%s.%s on %s: C offset %d, no Go field", name, f, goarch, cv)
			case !cok:
				add("%s.%s on %s: Go offset %d, no C field", name, f, goarch, gv)
			case gv != cv:
				add("%s.%s on %s: Go offset %d, C offset %d", name, f, goarch, gv, cv)
			}
		}
	}
	sort.Strings(out)
	return out
}

func layoutOffsets(r recordLayout) map[string]int64 {
	m := make(map[string]int64, len(r.Fields))
	for _, f := range r.Fields {
		m[f.Name] = f.Offset
	}
	return m
}

func layoutFieldNames(a, b map[string]int64) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// parseQwaveFiles parses the non-test Go files of this package that a build for
// GOOS=windows and goarch would compile.
func parseQwaveFiles(goarch string) (*token.FileSet, []*ast.File, error) {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = "windows", goarch, false
	entries, err := os.ReadDir(".")
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := ctxt.MatchFile(".", name); err != nil {
			return nil, nil, err
		} else if !ok {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
	}
	return fset, files, nil
}

// layoutNoImports fails every import: the layout check needs only the package's
// own declarations, and loading x/sys/windows for each GOARCH would only
// make it slower.
type layoutNoImports struct{}

func (layoutNoImports) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("%s not loaded for the layout check", path)
}

// goLayouts type-checks files as package qwave for goarch with the gc sizes
// and returns the layout of every struct type declared in ztypes.go, and
// their names, sorted. Type errors elsewhere (the imports it does not load)
// are ignored; an error in ztypes.go is returned, as the layouts would not be
// trustworthy.
func goLayouts(fset *token.FileSet, files []*ast.File, goarch string) (map[string]recordLayout, []string, error) {
	sizes := types.SizesFor("gc", goarch)
	if sizes == nil {
		return nil, nil, fmt.Errorf("no gc sizes for GOARCH %s", goarch)
	}
	var errs []string
	conf := types.Config{
		Importer:         layoutNoImports{},
		Sizes:            sizes,
		IgnoreFuncBodies: true,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && filepath.Base(te.Fset.Position(te.Pos).Filename) != layoutTypesFile {
				return
			}
			errs = append(errs, err.Error())
		},
	}
	pkg, _ := conf.Check("github.com/winqos/winqos/qwave", fset, files, nil)
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("type-checking %s for %s:\n%s", layoutTypesFile, goarch, strings.Join(errs, "\n"))
	}
	recs := map[string]recordLayout{}
	var names []string
	for _, name := range pkg.Scope().Names() { // sorted
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || filepath.Base(fset.Position(tn.Pos()).Filename) != layoutTypesFile {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		vars := make([]*types.Var, st.NumFields())
		for i := range vars {
			vars[i] = st.Field(i)
		}
		offsets := sizes.Offsetsof(vars)
		rec := recordLayout{Size: sizes.Sizeof(tn.Type()), Align: sizes.Alignof(tn.Type())}
		for i, v := range vars {
			if v.Name() != "_" {
				rec.Fields = append(rec.Fields, fieldLayout{v.Name(), offsets[i]})
			}
		}
		recs[name] = rec
		names = append(names, name)
	}
	return recs, names, nil
}

var layoutSizeLine = regexp.MustCompile(`^\[sizeof=(\d+),.*\balign=(\d+)`)

// parseRecordLayouts parses the output of clang -Xclang -fdump-record-layouts
// for C. Each record looks like
//
//	*** Dumping AST Record Layout
//	         0 | struct _QOS_VERSION
//	         0 |   USHORT MajorVersion
//	         2 |   USHORT MinorVersion
//	           | [sizeof=4, align=2]
//
// and is keyed by its tag as printed (_QOS_VERSION), or by its typedef name
// for an untagged struct. Only the record's own members (one indent level)
// are fields; members of nested records are skipped. Lines outside records
// are ignored.
func parseRecordLayouts(dump string) (map[string]recordLayout, error) {
	recs := map[string]recordLayout{}
	var (
		inRecord, wantHeader bool
		name                 string
		rec                  recordLayout
	)
	for i, line := range strings.Split(dump, "\n") {
		line = strings.TrimRight(line, "\r ")
		if strings.TrimSpace(line) == "*** Dumping AST Record Layout" {
			inRecord, wantHeader, name, rec = true, true, "", recordLayout{}
			continue
		}
		if !inRecord || line == "" {
			continue
		}
		off, text, ok := strings.Cut(line, "|")
		if !ok {
			return nil, fmt.Errorf("line %d: no '|' in record line %q", i+1, line)
		}
		off = strings.TrimSpace(off)
		item := strings.TrimLeft(text, " ")
		depth := (len(text) - len(item) - 1) / 2
		switch {
		case wantHeader:
			// "struct TAG", "union TAG", or only a typedef name for an
			// untagged record.
			name = item
			for _, kind := range []string{"struct ", "union "} {
				name = strings.TrimPrefix(name, kind)
			}
			if name == "" {
				return nil, fmt.Errorf("line %d: want a record header, got %q", i+1, line)
			}
			wantHeader = false
		case strings.HasPrefix(item, "[sizeof="):
			m := layoutSizeLine.FindStringSubmatch(item)
			if m == nil {
				return nil, fmt.Errorf("line %d: bad size line %q", i+1, line)
			}
			rec.Size, _ = strconv.ParseInt(m[1], 10, 64)
			rec.Align, _ = strconv.ParseInt(m[2], 10, 64)
			if prev, dup := recs[name]; dup && !reflect.DeepEqual(prev, rec) {
				return nil, fmt.Errorf("line %d: record %s dumped twice with different layouts", i+1, name)
			}
			recs[name] = rec
			inRecord = false
		case depth == 1:
			fields := strings.Fields(item)
			switch {
			case strings.Contains(off, ":"):
				rec.Unsupported = "bit-field " + fields[len(fields)-1]
			case strings.Contains(item, "(anonymous") || strings.Contains(item, "(unnamed"):
				rec.Unsupported = "anonymous member " + item
			case len(fields) < 2:
				return nil, fmt.Errorf("line %d: want a type and a field name, got %q", i+1, line)
			default:
				o, err := strconv.ParseInt(off, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: bad offset in %q", i+1, line)
				}
				rec.Fields = append(rec.Fields, fieldLayout{fields[len(fields)-1], o})
			}
		}
	}
	if inRecord {
		return nil, fmt.Errorf("record %q not terminated by a [sizeof=...] line", name)
	}
	return recs, nil
}

// clangSource is a C file that makes clang lay out (and so dump) each struct.
func clangSource(names []string) string {
	var b strings.Builder
	b.WriteString(`#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>
/* mingw-w64's qos2.h uses QOS_FLOWID before declaring it and never declares PQOS_FLOWID. */
typedef UINT32 QOS_FLOWID, *PQOS_FLOWID;
#include <qos2.h>
unsigned layout_sizes[] = {
`)
	for _, n := range names {
		fmt.Fprintf(&b, "\tsizeof(%s),\n", n)
	}
	b.WriteString("};\n")
	return b.String()
}

// clangDump runs clang for target on src and returns its record-layout dump.
func clangDump(clang, target, src string) (string, error) {
	cmd := exec.Command(clang, "-target", target, "-x", "c", "-fsyntax-only",
		"-nostdlibinc", "-w", "-D_WIN32_WINNT=0x0A00", "-I", mingwInclude,
		"-Xclang", "-fdump-record-layouts", "-")
	cmd.Stdin = strings.NewReader(src)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %v\n%s\nsource:\n%s", strings.Join(cmd.Args, " "), err, stderr.String(), src)
	}
	return string(out), nil
}

// requireLayoutTools returns the clang to use, or skips when clang or the
// mingw-w64 headers are missing. With CI=true it fails instead, so CI cannot
// pass without running the check. A test binary built for Windows (run under
// Wine or on Windows) always skips: the check runs on the Linux host, where
// clang and the mingw-w64 headers live.
func requireLayoutTools(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("test binary built for windows: the clang layout check runs in the native linux test binary")
	}
	var missing []string
	clang, err := exec.LookPath("clang")
	if err != nil {
		missing = append(missing, "clang not found")
	}
	if _, err := os.Stat(filepath.Join(mingwInclude, "qos2.h")); err != nil {
		missing = append(missing, mingwInclude+"/qos2.h not found")
	}
	if len(missing) > 0 {
		msg := strings.Join(missing, ", ") + "; install with: " + layoutInstall
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true, so the layout check may not be skipped)")
		}
		t.Skip(msg)
	}
	return clang
}

func requireLayoutStructs(t *testing.T, names []string) {
	t.Helper()
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, n := range layoutRequired {
		if !have[n] {
			t.Errorf("struct %s not found in %s (found %v)", n, layoutTypesFile, names)
		}
	}
}

func formatRecordLayout(r recordLayout) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %d:", r.Size)
	for _, f := range r.Fields {
		fmt.Fprintf(&b, " %s@%d", f.Name, f.Offset)
	}
	return b.String()
}

// TestLayoutMatchesClang compares every struct of ztypes.go with the layout
// clang computes for the mingw-w64 qos2.h on each Windows target.
func TestLayoutMatchesClang(t *testing.T) {
	clang := requireLayoutTools(t)
	for _, a := range layoutArches {
		t.Run(a.goarch, func(t *testing.T) {
			t.Parallel()
			fset, files, err := parseQwaveFiles(a.goarch)
			if err != nil {
				t.Fatal(err)
			}
			goRecs, names, err := goLayouts(fset, files, a.goarch)
			if err != nil {
				t.Fatal(err)
			}
			requireLayoutStructs(t, names)
			dump, err := clangDump(clang, a.target, clangSource(names))
			if err != nil {
				t.Fatal(err)
			}
			cRecs, err := parseRecordLayouts(dump)
			if err != nil {
				t.Fatalf("parsing the clang %s dump: %v", a.target, err)
			}
			for _, m := range compareLayouts(a.goarch, names, goRecs, cRecs) {
				t.Error(m)
			}
			for _, n := range names {
				t.Logf("%s: %s", n, formatRecordLayout(goRecs[n]))
			}
			if a.goarch == "386" {
				checkRecordedLayouts(t, cRecs)
			}
		})
	}
}

// checkRecordedLayouts keeps the recorded dump TestLayoutDetectsMismatch uses equal
// to what clang reports now.
func checkRecordedLayouts(t *testing.T, live map[string]recordLayout) {
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

func readRecordedLayouts() (map[string]recordLayout, error) {
	data, err := os.ReadFile(layoutRecorded)
	if err != nil {
		return nil, err
	}
	recs, err := parseRecordLayouts(string(data))
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
			fset, files, err := parseQwaveFiles("386")
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
			goRecs, names, err := goLayouts(fset, files, "386")
			if err != nil {
				t.Fatal(err)
			}
			requireLayoutStructs(t, names)
			got := compareLayouts("386", layoutRequired, goRecs, recorded)
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
	compiled := map[string]reflect.Type{
		"QOS_FLOWRATE_OUTGOING": reflect.TypeFor[qwave.QOS_FLOWRATE_OUTGOING](),
		"QOS_FLOW_FUNDAMENTALS": reflect.TypeFor[qwave.QOS_FLOW_FUNDAMENTALS](),
		"QOS_PACKET_PRIORITY":   reflect.TypeFor[qwave.QOS_PACKET_PRIORITY](),
		"QOS_VERSION":           reflect.TypeFor[qwave.QOS_VERSION](),
	}
	supported := false
	for _, a := range layoutArches {
		supported = supported || a.goarch == runtime.GOARCH
	}
	if !supported || runtime.Compiler != "gc" {
		t.Skipf("GOARCH %s with compiler %s: Windows structs are checked only for gc on 386, amd64 and arm64", runtime.GOARCH, runtime.Compiler)
	}
	fset, files, err := parseQwaveFiles(runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	goRecs, _, err := goLayouts(fset, files, runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range layoutRequired {
		rt := compiled[name]
		want := recordLayout{Size: int64(rt.Size()), Align: int64(rt.Align())}
		for i := range rt.NumField() {
			if f := rt.Field(i); f.Name != "_" {
				want.Fields = append(want.Fields, fieldLayout{f.Name, int64(f.Offset)})
			}
		}
		if got := goRecs[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s on %s: go/types says %+v, compiler %+v", name, runtime.GOARCH, got, want)
		}
	}
}
