package fuzz

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/diag"
	"github.com/winqos/winqos/gen/doc"
	"github.com/winqos/winqos/gen/emit"
	"github.com/winqos/winqos/gen/model"
)

// specPages returns the spec pages, the seeds of the parser targets.
func specPages(f *testing.F) (names []string, srcs [][]byte) { return specPagesAny(f) }

func specPagesAny(f testing.TB) (names []string, srcs [][]byte) {
	names, _ = filepath.Glob("../spec/qos2/*.md")
	if len(names) == 0 {
		f.Fatal("no spec pages in ../spec/qos2")
	}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return names, srcs
}

// checkPositioned fails unless every error names a file and a line.
func checkPositioned(t *testing.T, err error) {
	for _, e := range diag.Errors(err) {
		if e.File == "" || e.Line <= 0 {
			t.Fatalf("error without a position: %q", e.Error())
		}
	}
}

// FuzzDocParse: the doc parser never panics and every error has a position.
func FuzzDocParse(f *testing.F) {
	_, srcs := specPages(f)
	for _, s := range srcs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		p, err := doc.Parse("page.md", src)
		if err != nil {
			checkPositioned(t, err)
			return
		}
		for _, par := range p.Params {
			if _, _, ok := doc.DirectionOf(par.Annotation); !ok {
				t.Fatalf("accepted parameter %s with unknown annotation %q", par.Name, par.Annotation)
			}
		}
	})
}

// FuzzCDecl: the declaration parser never panics, every error and warning has
// a position, and the declarations it returns are well formed.
func FuzzCDecl(f *testing.F) {
	_, srcs := specPages(f)
	for _, s := range srcs {
		p, err := doc.Parse("page.md", s)
		if err != nil {
			f.Fatal(err)
		}
		for _, b := range p.Syntax {
			f.Add([]byte(b.Text), true)
		}
	}
	// Real headers, whole and one declaration at a time: what the parser
	// must read in practice (those within the fuzz size bound).
	for _, name := range mingwSeedHeaders {
		h, err := os.ReadFile("/usr/share/mingw-w64/include/" + name)
		if err != nil {
			continue
		}
		if len(h) <= maxFuzzInput {
			f.Add(h, false)
		}
		for _, decl := range splitDeclarations(h) {
			f.Add(decl, false)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, fragment bool) {
		if len(src) > maxFuzzInput {
			return
		}
		var file *cdecl.File
		var err error
		if fragment {
			file, err = cdecl.Parse("block", src, 1)
		} else {
			file, err = cdecl.ParseHeader("header.h", src)
		}
		if err != nil {
			checkPositioned(t, err)
			return
		}
		for _, w := range file.Warnings {
			if w.Line <= 0 {
				t.Fatalf("warning without a line: %v", w)
			}
		}
		roundTrip(t, file)
		for _, fn := range file.Funcs {
			if fn.Name == "" || fn.Return == "" {
				t.Fatalf("function without a name or return type: %+v", fn)
			}
			for _, p := range fn.Params {
				if p.Type == "" {
					t.Fatalf("%s: parameter without a type: %+v", fn.Name, p)
				}
			}
		}
	})
}

// FuzzGenerate runs the generator end to end on a spec whose one page is
// replaced by fuzzed text: a spec either fails with positioned errors or
// yields Go that parses.
func FuzzGenerate(f *testing.F) {
	names, srcs := specPages(f)
	parsed := make([]*doc.Page, len(srcs))
	for i := range srcs {
		p, err := doc.Parse(names[i], srcs[i])
		if err != nil {
			f.Fatal(err)
		}
		parsed[i] = p
		f.Add(uint8(i), srcs[i])
	}
	f.Fuzz(func(t *testing.T, which uint8, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		i := int(which) % len(srcs)
		p, err := doc.Parse(names[i], src)
		if err != nil {
			checkPositioned(t, err)
			return
		}
		pages := append([]*doc.Page(nil), parsed...)
		pages[i] = p
		m, err := model.Build(pages)
		if err != nil {
			checkPositioned(t, err)
			return
		}
		files, err := emit.Generate(m, emit.Options{Command: "fuzz"})
		if err != nil {
			t.Fatalf("a model that built does not generate: %v", err)
		}
		for name, out := range files {
			if _, err := parser.ParseFile(token.NewFileSet(), name, out, 0); err != nil {
				t.Fatalf("%s does not parse: %v", name, err)
			}
		}
	})
}

// roundTrip prints the declarations back as C and parses them again: the
// facts must survive, line numbers aside.
func roundTrip(t *testing.T, file *cdecl.File) {
	text := cdecl.Format(file)
	again, err := cdecl.Parse("printed", []byte(text), 1)
	if err != nil {
		t.Fatalf("the printed declarations do not parse: %v\n%s", err, text)
	}
	lines := cmpopts.IgnoreFields(cdecl.File{}, "Warnings")
	ignore := cmp.Options{lines, cmpopts.EquateEmpty(),
		cmpopts.IgnoreFields(cdecl.Func{}, "Line"), cmpopts.IgnoreFields(cdecl.Param{}, "Line"),
		cmpopts.IgnoreFields(cdecl.Struct{}, "Line"), cmpopts.IgnoreFields(cdecl.Field{}, "Line"),
		cmpopts.IgnoreFields(cdecl.Enum{}, "Line"), cmpopts.IgnoreFields(cdecl.EnumValue{}, "Line"),
		cmpopts.IgnoreFields(cdecl.Typedef{}, "Line"), cmpopts.IgnoreFields(cdecl.Define{}, "Line")}
	if d := cmp.Diff(file, again, ignore); d != "" {
		t.Fatalf("declarations changed when printed and parsed again (-parsed +reparsed):\n%s\nprinted:\n%s", d, text)
	}
}

// mingwSeedHeaders are the mingw-w64 headers FuzzCDecl takes seeds from: the
// headers of the APIs gen reads and the code headers.
var mingwSeedHeaders = []string{"qos2.h", "traffic.h", "qos.h", "synchapi.h", "uxtheme.h", "ntsecapi.h", "netioapi.h", "ntddndis.h", "tcerror.h", "winerror.h", "ntstatus.h"}

// maxFuzzInput bounds the work of one FuzzCDecl input.
const maxFuzzInput = 1 << 16

// splitDeclarations cuts a header into its top-level declarations and
// directives, in order, each a seed of its own, so the fuzzer starts from
// every construct a real header uses. Deterministic: the header's order.
func splitDeclarations(src []byte) [][]byte {
	var out [][]byte
	var cur []byte
	depth := 0
	for _, line := range bytes.SplitAfter(src, []byte("\n")) {
		cur = append(cur, line...)
		depth += bytes.Count(line, []byte("{")) - bytes.Count(line, []byte("}"))
		t := bytes.TrimSpace(line)
		if depth <= 0 && (bytes.HasSuffix(t, []byte(";")) || bytes.HasPrefix(t, []byte("#")) && !bytes.HasSuffix(t, []byte("\\"))) {
			if len(bytes.TrimSpace(cur)) > 0 && len(cur) <= maxFuzzInput {
				out = append(out, cur)
			}
			cur, depth = nil, 0
		}
	}
	return out
}
