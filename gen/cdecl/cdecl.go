// Package cdecl parses the small C subset that Windows API headers and the
// sdk-api "Syntax" blocks use: function prototypes with bracketed parameter
// annotations ([in, optional]) or none, typedef struct and typedef enum
// (implicit and explicit values), plain typedefs, and #define constants.
//
// It reads real headers too: preprocessor conditionals, includes, comments,
// extern "C" blocks and calling conventions are skipped, and what a C compiler
// would reject or misread (a type used before its typedef or never defined, a
// pointer typedef without its '*', an enum value #defined again) is reported
// as a warning with file:line, so a broken header still yields its facts.
package cdecl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/winqos/winqos/gen/diag"
)

// File is what one header or syntax block declares, in source order.
type File struct {
	Funcs    []Func
	Structs  []Struct
	Enums    []Enum
	Typedefs []Typedef
	Defines  []Define
	Warnings []*diag.Error
}

// Func is a function prototype.
type Func struct {
	Name   string
	Return string
	Params []Param
	Line   int
}

// Param is one prototype parameter.
type Param struct {
	Name string
	Type string
	// Annotation is the bracketed direction as written, without brackets
	// and with single spaces after commas ("in, optional"); empty if none.
	Annotation string
	Line       int
}

// Struct is a typedef struct.
type Struct struct {
	Tag    string
	Name   string
	Ptrs   []string // pointer typedef names declared with it (PQOS_VERSION)
	Fields []Field
	Line   int
}

// Field is a struct member.
type Field struct {
	Name string
	Type string
	Line int
}

// Enum is a typedef enum.
type Enum struct {
	Tag    string
	Name   string
	Ptrs   []string
	Values []EnumValue
	Line   int
}

// EnumValue is an enumerator with its value, explicit or counted.
type EnumValue struct {
	Name     string
	Value    int64
	Explicit bool
	Line     int
}

// Typedef is a plain typedef: Name is Type, or a pointer to it.
type Typedef struct {
	Name    string
	Type    string
	Pointer bool
	Line    int
}

// Define is a #define whose value is an integer constant.
type Define struct {
	Name  string
	Value uint64
	Raw   string
	Line  int
}

// Parse parses src, a fragment such as a syntax block whose types may be
// declared elsewhere. file names it in messages and firstLine is the line of
// src's first line in that file. Warnings are returned in File.Warnings; err
// joins the errors, each naming file:line.
func Parse(file string, src []byte, firstLine int) (*File, error) {
	p := newParser(file, src, firstLine)
	p.parse()
	return p.out, p.errs.Err()
}

// ParseHeader parses a whole header and also warns where a C compiler would
// reject or misread it: types used before their typedef or never defined,
// enumerators #defined again.
func ParseHeader(file string, src []byte) (*File, error) {
	p := newParser(file, src, 1)
	p.parse()
	p.check()
	return p.out, p.errs.Err()
}

func newParser(file string, src []byte, firstLine int) *parser {
	p := &parser{errs: &diag.List{File: file}, file: file, out: &File{}}
	p.toks = lex(string(src), firstLine, p.errs)
	return p
}

type parser struct {
	file string
	toks []token
	pos  int
	errs *diag.List
	out  *File
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	line := 0
	if len(p.toks) > 0 {
		line = p.toks[len(p.toks)-1].line
	}
	return token{kind: tEOF, line: line}
}

func (p *parser) next() token {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *parser) warn(line int, format string, args ...any) {
	p.out.Warnings = append(p.out.Warnings, &diag.Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// expect consumes a punctuation token or records what was expected.
func (p *parser) expect(text, what string) bool {
	t := p.peek()
	if t.kind == tPunct && t.text == text {
		p.next()
		return true
	}
	p.errs.Add(t.line, "expected %q %s, found %s", text, what, t.describe())
	return false
}

func (p *parser) ident(what string) (token, bool) {
	t := p.peek()
	if t.kind != tIdent {
		p.errs.Add(t.line, "expected %s, found %s", what, t.describe())
		return t, false
	}
	return p.next(), true
}

// skipTo resynchronises after an error: past the next ';' at brace depth 0.
func (p *parser) skipTo() {
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tEOF:
			return
		case t.kind == tDirective:
			if depth == 0 {
				p.pos--
				return
			}
		case t.text == "{" && t.kind == tPunct:
			depth++
		case t.text == "}" && t.kind == tPunct:
			depth--
		case t.text == ";" && t.kind == tPunct && depth <= 0:
			return
		}
	}
}

