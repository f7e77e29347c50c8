package emit

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/winqos/winqos/gen/model"
)

func boxName(code string) string { return "err" + code }

func tableName(fn string) string { return "errors" + fn }

// errors emits the Errno constants, their pre-boxed errors and the
// per-function tables of documented codes.
func (g *gen) errors() *jen.File {
	f := g.file("")
	f.Comment("Win32 error codes that " + g.opts.Title + " functions document, with the values of " + g.codeHeaders() + ".")
	f.Const().DefsFunc(func(d *jen.Group) {
		for _, c := range g.m.ErrorCodes {
			d.Comment(comment(c.Name + ": " + c.Doc))
			d.Id(c.Name).Id("Errno").Op("=").Lit(int(c.Value))
		}
	})
	f.Line()
	f.Comment("Documented codes boxed once, so returning one as an error does not allocate.")
	f.Var().DefsFunc(func(d *jen.Group) {
		for _, c := range g.m.ErrorCodes {
			d.Id(boxName(c.Name)).Error().Op("=").Id(c.Name)
		}
	})
	f.Line()
	f.Comment("boxed returns the pre-boxed error for a documented code, or nil.")
	f.Func().Id("boxed").Params(jen.Id("e").Id("Errno")).Error().Block(
		jen.Switch(jen.Id("e")).BlockFunc(func(sw *jen.Group) {
			for _, c := range g.m.ErrorCodes {
				sw.Case(jen.Id(c.Name)).Block(jen.Return(jen.Id(boxName(c.Name))))
			}
		}),
		jen.Return(jen.Nil()),
	)
	f.Line()
	f.Comment("errnoDoc returns a documented code's name and general meaning.")
	f.Func().Id("errnoDoc").Params(jen.Id("e").Id("Errno")).Params(jen.Id("name"), jen.Id("text").String()).Block(
		jen.Switch(jen.Id("e")).BlockFunc(func(sw *jen.Group) {
			for _, c := range g.m.ErrorCodes {
				sw.Case(jen.Id(c.Name)).Block(jen.Return(jen.Lit(c.Name), jen.Lit(c.Doc)))
			}
		}),
		jen.Return(jen.Lit(""), jen.Lit("")),
	)
	for _, fn := range g.m.Functions {
		f.Line()
		f.Comment(tableName(fn.Name) + " lists the codes " + fn.Name + " documents, in doc order.")
		f.Var().Id(tableName(fn.Name)).Op("=").Index().Id("ErrorDoc").ValuesFunc(func(v *jen.Group) {
			for _, e := range fn.Errors {
				v.Values(jen.Dict{
					jen.Id("Name"):   jen.Lit(e.Name),
					jen.Id("Code"):   jen.Id(e.Name),
					jen.Id("Text"):   jen.Lit(e.Text),
					jen.Id("Source"): jen.Lit(sourceOf(fn.Page, "returns")),
				})
			}
		})
	}
	f.Line()
	f.Comment("documented reports whether fn documents code; a switch, so it does not allocate.")
	f.Func().Id("documented").Params(jen.Id("fn").String(), jen.Id("code").Id("Errno")).Bool().Block(
		jen.Switch(jen.Id("fn")).BlockFunc(func(sw *jen.Group) {
			for _, fn := range g.m.Functions {
				var codes []jen.Code
				for _, e := range fn.Errors {
					codes = append(codes, jen.Id(e.Name))
				}
				if len(codes) == 0 {
					continue // documents none: falls through to false
				}
				sw.Case(jen.Lit(fn.Name)).Block(
					jen.Switch(jen.Id("code")).Block(
						jen.Case(codes...).Block(jen.Return(jen.True())),
					),
				)
			}
		}),
		jen.Return(jen.False()),
	)
	return f
}

// drift emits, for windows, a function that fails to compile when a code's
// value differs from x/sys/windows (stringer's trick: a constant index out of
// range of a one-element array).
func (g *gen) drift() *jen.File {
	f := g.file("windows")
	f.Comment(comment("A compile error here means an Errno value differs from x/sys/windows: the spec's winerror.md and winerror.h disagree. Fix the spec and regenerate."))
	f.Func().Id("_").Params().BlockFunc(func(b *jen.Group) {
		declared := false
		for _, c := range g.m.ErrorCodes {
			if !inXSys(c) {
				continue
			}
			if !declared {
				b.Var().Id("x").Index(jen.Lit(1)).Struct()
				declared = true
			}
			b.Id("_").Op("=").Id("x").Index(
				jen.Uint32().Parens(jen.Id(c.Name)).Op("-").Uint32().Parens(jen.Qual("golang.org/x/sys/windows", c.Name)),
			)
		}
	})
	return f
}

// inXSys reports whether x/sys/windows declares the code: it declares the
// codes of winerror.h, and not those of tcerror.h or ntstatus.h (whose
// STATUS_ codes it types as NTStatus).
func inXSys(c model.Constant) bool {
	return c.Header == "" || c.Header == "winerror.h"
}

// codeHeaders names the headers the codes' values come from.
func (g *gen) codeHeaders() string {
	seen := map[string]bool{}
	for _, c := range g.m.ErrorCodes {
		h := c.Header
		if h == "" {
			h = "winerror.h"
		}
		seen[h] = true
	}
	names := sortedKeys(seen)
	if len(names) == 0 {
		return "winerror.h"
	}
	return strings.Join(names, " and ")
}
