package emit

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/winqos/winqos/gen/doc"
	"github.com/winqos/winqos/gen/model"
)

const xwindows = "golang.org/x/sys/windows"

var dirs = map[string]string{"in": "In", "out": "Out", "inout": "InOut"}

func (g *gen) isPointer(ctype string) bool {
	s := fmt.Sprintf("%#v", g.goType(ctype))
	return strings.HasPrefix(s, "*") || strings.Contains(s, "unsafe.Pointer")
}

// contracts emits the per-function contract table.
func (g *gen) contracts() *jen.File {
	f := g.file("")
	f.Comment("contracts holds the documented contract of every function, sorted by name.")
	f.Var().Id("contracts").Op("=").Index(jen.Op("...")).Id("Contract").ValuesFunc(func(v *jen.Group) {
		for _, fn := range g.m.Functions {
			v.Values(jen.Dict{
				jen.Id("Func"):      jen.Lit(fn.Name),
				jen.Id("DLL"):       jen.Lit(fn.DLL),
				jen.Id("Page"):      jen.Lit("spec/" + headerOf(fn.Page) + "/" + fn.Page),
				jen.Id("Success"):   jen.Id(successRule[fn.Convention]),
				jen.Id("LastError"): jen.Id(lastErrorRule(fn.Convention)),
				jen.Id("Errors"):    jen.Id(tableName(fn.Name)),
				jen.Id("Params"): jen.Index().Id("ParamContract").ValuesFunc(func(ps *jen.Group) {
					for _, p := range fn.Params {
						ps.Values(jen.Dict{
							jen.Id("Name"):     jen.Lit(p.Name),
							jen.Id("CType"):    jen.Lit(p.Type),
							jen.Id("Dir"):      jen.Id(dirs[p.Dir]),
							jen.Id("Optional"): jen.Lit(p.Optional),
							jen.Id("Reserved"): jen.Lit(p.Reserved),
							jen.Id("Pointer"):  jen.Lit(g.isPointer(p.Type)),
							jen.Id("Doc"):      jen.Lit(doc.Flatten(p.Doc)),
						})
					}
				}),
			})
		}
	})
	g.facts(f)
	return f
}

func (g *gen) params(fn model.Function) []jen.Code {
	var ps []jen.Code
	for _, p := range fn.Params {
		ps = append(ps, jen.Id(goName(p.Name)).Add(g.goType(p.Type)))
	}
	return ps
}

func (g *gen) args(fn model.Function) []jen.Code {
	var as []jen.Code
	for _, p := range fn.Params {
		as = append(as, jen.Id(goName(p.Name)))
	}
	return as
}

// funcDoc is the doc comment of a function or API method: summary,
// parameters, documented errors and the upstream page.
func funcDoc(lead string, fn model.Function) string {
	paras := []string{lead + " " + fn.Summary}
	if fn.Doc != "" && fn.Doc != fn.Summary {
		paras = append(paras, fn.Doc)
	}
	paras = append(paras, "Parameters:")
	for _, p := range fn.Params {
		ann := p.Dir
		if p.Dir == "inout" {
			ann = "in, out"
		}
		if p.Optional {
			ann += ", optional"
		}
		if p.Reserved {
			ann += ", reserved"
		}
		paras = append(paras, fmt.Sprintf("  - %s (%s) [%s]: %s", goName(p.Name), p.Name, ann, doc.Flatten(p.Doc)))
	}
	paras = append(paras, "Documented errors:")
	for _, e := range fn.Errors {
		paras = append(paras, fmt.Sprintf("  - %s: %s", e.Name, e.Text))
	}
	paras = append(paras, "See "+docURL(fn.Page))
	return comment(paras...)
}

