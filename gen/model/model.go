// Package model merges parsed doc pages and their C declarations into one
// description of an API, cross-checked: doc parameters against declared
// parameters, documented error names against known codes, struct fields and
// enum values against their declarations. Every disagreement is an error
// naming the spec file and line.
package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/diag"
	"github.com/winqos/winqos/gen/doc"
)

// Model is the whole API. Top-level lists are sorted by name; parameters,
// fields and enum values keep declaration order, errors keep doc order.
type Model struct {
	Functions  []Function `json:"functions"`
	Structs    []Struct   `json:"structs"`
	Enums      []Enum     `json:"enums"`
	Typedefs   []Typedef  `json:"typedefs"`
	Constants  []Constant `json:"constants"`
	ErrorCodes []Constant `json:"errorCodes"`
}

// Function is one exported DLL function.
type Function struct {
	Name    string  `json:"name"`
	DLL     string  `json:"dll"`
	Return  string  `json:"return"`
	Params  []Param `json:"params"`
	Errors  []Error `json:"errors"`
	Summary string  `json:"-"`
	Doc     string  `json:"-"` // the -description section as plain text
	Page    string  `json:"-"` // spec file name, e.g. nf-qos2-qoscreatehandle.md
}

// Param is one function parameter.
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // the C type as declared
	Dir      string `json:"dir"`  // in, out or inout
	Optional bool   `json:"optional"`
	Reserved bool   `json:"reserved"` // the docs say it must be 0
	Doc      string `json:"-"`
}

// Error is a documented failure code of one function.
type Error struct {
	Name string `json:"name"`
	// Value is the Win32 error code.
	Value uint32 `json:"value"`
	Text  string `json:"text"`
	Line  int    `json:"-"`
}

// Struct is a C structure.
type Struct struct {
	Name   string   `json:"name"`
	Fields []Field  `json:"fields"`
	Ptrs   []string `json:"-"`
	Doc    string   `json:"-"`
	Page   string   `json:"-"`
}

// Field is a struct member.
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Doc  string `json:"-"`
}

// Enum is a C enumeration.
type Enum struct {
	Name   string      `json:"name"`
	Values []EnumValue `json:"values"`
	Ptrs   []string    `json:"-"`
	Doc    string      `json:"-"`
	Page   string      `json:"-"`
}

// EnumValue is one enumerator.
type EnumValue struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
	Doc   string `json:"-"`
}

// Typedef is a plain type alias (QOS_FLOWID is UINT32).
type Typedef struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Pointer bool   `json:"pointer"`
	Doc     string `json:"-"`
}

// Constant is a #define value; error codes are constants too.
type Constant struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
	Doc   string `json:"-"`
}

// Func returns the named function.
func (m *Model) Func(name string) (*Function, bool) {
	for i := range m.Functions {
		if m.Functions[i].Name == name {
			return &m.Functions[i], true
		}
	}
	return nil, false
}

// LoadDir parses every *.md page in dir, in name order, and builds the model.
func LoadDir(dir string) (*Model, error) {
	pages, err := ParseDir(dir)
	if err != nil {
		return nil, err
	}
	return Build(pages)
}

// ParseDir parses every *.md page in dir in name order; errors of all pages
// are joined.
func ParseDir(dir string) ([]*doc.Page, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no *.md spec pages", dir)
	}
	sort.Strings(names)
	var pages []*doc.Page
	var errs []error
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := doc.Parse(n, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pages = append(pages, p)
	}
	return pages, errors.Join(errs...)
}

