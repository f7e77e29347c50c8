package emit

import (
	"sort"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/winqos/winqos/gen/winerror"
)

// winerrorFile emits the complete Win32 code-name table: one name per code
// (sorted by code, for ErrorName) and every name with its code (sorted by
// name, for ErrorCode), both searched by binary search.
func (g *gen) winerrorFile() *jen.File {
	f := g.file("")
	primary := winerror.Primary(g.opts.WinError)
	f.Comment(comment("winerrorByCode holds, sorted by code, the name ErrorName prints for each of the " +
		strconv.Itoa(len(primary)) + " Win32 error codes of winerror.h: its first ERROR_ name, else its first name."))
	f.Var().Id("winerrorByCode").Op("=").Index(jen.Op("...")).Id("winerrorEntry").ValuesFunc(func(v *jen.Group) {
		for _, c := range primary {
			v.Line().Values(jen.Lit(int(c.Value)), jen.Lit(c.Name))
		}
	})
	byName := append([]winerror.Code(nil), g.opts.WinError...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].Name < byName[j].Name })
	f.Line()
	f.Comment(comment("winerrorByName holds every name winerror.h gives a Win32 error code, aliases included, sorted by name."))
	f.Var().Id("winerrorByName").Op("=").Index(jen.Op("...")).Id("winerrorEntry").ValuesFunc(func(v *jen.Group) {
		for _, c := range byName {
			v.Line().Values(jen.Lit(int(c.Value)), jen.Lit(c.Name))
		}
	})
	return f
}