func (p *parser) parse() {
	for p.peek().kind != tEOF {
		start := p.pos
		errsBefore := p.errs.Len()
		t := p.peek()
		switch {
		case t.kind == tDirective:
			p.next()
			p.directive(t)
		case t.kind == tIdent && t.text == "extern":
			p.next()
			if p.peek().kind == tString {
				p.next()
			}
			if p.peek().text == "{" {
				p.next()
			}
		case t.kind == tPunct && t.text == "}":
			p.next() // the end of an extern "C" block
		case t.kind == tPunct && t.text == ";":
			p.next()
		case t.kind == tIdent && t.text == "typedef":
			p.next()
			p.typedef(t.line)
		case t.kind == tIdent:
			p.function()
		default:
			p.errs.Add(t.line, "expected a declaration (typedef, prototype or #define), found %s", t.describe())
			p.next()
		}
		if p.errs.Len() > errsBefore {
			p.skipTo()
		}
		if p.pos == start {
			p.next() // never loop on the same token
		}
	}
}

// directive handles one preprocessor line: #define NAME <integer> is kept,
// everything else is skipped.
func (p *parser) directive(t token) {
	fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(t.text), "#"))
	if len(fields) == 0 || fields[0] != "define" {
		return
	}
	if len(fields) < 3 || strings.Contains(fields[1], "(") {
		return // a guard macro or a function-like macro
	}
	raw := strings.Join(fields[2:], " ")
	v, ok := parseInt(raw)
	if !ok {
		return
	}
	p.out.Defines = append(p.out.Defines, Define{Name: fields[1], Value: v, Raw: raw, Line: t.line})
}

// parseInt reads an integer constant as headers write it: decimal or hex,
// with U/L suffixes, optionally in parentheses with a cast.
func parseInt(s string) (uint64, bool) {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	// A literal wrapped in a macro call, as mingw-w64's winerror.h writes
	// them: __MSABI_LONG(87).
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") && isIdent(s[:i]) {
		s = strings.TrimSpace(s[i+1 : len(s)-1])
	}
	if strings.HasPrefix(s, "(") { // a cast: (DWORD)0x2
		i := strings.Index(s, ")")
		s = strings.TrimSpace(s[i+1:])
	}
	s = strings.TrimRight(s, "uUlL")
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

func (p *parser) typedef(line int) {
	t := p.peek()
	switch {
	case t.kind == tIdent && (t.text == "struct" || t.text == "enum"):
		p.next()
		tag := ""
		if p.peek().kind == tIdent {
			tag = p.next().text
		}
		if p.peek().text != "{" {
			// typedef struct _X X; — an incomplete type, kept as a typedef.
			name, ok := p.ident("a typedef name")
			if ok {
				p.out.Typedefs = append(p.out.Typedefs, Typedef{Name: name.text, Type: t.text + " " + tag, Line: name.line})
				p.expect(";", "after the typedef")
			}
			return
		}
		p.next()
		before := p.errs.Len()
		if t.text == "struct" {
			s := Struct{Tag: tag, Line: line}
			s.Fields = p.fields()
			if p.errs.Len() > before {
				return
			}
			s.Name, s.Ptrs = p.declarators(tag)
			p.out.Structs = append(p.out.Structs, s)
		} else {
			e := Enum{Tag: tag, Line: line}
			e.Values = p.enumerators()
			if p.errs.Len() > before {
				return
			}
			e.Name, e.Ptrs = p.declarators(tag)
			p.out.Enums = append(p.out.Enums, e)
		}
	case t.kind == tIdent:
		typ := p.typeName()
		for {
			ptr := false
			for p.peek().text == "*" {
				p.next()
				ptr = true
			}
			name, ok := p.ident("a typedef name")
			if !ok {
				return
			}
			td := Typedef{Name: name.text, Type: typ, Pointer: ptr, Line: name.line}
			p.out.Typedefs = append(p.out.Typedefs, td)
			if p.peek().text != "," {
				break
			}
			p.next()
		}
		p.expect(";", "after the typedef")
	default:
		p.errs.Add(t.line, "expected a type after typedef, found %s", t.describe())
	}
}

// typeName reads a type made of identifiers (const, unsigned long, struct X).
func (p *parser) typeName() string {
	var parts []string
	for p.peek().kind == tIdent {
		// The last identifier before ',', ')' or ';' is the declarator.
		if len(parts) > 0 && p.isDeclaratorEnd(p.pos+1) {
			break
		}
		parts = append(parts, p.next().text)
	}
	return strings.Join(parts, " ")
}

func (p *parser) isDeclaratorEnd(i int) bool {
	if i >= len(p.toks) {
		return true
	}
	t := p.toks[i]
	return t.kind == tPunct && (t.text == "," || t.text == ")" || t.text == ";" || t.text == "}")
}

// fields reads struct members up to the closing brace.
func (p *parser) fields() []Field {
	var out []Field
	for {
		t := p.peek()
		if t.kind == tPunct && t.text == "}" {
			p.next()
			return out
		}
		if t.kind != tIdent {
			p.errs.Add(t.line, "expected a struct member or '}', found %s", t.describe())
			return out
		}
		typ := p.typeName()
		for p.peek().text == "*" {
			p.next()
			typ += " *"
		}
		name, ok := p.ident("a member name")
		if !ok {
			return out
		}
		out = append(out, Field{Name: name.text, Type: typ, Line: name.line})
		if !p.expect(";", "after struct member "+name.text) {
			return out
		}
	}
}

