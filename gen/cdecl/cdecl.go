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

// Func is a function prototype, or the signature of a function-pointer
// typedef.
type Func struct {
	Name   string
	Return string
	// CallConv is the calling convention the declaration names (stdcall,
	// cdecl, fastcall), "" when it names none.
	CallConv string
	Params   []Param
	Line     int
}

// Param is one prototype parameter. Name is "" for an unnamed parameter.
type Param struct {
	Name string
	Type string
	// Annotation is the bracketed direction as written, without brackets
	// and with single spaces after commas ("in, optional"); empty if none.
	Annotation string
	Line       int
}

// Struct is a struct or union: a typedef'd one, a plain "struct X {…};",
// or one nested in another (Field.Record).
type Struct struct {
	Tag    string
	Name   string
	Union  bool
	Ptrs   []string // pointer typedef names declared with it (PQOS_VERSION)
	Fields []Field
	Line   int
}

// Field is a struct member. Name is "" for a nameless struct or union
// member, whose fields belong to the enclosing record.
type Field struct {
	Name string
	Type string
	// Dims are the array dimensions as written (256, MAX_STRING_LENGTH,
	// ANY_SIZE); none for a scalar.
	Dims []string
	// Bits is the width of a bit-field, "" for an ordinary member.
	Bits string
	// Record is the body of a struct or union declared in place; Type is
	// then "struct", "union", or "struct TAG".
	Record *Struct
	Line   int
}

// Enum is an enumeration, typedef'd or plain ("enum X {…};", Name = Tag).
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

// Typedef is a plain typedef: Name is Type, a pointer to it, an array of
// it, or (Func set) a function or a pointer to one.
type Typedef struct {
	Name    string
	Type    string
	Pointer bool
	Dims    []string
	Func    *Func
	Line    int
}

// Define is a #define whose value is an integer constant expression; Value
// is its value as the C preprocessor computes it (two's complement for a
// negative one).
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

// ParseHeader parses a whole header. A declaration it cannot read is skipped
// with a warning naming its line, so one odd macro does not hide the rest of
// a real header. It also warns where a C compiler would reject or misread
// the header: types used before their typedef or never defined, enumerators
// #defined again. err is non-nil only when the text cannot be tokenized.
func ParseHeader(file string, src []byte) (*File, error) {
	p := newParser(file, src, 1)
	p.header = true
	p.parse()
	p.check()
	return p.out, p.errs.Err()
}

func newParser(file string, src []byte, firstLine int) *parser {
	p := &parser{errs: &diag.List{File: file}, file: file, out: &File{}, consts: map[string]int64{}}
	p.toks = p.preprocess(lex(string(src), firstLine, p.errs))
	return p
}

type parser struct {
	file   string
	toks   []token
	pos    int
	errs   *diag.List
	out    *File
	header bool
	// consts are the values of #define constants and enumerators read so
	// far, for the expressions of later ones and for array sizes.
	consts map[string]int64
	// callConv is the calling convention the current declaration names.
	callConv string
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

func (p *parser) peekAt(i int) token {
	if p.pos+i < len(p.toks) {
		return p.toks[p.pos+i]
	}
	return token{kind: tEOF}
}

func (p *parser) next() token {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *parser) is(text string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == text
}

func (p *parser) warn(line int, format string, args ...any) {
	p.out.Warnings = append(p.out.Warnings, &diag.Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// expect consumes a punctuation token or records what was expected.
func (p *parser) expect(text, what string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	t := p.peek()
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
			if depth < 0 {
				return
			}
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
		case t.kind == tIdent && t.text == "extern" && p.peekAt(1).kind == tString:
			p.next()
			p.next()
			if p.is("{") {
				p.next()
			}
		case t.kind == tPunct && t.text == "}":
			p.next() // the end of an extern "C" block
		case t.kind == tPunct && t.text == ";":
			p.next()
		case t.kind == tIdent && t.text == "typedef":
			p.next()
			p.typedef(t.line)
		case t.kind == tIdent || t.kind == tPunct && t.text == "(":
			p.declaration()
		default:
			p.errs.Add(t.line, "expected a declaration (typedef, prototype or #define), found %s", t.describe())
			p.next()
		}
		if p.errs.Len() > errsBefore {
			p.skipTo()
			if p.header {
				for _, e := range p.errs.Since(errsBefore) {
					p.warn(e.Line, "declaration skipped: %s", e.Msg)
				}
			}
		}
		if p.pos == start {
			p.next() // never loop on the same token
		}
	}
}

// directive handles one preprocessor line: #define NAME <constant
// expression> is kept, everything else is skipped.
func (p *parser) directive(t token) {
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t.text), "#"))
	fields := strings.Fields(text)
	if len(fields) == 0 || fields[0] != "define" {
		return
	}
	if len(fields) < 3 || strings.Contains(fields[1], "(") {
		return // a guard macro or a function-like macro
	}
	raw := strings.Join(fields[2:], " ")
	v, ok := p.evalText(raw)
	if !ok {
		return
	}
	p.consts[fields[1]] = v
	p.out.Defines = append(p.out.Defines, Define{Name: fields[1], Value: uint64(v), Raw: raw, Line: t.line})
}

