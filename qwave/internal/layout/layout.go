// Package layout compares the Go structs of a generated package with the
// layouts clang computes for their C declarations in mingw-w64's headers,
// on every Windows GOARCH. The layout tests of qwave and qwave/traffic use
// it; it needs clang and mingw-w64-common on the host.
package layout

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
	"sort"
	"strconv"
	"strings"
)

// Arches pairs each GOARCH that Windows supports with the clang target
// whose C ABI the Go structs must match.
var Arches = []struct{ GOARCH, Target string }{
	{"386", "i686-w64-mingw32"},
	{"amd64", "x86_64-w64-mingw32"},
	{"arm64", "aarch64-w64-mingw32"},
}

const (
	// MingwInclude is where Debian's mingw-w64-common installs the headers.
	MingwInclude = "/usr/share/mingw-w64/include"
	// Install is the command that installs what the check needs.
	Install = "apt-get install -y --no-install-recommends clang mingw-w64-common"
)

// Field is a named field and its byte offset.
type Field struct {
	Name   string
	Offset int64
}

// Record is the layout of one struct. Fields lists the named fields in
// declaration order; Go's blank padding fields are left out.
type Record struct {
	Size, Align int64
	Fields      []Field
	// Unsupported, when set, says why the C layout cannot be compared
	// (bit-fields, anonymous members).
	Unsupported string
}