// enumerators reads "A = 1, B, C = 0x3" up to the closing brace.
func (p *parser) enumerators() []EnumValue {
	var out []EnumValue
	next := int64(0)
	for {
		t := p.peek()
		if t.kind == tPunct && t.text == "}" {
			p.next()
			return out
		}
		name, ok := p.ident("an enumerator or '}'")
		if !ok {
			return out
		}
		ev := EnumValue{Name: name.text, Value: next, Line: name.line}
		if p.peek().text == "=" {
			p.next()
			v := p.next()
			neg := false
			if v.text == "-" {
				neg = true
				v = p.next()
			}
			n, ok := parseInt(v.text)
			if v.kind != tNumber || !ok || n > 1<<62 {
				p.errs.Add(v.line, "enumerator %s: expected an integer value, found %s", name.text, v.describe())
				return out
			}
			ev.Value, ev.Explicit = int64(n), true
			if neg {
				ev.Value = -ev.Value
			}
		}
		next = ev.Value + 1
		out = append(out, ev)
		switch t := p.peek(); {
		case t.text == ",":
			p.next()
		case t.text == "}":
		default:
			p.errs.Add(t.line, "expected ',' or '}' after enumerator %s, found %s", name.text, t.describe())
			return out
		}
	}
}

// declarators reads "} NAME, *PNAME;" after a struct or enum body. A second
// name written without '*' but named like a pointer (P + NAME) is taken as
// the pointer typedef it was meant to be, with a warning.
func (p *parser) declarators(tag string) (name string, ptrs []string) {
	first := true
	for {
		ptr := false
		for p.peek().text == "*" {
			p.next()
			ptr = true
		}
		id, ok := p.ident("a typedef name after '}'")
		if !ok {
			return
		}
		switch {
		case first && !ptr:
			name = id.text
		case ptr:
			ptrs = append(ptrs, id.text)
		case id.text == "P"+name:
			p.warn(id.line, "%s is declared without '*': it names %s itself, not a pointer to it; read as a pointer", id.text, name)
			ptrs = append(ptrs, id.text)
		default:
			p.warn(id.line, "%s declared as a second name of %s", id.text, name)
		}
		first = false
		if p.peek().text != "," {
			break
		}
		p.next()
	}
	if name == "" {
		p.errs.Add(p.peek().line, "typedef of %s has no plain name", tag)
	}
	p.expect(";", "after the typedef")
	return
}

// function reads RET [CALLCONV] NAME(params);
func (p *parser) function() {
	start := p.peek().line
	var words []string
	for p.peek().kind == tIdent {
		words = append(words, p.next().text)
	}
	if p.peek().text != "(" || len(words) < 2 {
		p.errs.Add(start, "expected a prototype \"TYPE Name(…);\", found %s", p.peek().describe())
		return
	}
	name := words[len(words)-1]
	ret := words[0]
	f := Func{Name: name, Return: ret, Line: start}
	p.next()
	if p.peek().kind == tIdent && p.peek().text == "void" && p.pos+1 < len(p.toks) && p.toks[p.pos+1].text == ")" {
		p.next()
	}
	for p.peek().text != ")" {
		par, ok := p.param()
		if !ok {
			return
		}
		f.Params = append(f.Params, par)
		if p.peek().text == "," {
			p.next()
			continue
		}
		if p.peek().text != ")" {
			p.errs.Add(p.peek().line, "expected ',' or ')' after parameter %s, found %s", par.Name, p.peek().describe())
			return
		}
	}
	p.next()
	if p.peek().text == "{" {
		p.skipBody() // an inline definition, as winerror.h has
		return
	}
	if !p.expect(";", "after the prototype of "+name) {
		return
	}
	p.out.Funcs = append(p.out.Funcs, f)
}

func (p *parser) param() (Param, bool) {
	par := Param{Line: p.peek().line}
	if t := p.peek(); t.kind == tAnnotation {
		p.next()
		par.Annotation = t.text
	}
	if p.peek().kind != tIdent {
		p.errs.Add(p.peek().line, "expected a parameter type, found %s", p.peek().describe())
		return par, false
	}
	par.Type = p.typeName()
	for p.peek().text == "*" {
		p.next()
		par.Type += " *"
	}
	name, ok := p.ident("a parameter name")
	if !ok {
		return par, false
	}
	par.Name = name.text
	return par, true
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return s != "" && isIdentStart(s[0])
}

// skipBody skips a brace-balanced function body.
func (p *parser) skipBody() {
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tEOF:
			p.errs.Add(t.line, "function body is never closed; expected '}'")
			return
		case t.kind == tPunct && t.text == "{":
			depth++
		case t.kind == tPunct && t.text == "}":
			depth--
			if depth == 0 {
				return
			}
		}
	}
}
