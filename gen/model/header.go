package model

import (
	"fmt"
	"strings"

	"github.com/winqos/winqos/gen/cdecl"
)

// Difference is one place where a C header disagrees with the model.
type Difference struct {
	// Key names the fact, e.g. "QOSSetFlow.Size type" or "constant
	// QOS_NON_ADAPTIVE_FLOW"; it is stable, for allow-lists.
	Key    string
	Spec   string // what the spec says, "" when the spec lacks it
	Header string // what the header says, "" when the header lacks it
	Line   int    // header line, 0 when the header lacks the fact
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: spec %s, header %s", d.Key, orMissing(d.Spec), orMissing(d.Header))
}

func orMissing(s string) string {
	if s == "" {
		return "(missing)"
	}
	return fmt.Sprintf("%q", s)
}

// headerAliases are spellings that name the same C type. mingw-w64 declares
// BOOL results as WINBOOL (minwindef.h: typedef int WINBOOL; BOOL is the same
// int), so prototypes that differ only there agree.
var headerAliases = map[string]string{"WINBOOL": "BOOL", "VOID": "void"}

func canonical(typ string) string {
	if a, ok := headerAliases[typ]; ok {
		return a
	}
	if strings.Contains(typ, "WINBOOL") || strings.Contains(typ, "VOID") {
		words := strings.Fields(typ)
		for i, w := range words {
			if a, ok := headerAliases[w]; ok {
				words[i] = a
			}
		}
		return strings.Join(words, " ")
	}
	return typ
}

// CompareHeader lists every parameter type, struct field type, enum value,
// typedef and constant where h disagrees with m, in a stable order.
func CompareHeader(m *Model, h *cdecl.File) []Difference {
	var out []Difference
	add := func(key, spec, header string, line int) {
		if spec != header {
			out = append(out, Difference{Key: key, Spec: spec, Header: header, Line: line})
		}
	}
	hfuncs := map[string]cdecl.Func{}
	for _, f := range h.Funcs {
		hfuncs[f.Name] = f
	}
	for _, f := range m.Functions {
		hf, ok := hfuncs[f.Name]
		if !ok {
			add("function "+f.Name, f.Name, "", 0)
			continue
		}
		add(f.Name+" return type", f.Return, canonical(hf.Return), hf.Line)
		add(f.Name+" parameters", paramNames(f.Params), declNames(hf.Params), hf.Line)
		for i, p := range f.Params {
			if i < len(hf.Params) && hf.Params[i].Name == p.Name {
				add(f.Name+"."+p.Name+" type", p.Type, canonical(hf.Params[i].Type), hf.Params[i].Line)
			}
		}
	}
	hstructs := map[string]cdecl.Struct{}
	for _, s := range h.Structs {
		hstructs[s.Name] = s
	}
	for _, s := range m.Structs {
		hs, ok := hstructs[s.Name]
		if !ok {
			add("struct "+s.Name, s.Name, "", 0)
			continue
		}
		add(s.Name+" pointer types", strings.Join(s.Ptrs, ", "), strings.Join(hs.Ptrs, ", "), hs.Line)
		for i, f := range s.Fields {
			if i >= len(hs.Fields) {
				add(s.Name+"."+f.Name, f.Type, "", hs.Line)
				continue
			}
			hf := hs.Fields[i]
			add(s.Name+" field "+fmt.Sprint(i+1), f.Name, hf.Name, hf.Line)
			add(s.Name+"."+f.Name+" type", f.Type, canonical(hf.Type), hf.Line)
		}
	}
	henums := map[string]cdecl.Enum{}
	for _, e := range h.Enums {
		henums[e.Name] = e
	}
	for _, e := range m.Enums {
		he, ok := henums[e.Name]
		if !ok {
			add("enum "+e.Name, e.Name, "", 0)
			continue
		}
		add(e.Name+" pointer types", strings.Join(e.Ptrs, ", "), strings.Join(he.Ptrs, ", "), he.Line)
		hv := map[string]cdecl.EnumValue{}
		for _, v := range he.Values {
			hv[v.Name] = v
		}
		for _, v := range e.Values {
			x, ok := hv[v.Name]
			if !ok {
				add(e.Name+"."+v.Name, fmt.Sprint(v.Value), "", he.Line)
				continue
			}
			add(e.Name+"."+v.Name, fmt.Sprint(v.Value), fmt.Sprint(x.Value), x.Line)
		}
	}
	htypedefs := map[string]cdecl.Typedef{}
	for _, t := range h.Typedefs {
		htypedefs[t.Name] = t
	}
	for _, t := range m.Typedefs {
		ht, ok := htypedefs[t.Name]
		if !ok {
			add("typedef "+t.Name, typedefString(t.Type, t.Pointer), "", 0)
			continue
		}
		add("typedef "+t.Name, typedefString(t.Type, t.Pointer), typedefString(ht.Type, ht.Pointer), ht.Line)
	}
	hdefs := map[string]cdecl.Define{}
	for _, d := range h.Defines {
		hdefs[d.Name] = d
	}
	for _, c := range m.Constants {
		hd, ok := hdefs[c.Name]
		if !ok {
			add("constant "+c.Name, fmt.Sprintf("%#x", c.Value), "", 0)
			continue
		}
		add("constant "+c.Name, fmt.Sprintf("%#x", c.Value), fmt.Sprintf("%#x", hd.Value), hd.Line)
	}
	return out
}

func typedefString(typ string, ptr bool) string {
	if ptr {
		return typ + " *"
	}
	return typ
}

func paramNames(ps []Param) string { return joinNames(ps, func(p Param) string { return p.Name }) }
