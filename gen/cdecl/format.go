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
		star := ""
		if t.Pointer {
			star = "*"
		}
		fmt.Fprintf(&b, "typedef %s %s%s;\n", t.Type, star, t.Name)
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
		fmt.Fprintf(&b, "typedef struct %s {\n", s.Tag)
		for _, fl := range s.Fields {
			fmt.Fprintf(&b, "  %s %s;\n", fl.Type, fl.Name)
		}
		fmt.Fprintf(&b, "} %s;\n", declarators(s.Name, s.Ptrs))
	}
	for _, fn := range f.Funcs {
		fmt.Fprintf(&b, "%s %s(\n", fn.Return, fn.Name)
		for i, p := range fn.Params {
			sep := ","
			if i == len(fn.Params)-1 {
				sep = ""
			}
			ann := ""
			if p.Annotation != "" {
				ann = "[" + p.Annotation + "] "
			}
			fmt.Fprintf(&b, "  %s%s %s%s\n", ann, p.Type, p.Name, sep)
		}
		b.WriteString(");\n")
	}
	for _, d := range f.Defines {
		fmt.Fprintf(&b, "#define %s %s\n", d.Name, d.Raw)
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
