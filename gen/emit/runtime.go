package emit

import "github.com/dave/jennifer/jen"

// runtimeAliases are the shared runtime's names a generated package
// declares as its own, with their doc comments.
var runtimeAliases = []struct{ name, doc string }{
	{"Errno", "Errno is a Win32 error code, as GetLastError returns it (or the status, HRESULT or NTSTATUS a function returns). It converts to syscall.Errno, which is x/sys/windows.Errno; in an error chain it matches a syscall.Errno of the same value in errors.Is, and errors.As with a *syscall.Errno target finds it. Error names the code and says what it means; for a code no function documents it gives the system's message on Windows. Name is the code's winerror.h name."},
	{"Handle", "Handle is a Win32 HANDLE, with the representation of x/sys/windows.Handle."},
	{"GUID", "GUID is the Win32 GUID."},
	{"UnavailableError", "UnavailableError reports that a procedure could not be loaded; it matches ErrUnavailable."},
	{"Contract", "Contract is the documented calling contract of one function."},
	{"ParamContract", "ParamContract is what the docs say about one parameter."},
	{"ErrorDoc", "ErrorDoc is one documented failure code of one function."},
	{"Outcome", "Outcome is what one call returned and the thread's last error after it."},
	{"Dir", "Dir is a parameter's documented direction."},
	{"LastErrorAccess", "LastErrorAccess is implemented by APIs whose calling thread has a Win32 last-error value that can be read and set, as conformance checks need."},
	{"SuccessRule", "SuccessRule says how a function reports success."},
	{"LastErrorRule", "LastErrorRule says what a function does to the thread's last error."},
}

var runtimeConsts = []string{
	"In", "Out", "InOut",
	"SuccessNonzero", "SuccessZero", "SuccessNonNegative", "SuccessNotNull", "SuccessNotAllOnes", "SuccessNotMinusOne", "SuccessAlways",
	"LastErrorOnFailure", "LastErrorNotUsed",
}

// runtime emits zruntime.go: the shared runtime's names as the package's
// own, the functions over its contract table, and the registration of its
// codes.
func (g *gen) runtime() *jen.File {
	f := g.file("")
	rt := g.opts.Runtime
	for _, a := range runtimeAliases {
		f.Comment(comment(a.doc))
		f.Type().Id(a.name).Op("=").Qual(rt, a.name)
		f.Line()
	}
	f.Comment("Directions, success rules and last-error rules of the contract tables.")
	f.Const().DefsFunc(func(d *jen.Group) {
		for _, c := range runtimeConsts {
			d.Id(c).Op("=").Qual(rt, c)
		}
	})
	f.Line()
	f.Var().Defs(
		jen.Comment(comment("ErrNoLastError is returned when a function reports failure but leaves the last error at 0.")),
		jen.Id("ErrNoLastError").Op("=").Qual(rt, "ErrNoLastError"),
		jen.Comment(comment("ErrUnavailable is matched (errors.Is) by the error a call returns when "+g.dllList()+" or a procedure cannot be loaded.")),
		jen.Id("ErrUnavailable").Op("=").Qual(rt, "ErrUnavailable"),
	)
	f.Line()
	f.Func().Id("init").Params().Block(
		jen.Qual(rt, "Register").Call(jen.Qual(rt, "Codes").Values(jen.Dict{
			jen.Id("Doc"):   jen.Id("errnoDoc"),
			jen.Id("Boxed"): jen.Id("boxed"),
		})),
	)
	f.Line()
	f.Comment("errnoErr is the error of a failure code: pre-boxed for documented codes.")
	f.Func().Id("errnoErr").Params(jen.Id("e").Id("Errno")).Error().Block(
		jen.If(jen.Id("e").Op("==").Lit(0)).Block(jen.Return(jen.Id("ErrNoLastError"))),
		jen.If(jen.Err().Op(":=").Id("boxed").Call(jen.Id("e")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Return(jen.Id("e")),
	)
	f.Line()
	f.Comment("Contracts returns the contracts of every function, sorted by name. The slice is shared: do not modify it.")
	f.Func().Id("Contracts").Params().Index().Id("Contract").Block(jen.Return(jen.Id("contracts").Index(jen.Op(":"))))
	f.Line()
	f.Comment("ContractOf returns the named function's contract.")
	f.Func().Id("ContractOf").Params(jen.Id("fn").String()).Params(jen.Op("*").Id("Contract"), jen.Bool()).Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("contracts")).Block(
			jen.If(jen.Id("contracts").Index(jen.Id("i")).Dot("Func").Op("==").Id("fn")).Block(
				jen.Return(jen.Op("&").Id("contracts").Index(jen.Id("i")), jen.True()),
			),
		),
		jen.Return(jen.Nil(), jen.False()),
	)
	f.Line()
	f.Comment("ErrorsOf returns the codes the named function documents, in doc order, or nil for an unknown function.")
	f.Func().Id("ErrorsOf").Params(jen.Id("fn").String()).Index().Id("ErrorDoc").Block(
		jen.If(jen.List(jen.Id("c"), jen.Id("ok")).Op(":=").Id("ContractOf").Call(jen.Id("fn")), jen.Id("ok")).Block(jen.Return(jen.Id("c").Dot("Errors"))),
		jen.Return(jen.Nil()),
	)
	f.Line()
	f.Comment("Documented reports whether fn documents code as a failure.")
	f.Func().Id("Documented").Params(jen.Id("fn").String(), jen.Id("code").Id("Errno")).Bool().Block(
		jen.Return(jen.Id("documented").Call(jen.Id("fn"), jen.Id("code"))),
	)
	return f
}
