package emit

import (
	"github.com/dave/jennifer/jen"
)

// buffers emits zbuffers.go: what Buffer holds for each operation
// (buffers.yaml), with the size of that type as the target compiles it.
func (g *gen) buffers() *jen.File {
	f := g.file("")
	f.Comment("OperationBuffer is what the Buffer parameter holds for one operation of a")
	f.Comment("function that takes Operation and Buffer (QOSSetFlow, QOSQueryFlow,")
	f.Comment("QOSNotifyFlow), from spec/qos2/buffers.yaml, checked against the pages.")
	f.Type().Id("OperationBuffer").Struct(
		jen.Id("Func").String().Comment("QOSSetFlow"),
		jen.Id("Operation").String().Comment("QOSSetTrafficType"),
		jen.Id("Value").Int32().Comment("the operation's value"),
		jen.Comment("Type is the C type Buffer points to, or \"\" when Buffer must be NULL."),
		jen.Id("Type").String(),
		jen.Comment("Size is Type's size in bytes (0 for NULL): the Size the operation needs."),
		jen.Id("Size").Uint32(),
		jen.Comment("Source is the page and section that say what Buffer holds."),
		jen.Id("Source").String(),
	)
	f.Line()
	f.Comment("operationBuffers holds every entry, sorted by function and operation value.")
	f.Var().Id("operationBuffers").Op("=").Index(jen.Op("...")).Id("OperationBuffer").ValuesFunc(func(v *jen.Group) {
		for _, b := range g.m.Buffers {
			typ, size := jen.Code(jen.Lit("")), jen.Code(jen.Lit(0))
			if b.Type != "NULL" {
				typ = jen.Lit(b.Type)
				size = jen.Uint32().Call(jen.Qual("unsafe", "Sizeof").Call(g.zeroValue(b.Type)))
			}
			v.Values(jen.Dict{
				jen.Id("Func"):      jen.Lit(b.Func),
				jen.Id("Operation"): jen.Lit(b.Operation),
				jen.Id("Value"):     jen.Lit(int(b.Value)),
				jen.Id("Type"):      typ,
				jen.Id("Size"):      size,
				jen.Id("Source"):    jen.Lit(sourceOf(b.Page, "parameters")),
			})
		}
	})
	f.Line()
	f.Comment("OperationBuffers returns what Buffer holds for every operation, sorted by")
	f.Comment("function and operation value. The slice is shared: do not modify it.")
	f.Func().Id("OperationBuffers").Params().Index().Id("OperationBuffer").Block(jen.Return(jen.Id("operationBuffers").Index(jen.Op(":"))))
	f.Line()
	f.Comment("OperationBufferOf returns what fn's Buffer holds for the operation of the")
	f.Comment("given value; ok is false for a value that is no operation of fn.")
	f.Func().Id("OperationBufferOf").Params(jen.Id("fn").String(), jen.Id("operation").Int32()).Params(jen.Id("OperationBuffer"), jen.Bool()).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("b")).Op(":=").Range().Id("operationBuffers")).Block(
			jen.If(jen.Id("b").Dot("Func").Op("==").Id("fn").Op("&&").Id("b").Dot("Value").Op("==").Id("operation")).Block(jen.Return(jen.Id("b"), jen.True())),
		),
		jen.Return(jen.Id("OperationBuffer").Values(), jen.False()),
	)
	return f
}

// zeroValue is a zero value of a C type's Go type, for unsafe.Sizeof.
func (g *gen) zeroValue(ctype string) jen.Code {
	for _, s := range g.m.Structs {
		if s.Name == ctype {
			return jen.Id(ctype).Values()
		}
	}
	return jen.Parens(g.goType(ctype)).Call(jen.Lit(0))
}
