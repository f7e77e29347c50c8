package fuzz

import (
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
	if h, err := os.ReadFile("/usr/share/mingw-w64/include/qos2.h"); err == nil {
		f.Add(h, false)
	}
	f.Fuzz(func(t *testing.T, src []byte, fragment bool) {
		if len(src) > 1<<16 {
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
				if p.Name == "" || p.Type == "" {
					t.Fatalf("%s: parameter without a name or type: %+v", fn.Name, p)
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
	strip := func(f *cdecl.File) *cdecl.File {
		c := *f
		c.Warnings = nil
		c.Funcs = append([]cdecl.Func(nil), f.Funcs...)
		for i := range c.Funcs {
			c.Funcs[i].Line = 0
			c.Funcs[i].Params = append([]cdecl.Param(nil), f.Funcs[i].Params...)
			for j := range c.Funcs[i].Params {
				c.Funcs[i].Params[j].Line = 0
			}
		}
		c.Structs = append([]cdecl.Struct(nil), f.Structs...)
		for i := range c.Structs {
			c.Structs[i].Line = 0
			c.Structs[i].Fields = append([]cdecl.Field(nil), f.Structs[i].Fields...)
			for j := range c.Structs[i].Fields {
				c.Structs[i].Fields[j].Line = 0
			}
		}
		c.Enums = append([]cdecl.Enum(nil), f.Enums...)
		for i := range c.Enums {
			c.Enums[i].Line = 0
			c.Enums[i].Values = append([]cdecl.EnumValue(nil), f.Enums[i].Values...)
			for j := range c.Enums[i].Values {
				c.Enums[i].Values[j].Line = 0
			}
		}
		c.Typedefs = append([]cdecl.Typedef(nil), f.Typedefs...)
		for i := range c.Typedefs {
			c.Typedefs[i].Line = 0
		}
		c.Defines = append([]cdecl.Define(nil), f.Defines...)
		for i := range c.Defines {
			c.Defines[i].Line = 0
		}
		return &c
	}
	if d := cmp.Diff(strip(file), strip(again), cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("declarations changed when printed and parsed again (-parsed +reparsed):\n%s\nprinted:\n%s", d, text)
	}
}