// parseInt reads an integer literal as headers write it: decimal, hex or
// octal, with U/L suffixes.
func parseInt(s string) (uint64, bool) {
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

// typedef reads what follows "typedef".
func (p *parser) typedef(line int) {
	p.callConv = ""
	base, rec, enum, ok := p.specifiers(true)
	if !ok {
		return
	}
	if base == "" {
		p.errs.Add(p.peek().line, "expected a type after typedef, found %s", p.peek().describe())
		return
	}
	if rec != nil || enum != nil {
		tag := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(base, "struct"), "union"), "enum"))
		name, ptrs := p.declarators(tag)
		if name == "" {
			return
		}
		if rec != nil {
			rec.Tag, rec.Name, rec.Ptrs, rec.Line = tag, name, ptrs, line
			p.out.Structs = append(p.out.Structs, *rec)
		} else {
			enum.Tag, enum.Name, enum.Ptrs, enum.Line = tag, name, ptrs, line
			p.out.Enums = append(p.out.Enums, *enum)
		}
		return
	}
	for {
		d, ok := p.declarator(base, false)
		if !ok {
			return
		}
		if d.name == "" {
			p.errs.Add(d.line, "expected a typedef name, found %s", p.peek().describe())
			return
		}
		td := Typedef{Name: d.name, Type: base, Pointer: d.ptrs > 0, Dims: d.dims, Line: d.line}
		if d.fn != nil {
			td.Type = ""
			td.Func = d.fn
			td.Func.Name = d.name
			td.Pointer = d.fnPtr
		} else if d.ptrs > 1 {
			td.Type = base + strings.Repeat(" *", d.ptrs-1)
		}
		p.out.Typedefs = append(p.out.Typedefs, td)
		if !p.is(",") {
			break
		}
		p.next()
	}
	p.expect(";", "after the typedef")
}