// Build merges pages into a model and cross-checks it.
func Build(pages []*doc.Page) (*Model, error) {
	b := &builder{m: &Model{}, decls: map[string]string{}}
	for _, p := range pages {
		b.page(p)
	}
	b.resolve()
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	m := b.m
	sort.Slice(m.Functions, func(i, j int) bool { return m.Functions[i].Name < m.Functions[j].Name })
	sort.Slice(m.Structs, func(i, j int) bool { return m.Structs[i].Name < m.Structs[j].Name })
	sort.Slice(m.Enums, func(i, j int) bool { return m.Enums[i].Name < m.Enums[j].Name })
	sort.Slice(m.Typedefs, func(i, j int) bool { return m.Typedefs[i].Name < m.Typedefs[j].Name })
	sort.Slice(m.Constants, func(i, j int) bool { return m.Constants[i].Name < m.Constants[j].Name })
	sort.Slice(m.ErrorCodes, func(i, j int) bool { return m.ErrorCodes[i].Name < m.ErrorCodes[j].Name })
	return m, nil
}

type builder struct {
	m    *Model
	errs []error
	// decls maps every declared name to "file:line", to catch a name
	// declared on two pages.
	decls map[string]string
	// pending error names to resolve once every page is read.
	pending []pendingError
	// typeUses are C types to resolve once every page is read.
	typeUses []typeUse
}

type pendingError struct {
	file string
	fn   int
	err  int
}

type typeUse struct {
	file, typ string
	line      int
}

