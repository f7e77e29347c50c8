package emit

import (
	"github.com/dave/jennifer/jen"
)

// names emits znames.go: a typed identifier per function (FuncID, with
// String and FuncOf), a String method per enumeration, and the members of
// every enumeration as data, so that no package keeps its own list of
// function or enumerator names.
func (g *gen) names() *jen.File {
	f := g.file("")
	f.Comment("FuncID identifies one function of the API. The values follow the contract")
	f.Comment("order (sorted by name), so FuncID(i) is Contracts()[i].")
	f.Type().Id("FuncID").Uint8()
	f.Line()
	f.Comment("The functions.")
	f.Const().DefsFunc(func(d *jen.Group) {
		for i, fn := range g.m.Functions {
			d.Comment(comment("Func" + fn.Name + " identifies " + fn.Name + "."))
			if i == 0 {
				d.Id("Func" + fn.Name).Id("FuncID").Op("=").Iota()
			} else {
				d.Id("Func" + fn.Name)
			}
		}
	})
	f.Line()
	f.Comment("NumFuncs is the number of functions; FuncIDs run from 0 to NumFuncs-1.")
	f.Const().Id("NumFuncs").Op("=").Lit(len(g.m.Functions))
	f.Line()
	f.Var().Id("funcNames").Op("=").Index(jen.Id("NumFuncs")).String().ValuesFunc(func(v *jen.Group) {
		for _, fn := range g.m.Functions {
			v.Line().Id("Func" + fn.Name).Op(":").Lit(fn.Name)
		}
		v.Line()
	})
	f.Line()
	f.Comment("String returns the function's Win32 name, e.g. QOSCreateHandle.")
	f.Func().Params(jen.Id("f").Id("FuncID")).Id("String").Params().String().Block(
		jen.If(jen.Id("f").Op("<").Id("NumFuncs")).Block(jen.Return(jen.Id("funcNames").Index(jen.Id("f")))),
		jen.Return(jen.Lit("FuncID(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Call(jen.Id("f"))).Op("+").Lit(")")),
	)
	f.Line()
	f.Comment("FuncOf returns the identifier of the function with the given Win32 name.")
	f.Func().Id("FuncOf").Params(jen.Id("name").String()).Params(jen.Id("FuncID"), jen.Bool()).Block(
		jen.For(jen.List(jen.Id("i"), jen.Id("n")).Op(":=").Range().Id("funcNames")).Block(
			jen.If(jen.Id("n").Op("==").Id("name")).Block(jen.Return(jen.Id("FuncID").Call(jen.Id("i")), jen.True())),
		),
		jen.Return(jen.Id("NumFuncs"), jen.False()),
	)
	f.Line()
	f.Comment("EnumMember is one member of an enumeration.")
	f.Type().Id("EnumMember").Struct(
		jen.Id("Name").String(),
		jen.Id("Value").Int32(),
	)
	f.Line()
	f.Comment("Enums holds the members of every enumeration, keyed by the C type name, in")
	f.Comment("declaration order. Do not modify it.")
	f.Var().Id("Enums").Op("=").Map(jen.String()).Index().Id("EnumMember").ValuesFunc(func(v *jen.Group) {
		for _, e := range g.m.Enums {
			v.Line().Lit(e.Name).Op(":").ValuesFunc(func(m *jen.Group) {
				for _, ev := range e.Values {
					m.Values(jen.Lit(ev.Name), jen.Lit(int(ev.Value)))
				}
			})
		}
		v.Line()
	})
	for _, e := range g.m.Enums {
		f.Line()
		f.Comment(comment("String returns the enumerator's name, or " + e.Name + "(n) for a value that is none of them."))
		seen := map[int64]bool{}
		f.Func().Params(jen.Id("v").Id(e.Name)).Id("String").Params().String().Block(
			jen.Switch(jen.Id("v")).BlockFunc(func(s *jen.Group) {
				for _, ev := range e.Values {
					if seen[ev.Value] {
						continue // an alias: the first name wins
					}
					seen[ev.Value] = true
					s.Case(jen.Id(ev.Name)).Return(jen.Lit(ev.Name))
				}
			}),
			jen.Return(jen.Lit(e.Name+"(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Call(jen.Id("v"))).Op("+").Lit(")")),
		)
	}
	return f
}
