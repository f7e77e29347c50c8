package emit

import "github.com/dave/jennifer/jen"

// others emits the functions for every GOOS but Windows: the same names,
// signatures and doc comments as the Windows stubs, so that go doc and
// editors find them anywhere and portable code compiles, each failing with
// an *UnavailableError (errors.Is(err, ErrUnavailable)).
func (g *gen) others() *jen.File {
	f := g.file("!windows")
	f.Comment("errNotWindows is the loader's error outside Windows.")
	f.Var().Id("errNotWindows").Op("=").Qual("errors", "New").Call(jen.Lit("the DLL exists only on Windows"))
	for _, fn := range g.m.Functions {
		f.Line()
		f.Comment(funcDoc(fn.Name+" calls "+fn.DLL+"!"+fn.Name+" on Windows; elsewhere it fails with an *UnavailableError, which matches ErrUnavailable.", fn))
		f.Func().Id(fn.Name).Params(g.params(fn)...).Add(g.results(fn)).Block(
			jen.Return(g.zeroResults(fn, jen.Op("&").Id("UnavailableError").Values(jen.Dict{
				jen.Id("Proc"): jen.Lit(fn.Name),
				jen.Id("Err"):  jen.Id("errNotWindows"),
			}))...),
		)
	}
	return f
}
