package cdecl

import "strings"

// check reports types that a C compiler would reject: used before their
// typedef, or never declared; and enumerators #defined again.
func (p *parser) check() {
	declared := map[string]int{}
	note := func(name string, line int) {
		if _, ok := declared[name]; !ok && name != "" {
			declared[name] = line
		}
	}
	for _, t := range p.out.Typedefs {
		note(t.Name, t.Line)
	}
	for _, s := range p.out.Structs {
		note(s.Name, s.Line)
		for _, n := range s.Ptrs {
			note(n, s.Line)
		}
	}
	enumerators := map[string]int{}
	for _, e := range p.out.Enums {
		note(e.Name, e.Line)
		for _, n := range e.Ptrs {
			note(n, e.Line)
		}
		for _, v := range e.Values {
			enumerators[v.Name] = v.Line
		}
	}
	use := func(typ string, line int) {
		for _, w := range strings.Fields(typ) {
			switch w {
			case "const", "struct", "union", "enum", "unsigned", "signed", "*":
				continue
			}
			if _, ok := baseTypes[w]; ok {
				continue
			}
			at, ok := declared[w]
			switch {
			case !ok:
				p.warn(line, "%s is used but never defined", w)
			case at > line:
				p.warn(line, "%s is used before its typedef at line %d", w, at)
			}
		}
	}
	for _, f := range p.out.Funcs {
		use(f.Return, f.Line)
		for _, par := range f.Params {
			use(par.Type, par.Line)
		}
	}
	for _, s := range p.out.Structs {
		for _, f := range s.Fields {
			use(f.Type, f.Line)
		}
	}
	for _, t := range p.out.Typedefs {
		use(t.Type, t.Line)
	}
	for _, d := range p.out.Defines {
		if at, ok := enumerators[d.Name]; ok {
			p.warn(d.Line, "%s is #defined again; it is already an enumerator at line %d", d.Name, at)
		}
	}
}