// GoName is the Go field name gen gives a C member: an initial lower-case
// letter is upper-cased (pFlow becomes PFlow).
func GoName(c string) string {
	if c == "" || c[0] < 'a' || c[0] > 'z' {
		return c
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// Compare compares the Go and C layouts of the named structs for goarch and
// returns the differences, sorted; nil means they match. A C record may be
// keyed by its typedef name or by its struct tag (_NAME); its member names
// are compared as GoName spells them. Struct alignment is not compared: Go
// cannot express 8-byte alignment on 386, and only the size and field
// offsets matter for memory the C side reads and writes.
func Compare(goarch string, names []string, goRecs, cRecs map[string]Record) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, name := range names {
		g, inGo := goRecs[name]
		c, inC := cRecs[name]
		if !inC {
			c, inC = cRecs["_"+name]
		}
		for k, r := range cRecs {
			if !inC && strings.EqualFold(k, "_"+name) { // qos.h: struct _flowspec
				c, inC = r, true
			}
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
		goOff, cOff := offsets(g, nil), offsets(c, GoName)
		for _, f := range fieldNames(goOff, cOff) {
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

func offsets(r Record, rename func(string) string) map[string]int64 {
	m := make(map[string]int64, len(r.Fields))
	for _, f := range r.Fields {
		n := f.Name
		if rename != nil {
			n = rename(n)
		}
		m[n] = f.Offset
	}
	return m
}

func fieldNames(a, b map[string]int64) []string {
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

// ParseFiles parses the non-test Go files in dir that a build for
// GOOS=windows and goarch would compile.
func ParseFiles(dir, goarch string) (*token.FileSet, []*ast.File, error) {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = "windows", goarch, false
	entries, err := os.ReadDir(dir)
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
		if ok, err := ctxt.MatchFile(dir, name); err != nil {
			return nil, nil, err
		} else if !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
	}
	return fset, files, nil
}

// noImports fails every import: the layout check needs only the package's
// own declarations, and loading x/sys/windows for each GOARCH would only
// make it slower.
type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("%s not loaded for the layout check", path)
}

// GoLayouts type-checks files as package path for goarch with the gc sizes
// and returns the layout of every struct type declared in typesFile, and
// their names, sorted. Type errors elsewhere (the imports it does not load)
// are ignored; an error in typesFile is returned, as the layouts would not
// be trustworthy.
func GoLayouts(fset *token.FileSet, files []*ast.File, path, typesFile, goarch string) (map[string]Record, []string, error) {
	sizes := types.SizesFor("gc", goarch)
	if sizes == nil {
		return nil, nil, fmt.Errorf("no gc sizes for GOARCH %s", goarch)
	}
	var errs []string
	conf := types.Config{
		Importer:         noImports{},
		Sizes:            sizes,
		IgnoreFuncBodies: true,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && filepath.Base(te.Fset.Position(te.Pos).Filename) != typesFile {
				return
			}
			errs = append(errs, err.Error())
		},
	}
	pkg, _ := conf.Check(path, fset, files, nil)
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("type-checking %s for %s:\n%s", typesFile, goarch, strings.Join(errs, "\n"))
	}
	recs := map[string]Record{}
	var names []string
	for _, name := range pkg.Scope().Names() { // sorted
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || filepath.Base(fset.Position(tn.Pos()).Filename) != typesFile {
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
		offs := sizes.Offsetsof(vars)
		rec := Record{Size: sizes.Sizeof(tn.Type()), Align: sizes.Alignof(tn.Type())}
		for i, v := range vars {
			if v.Name() != "_" {
				rec.Fields = append(rec.Fields, Field{Name: v.Name(), Offset: offs[i]})
			}
		}
		recs[name] = rec
		names = append(names, name)
	}
	return recs, names, nil
}

var sizeLine = regexp.MustCompile(`^\[sizeof=(\d+),.*\balign=(\d+)`)

// ParseDump parses the output of clang -Xclang -fdump-record-layouts for
// C. Each record looks like
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
func ParseDump(dump string) (map[string]Record, error) {
	recs := map[string]Record{}
	var (
		inRecord, wantHeader bool
		name                 string
		rec                  Record
	)
	for i, line := range strings.Split(dump, "\n") {
		line = strings.TrimRight(line, "\r ")
		if strings.TrimSpace(line) == "*** Dumping AST Record Layout" {
			inRecord, wantHeader, name, rec = true, true, "", Record{}
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
			m := sizeLine.FindStringSubmatch(item)
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
			case (strings.Contains(item, "(anonymous") || strings.Contains(item, "(unnamed")) && strings.HasSuffix(item, ")"):
				// A member of an unnamed type that has a name of its
				// own ("union (unnamed union at …) S_un") is an
				// ordinary field; one without a name is not.
				rec.Unsupported = "anonymous member " + item
			case len(fields) < 2:
				return nil, fmt.Errorf("line %d: want a type and a field name, got %q", i+1, line)
			default:
				o, err := strconv.ParseInt(off, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: bad offset in %q", i+1, line)
				}
				rec.Fields = append(rec.Fields, Field{Name: fields[len(fields)-1], Offset: o})
			}
		}
	}
	if inRecord {
		return nil, fmt.Errorf("record %q not terminated by a [sizeof=...] line", name)
	}
	return recs, nil
}

// Source is a C file that includes prelude (the headers, and any fix-ups
// they need) and makes clang lay out, and so dump, each named struct.
func Source(prelude string, names []string) string {
	var b strings.Builder
	b.WriteString(prelude)
	b.WriteString("unsigned layout_sizes[] = {\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\tsizeof(%s),\n", n)
	}
	b.WriteString("};\n")
	return b.String()
}

// Dump runs clang for target on src and returns its record-layout dump.
func Dump(clang, target, src string) (string, error) {
	cmd := exec.Command(clang, "-target", target, "-x", "c", "-fsyntax-only",
		"-nostdlibinc", "-w", "-D_WIN32_WINNT=0x0A00", "-I", MingwInclude,
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

// Tools returns the clang to use, or what is missing (clang, or header in
// MingwInclude) with the command that installs it.
func Tools(header string) (string, error) {
	var missing []string
	clang, err := exec.LookPath("clang")
	if err != nil {
		missing = append(missing, "clang not found")
	}
	if _, err := os.Stat(filepath.Join(MingwInclude, header)); err != nil {
		missing = append(missing, MingwInclude+"/"+header+" not found")
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("%s; install with: %s", strings.Join(missing, ", "), Install)
	}
	return clang, nil
}

// Format prints a record's size and field offsets, for test logs.
func Format(r Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %d:", r.Size)
	for _, f := range r.Fields {
		fmt.Fprintf(&b, " %s@%d", f.Name, f.Offset)
	}
	return b.String()
}