// specifiers reads the type part of a declaration: qualifiers, linkage and
// calling-convention words (dropped, the convention kept in callConv), type
// names, and struct, union or enum with an optional body. With
// wantName, the last of several identifiers is left for the declarator.
func (p *parser) specifiers(wantName bool) (base string, rec *Struct, enum *Enum, ok bool) {
	var parts []string
	for {
		t := p.peek()
		if t.kind != tIdent {
			break
		}
		switch {
		case linkageWords[t.text]:
			p.next()
			if t.text == "__declspec" && p.is("(") {
				p.skipParens()
			}
			continue
		case callConvs[t.text] != "":
			p.callConv = callConvs[t.text]
			p.next()
			continue
		case qualifiers[t.text]:
			p.next()
			continue
		case t.text == "const":
			p.next()
			parts = append(parts, "const")
			continue
		case t.text == "struct" || t.text == "union" || t.text == "enum":
			p.next()
			kw := t.text
			tag := ""
			if p.peek().kind == tIdent {
				tag = p.next().text
			}
			parts = append(parts, strings.TrimSpace(kw+" "+tag))
			if p.is("{") {
				p.next()
				before := p.errs.Len()
				if kw == "enum" {
					enum = &Enum{Tag: tag, Name: tag, Line: t.line}
					enum.Values = p.enumerators()
				} else {
					rec = &Struct{Tag: tag, Name: tag, Union: kw == "union", Line: t.line}
					rec.Fields = p.fields()
				}
				if p.errs.Len() > before {
					return "", nil, nil, false
				}
			}
			continue
		}
		if len(parts) > 0 && !onlyQualifiers(parts) && wantName && p.endsType(1) && !cTypeWords[t.text] {
			break // t is the declarator's name
		}
		if len(parts) > 0 && !onlyQualifiers(parts) && (rec != nil || enum != nil || strings.HasPrefix(parts[len(parts)-1], "struct") || strings.HasPrefix(parts[len(parts)-1], "union") || strings.HasPrefix(parts[len(parts)-1], "enum")) {
			break // struct X name
		}
		parts = append(parts, p.next().text)
	}
	return strings.Join(parts, " "), rec, enum, true
}

// cTypeWords are C's own type keywords: "unsigned int" is one type and has
// no name.
var cTypeWords = map[string]bool{
	"int": true, "long": true, "short": true, "char": true, "unsigned": true, "signed": true,
	"float": true, "double": true, "void": true, "__int64": true, "__int32": true, "__int16": true, "__int8": true,
}

func onlyQualifiers(parts []string) bool {
	for _, p := range parts {
		if p != "const" {
			return false
		}
	}
	return true
}

// endsType reports whether the token i ahead of the current one ends a
// type, making the current identifier a declarator's name.
func (p *parser) endsType(i int) bool {
	t := p.peekAt(i)
	switch t.kind {
	case tEOF, tAnnotation:
		return true
	case tPunct:
		return strings.Contains(",);}(:=", t.text)
	}
	return false
}

func (p *parser) skipParens() { p.skipBalanced("(", ")") }

// skipBalanced skips from the current open token past its matching close;
// false when the input ends first.
func (p *parser) skipBalanced(open, close string) bool {
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tEOF:
			return false
		case t.kind == tPunct && t.text == open:
			depth++
		case t.kind == tPunct && t.text == close:
			depth--
			if depth <= 0 {
				return true
			}
		}
	}
}

// declarator is what one name of a declaration declares.
type declarator struct {
	name  string
	line  int
	ptrs  int
	dims  []string
	bits  string
	fn    *Func // a function, or with fnPtr a pointer to one
	fnPtr bool
}

// declarator reads "* NAME [N] : B", "NAME(params)" or "(CC *NAME)(params)".
// An unnamed declarator (a parameter "HANDLE" or "PVOID *") has name "".
func (p *parser) declarator(base string, param bool) (declarator, bool) {
	d := declarator{line: p.peek().line}
	for {
		switch t := p.peek(); {
		case t.kind == tPunct && t.text == "*":
			p.next()
			d.ptrs++
			continue
		case t.kind == tIdent && (t.text == "const" || qualifiers[t.text]):
			p.next()
			continue
		case t.kind == tIdent && callConvs[t.text] != "":
			p.callConv = callConvs[t.text]
			p.next()
			continue
		}
		break
	}
	switch t := p.peek(); {
	case t.kind == tPunct && t.text == "(" && (p.peekAt(1).text == "*" || callConvs[p.peekAt(1).text] != ""):
		// (CALLBACK *NAME)(params): a pointer to a function.
		p.next()
		cc := ""
		for p.peek().kind == tIdent && callConvs[p.peek().text] != "" {
			cc = callConvs[p.next().text]
		}
		if !p.expect("*", "in a function pointer") {
			return d, false
		}
		for p.peek().kind == tIdent && (p.peek().text == "const" || callConvs[p.peek().text] != "") {
			p.next()
		}
		if p.peek().kind == tIdent {
			n := p.next()
			d.name, d.line = n.text, n.line
		}
		if !p.expect(")", "after the function pointer's name") {
			return d, false
		}
		if !p.is("(") {
			p.errs.Add(p.peek().line, "expected the parameters of function pointer %s, found %s", d.name, p.peek().describe())
			return d, false
		}
		ret := base + strings.Repeat(" *", d.ptrs)
		fn := &Func{Return: ret, CallConv: cc, Line: d.line}
		if !p.params(fn) {
			return d, false
		}
		d.ptrs, d.fn, d.fnPtr = 0, fn, true
		return d, true
	case t.kind == tIdent:
		p.next()
		d.name, d.line = t.text, t.line
	}
	if p.is("(") && !param {
		fn := &Func{Name: d.name, Return: base + strings.Repeat(" *", d.ptrs), CallConv: p.callConv, Line: d.line}
		if !p.params(fn) {
			return d, false
		}
		d.ptrs, d.fn = 0, fn
		return d, true
	}
	for p.peek().kind == tAnnotation {
		d.dims = append(d.dims, p.next().text)
	}
	if p.is(":") {
		p.next()
		b := p.next()
		if b.kind != tNumber && b.kind != tIdent {
			p.errs.Add(b.line, "expected a bit-field width, found %s", b.describe())
			return d, false
		}
		d.bits = b.text
	}
	return d, true
}

