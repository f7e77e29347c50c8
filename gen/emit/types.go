package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/model"
)

// baseTypes maps the Windows base types qos2.h uses to Go; Handle is the
// shared runtime's.
var baseTypes = map[string]func() jen.Code{
	"BOOL":    func() jen.Code { return jen.Int32() },
	"DWORD":   func() jen.Code { return jen.Uint32() },
	"ULONG":   func() jen.Code { return jen.Uint32() },
	"UINT32":  func() jen.Code { return jen.Uint32() },
	"UINT64":  func() jen.Code { return jen.Uint64() },
	"USHORT":  func() jen.Code { return jen.Uint16() },
	"PULONG":  func() jen.Code { return jen.Op("*").Uint32() },
	"PVOID":   func() jen.Code { return jen.Qual("unsafe", "Pointer") },
	"HANDLE":  func() jen.Code { return jen.Id("Handle") },
	"PHANDLE": func() jen.Code { return jen.Op("*").Id("Handle") },
}

// qwaveTypes are the base types package qwave declares by hand (types.go),
// with the layouts of their x/sys/windows twins; other packages get the
// generic mapping of cdecl's table.
var qwaveTypes = map[string]func() jen.Code{
	"SOCKET":       func() jen.Code { return jen.Id("Socket") },
	"PSOCKADDR":    func() jen.Code { return jen.Op("*").Id("RawSockaddrAny") },
	"LPOVERLAPPED": func() jen.Code { return jen.Op("*").Id("Overlapped") },
}

// goTypeTable maps every C type name the model declares to its Go type;
// base types and pointers are resolved by goType.
func goTypeTable(m *model.Model, pkg string) map[string]jen.Code {
	t := map[string]jen.Code{}
	for name, f := range baseTypes {
		t[name] = f()
	}
	if pkg == "qwave" {
		for name, f := range qwaveTypes {
			t[name] = f()
		}
	}
	typedefs := map[string]bool{}
	for _, td := range m.Typedefs {
		typedefs[td.Name] = true
	}
	for _, td := range m.Typedefs {
		if !td.Pointer || td.Func != nil {
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

// fail records the first error of generation; Generate returns it.
func (g *gen) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf(format, args...)
	}
}

// goType is the Go type of a C type: a declared or base type, with any
// number of pointer levels ("X *", "const X * *").
func (g *gen) goType(ctype string) jen.Code {
	words := strings.Fields(ctype)
	var name []string
	stars := 0
	for _, w := range words {
		switch w {
		case "const":
		case "*":
			stars++
		default:
			name = append(name, w)
		}
	}
	base := strings.Join(name, " ")
	var t jen.Code
	if c, ok := g.goTypes[base]; ok {
		t = c
	} else if bt, ok := cdecl.Base(base); ok {
		t = g.baseGoType(base, bt)
	}
	if t == nil {
		// The model resolved every type; reaching here is a gen bug.
		g.fail("emit: no Go type for C type %q", ctype)
		return jen.Id("invalid")
	}
	for range stars {
		if s := fmt.Sprintf("%#v", t); s == "unsafe.Pointer" {
			t = jen.Op("*").Qual("unsafe", "Pointer")
			continue
		}
		if base == "void" || base == "VOID" {
			t = jen.Qual("unsafe", "Pointer")
			base = "PVOID"
			continue
		}
		t = jen.Op("*").Add(t)
	}
	return t
}

// baseGoType is the Go type of a Windows base type from cdecl's table.
func (g *gen) baseGoType(name string, bt cdecl.BaseType) jen.Code {
	switch bt.Kind {
	case cdecl.Int:
		switch bt.Size {
		case 0:
			return jen.Int()
		case 1:
			return jen.Int8()
		case 2:
			return jen.Int16()
		case 4:
			return jen.Int32()
		case 8:
			return jen.Int64()
		}
	case cdecl.Uint:
		switch bt.Size {
		case 0:
			return jen.Uintptr()
		case 1:
			return jen.Uint8()
		case 2:
			return jen.Uint16()
		case 4:
			return jen.Uint32()
		case 8:
			return jen.Uint64()
		}
	case cdecl.Handle:
		return jen.Id("Handle")
	case cdecl.Pointer:
		if bt.Elem == "" {
			return jen.Qual("unsafe", "Pointer")
		}
		return jen.Op("*").Add(g.goType(bt.Elem))
	case cdecl.Record:
		switch name {
		case "GUID":
			return jen.Id("GUID")
		case "LUID":
			return jen.Index(jen.Lit(2)).Uint32()
		case "NET_LUID":
			return jen.Uint64()
		}
	}
	return nil
}

// layout is a C type's size and alignment on 32-bit (386) and 64-bit
// (amd64, arm64) Windows, and the alignment Go gives its Go type there.
type layout struct {
	size32, align32, size64, align64 int64
	goAlign32, goAlign64             int64
}

// layoutOf returns a C type's layout: a base type, a typedef of one, an
// enum (int), a pointer, or a struct of the model.
func (g *gen) layoutOf(ctype string) (layout, bool) {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 32 { // a type that contains itself: the model let a cycle through
		return layout{}, false
	}
	ctype = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(ctype), "const "))
	if strings.HasSuffix(ctype, "*") {
		return layout{4, 4, 8, 8, 4, 8}, true
	}
	if bt, ok := cdecl.Base(ctype); ok {
		switch bt.Kind {
		case cdecl.Pointer, cdecl.Handle:
			return layout{4, 4, 8, 8, 4, 8}, true
		case cdecl.Int, cdecl.Uint, cdecl.Record:
			if bt.Size == 0 {
				return layout{4, 4, 8, 8, 4, 8}, true
			}
			s, a := int64(bt.Size), int64(bt.Align)
			return layout{s, a, s, a, min(a, 4), a}, true
		}
		return layout{}, false
	}
	for _, e := range g.m.Enums {
		if e.Name == ctype || slices.Contains(e.Ptrs, ctype) {
			if e.Name != ctype {
				return layout{4, 4, 8, 8, 4, 8}, true
			}
			return layout{4, 4, 4, 4, 4, 4}, true
		}
	}
	for _, td := range g.m.Typedefs {
		if td.Name == ctype {
			if td.Pointer || td.Func != nil {
				return layout{4, 4, 8, 8, 4, 8}, true
			}
			return g.layoutOf(td.Type)
		}
	}
	for _, s := range g.m.Structs {
		if slices.Contains(s.Ptrs, ctype) {
			return layout{4, 4, 8, 8, 4, 8}, true
		}
		if s.Name == ctype {
			return g.structLayout(s)
		}
	}
	return layout{}, false
}