// api emits the API interface, one method per function.
func (g *gen) api() *jen.File {
	f := g.file("")
	native := "Native (windows) calls " + g.dllList() + "."
	if g.opts.Package == "qwave" {
		native = "Native (windows) calls qwave.dll; package qwavetest implements it in memory, exactly as documented."
	}
	f.Comment(comment(
		"API is the "+g.opts.Title+" API of "+g.opts.Header+", one method per function, named as in Win32. Each returns nil on success and the failure as an error: an Errno for a code the function sets, ErrNoLastError when it sets none, or an error matching ErrUnavailable when the DLL cannot be loaded.",
		native,
	))
	f.Type().Id("API").InterfaceFunc(func(i *jen.Group) {
		for idx, fn := range g.m.Functions {
			if idx > 0 {
				i.Line()
			}
			i.Comment(funcDoc(fn.Name+":", fn))
			i.Id(fn.Name).Params(g.params(fn)...).Add(g.results(fn))
		}
	})
	return f
}

// callArg converts a parameter to the uintptr a syscall takes. Pointers are
// converted in the call expression itself, which keeps them alive and
// unmoved for the call.
func (g *gen) callArg(p model.Param) jen.Code {
	name := jen.Id(goName(p.Name))
	s := fmt.Sprintf("%#v", g.goType(p.Type))
	switch {
	case strings.Contains(s, "unsafe.Pointer"):
		return jen.Uintptr().Parens(name)
	case strings.HasPrefix(s, "*"):
		return jen.Uintptr().Parens(jen.Qual("unsafe", "Pointer").Parens(name))
	}
	return jen.Uintptr().Parens(name)
}