// params reads "(…)" into fn.Params: "(void)" and "()" are none.
func (p *parser) params(fn *Func) bool {
	p.next() // (
	if p.peek().kind == tIdent && (p.peek().text == "void" || p.peek().text == "VOID") && p.peekAt(1).text == ")" {
		p.next()
	}
	for !p.is(")") {
		par, ok := p.param()
		if !ok {
			return false
		}
		fn.Params = append(fn.Params, par)
		if p.is(",") {
			p.next()
			continue
		}
		if !p.is(")") {
			p.errs.Add(p.peek().line, "expected ',' or ')' after parameter %s, found %s", par.Name, p.peek().describe())
			return false
		}
	}
	p.next()
	return true
}

func (p *parser) param() (Param, bool) {
	par := Param{Line: p.peek().line}
	if t := p.peek(); t.kind == tAnnotation {
		p.next()
		par.Annotation = t.text
	}
	if p.peek().kind == tIdent && p.peek().text == "..." {
		p.next()
	}
	base, _, _, ok := p.specifiers(true)
	if !ok {
		return par, false
	}
	if base == "" || onlyQualifiers(strings.Fields(base)) {
		p.errs.Add(p.peek().line, "expected a parameter type, found %s", p.peek().describe())
		return par, false
	}
	d, ok := p.declarator(base, true)
	if !ok {
		return par, false
	}
	par.Name = d.name
	switch {
	case d.fn != nil:
		par.Type = "PVOID" // a function pointer parameter declared in place
	default:
		// An array parameter is a pointer, as C passes it.
		par.Type = base + strings.Repeat(" *", d.ptrs+len(d.dims))
	}
	return par, true
}

// declaration reads a top-level declaration that is not a typedef: a
// prototype, an inline definition (skipped), a plain struct, union or enum
// (kept), or a variable (skipped).
func (p *parser) declaration() {
	start := p.peek().line
	p.callConv = ""
	base, rec, enum, ok := p.specifiers(true)
	if !ok {
		return
	}
	if p.is(";") {
		p.next()
		switch {
		case rec != nil && rec.Tag != "":
			rec.Name = rec.Tag
			p.out.Structs = append(p.out.Structs, *rec)
		case enum != nil && enum.Tag != "":
			p.out.Enums = append(p.out.Enums, *enum)
		}
		return
	}
	if base == "" {
		p.errs.Add(start, "expected a prototype \"TYPE Name(…);\", found %s", p.peek().describe())
		return
	}
	d, ok := p.declarator(base, false)
	if !ok {
		return
	}
	if d.fn == nil || d.fnPtr {
		if d.name == "" {
			p.errs.Add(start, "expected a prototype \"TYPE Name(…);\", found %s", p.peek().describe())
			return
		}
		p.skipTo() // a variable
		return
	}
	if d.name == "" {
		p.errs.Add(start, "expected a prototype \"TYPE Name(…);\", found %s", p.peek().describe())
		return
	}
	if p.is("{") {
		p.skipBody() // an inline definition, as winerror.h has
		return
	}
	if !p.expect(";", "after the prototype of "+d.name) {
		return
	}
	d.fn.Line = start
	p.out.Funcs = append(p.out.Funcs, *d.fn)
}

