package emit

import (
	"fmt"
	"path/filepath"

	"github.com/dave/jennifer/jen"
)

// facts emits what real Windows is observed to do (observed.yaml), sorted
// by function and case, into the contract tables.
func (g *gen) facts(f *jen.File) {
	// The table holds qwave.Fact values (profile.go): a package gets it
	// once it has observed facts and a Fact type to hold them.
	if len(g.m.Observed) == 0 {
		return
	}
	f.Line()
	f.Comment(comment("facts holds what real Windows does where the pages are silent or say otherwise, sorted by function and case; see Facts."))
	f.Var().Id("facts").Op("=").Index(jen.Op("...")).Id("Fact").ValuesFunc(func(v *jen.Group) {
		for _, o := range g.m.Observed {
			kind := "FactObserved"
			if o.Kind == "assumed" {
				kind = "FactAssumed"
			}
			code := jen.Code(jen.Lit(0))
			if o.Error != "" {
				code = jen.Id(o.Error)
			}
			v.Values(jen.Dict{
				jen.Id("Func"):       jen.Lit(o.Func),
				jen.Id("Case"):       jen.Lit(o.Case),
				jen.Id("Param"):      jen.Lit(o.Param),
				jen.Id("Call"):       jen.Lit(o.Call),
				jen.Id("OK"):         jen.Lit(o.Returns == "TRUE"),
				jen.Id("Error"):      jen.Lit(o.Error),
				jen.Id("Code"):       code,
				jen.Id("Kind"):       jen.Id(kind),
				jen.Id("Documented"): jen.Lit(o.Documented),
				jen.Id("Source"):     jen.Lit(o.Source),
				jen.Id("Why"):        jen.Lit(o.Why),
				jen.Id("Spec"):       jen.Lit(fmt.Sprintf("spec/%s/%s:%d", filepath.Base(filepath.Dir(o.File)), filepath.Base(o.File), o.Line)),
			})
		}
	})
}