func (b *builder) errorf(file string, line int, format string, args ...any) {
	b.errs = append(b.errs, &diag.Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (b *builder) declare(name, file string, line int) {
	if prev, ok := b.decls[name]; ok {
		b.errorf(file, line, "%s is declared again; first declared at %s", name, prev)
		return
	}
	b.decls[name] = fmt.Sprintf("%s:%d", file, line)
}

// decl parses the page's syntax blocks into one declaration set.
func (b *builder) decl(p *doc.Page) (*cdecl.File, bool) {
	if len(p.Syntax) == 0 {
		line := 1
		if s, ok := p.Section("description"); ok {
			line = s.Line
		}
		b.errorf(p.File, line, "no \"## -syntax\" section; expected the C declaration in a ```cpp block")
		return nil, false
	}
	all := &cdecl.File{}
	ok := true
	for _, blk := range p.Syntax {
		f, err := cdecl.Parse(p.File, []byte(blk.Text), blk.Line)
		if err != nil {
			b.errs = append(b.errs, err)
			ok = false
			continue
		}
		for _, w := range f.Warnings {
			b.errs = append(b.errs, w)
			ok = false
		}
		all.Funcs = append(all.Funcs, f.Funcs...)
		all.Structs = append(all.Structs, f.Structs...)
		all.Enums = append(all.Enums, f.Enums...)
		all.Typedefs = append(all.Typedefs, f.Typedefs...)
		all.Defines = append(all.Defines, f.Defines...)
	}
	return all, ok
}

func (b *builder) page(p *doc.Page) {
	d, ok := b.decl(p)
	if !ok {
		return
	}
	switch p.Kind {
	case doc.Function:
		b.function(p, d)
	case doc.Struct:
		b.structPage(p, d)
	case doc.Enum:
		b.enumPage(p, d)
	case doc.Defs:
		b.defsPage(p, d)
	}
}

// apiName is the page's single api_name, which its declaration must match.
func (b *builder) apiName(p *doc.Page) (string, bool) {
	if len(p.Front.APIName) != 1 {
		b.errorf(p.File, 1, "front matter api_name lists %d names; expected exactly 1", len(p.Front.APIName))
		return "", false
	}
	return p.Front.APIName[0], true
}

func sectionText(p *doc.Page, name string) string {
	s, _ := p.Section(name)
	return doc.PlainText(s.Body)
}

func (b *builder) function(p *doc.Page, d *cdecl.File) {
	name, ok := b.apiName(p)
	if !ok {
		return
	}
	if len(d.Funcs) != 1 || len(d.Structs)+len(d.Enums)+len(d.Typedefs)+len(d.Defines) > 0 {
		b.errorf(p.File, p.Syntax[0].Line, "syntax block must declare exactly one function (%s); found %d functions and %d other declarations",
			name, len(d.Funcs), len(d.Structs)+len(d.Enums)+len(d.Typedefs)+len(d.Defines))
		return
	}
	cf := d.Funcs[0]
	if cf.Name != name {
		b.errorf(p.File, cf.Line, "syntax block declares %s; front matter api_name is %s", cf.Name, name)
		return
	}
	if cf.Return != "BOOL" {
		b.errorf(p.File, cf.Line, "%s returns %s; expected BOOL (qWAVE functions report failure as FALSE)", name, cf.Return)
	}
	b.declare(name, p.File, cf.Line)
	dll := strings.ToLower(p.Front.ReqDLL)
	if len(p.Front.APILocation) > 0 {
		dll = strings.ToLower(p.Front.APILocation[0])
	}
	if dll == "" {
		b.errorf(p.File, 1, "front matter names no DLL; expected api_location or req.dll")
	}
	fn := Function{Name: name, DLL: dll, Return: cf.Return, Summary: p.Summary(), Doc: sectionText(p, "description"), Page: filepath.Base(p.File)}
	b.params(p, cf, &fn)
	b.returns(p, &fn)
	b.m.Functions = append(b.m.Functions, fn)
}

// params checks the doc parameters against the declaration: same count,
// names, order and annotations.
func (b *builder) params(p *doc.Page, cf cdecl.Func, fn *Function) {
	if len(p.Params) != len(cf.Params) {
		b.errorf(p.File, cf.Line, "%s declares %d parameters (%s); the docs describe %d (%s)",
			fn.Name, len(cf.Params), declNames(cf.Params), len(p.Params), docNames(p.Params))
		return
	}
	for i, dp := range p.Params {
		cp := cf.Params[i]
		if dp.Name != cp.Name {
			b.errorf(p.File, dp.Line, "parameter %d is %s in the docs but %s in the declaration at line %d", i+1, dp.Name, cp.Name, cp.Line)
			continue
		}
		if dp.Annotation != cp.Annotation {
			b.errorf(p.File, dp.Line, "parameter %s is [%s] in the docs but [%s] in the declaration at line %d", dp.Name, dp.Annotation, cp.Annotation, cp.Line)
			continue
		}
		b.typeUses = append(b.typeUses, typeUse{p.File, cp.Type, cp.Line})
		fn.Params = append(fn.Params, Param{Name: dp.Name, Type: cp.Type, Dir: dp.Dir, Optional: dp.Optional, Reserved: dp.Reserved, Doc: dp.Doc})
	}
}

// joinNames lists the names of parameters, of any of the three kinds (doc,
// declaration, model), for messages.
func joinNames[T any](ps []T, name func(T) string) string {
	n := make([]string, len(ps))
	for i, p := range ps {
		n[i] = name(p)
	}
	return strings.Join(n, ", ")
}

func declNames(ps []cdecl.Param) string {
	return joinNames(ps, func(p cdecl.Param) string { return p.Name })
}

func docNames(ps []doc.Param) string {
	return joinNames(ps, func(p doc.Param) string { return p.Name })
}

func (b *builder) returns(p *doc.Page, fn *Function) {
	first := map[string]int{}
	for _, r := range p.Returns {
		if !r.Code {
			continue // a note such as "Other"
		}
		if l, dup := first[r.Name]; dup {
			b.errorf(p.File, r.Line, "%s documents %s twice; first at line %d", fn.Name, r.Name, l)
			continue
		}
		first[r.Name] = r.Line
		fn.Errors = append(fn.Errors, Error{Name: r.Name, Text: r.Text, Line: r.Line})
		b.pending = append(b.pending, pendingError{file: p.File, fn: len(b.m.Functions), err: len(fn.Errors) - 1})
	}
	if len(fn.Errors) == 0 {
		s, _ := p.Section("returns")
		b.errorf(p.File, s.Line, "%s documents no error code; expected a return-code table", fn.Name)
	}
}

// typeDecl checks that a struct or enum page declares exactly one type
// (count), named as its front matter says, and declares that name and its
// pointer names.
func (b *builder) typeDecl(p *doc.Page, kind string, count int, declName string, line int, ptrs []string) bool {
	name, ok := b.apiName(p)
	if !ok {
		return false
	}
	if count != 1 {
		b.errorf(p.File, p.Syntax[0].Line, "syntax block must declare exactly one %s (%s); found %d", kind, name, count)
		return false
	}
	if declName != name {
		b.errorf(p.File, line, "syntax block declares %s; front matter api_name is %s", declName, name)
		return false
	}
	b.declare(name, p.File, line)
	for _, ptr := range ptrs {
		b.declare(ptr, p.File, line)
	}
	return true
}

func (b *builder) structPage(p *doc.Page, d *cdecl.File) {
	var cs cdecl.Struct
	if len(d.Structs) > 0 {
		cs = d.Structs[0]
	}
	if !b.typeDecl(p, "struct", len(d.Structs), cs.Name, cs.Line, cs.Ptrs) {
		return
	}
	name := cs.Name
	docFields := fieldsIn(p, "struct-fields")
	if len(docFields) != len(cs.Fields) {
		b.errorf(p.File, cs.Line, "%s declares %d fields; the docs describe %d", name, len(cs.Fields), len(docFields))
		return
	}
	s := Struct{Name: name, Ptrs: cs.Ptrs, Doc: sectionText(p, "description"), Page: filepath.Base(p.File)}
	for i, df := range docFields {
		cf := cs.Fields[i]
		if df.Name != cf.Name {
			b.errorf(p.File, df.Line, "field %d is %s in the docs but %s in the declaration at line %d", i+1, df.Name, cf.Name, cf.Line)
			continue
		}
		b.typeUses = append(b.typeUses, typeUse{p.File, cf.Type, cf.Line})
		s.Fields = append(s.Fields, Field{Name: cf.Name, Type: cf.Type, Doc: df.Doc})
	}
	b.m.Structs = append(b.m.Structs, s)
}

func fieldsIn(p *doc.Page, section string) []doc.Field {
	var out []doc.Field
	for _, f := range p.Fields {
		if f.Section == section {
			out = append(out, f)
		}
	}
	return out
}

func (b *builder) enumPage(p *doc.Page, d *cdecl.File) {
	var ce cdecl.Enum
	if len(d.Enums) > 0 {
		ce = d.Enums[0]
	}
	if !b.typeDecl(p, "enum", len(d.Enums), ce.Name, ce.Line, ce.Ptrs) {
		return
	}
	name := ce.Name
	docFields := fieldsIn(p, "enum-fields")
	if len(docFields) != len(ce.Values) {
		b.errorf(p.File, ce.Line, "%s declares %d values; the docs describe %d", name, len(ce.Values), len(docFields))
		return
	}
	e := Enum{Name: name, Ptrs: ce.Ptrs, Doc: sectionText(p, "description"), Page: filepath.Base(p.File)}
	for i, df := range docFields {
		cv := ce.Values[i]
		if df.Name != cv.Name {
			b.errorf(p.File, df.Line, "value %d is %s in the docs but %s in the declaration at line %d", i+1, df.Name, cv.Name, cv.Line)
			continue
		}
		v, err := strconv.ParseInt(df.Value, 0, 64)
		if !df.HasValue || err != nil {
			b.errorf(p.File, df.Line, "enum field %s: expected \"### -field %s:<integer>\"", df.Name, df.Name)
			continue
		}
		if v != cv.Value {
			b.errorf(p.File, df.Line, "%s is %d in the docs but %d in the declaration at line %d", df.Name, v, cv.Value, cv.Line)
			continue
		}
		b.declare(cv.Name, p.File, cv.Line)
		e.Values = append(e.Values, EnumValue{Name: cv.Name, Value: cv.Value, Doc: df.Doc})
	}
	b.m.Enums = append(b.m.Enums, e)
}

// defsPage reads typedefs and #define constants. A page whose header is
// winerror.h supplies error-code values.
func (b *builder) defsPage(p *doc.Page, d *cdecl.File) {
	if len(d.Funcs)+len(d.Structs)+len(d.Enums) > 0 {
		b.errorf(p.File, p.Syntax[0].Line, "a definitions page declares only typedefs and #define constants")
	}
	docTypedefs := map[string]doc.Field{}
	for _, f := range fieldsIn(p, "typedefs") {
		docTypedefs[f.Name] = f
	}
	for _, t := range d.Typedefs {
		df, ok := docTypedefs[t.Name]
		if !ok {
			b.errorf(p.File, t.Line, "typedef %s is not documented; expected \"### -field %s\" under \"## -typedefs\"", t.Name, t.Name)
			continue
		}
		delete(docTypedefs, t.Name)
		b.declare(t.Name, p.File, t.Line)
		b.typeUses = append(b.typeUses, typeUse{p.File, t.Type, t.Line})
		b.m.Typedefs = append(b.m.Typedefs, Typedef{Name: t.Name, Type: t.Type, Pointer: t.Pointer, Doc: df.Doc})
	}
	for _, f := range sortedFields(docTypedefs) {
		b.errorf(p.File, f.Line, "typedef %s is documented but not declared in the syntax block", f.Name)
	}
	docConsts := map[string]doc.Field{}
	for _, f := range fieldsIn(p, "constants") {
		docConsts[f.Name] = f
	}
	isErrors := strings.EqualFold(p.Front.ReqHeader, "winerror.h")
	for _, c := range d.Defines {
		df, ok := docConsts[c.Name]
		if !ok {
			b.errorf(p.File, c.Line, "constant %s is not documented; expected \"### -field %s:<value>\" under \"## -constants\"", c.Name, c.Name)
			continue
		}
		delete(docConsts, c.Name)
		v, err := strconv.ParseUint(df.Value, 0, 64)
		if !df.HasValue || err != nil {
			b.errorf(p.File, df.Line, "constant %s: expected \"### -field %s:<integer>\"", df.Name, df.Name)
			continue
		}
		if v != c.Value {
			b.errorf(p.File, df.Line, "%s is %#x in the docs but %s in the declaration at line %d", df.Name, v, c.Raw, c.Line)
			continue
		}
		b.declare(c.Name, p.File, c.Line)
		k := Constant{Name: c.Name, Value: c.Value, Doc: df.Doc}
		if isErrors {
			b.m.ErrorCodes = append(b.m.ErrorCodes, k)
		} else {
			b.m.Constants = append(b.m.Constants, k)
		}
	}
	for _, f := range sortedFields(docConsts) {
		b.errorf(p.File, f.Line, "constant %s is documented but not declared in the syntax block", f.Name)
	}
}

func sortedFields(m map[string]doc.Field) []doc.Field {
	out := make([]doc.Field, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// resolve gives every documented error its value and checks that every C
// type is known.
func (b *builder) resolve() {
	codes := map[string]uint64{}
	var names []string
	for _, c := range b.m.ErrorCodes {
		codes[c.Name] = c.Value
		names = append(names, c.Name)
	}
	for _, pe := range b.pending {
		e := &b.m.Functions[pe.fn].Errors[pe.err]
		v, ok := codes[e.Name]
		if !ok {
			if near := Closest(e.Name, names); near != "" {
				b.errorf(pe.file, e.Line, "unknown error code %s; did you mean %s?", e.Name, near)
			} else {
				b.errorf(pe.file, e.Line, "unknown error code %s; no error-code page defines it", e.Name)
			}
			continue
		}
		e.Value = uint32(v)
	}
	for _, u := range b.typeUses {
		for _, w := range strings.Fields(u.typ) {
			if _, base := cdecl.Base(w); w == "*" || w == "const" || base {
				continue
			}
			if _, ok := b.decls[w]; !ok {
				b.errorf(u.file, u.line, "unknown C type %s; expected a Windows base type or a type declared in the spec", w)
			}
		}
	}
}

// Closest returns the candidate with the smallest edit distance to name, or
// "" when none is within a third of its length.
func Closest(name string, candidates []string) string {
	best, bestD := "", len(name)/3+1
	for _, c := range candidates {
		if d := distance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