// field is one member as laid out: its C layout, the element count of an
// array, and its Go type.
func (g *gen) fieldLayout(f model.Field) (layout, jen.Code, bool) {
	if f.Union != nil {
		u := f.Union
		if u.Size32 != u.Size64 || u.Align32 != u.Align64 {
			return layout{}, nil, false // pointer-sized members: no single Go type
		}
		elem := map[int64]jen.Code{1: jen.Uint8(), 2: jen.Uint16(), 4: jen.Uint32(), 8: jen.Uint64()}[u.Align64]
		l := layout{u.Size32, u.Align32, u.Size64, u.Align64, min(u.Align64, 4), u.Align64}
		return l, jen.Index(jen.Lit(int(u.Size64 / u.Align64))).Add(elem), true
	}
	l, ok := g.layoutOf(f.Type)
	if !ok {
		return layout{}, nil, false
	}
	t := g.goType(f.Type)
	if f.Len > 0 {
		l.size32 *= f.Len
		l.size64 *= f.Len
		t = jen.Index(jen.Lit(int(f.Len))).Add(t)
	}
	return l, t, true
}

// structLayout lays a struct out as C does on each architecture.
func (g *gen) structLayout(s model.Struct) (layout, bool) {
	var off32, off64 int64
	out := layout{align32: 1, align64: 1, goAlign32: 1, goAlign64: 1}
	for _, f := range s.Fields {
		l, _, ok := g.fieldLayout(f)
		if !ok {
			return layout{}, false
		}
		off32, off64 = alignUp(off32, l.align32)+l.size32, alignUp(off64, l.align64)+l.size64
		out.align32, out.align64 = max(out.align32, l.align32), max(out.align64, l.align64)
		out.goAlign32, out.goAlign64 = max(out.goAlign32, l.goAlign32), max(out.goAlign64, l.goAlign64)
	}
	out.size32, out.size64 = alignUp(off32, out.align32), alignUp(off64, out.align64)
	return out, true
}