// fields reads struct or union members up to the closing brace.
func (p *parser) fields() []Field {
	var out []Field
	for {
		t := p.peek()
		switch {
		case t.kind == tPunct && t.text == "}":
			p.next()
			return out
		case t.kind == tDirective:
			p.next()
			p.directive(t)
			continue
		case t.kind == tPunct && t.text == ";":
			p.next()
			continue
		case t.kind != tIdent:
			p.errs.Add(t.line, "expected a struct member or '}', found %s", t.describe())
			return out
		}
		base, rec, _, ok := p.specifiers(true)
		if !ok {
			return out
		}
		if rec != nil && p.is(";") {
			p.next()
			out = append(out, Field{Type: base, Record: rec, Line: t.line}) // nameless
			continue
		}
		for {
			d, ok := p.declarator(base, true)
			if !ok {
				return out
			}
			if d.name == "" {
				p.errs.Add(p.peek().line, "expected a member name, found %s", p.peek().describe())
				return out
			}
			f := Field{Name: d.name, Type: base + strings.Repeat(" *", d.ptrs), Dims: d.dims, Bits: d.bits, Record: rec, Line: d.line}
			if d.fn != nil {
				f.Type = "PVOID" // a function pointer member declared in place
			}
			out = append(out, f)
			if !p.is(",") {
				break
			}
			p.next()
		}
		if !p.expect(";", "after struct member "+out[len(out)-1].Name) {
			return out
		}
	}
}

// enumerators reads "A = 1, B, C = 0x3" up to the closing brace. A value
// may be an expression of integers and earlier constants.
func (p *parser) enumerators() []EnumValue {
	var out []EnumValue
	next := int64(0)
	for {
		t := p.peek()
		if t.kind == tDirective {
			p.next()
			p.directive(t)
			continue
		}
		if t.kind == tPunct && t.text == "}" {
			p.next()
			return out
		}
		name, ok := p.ident("an enumerator or '}'")
		if !ok {
			return out
		}
		ev := EnumValue{Name: name.text, Value: next, Line: name.line}
		if p.is("=") {
			p.next()
			var expr []token
			depth := 0
			for {
				x := p.peek()
				if x.kind == tEOF || x.kind == tDirective || depth == 0 && x.kind == tPunct && (x.text == "," || x.text == "}") {
					break
				}
				if x.text == "(" {
					depth++
				} else if x.text == ")" {
					depth--
				}
				expr = append(expr, p.next())
			}
			v, ok := p.eval(expr)
			if !ok {
				found := token{kind: tEOF, line: name.line}
				if len(expr) > 0 {
					found = expr[0]
				}
				p.errs.Add(found.line, "enumerator %s: expected an integer value, found %s", name.text, found.describe())
				return out
			}
			ev.Value, ev.Explicit = v, true
		}
		next = ev.Value + 1
		p.consts[ev.Name] = ev.Value
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
		for p.is("*") {
			p.next()
			ptr = true
		}
		for p.peek().kind == tIdent && callConvs[p.peek().text] != "" {
			p.next()
		}
		id, ok := p.ident("a typedef name after '}'")
		if !ok {
			return "", nil
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
		if !p.is(",") {
			break
		}
		p.next()
	}
	if name == "" {
		p.errs.Add(p.peek().line, "typedef of %s has no plain name", tag)
		return "", nil
	}
	p.expect(";", "after the typedef")
	return
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
	if !p.skipBalanced("{", "}") {
		p.errs.Add(p.peek().line, "function body is never closed; expected '}'")
	}
}