// stubs emits the windows-only DLL bindings: the lazy procedures, one
// function per API function, Native and Raw.
func (g *gen) stubs() *jen.File {
	f := g.file("windows")
	dlls := map[string]bool{}
	for _, fn := range g.m.Functions {
		dlls[fn.DLL] = true
	}
	f.Var().DefsFunc(func(d *jen.Group) {
		for _, dll := range sortedKeys(dlls) {
			d.Id(modName(dll)).Op("=").Qual(xwindows, "NewLazySystemDLL").Call(jen.Lit(dll))
		}
		d.Line()
		for _, fn := range g.m.Functions {
			d.Id("proc"+fn.Name).Op("=").Qual(g.opts.Runtime, "NewProc").Call(jen.Id(modName(fn.DLL)), jen.Lit(fn.Name))
		}
	})
	f.Line()
	f.Comment("Native is the API as " + g.dllList() + " implements it. Its zero value is ready to use.")
	f.Type().Id("Native").Struct()
	f.Line()
	f.Var().Id("_").Id("API").Op("=").Id("Native").Values()
	f.Line()
	f.Comment(comment("Raw calls " + g.dllList() + " and reports what the call returned and the thread's last error after it, success or not, for conformance checks that judge both. err is non-nil only when the procedure cannot be loaded."))
	f.Type().Id("Raw").Struct()
	f.Line()
	f.Comment(comment("Observed is the API as " + g.dllList() + " implements it, handing each call's raw Outcome to Observe (when set) before returning, so conformance checks can see the last error after a success too."))
	f.Type().Id("Observed").Struct(jen.Id("Observe").Func().Params(jen.Id("fn").String(), jen.Id("o").Id("Outcome")))
	f.Line()
	f.Var().Id("_").Id("API").Op("=").Id("Observed").Values()
	for _, fn := range g.m.Functions {
		proc := jen.Id("proc" + fn.Name)
		var callArgs []jen.Code
		callArgs = append(callArgs, jen.Id("addr"))
		for _, p := range fn.Params {
			callArgs = append(callArgs, g.callArg(p))
		}
		// addr := procX.addr.Load(); if addr == 0 { load, or return the
		// unavailable error }
		load, cached := proc.Clone().Dot("Load").Call(), proc.Clone().Dot("Addr").Call()
		lookup := func(onErr ...jen.Code) []jen.Code {
			return []jen.Code{
				jen.Id("addr").Op(":=").Add(cached),
				jen.If(jen.Id("addr").Op("==").Lit(0)).Block(
					jen.Var().Err().Error(),
					jen.If(jen.List(jen.Id("addr"), jen.Err()).Op("=").Add(load), jen.Err().Op("!=").Nil()).Block(
						jen.Return(onErr...),
					),
				),
			}
		}
		f.Line()
		f.Comment(funcDoc(fn.Name+" calls "+fn.DLL+"!"+fn.Name+".", fn))
		f.Func().Id(fn.Name).Params(g.params(fn)...).Add(g.results(fn)).BlockFunc(func(b *jen.Group) {
			for _, c := range lookup(g.zeroResults(fn, jen.Err())...) {
				b.Add(c)
			}
			g.callAndCheck(b, fn, callArgs)
		})
		f.Line()
		f.Comment(fn.Name + " calls " + fn.Name + ".")
		f.Func().Params(jen.Id("Native")).Id(fn.Name).Params(g.params(fn)...).Add(g.results(fn)).Block(
			jen.Return(jen.Id(fn.Name).Call(g.args(fn)...)),
		)
		f.Line()
		f.Comment(fn.Name + " calls " + fn.Name + " and hands the outcome to Observe.")
		f.Func().Params(jen.Id("x").Id("Observed")).Id(fn.Name).Params(g.params(fn)...).Add(g.results(fn)).Block(
			jen.List(jen.Id("o"), jen.Err()).Op(":=").Id("Raw").Values().Dot(fn.Name).Call(g.args(fn)...),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(g.zeroResults(fn, jen.Err())...)),
			jen.If(jen.Id("x").Dot("Observe").Op("!=").Nil()).Block(jen.Id("x").Dot("Observe").Call(jen.Lit(fn.Name), jen.Id("o"))),
			jen.Return(g.outcomeResults(fn)...),
		)
		f.Line()
		f.Comment(fn.Name + " calls " + fn.Name + " and reports the raw outcome.")
		f.Func().Params(jen.Id("Raw")).Id(fn.Name).Params(g.params(fn)...).Params(jen.Id("Outcome"), jen.Error()).BlockFunc(func(b *jen.Group) {
			for _, c := range lookup(jen.Id("Outcome").Values(), jen.Err()) {
				b.Add(c)
			}
			b.List(jen.Id("r1"), jen.Id("_"), jen.Id("e1")).Op(":=").Qual("syscall", "SyscallN").Call(callArgs...)
			fields := jen.Dict{jen.Id("Ret"): jen.Uint32().Parens(jen.Id("r1")), jen.Id("LastError"): jen.Id("Errno").Parens(jen.Id("e1"))}
			if fn.Convention != model.BoolLastError {
				fields[jen.Id("R1")] = jen.Id("r1")
				fields[jen.Id("Rule")] = jen.Id(successRule[fn.Convention])
			}
			b.Return(jen.Id("Outcome").Values(fields), jen.Nil())
		})
	}
	return f
}

// successRule names the contract's SuccessRule of each convention.
var successRule = map[model.Convention]string{
	model.BoolLastError: "SuccessNonzero",
	model.Status:        "SuccessZero",
	model.HResult:       "SuccessNonNegative",
	model.NTStatus:      "SuccessNonNegative",
	model.HandleNull:    "SuccessNotNull",
	model.HandleInvalid: "SuccessNotAllOnes",
	model.InvalidSocket: "SuccessNotAllOnes",
	model.SocketError:   "SuccessNotMinusOne",
	model.Void:          "SuccessAlways",
}

// lastErrorRule names the contract's LastErrorRule of each convention.
func lastErrorRule(c model.Convention) string {
	switch c {
	case model.BoolLastError, model.HandleNull, model.HandleInvalid, model.SocketError, model.InvalidSocket:
		return "LastErrorOnFailure"
	}
	return "LastErrorNotUsed"
}

// results is a function's Go results: the error, after the handle or count
// the function returns for the conventions that return one.
func (g *gen) results(fn model.Function) jen.Code {
	if fn.Convention.Returns() {
		return jen.Parens(jen.List(g.valueType(fn), jen.Error()))
	}
	return jen.Error()
}

