package cdecl

import (
	"fmt"
	"strings"
)

// Format prints the declarations of f back as C, in the order Parse returns
// them (typedefs, enums, structs, prototypes, defines), such that parsing
// the text yields the same declarations apart from line numbers.
func Format(f *File) string {
	var b strings.Builder
	for _, t := range f.Typedefs {
		if t.Func != nil {
			if t.Pointer {
				fmt.Fprintf(&b, "typedef %s (%s*%s)(%s);\n", t.Func.Return, convWord(t.Func.CallConv), t.Name, formatParams(t.Func.Params, ", "))
			} else {
				fmt.Fprintf(&b, "typedef %s %s%s(%s);\n", t.Func.Return, convWord(t.Func.CallConv), t.Name, formatParams(t.Func.Params, ", "))
			}
			continue
		}
		star := ""
		if t.Pointer {
			star = "*"
		}
		fmt.Fprintf(&b, "typedef %s %s%s%s;\n", t.Type, star, t.Name, dims(t.Dims))
	}
	for _, e := range f.Enums {
		fmt.Fprintf(&b, "typedef enum %s {\n", e.Tag)
		for i, v := range e.Values {
			sep := ","
			if i == len(e.Values)-1 {
				sep = ""
			}
			if v.Explicit {
				fmt.Fprintf(&b, "  %s = %d%s\n", v.Name, v.Value, sep)
			} else {
				fmt.Fprintf(&b, "  %s%s\n", v.Name, sep)
			}
		}
		fmt.Fprintf(&b, "} %s;\n", declarators(e.Name, e.Ptrs))
	}
	for _, s := range f.Structs {
		fmt.Fprintf(&b, "typedef %s {\n", recordHead(&s))
		formatFields(&b, s.Fields, "  ")
		fmt.Fprintf(&b, "} %s;\n", declarators(s.Name, s.Ptrs))
	}
	for _, fn := range f.Funcs {
		fmt.Fprintf(&b, "%s %s%s(\n", fn.Return, convWord(fn.CallConv), fn.Name)
		if len(fn.Params) > 0 {
			b.WriteString("  " + formatParams(fn.Params, ",\n  ") + "\n")
		}
		b.WriteString(");\n")
	}
	for _, d := range f.Defines {
		fmt.Fprintf(&b, "#define %s %s\n", d.Name, d.Raw)
	}
	return b.String()
}

func recordHead(s *Struct) string {
	kw := "struct"
	if s.Union {
		kw = "union"
	}
	return strings.TrimSpace(kw + " " + s.Tag)
}

func formatFields(b *strings.Builder, fields []Field, indent string) {
	for _, fl := range fields {
		typ := fl.Type
		if fl.Record != nil {
			b.WriteString(indent + recordHead(fl.Record) + " {\n")
			formatFields(b, fl.Record.Fields, indent+"  ")
			b.WriteString(indent + "}")
			if fl.Name == "" {
				b.WriteString(";\n")
				continue
			}
			// What follows the record's head: the '*'s of a pointer to it.
			typ = strings.TrimSpace(strings.TrimPrefix(fl.Type, recordHead(fl.Record)))
			indent = " "
		}
		bits := ""
		if fl.Bits != "" {
			bits = " : " + fl.Bits
		}
		fmt.Fprintf(b, "%s%s %s%s%s;\n", indent, typ, fl.Name, dims(fl.Dims), bits)
	}
}

func formatParams(ps []Param, sep string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		ann := ""
		if p.Annotation != "" {
			ann = "[" + p.Annotation + "] "
		}
		parts[i] = strings.TrimSpace(ann + p.Type + " " + p.Name)
	}
	return strings.Join(parts, sep)
}

// convWord spells a calling convention so that Parse reads it back.
func convWord(cc string) string {
	if cc == "" {
		return ""
	}
	return "__" + cc + " "
}

func dims(ds []string) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("[" + d + "]")
	}
	return b.String()
}

func declarators(name string, ptrs []string) string {
	parts := []string{name}
	for _, p := range ptrs {
		parts = append(parts, "*"+p)
	}
	return strings.Join(parts, ", ")
}
