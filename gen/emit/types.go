package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/winqos/winqos/gen/model"
)

// baseTypes maps the Windows base types qos2.h uses to Go. Handle, Socket,
// RawSockaddrAny and Overlapped are declared by hand in package qwave with
// the layouts of their x/sys/windows twins.
var baseTypes = map[string]func() jen.Code{
	"BOOL":         func() jen.Code { return jen.Int32() },
	"DWORD":        func() jen.Code { return jen.Uint32() },
	"ULONG":        func() jen.Code { return jen.Uint32() },
	"UINT32":       func() jen.Code { return jen.Uint32() },
	"UINT64":       func() jen.Code { return jen.Uint64() },
	"USHORT":       func() jen.Code { return jen.Uint16() },
	"PULONG":       func() jen.Code { return jen.Op("*").Uint32() },
	"PVOID":        func() jen.Code { return jen.Qual("unsafe", "Pointer") },
	"HANDLE":       func() jen.Code { return jen.Id("Handle") },
	"PHANDLE":      func() jen.Code { return jen.Op("*").Id("Handle") },
	"SOCKET":       func() jen.Code { return jen.Id("Socket") },
	"PSOCKADDR":    func() jen.Code { return jen.Op("*").Id("RawSockaddrAny") },
	"LPOVERLAPPED": func() jen.Code { return jen.Op("*").Id("Overlapped") },
}

// cLayout is a C scalar's size and alignment under the Windows ABI, the same
// on amd64, 386 and arm64 for the types that qos2.h structs hold (on 386,
// MSVC aligns 8-byte members to 8 inside structs, unlike Go: golang/go#41001).
var cLayout = map[string][2]int64{
	"BOOL": {4, 4}, "DWORD": {4, 4}, "ULONG": {4, 4}, "UINT32": {4, 4},
	"UINT64": {8, 8}, "USHORT": {2, 2},
}

// goTypeTable maps every C type name the model uses to its Go type.
func goTypeTable(m *model.Model) map[string]jen.Code {
	t := map[string]jen.Code{}
	for name, f := range baseTypes {
		t[name] = f()
	}
	typedefs := map[string]bool{}
	for _, td := range m.Typedefs {
		typedefs[td.Name] = true
	}
	for _, td := range m.Typedefs {
		if !td.Pointer {
			t[td.Name] = jen.Id(td.Name)
			continue
		}
		// typedef UINT32 QOS_FLOWID, *PQOS_FLOWID: PQOS_FLOWID points at
		// QOS_FLOWID, the named type, rather than at a bare uint32.
		if base := strings.TrimPrefix(td.Name, "P"); typedefs[base] {
			t[td.Name] = jen.Op("*").Id(base)
		} else if f, ok := baseTypes[td.Type]; ok {
			t[td.Name] = jen.Op("*").Add(f())
		}
	}
	for _, s := range m.Structs {
		t[s.Name] = jen.Id(s.Name)
		for _, p := range s.Ptrs {
			t[p] = jen.Op("*").Id(s.Name)
		}
	}
	for _, e := range m.Enums {
		t[e.Name] = jen.Id(e.Name)
		for _, p := range e.Ptrs {
			t[p] = jen.Op("*").Id(e.Name)
		}
	}
	return t
}

func (g *gen) goType(ctype string) jen.Code {
	if c, ok := g.goTypes[ctype]; ok {
		return c
	}
	// The model resolved every type; reaching here is a gen bug.
	panic(fmt.Sprintf("emit: no Go type for C type %q", ctype))
}

// layoutOf returns a C type's size and alignment: a scalar, a typedef of one,
// or an enum (int).
func (g *gen) layoutOf(ctype string) ([2]int64, bool) {
	if l, ok := cLayout[ctype]; ok {
		return l, true
	}
	for _, e := range g.m.Enums {
		if e.Name == ctype {
			return [2]int64{4, 4}, true
		}
	}
	for _, td := range g.m.Typedefs {
		if td.Name == ctype && !td.Pointer {
			return g.layoutOf(td.Type)
		}
	}
	return [2]int64{}, false
}

func (g *gen) types() *jen.File {
	f := g.file("")
	for _, td := range g.m.Typedefs {
		if td.Pointer {
			continue // *QOS_FLOWID in Go
		}
		f.Comment(comment(td.Name + " is the C " + td.Name + " (" + td.Type + "). " + td.Doc))
		f.Type().Id(td.Name).Add(g.goType(td.Type))
		f.Line()
	}
	for _, e := range g.m.Enums {
		f.Comment(comment(e.Name+" is the C enumeration "+e.Name+". "+e.Doc, "See "+docURL(e.Page)))
		f.Type().Id(e.Name).Int32()
		f.Line()
		f.Comment(e.Name + " values.")
		f.Const().DefsFunc(func(d *jen.Group) {
			for _, v := range e.Values {
				d.Comment(comment(v.Name + ": " + v.Doc))
				d.Id(v.Name).Id(e.Name).Op("=").Lit(int(v.Value))
			}
		})
		f.Line()
	}
	for _, s := range g.m.Structs {
		f.Comment(comment(s.Name+" is the C structure "+s.Name+", laid out as the Windows C ABI lays it out on amd64, 386 and arm64. "+s.Doc, "See "+docURL(s.Page)))
		f.Type().Id(s.Name).StructFunc(func(st *jen.Group) {
			var off, maxAlign int64 = 0, 1
			for _, fl := range s.Fields {
				l, ok := g.layoutOf(fl.Type)
				if !ok {
					panic(fmt.Sprintf("emit: no C layout for %s.%s type %s", s.Name, fl.Name, fl.Type))
				}
				size, align := l[0], l[1]
				maxAlign = max(maxAlign, align)
				if pad := alignUp(off, align) - off; pad > 0 {
					st.Id("_").Index(jen.Lit(int(pad))).Byte().Comment("C alignment of " + fl.Name)
				}
				off = alignUp(off, align)
				st.Comment(comment(fl.Name + ": " + fl.Doc))
				st.Id(fl.Name).Add(g.goType(fl.Type))
				off += size
			}
			if pad := alignUp(off, maxAlign) - off; pad > 0 {
				st.Id("_").Index(jen.Lit(int(pad))).Byte().Comment("C tail padding")
			}
		})
		f.Line()
	}
	if len(g.m.Constants) > 0 {
		f.Comment("Constants.")
		f.Const().DefsFunc(func(d *jen.Group) {
			for _, c := range g.m.Constants {
				d.Comment(comment(c.Name + ": " + c.Doc))
				d.Id(c.Name).Op("=").Op(fmt.Sprintf("%#x", c.Value))
			}
		})
	}
	return f
}

func alignUp(n, a int64) int64 { return (n + a - 1) / a * a }