// pad is the explicit padding that brings Go's offsets (go32, go64, where
// Go would place the next member by its own alignment goAlign) to C's
// (c32, c64) on both architectures; ok is false when no one padding does.
func pad(go32, go64, c32, c64, goAlign32, goAlign64 int64) (int64, bool) {
	for _, p := range []int64{0, c64 - go64, c32 - go32} {
		if p < 0 {
			continue
		}
		if alignUp(go32+p, goAlign32) == c32 && alignUp(go64+p, goAlign64) == c64 {
			return p, true
		}
	}
	return 0, false
}

func (g *gen) types() *jen.File {
	f := g.file("")
	for _, td := range g.m.Typedefs {
		if td.Pointer && td.Func == nil {
			continue // *QOS_FLOWID in Go
		}
		if td.Func != nil {
			f.Comment(comment(td.Name + " is the C function pointer type " + td.Name + " (" + td.Func.Return + " " + td.Func.CallConv + " (" + strings.Join(td.Func.Params, ", ") + ")): pass a function wrapped by syscall.NewCallback. " + td.Doc))
			f.Type().Id(td.Name).Uintptr()
			f.Line()
			continue
		}
		f.Comment(comment(td.Name + " is the C " + td.Name + " (" + td.Type + "). " + td.Doc))
		f.Type().Id(td.Name).Add(g.goType(td.Type))
		f.Line()
	}
	for _, e := range g.m.Enums {
		paras := []string{"" + e.Name + " is the C enumeration " + e.Name + ". " + e.Doc}
		if e.Page != "" {
			paras = append(paras, "See "+docURL(e.Page))
		}
		f.Comment(comment(paras...))
		f.Type().Id(e.Name).Int32()
		f.Line()
		f.Comment(e.Name + " values.")
		f.Const().DefsFunc(func(d *jen.Group) {
			for _, v := range e.Values {
				if v.Doc != "" {
					d.Comment(comment(v.Name + ": " + v.Doc))
				} else {
					d.Comment(v.Name + " is a value of " + e.Name + ".")
				}
				d.Id(v.Name).Id(e.Name).Op("=").Lit(int(v.Value))
			}
		})
		f.Line()
	}
	for _, s := range g.m.Structs {
		paras := []string{s.Name + " is the C structure " + s.Name + ", laid out as the Windows C ABI lays it out on amd64, 386 and arm64. " + s.Doc}
		if s.Page != "" {
			paras = append(paras, "See "+docURL(s.Page))
		}
		f.Comment(comment(paras...))
		f.Type().Id(s.Name).StructFunc(func(st *jen.Group) {
			var c32, c64, go32, go64 int64
			var maxGo32, maxGo64 int64 = 1, 1
			for _, fl := range s.Fields {
				l, t, ok := g.fieldLayout(fl)
				if !ok {
					g.fail("emit: no C layout for %s.%s type %s", s.Name, fl.Name, fl.Type)
					return
				}
				c32, c64 = alignUp(c32, l.align32), alignUp(c64, l.align64)
				p, ok := pad(go32, go64, c32, c64, l.goAlign32, l.goAlign64)
				if !ok {
					g.fail("emit: %s.%s is at offset %d (386) and %d (amd64) in C; no one Go padding puts it there on both", s.Name, fl.Name, c32, c64)
					return
				}
				if p > 0 {
					st.Id("_").Index(jen.Lit(int(p))).Byte().Comment("C alignment of " + fl.Name)
				}
				go32, go64 = c32+l.size32, c64+l.size64
				maxGo32, maxGo64 = max(maxGo32, l.goAlign32), max(maxGo64, l.goAlign64)
				if fl.Doc != "" {
					st.Comment(comment(fl.Name + ": " + fl.Doc))
				}
				st.Id(exported(fl.Name)).Add(t)
				c32, c64 = go32, go64
			}
			sl, _ := g.structLayout(s)
			p, ok := pad(go32, go64, sl.size32, sl.size64, maxGo32, maxGo64)
			if !ok {
				g.fail("emit: %s is %d (386) and %d (amd64) bytes in C; no one Go tail padding gives both", s.Name, sl.size32, sl.size64)
				return
			}
			if p > 0 {
				st.Id("_").Index(jen.Lit(int(p))).Byte().Comment("C tail padding")
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

// exported is a C member name as an exported Go field name: pFlow becomes
// PFlow, so that users can set it; names that start upper case stay.
func exported(name string) string {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