// valueType is the Go type of a returned handle or count.
func (g *gen) valueType(fn model.Function) jen.Code {
	if fn.Convention == model.SocketError {
		return jen.Int32()
	}
	return g.goType(fn.Return)
}

// zeroResults returns err with the zero value of a returned handle or
// count before it.
func (g *gen) zeroResults(fn model.Function, err jen.Code) []jen.Code {
	if fn.Convention.Returns() {
		return []jen.Code{jen.Lit(0), err}
	}
	return []jen.Code{err}
}

// outcomeResults are Observed's results from a Raw outcome o.
func (g *gen) outcomeResults(fn model.Function) []jen.Code {
	if fn.Convention.Returns() {
		return []jen.Code{jen.Add(g.valueType(fn)).Parens(jen.Id("o").Dot("R1")), jen.Id("o").Dot("Err").Call()}
	}
	return []jen.Code{jen.Id("o").Dot("Err").Call()}
}

// callAndCheck emits the call and the convention's check of its result.
func (g *gen) callAndCheck(b *jen.Group, fn model.Function, callArgs []jen.Code) {
	call := jen.Qual("syscall", "SyscallN").Call(callArgs...)
	lastErr := jen.Id("errnoErr").Call(jen.Id("Errno").Parens(jen.Id("e1")))
	switch fn.Convention {
	case model.BoolLastError:
		b.List(jen.Id("r1"), jen.Id("_"), jen.Id("e1")).Op(":=").Add(call)
		b.If(jen.Uint32().Parens(jen.Id("r1")).Op("==").Lit(0)).Block(jen.Return(lastErr))
		b.Return(jen.Nil())
	case model.Status, model.HResult, model.NTStatus:
		b.List(jen.Id("r1"), jen.Id("_"), jen.Id("_")).Op(":=").Add(call)
		cond := jen.Uint32().Parens(jen.Id("r1")).Op("!=").Lit(0) // NO_ERROR is success
		if fn.Convention != model.Status {
			cond = jen.Int32().Parens(jen.Id("r1")).Op("<").Lit(0) // FAILED, NT_ERROR
		}
		b.If(cond).Block(jen.Return(jen.Id("errnoErr").Call(jen.Id("Errno").Parens(jen.Id("r1")))))
		b.Return(jen.Nil())
	case model.HandleNull, model.HandleInvalid, model.InvalidSocket, model.SocketError:
		b.List(jen.Id("r1"), jen.Id("_"), jen.Id("e1")).Op(":=").Add(call)
		v := jen.Add(g.valueType(fn)).Parens(jen.Id("r1"))
		var failed jen.Code
		switch fn.Convention {
		case model.HandleNull:
			failed = jen.Id("r1").Op("==").Lit(0)
		case model.SocketError:
			failed = jen.Int32().Parens(jen.Id("r1")).Op("==").Lit(-1)
		default: // INVALID_HANDLE_VALUE, INVALID_SOCKET
			failed = jen.Id("r1").Op("==").Op("^").Uintptr().Parens(jen.Lit(0))
		}
		b.If(failed).Block(jen.Return(v, lastErr))
		b.Return(v, jen.Nil())
	case model.Void:
		b.Add(call)
		b.Return(jen.Nil())
	}
}

// dllList names the DLLs the functions live in, for doc comments.
func (g *gen) dllList() string {
	seen := map[string]bool{}
	for _, fn := range g.m.Functions {
		seen[fn.DLL] = true
	}
	return strings.Join(sortedKeys(seen), ", ")
}

// modName is the variable of a DLL: mod + its name, any character that
// cannot be in an identifier replaced by '_'.
func modName(dll string) string {
	name := []rune(strings.TrimSuffix(strings.ToLower(dll), ".dll"))
	for i, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			name[i] = '_'
		}
	}
	return "mod" + string(name)
}
