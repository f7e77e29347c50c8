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
	"slices"
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
	// Observed is what real Windows does (observed.yaml), sorted by
	// function and case.
	Observed []Observed `json:"observed,omitempty"`
	// Buffers says what Buffer holds per operation (buffers.yaml), sorted
	// by function and operation value.
	Buffers []Buffer `json:"buffers,omitempty"`
	// Skipped lists, sorted by page, what was not modelled and why: pages
	// whose convention or types gen cannot express, and (with
	// Options.Lenient) pages that disagree with their declaration.
	Skipped []Skip `json:"skipped,omitempty"`
	// Notes are facts worth a look that do not stop generation, such as
	// a header naming a parameter differently from its page.
	Notes []string `json:"notes,omitempty"`
}

// Skip is one page, or one declaration, that the model leaves out.
type Skip struct {
	Name   string `json:"name"`
	Page   string `json:"page"`
	Reason string `json:"reason"`
}

// Function is one exported DLL function.
type Function struct {
	Name   string `json:"name"`
	DLL    string `json:"dll"`
	Return string `json:"return"`
	// Convention is how the function reports failure, from its return
	// type and its page's return section, cross-checked.
	Convention Convention `json:"convention"`
	// CallConv is the calling convention the declaration names (stdcall,
	// cdecl); "" when it names none.
	CallConv string  `json:"callConv,omitempty"`
	Params   []Param `json:"params"`
	Errors   []Error `json:"errors"`
	Summary  string  `json:"-"`
	Doc      string  `json:"-"`              // the -description section as plain text
	Page     string  `json:"page,omitempty"` // spec file name, e.g. nf-qos2-qoscreatehandle.md
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
	Page   string   `json:"page,omitempty"`
	// Header names the C header a struct without a page of its own comes
	// from (a member type or a parameter type); "" for a documented one.
	Header string `json:"header,omitempty"`
}

// Field is a struct member.
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Len is the element count of an array member, 0 for a scalar.
	Len int64 `json:"len,omitempty"`
	// Union is set for a union member: Size and Align (for amd64; 386
	// halves pointer members) describe it, Type is "union".
	Union *Union `json:"union,omitempty"`
	Doc   string `json:"-"`
}

// Union is a union member, kept as opaque storage of its size and
// alignment on each architecture.
type Union struct {
	Size32, Align32 int64 // 386
	Size64, Align64 int64 // amd64, arm64
}

// Enum is a C enumeration.
type Enum struct {
	Name   string      `json:"name"`
	Values []EnumValue `json:"values"`
	Ptrs   []string    `json:"-"`
	Doc    string      `json:"-"`
	Page   string      `json:"page,omitempty"`
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
	// Func is set for a function-pointer type (a callback): its
	// signature, which Go passes as a uintptr from syscall.NewCallback.
	Func *Signature `json:"func,omitempty"`
	Doc  string     `json:"-"`
}

// Signature is a callback's C signature.
type Signature struct {
	Return   string   `json:"return"`
	CallConv string   `json:"callConv,omitempty"`
	Params   []string `json:"params"` // the C types
}

// Constant is a #define value; error codes are constants too.
type Constant struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
	// Header is the code header an error code's value comes from
	// (winerror.h, ntstatus.h, tcerror.h); "" for a value from a page.
	Header string `json:"header,omitempty"`
	Doc    string `json:"-"`
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

// LoadDir parses every *.md page in dir, in name order, and builds the model.
func LoadDir(dir string) (*Model, error) {
	return LoadDirWith(dir, Options{})
}

// ParseDir parses every *.md page in dir in name order; errors of all pages
// are joined.
func ParseDir(dir string) ([]*doc.Page, error) {
	pages, bad, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, b := range bad {
		errs = append(errs, b.err)
	}
	return pages, errors.Join(errs...)
}

// badPage is a page that does not parse.
type badPage struct {
	file string
	err  error
}

func parseDir(dir string) ([]*doc.Page, []badPage, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%s: no *.md spec pages", dir)
	}
	sort.Strings(names)
	var pages []*doc.Page
	var bad []badPage
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			bad = append(bad, badPage{n, err})
			continue
		}
		p, err := doc.Parse(n, src)
		if err != nil {
			bad = append(bad, badPage{n, err})
			continue
		}
		pages = append(pages, p)
	}
	return pages, bad, nil
}

// Options say where declarations and code values come from, and how strict
// the build is.
type Options struct {
	// Header supplies the declaration of every page without a
	// "## -syntax" block (upstream sdk-api pages have none); where a page
	// has one, CompareHeader cross-checks the two. Types the declarations
	// use that no page documents are taken from it as well.
	Header *cdecl.File
	// HeaderName names the header in Struct.Header and messages.
	HeaderName string
	// TypeHeaders names, for a type Header declares, the header that
	// declares it when that is not HeaderName (FLOWSPEC: qos.h).
	TypeHeaders map[string]string
	// Codes are error and status codes defined by headers (winerror.h,
	// ntstatus.h, tcerror.h): the values of documented codes that no
	// error-code page defines, and a cross-check of those that one does.
	Codes []cdecl.Define
	// CodeHeaders names the header of each code in Codes.
	CodeHeaders map[string]string
	// Lenient turns the errors of one page (a disagreement with its
	// declaration, an unknown code) into a Skip of that page, so that a
	// directory of pages gen has never seen still yields a model and a
	// report. Generation from this project's spec is strict.
	Lenient bool
}

// LoadDirWith is LoadDir with Options. In lenient mode a page that does not
// parse is skipped with its errors as the reason.
func LoadDirWith(dir string, opts Options) (*Model, error) {
	pages, bad, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	var skips []Skip
	var errs []error
	for _, p := range bad {
		if !opts.Lenient {
			errs = append(errs, p.err)
			continue
		}
		skips = append(skips, Skip{Name: strings.TrimSuffix(filepath.Base(p.file), ".md"), Page: filepath.Base(p.file), Reason: "page does not parse: " + oneLine(p.err)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m, err := BuildWith(pages, opts)
	if err != nil {
		return nil, err
	}
	if m.Observed, err = loadEntries(dir, ObservedFile, ParseObserved, m.checkObserved); err != nil {
		return nil, err
	}
	if m.Buffers, err = loadEntries(dir, BuffersFile, ParseBuffers, m.checkBuffers); err != nil {
		return nil, err
	}
	m.Skipped = append(m.Skipped, skips...)
	sortSkips(m.Skipped)
	return m, nil
}

func oneLine(err error) string {
	var msgs []string
	for _, e := range diag.Errors(err) {
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "; ")
}

func sortSkips(s []Skip) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Page != s[j].Page {
			return s[i].Page < s[j].Page
		}
		return s[i].Name < s[j].Name
	})
}

// Build merges pages into a model and cross-checks it.
func Build(pages []*doc.Page) (*Model, error) { return BuildWith(pages, Options{}) }

// BuildWith merges pages, and the header declarations of opts, into a
// model and cross-checks it. Pages are read in three passes (definitions,
// then types, then functions) so that every check has what it needs when
// it runs; the model never reaches back into a page.
func BuildWith(pages []*doc.Page, opts Options) (*Model, error) {
	b := &builder{m: &Model{}, decls: map[string]string{}, opts: opts, codes: map[string]uint64{}, items: map[string]*item{}, headerCodes: map[string]bool{}}
	for _, c := range opts.Codes {
		if _, dup := b.codes[c.Name]; !dup {
			b.codes[c.Name] = c.Value
		}
	}
	order := map[doc.Kind]int{doc.Defs: 0, doc.Enum: 1, doc.Struct: 1, doc.Function: 2, doc.Callback: 3}
	sorted := append([]*doc.Page(nil), pages...)
	sort.SliceStable(sorted, func(i, j int) bool { return order[sorted[i].Kind] < order[sorted[j].Kind] })
	for _, p := range sorted {
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
	sortSkips(m.Skipped)
	sort.Strings(m.Notes)
	return m, nil
}

type builder struct {
	m    *Model
	opts Options
	errs []error
	// decls maps every declared name to "file:line", to catch a name
	// declared on two pages.
	decls map[string]string
	// codes are the values of known error and status codes.
	codes map[string]uint64
	// pending error names to resolve once every page is read.
	pending []pendingError
	// typeUses are C types to resolve once every page is read.
	typeUses []typeUse
	// items are the modelled pages by key, for dropping one in lenient
	// mode or when a type it uses cannot be expressed.
	items map[string]*item
	cur   *item
	// headerCodes are the error codes the model took from the code
	// headers rather than from an error-code page.
	headerCodes map[string]bool
	// declared lists the names declare added, in order, so that a skipped
	// page's names can be taken back.
	declared []string
}

// item is what one page contributed.
type item struct {
	key, name, page string
	dropped         bool
}

type pendingError struct {
	file string
	fn   string
	err  int
	item *item
}

type typeUse struct {
	file, typ string
	line      int
	item      *item
}

func (b *builder) errorf(file string, line int, format string, args ...any) {
	b.errs = append(b.errs, &diag.Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// skip leaves a page out with a reason; it is not an error in any mode.
func (b *builder) skip(p *doc.Page, name, format string, args ...any) {
	b.m.Skipped = append(b.m.Skipped, Skip{Name: name, Page: filepath.Base(p.File), Reason: fmt.Sprintf(format, args...)})
}

func (b *builder) declare(name, file string, line int) {
	if prev, ok := b.decls[name]; ok {
		b.errorf(file, line, "%s is declared again; first declared at %s", name, prev)
		return
	}
	b.decls[name] = fmt.Sprintf("%s:%d", file, line)
	b.declared = append(b.declared, name)
}

// decl parses the page's syntax blocks into one declaration set, or, for a
// page without one, takes its declaration from the header.
func (b *builder) decl(p *doc.Page) (*cdecl.File, bool) {
	if len(p.Syntax) == 0 {
		if b.opts.Header != nil {
			return b.headerDecl(p)
		}
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

// headerDecl finds the page's declaration in the header: the function,
// struct or enum its api_name names (the W form of an A/W pair).
func (b *builder) headerDecl(p *doc.Page) (*cdecl.File, bool) {
	h := b.opts.Header
	out := &cdecl.File{}
	names := p.Front.APIName
	switch p.Kind {
	case doc.Function:
		name := pickName(names, func(n string) bool {
			for _, f := range h.Funcs {
				if f.Name == n {
					return true
				}
			}
			return false
		})
		for _, f := range h.Funcs {
			if f.Name == name {
				out.Funcs = append(out.Funcs, f)
				break
			}
		}
	case doc.Struct:
		for _, s := range h.Structs {
			if len(names) > 0 && s.Name == names[0] {
				out.Structs = append(out.Structs, s)
				break
			}
		}
	case doc.Enum:
		for _, e := range h.Enums {
			if len(names) > 0 && e.Name == names[0] {
				out.Enums = append(out.Enums, e)
				break
			}
		}
	}
	if len(out.Funcs)+len(out.Structs)+len(out.Enums) == 0 {
		b.skip(p, strings.Join(names, ", "), "%s declares none of %s", b.opts.HeaderName, strings.Join(names, ", "))
		return nil, false
	}
	return out, true
}

// pickName chooses the declared name among a page's api_name list: the W
// form of an A/W pair (CreateEvent, CreateEventA, CreateEventW), else the
// first declared one.
func pickName(names []string, declared func(string) bool) string {
	for _, n := range names {
		if strings.HasSuffix(n, "W") && declared(n) {
			return n
		}
	}
	for _, n := range names {
		if declared(n) {
			return n
		}
	}
	return ""
}

// ansiPage reports whether p documents the A form of an A/W pair (its file
// is named for the name ending in A), which the W form's page covers.
func ansiPage(p *doc.Page) (string, bool) {
	if len(p.Front.APIName) < 2 {
		return "", false
	}
	stem := strings.TrimSuffix(filepath.Base(p.File), ".md")
	if i := strings.LastIndexByte(stem, '-'); i >= 0 {
		stem = stem[i+1:]
	}
	for _, n := range p.Front.APIName {
		if strings.HasSuffix(n, "A") && strings.EqualFold(n, stem) {
			return n, true
		}
	}
	return "", false
}

func (b *builder) page(p *doc.Page) {
	name := strings.Join(p.Front.APIName, ", ")
	if name == "" {
		name = p.Front.UID
	}
	switch p.Kind {
	case doc.Callback:
		b.skip(p, name, "a callback a client implements: no function to call; its type is declared where a struct or parameter uses it")
		return
	case doc.Defs:
		if len(p.Syntax) == 0 && b.opts.Header != nil {
			b.skip(p, name, "an overview page: it declares nothing")
			return
		}
	case doc.Function:
		if a, ok := ansiPage(p); ok && b.opts.Header != nil {
			b.skip(p, a, "the ANSI form of an A/W pair; the W form is generated from its own page")
			return
		}
	}
	it := &item{key: string(p.Kind) + ":" + filepath.Base(p.File), name: name, page: filepath.Base(p.File)}
	b.cur = it
	errsBefore, skipsBefore := len(b.errs), len(b.m.Skipped)
	nf, ns, ne, nt, nc, nk := len(b.m.Functions), len(b.m.Structs), len(b.m.Enums), len(b.m.Typedefs), len(b.m.Constants), len(b.m.ErrorCodes)
	np, nu, nd := len(b.pending), len(b.typeUses), len(b.declared)
	d, ok := b.decl(p)
	if ok {
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
	failed := len(b.errs) > errsBefore
	skipped := len(b.m.Skipped) > skipsBefore
	if failed && b.opts.Lenient || skipped {
		if failed {
			var msgs []string
			for _, e := range b.errs[errsBefore:] {
				msgs = append(msgs, oneLine(e))
			}
			b.errs = b.errs[:errsBefore]
			b.skip(p, name, "%s", strings.Join(msgs, "; "))
		}
		b.m.Functions, b.m.Structs, b.m.Enums = b.m.Functions[:nf], b.m.Structs[:ns], b.m.Enums[:ne]
		b.m.Typedefs, b.m.Constants, b.m.ErrorCodes = b.m.Typedefs[:nt], b.m.Constants[:nc], b.m.ErrorCodes[:nk]
		b.pending, b.typeUses = b.pending[:np], b.typeUses[:nu]
		for _, n := range b.declared[nd:] {
			delete(b.decls, n) // a skipped page declares nothing
		}
		b.declared = b.declared[:nd]
		return
	}
	b.items[it.key] = it
}

// apiName is the page's single api_name, which its declaration must match;
// a page listing an A/W pair names the form its declaration declares.
func (b *builder) apiName(p *doc.Page, declared string) (string, bool) {
	if len(p.Front.APIName) > 1 && declared != "" {
		for _, n := range p.Front.APIName {
			if n == declared {
				return n, true
			}
		}
	}
	if len(p.Front.APIName) != 1 {
		b.errorf(p.File, 1, "front matter api_name lists %d names; expected exactly 1, or an A/W pair including %s", len(p.Front.APIName), orNone(declared))
		return "", false
	}
	return p.Front.APIName[0], true
}

func orNone(s string) string {
	if s == "" {
		return "the declared name"
	}
	return s
}

// declLine is the line that a declaration's disagreements are reported at:
// in the page's syntax block, or the page's first line for a declaration
// taken from a header (whose own line is in the header).
func declLine(p *doc.Page, line int) int {
	if len(p.Syntax) == 0 {
		return 1
	}
	return line
}

func (b *builder) function(p *doc.Page, d *cdecl.File) {
	if len(d.Funcs) != 1 || len(d.Structs)+len(d.Enums)+len(d.Typedefs)+len(d.Defines) > 0 {
		name, _ := b.apiName(p, "")
		b.errorf(p.File, p.Syntax[0].Line, "syntax block must declare exactly one function (%s); found %d functions and %d other declarations",
			name, len(d.Funcs), len(d.Structs)+len(d.Enums)+len(d.Typedefs)+len(d.Defines))
		return
	}
	cf := d.Funcs[0]
	name, ok := b.apiName(p, cf.Name)
	if !ok {
		return
	}
	if cf.Name != name {
		b.errorf(p.File, cf.Line, "syntax block declares %s; front matter api_name is %s", cf.Name, name)
		return
	}
	conv, why := conventionOf(b.resolveTypedef(cf.Return), p)
	if conv == "" {
		b.skip(p, name, "%s", why)
		return
	}
	b.declare(name, p.File, declLine(p, cf.Line))
	dll := dllOf(p)
	if dll == "" {
		b.errorf(p.File, 1, "front matter names no DLL; expected api_location or req.dll")
	}
	fn := Function{Name: name, DLL: dll, Return: canonical(cf.Return), Convention: conv, CallConv: cf.CallConv,
		Summary: p.Summary(), Doc: p.Text["description"], Page: filepath.Base(p.File)}
	b.params(p, cf, &fn)
	b.returns(p, &fn)
	b.m.Functions = append(b.m.Functions, fn)
}

// dllOf is the DLL a function is loaded from: the first api_location that
// is a DLL rather than an API set (api-ms-win-…, ext-ms-win-…, which only
// newer Windows resolves), else req.dll; lower case.
func dllOf(p *doc.Page) string {
	for _, l := range p.Front.APILocation {
		l = strings.ToLower(l)
		if strings.HasSuffix(l, ".dll") && !strings.HasPrefix(l, "api-ms-") && !strings.HasPrefix(l, "ext-ms-") {
			return l
		}
	}
	return strings.ToLower(p.Front.ReqDLL)
}

// resolveTypedef follows header typedefs of a type name (NETIO_STATUS is
// DWORD) to a base type, so conventions are decided on the real type.
func (b *builder) resolveTypedef(typ string) string {
	t := canonical(strings.TrimSpace(typ))
	for range 8 {
		if _, ok := cdecl.Base(t); ok || b.opts.Header == nil {
			return t
		}
		next := ""
		for _, td := range b.opts.Header.Typedefs {
			if td.Name == t && !td.Pointer && td.Func == nil && len(td.Dims) == 0 {
				next = td.Type
			}
		}
		if next == "" {
			return t
		}
		t = next
	}
	return t
}

// params checks the doc parameters against the declaration: same count,
// names, order and annotations. A header declaration has no annotations,
// and may leave parameters unnamed or name them differently; the page's
// names are kept and a difference is noted.
func (b *builder) params(p *doc.Page, cf cdecl.Func, fn *Function) {
	if len(p.Params) != len(cf.Params) {
		b.errorf(p.File, declLine(p, cf.Line), "%s declares %d parameters (%s); the docs describe %d (%s)",
			fn.Name, len(cf.Params), declNames(cf.Params), len(p.Params), docNames(p.Params))
		return
	}
	fromHeader := len(p.Syntax) == 0
	for i, dp := range p.Params {
		cp := cf.Params[i]
		if dp.Name != cp.Name {
			if !fromHeader {
				b.errorf(p.File, dp.Line, "parameter %d is %s in the docs but %s in the declaration at line %d", i+1, dp.Name, cp.Name, cp.Line)
				continue
			}
			if cp.Name != "" {
				b.m.Notes = append(b.m.Notes, fmt.Sprintf("%s: parameter %d is %s on its page but %s in %s", fn.Name, i+1, dp.Name, cp.Name, b.opts.HeaderName))
			}
		}
		if dp.Annotation != cp.Annotation && !fromHeader {
			b.errorf(p.File, dp.Line, "parameter %s is [%s] in the docs but [%s] in the declaration at line %d", dp.Name, dp.Annotation, cp.Annotation, cp.Line)
			continue
		}
		typ := canonical(cp.Type)
		b.typeUses = append(b.typeUses, typeUse{p.File, typ, declLine(p, cp.Line), b.cur})
		fn.Params = append(fn.Params, Param{Name: dp.Name, Type: typ, Dir: dp.Dir, Optional: dp.Optional, Reserved: dp.Reserved, Doc: dp.Doc})
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

// returns reads the documented failure codes: the rows of the return
// table, or the codes a return section without one names in its prose.
// Success codes are never errors.
func (b *builder) returns(p *doc.Page, fn *Function) {
	rows := p.Returns
	hasCode := false
	for _, r := range rows {
		hasCode = hasCode || r.Code && !successCodes[r.Name]
	}
	if !hasCode && len(p.Syntax) == 0 {
		rows = proseCodes(p, func(n string) bool { _, ok := b.codes[n]; return ok })
	}
	first := map[string]int{}
	for _, r := range rows {
		if !r.Code || successCodes[r.Name] {
			continue // a note such as "Other", or success
		}
		if l, dup := first[r.Name]; dup {
			b.errorf(p.File, r.Line, "%s documents %s twice; first at line %d", fn.Name, r.Name, l)
			continue
		}
		first[r.Name] = r.Line
		fn.Errors = append(fn.Errors, Error{Name: r.Name, Text: r.Text, Line: r.Line})
		b.pending = append(b.pending, pendingError{file: p.File, fn: fn.Name, err: len(fn.Errors) - 1, item: b.cur})
	}
	if len(fn.Errors) == 0 && len(p.Syntax) > 0 {
		b.errorf(p.File, p.ReturnsLine, "%s documents no error code; expected a return-code table", fn.Name)
	}
}

// typeDecl checks that a struct or enum page declares exactly one type
// (count), named as its front matter says, and declares that name and its
// pointer names.
func (b *builder) typeDecl(p *doc.Page, kind string, count int, declName string, line int, ptrs []string) bool {
	name, ok := b.apiName(p, declName)
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
	b.declare(name, p.File, declLine(p, line))
	for _, ptr := range ptrs {
		b.declare(ptr, p.File, declLine(p, line))
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
	s := Struct{Name: name, Ptrs: cs.Ptrs, Doc: p.Text["description"], Page: filepath.Base(p.File)}
	fields, why := b.fields(cs)
	if why != "" {
		b.skip(p, name, "%s", why)
		return
	}
	if len(docFields) != len(fields) {
		b.errorf(p.File, declLine(p, cs.Line), "%s declares %d fields; the docs describe %d", name, len(fields), len(docFields))
		return
	}
	for i, df := range docFields {
		f := fields[i]
		if df.Name != f.Name {
			b.errorf(p.File, df.Line, "field %d is %s in the docs but %s in the declaration at line %d", i+1, df.Name, f.Name, cs.Fields[min(i, len(cs.Fields)-1)].Line)
			continue
		}
		if f.Union == nil {
			b.typeUses = append(b.typeUses, typeUse{p.File, f.Type, declLine(p, cs.Line), b.cur})
		}
		f.Doc = df.Doc
		s.Fields = append(s.Fields, f)
	}
	b.m.Structs = append(b.m.Structs, s)
}

// fields turns declared members into model fields: arrays get their
// length, a union becomes opaque storage of its size. A member gen cannot
// lay out (a bit-field, a struct declared in place, an array of unknown
// length) is the reason the struct is skipped.
func (b *builder) fields(cs cdecl.Struct) ([]Field, string) {
	var out []Field
	for _, f := range cs.Fields {
		if f.Bits != "" {
			return nil, fmt.Sprintf("member %s is a bit-field, which Go cannot express", f.Name)
		}
		mf := Field{Name: f.Name, Type: canonical(f.Type)}
		if f.Record != nil {
			if !f.Record.Union {
				return nil, fmt.Sprintf("member %s is a struct declared in place, which gen does not name", orAnon(f.Name))
			}
			u, why := b.unionLayout(f.Record)
			if why != "" {
				return nil, fmt.Sprintf("union member %s: %s", orAnon(f.Name), why)
			}
			mf.Type, mf.Union = "union", u
			if f.Name == "" {
				return nil, "a nameless union member, which Go cannot express"
			}
		}
		if len(f.Dims) > 1 {
			return nil, fmt.Sprintf("member %s is a multi-dimensional array", f.Name)
		}
		if len(f.Dims) == 1 {
			n, ok := b.constValue(f.Dims[0])
			if !ok || n <= 0 {
				return nil, fmt.Sprintf("member %s: array length %q is not a known constant", f.Name, f.Dims[0])
			}
			mf.Len = n
		}
		out = append(out, mf)
	}
	return out, ""
}

func orAnon(name string) string {
	if name == "" {
		return "(nameless)"
	}
	return name
}

// constValue evaluates an array length: a literal, or a constant or
// enumerator of the header.
func (b *builder) constValue(s string) (int64, bool) {
	if v, err := strconv.ParseInt(strings.TrimRight(s, "uUlL"), 0, 64); err == nil {
		return v, true
	}
	if b.opts.Header != nil {
		for _, d := range b.opts.Header.Defines {
			if d.Name == s {
				return int64(d.Value), true
			}
		}
		for _, e := range b.opts.Header.Enums {
			for _, v := range e.Values {
				if v.Name == s {
					return v.Value, true
				}
			}
		}
	}
	for _, c := range b.m.Constants {
		if c.Name == s {
			return int64(c.Value), true
		}
	}
	return 0, false
}

// unionLayout is the size and alignment of a union of base-type and struct
// members, on 32- and 64-bit Windows.
func (b *builder) unionLayout(u *cdecl.Struct) (*Union, string) {
	out := &Union{Align32: 1, Align64: 1}
	for _, f := range u.Fields {
		var s32, a32, s64, a64 int64
		if f.Record != nil {
			var inner *Union
			var why string
			if f.Record.Union {
				inner, why = b.unionLayout(f.Record)
			} else {
				inner, why = b.structLayout(f.Record)
			}
			if why != "" {
				return nil, why
			}
			s32, a32, s64, a64 = inner.Size32, inner.Align32, inner.Size64, inner.Align64
		} else {
			bt, ok := cdecl.Base(strings.TrimSpace(strings.TrimPrefix(f.Type, "const")))
			if strings.HasSuffix(f.Type, "*") {
				bt, ok = cdecl.BaseType{Kind: cdecl.Pointer}, true
			}
			if !ok || bt.Kind == cdecl.Void {
				return nil, fmt.Sprintf("member %s has type %s, not a Windows base type", f.Name, f.Type)
			}
			s32, a32, s64, a64 = int64(bt.Size), int64(bt.Align), int64(bt.Size), int64(bt.Align)
			if bt.Size == 0 {
				s32, a32, s64, a64 = 4, 4, 8, 8
			}
		}
		n := int64(1)
		if len(f.Dims) == 1 {
			v, ok := b.constValue(f.Dims[0])
			if !ok {
				return nil, fmt.Sprintf("member %s: array length %q is not a known constant", f.Name, f.Dims[0])
			}
			n = v
		}
		out.Size32, out.Size64 = max(out.Size32, s32*n), max(out.Size64, s64*n)
		out.Align32, out.Align64 = max(out.Align32, a32), max(out.Align64, a64)
	}
	out.Size32, out.Size64 = alignUp(out.Size32, out.Align32), alignUp(out.Size64, out.Align64)
	return out, ""
}

// structLayout lays out a struct declared inside a union.
func (b *builder) structLayout(s *cdecl.Struct) (*Union, string) {
	out := &Union{Align32: 1, Align64: 1}
	for _, f := range s.Fields {
		one := &cdecl.Struct{Union: true, Fields: []cdecl.Field{f}}
		l, why := b.unionLayout(one)
		if why != "" {
			return nil, why
		}
		out.Size32 = alignUp(out.Size32, l.Align32) + l.Size32
		out.Size64 = alignUp(out.Size64, l.Align64) + l.Size64
		out.Align32, out.Align64 = max(out.Align32, l.Align32), max(out.Align64, l.Align64)
	}
	out.Size32, out.Size64 = alignUp(out.Size32, out.Align32), alignUp(out.Size64, out.Align64)
	return out, ""
}

func alignUp(n, a int64) int64 { return (n + a - 1) / a * a }

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
		b.errorf(p.File, declLine(p, ce.Line), "%s declares %d values; the docs describe %d", name, len(ce.Values), len(docFields))
		return
	}
	e := Enum{Name: name, Ptrs: ce.Ptrs, Doc: p.Text["description"], Page: filepath.Base(p.File)}
	for i, df := range docFields {
		cv := ce.Values[i]
		if df.Name != cv.Name {
			b.errorf(p.File, df.Line, "value %d is %s in the docs but %s in the declaration at line %d", i+1, df.Name, cv.Name, cv.Line)
			continue
		}
		// Upstream pages leave implicit values unwritten; the
		// declaration has them. A written one must agree.
		if df.HasValue || len(p.Syntax) > 0 {
			v, err := strconv.ParseInt(df.Value, 0, 64)
			if !df.HasValue || err != nil {
				b.errorf(p.File, df.Line, "enum field %s: expected \"### -field %s:<integer>\"", df.Name, df.Name)
				continue
			}
			if v != cv.Value {
				b.errorf(p.File, df.Line, "%s is %d in the docs but %d in the declaration at line %d", df.Name, v, cv.Value, cv.Line)
				continue
			}
		}
		b.declare(cv.Name, p.File, declLine(p, cv.Line))
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
		b.typeUses = append(b.typeUses, typeUse{p.File, t.Type, t.Line, b.cur})
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
			if hv, ok := b.codes[c.Name]; ok && hv != c.Value {
				b.errorf(p.File, df.Line, "%s is %#x here but %#x in the error-code headers", c.Name, c.Value, hv)
				continue
			}
			b.codes[c.Name] = c.Value
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

// resolve gives every documented error its value, takes the types that
// declarations use but no page documents from the header, and checks that
// every C type is known. With a header, or in lenient mode, a page whose
// code or type cannot be resolved is dropped with the reason; otherwise
// that is an error.
func (b *builder) resolve() {
	var names []string
	for n := range b.codes {
		names = append(names, n)
	}
	sort.Strings(names)
	modelCodes := map[string]bool{}
	for _, c := range b.m.ErrorCodes {
		modelCodes[c.Name] = true
	}
	for _, pe := range b.pending {
		fn, ok := b.m.Func(pe.fn)
		if !ok {
			continue
		}
		e := &fn.Errors[pe.err]
		v, ok := b.codes[e.Name]
		if !ok {
			msg := fmt.Sprintf("unknown error code %s; no error-code page defines it", e.Name)
			if near := Closest(e.Name, names); near != "" {
				msg = fmt.Sprintf("unknown error code %s; did you mean %s?", e.Name, near)
			}
			b.fail(pe.item, pe.file, e.Line, "%s", msg)
			continue
		}
		e.Value = uint32(v)
		if !modelCodes[e.Name] {
			modelCodes[e.Name] = true
			b.headerCodes[e.Name] = true
			b.m.ErrorCodes = append(b.m.ErrorCodes, Constant{Name: e.Name, Value: v, Header: b.opts.CodeHeaders[e.Name], Doc: firstSentence(e.Text)})
		}
	}
	b.pullHeaderTypes()
	b.dropTypedefCycles()
	for _, u := range b.typeUses {
		if u.item != nil && u.item.dropped {
			continue
		}
		for _, w := range strings.Fields(u.typ) {
			if _, base := cdecl.Base(w); w == "*" || w == "const" || base {
				continue
			}
			if _, ok := b.decls[w]; !ok {
				b.fail(u.item, u.file, u.line, "unknown C type %s; expected a Windows base type or a type declared in the spec", w)
			}
		}
	}
	b.dropFailed()
	b.prunePulled()
}

// prunePulled removes the types taken from the header that no modelled
// function or documented type uses any more (their user was skipped).
func (b *builder) prunePulled() {
	if b.opts.Header == nil {
		return
	}
	m := b.m
	owner := map[string]string{} // pointer and type names to the type's name
	deps := map[string][]string{}
	for _, s := range m.Structs {
		owner[s.Name] = s.Name
		for _, p := range s.Ptrs {
			owner[p] = s.Name
		}
		for _, f := range s.Fields {
			deps[s.Name] = append(deps[s.Name], strings.Fields(f.Type)...)
		}
	}
	for _, e := range m.Enums {
		owner[e.Name] = e.Name
		for _, p := range e.Ptrs {
			owner[p] = e.Name
		}
	}
	for _, t := range m.Typedefs {
		owner[t.Name] = t.Name
		deps[t.Name] = strings.Fields(t.Type)
		if t.Func != nil {
			deps[t.Name] = append(append(deps[t.Name], t.Func.Return), t.Func.Params...)
		}
	}
	used := map[string]bool{}
	var visit func(w string)
	visit = func(w string) {
		n, ok := owner[w]
		if !ok || used[n] {
			return
		}
		used[n] = true
		for _, d := range deps[n] {
			visit(d)
		}
	}
	for _, f := range m.Functions {
		for _, p := range f.Params {
			for _, w := range strings.Fields(p.Type) {
				visit(w)
			}
		}
	}
	for _, s := range m.Structs {
		if s.Page != "" {
			visit(s.Name)
		}
	}
	for _, e := range m.Enums {
		if e.Page != "" {
			visit(e.Name)
		}
	}
	pulled := func(name string) bool {
		hn := b.opts.HeaderName
		if o := b.opts.TypeHeaders[name]; o != "" {
			hn = o
		}
		return strings.HasPrefix(b.decls[name], hn+":")
	}
	m.Structs = filter(m.Structs, func(s Struct) bool { return s.Page != "" || used[s.Name] })
	m.Enums = filter(m.Enums, func(e Enum) bool { return e.Page != "" || used[e.Name] })
	m.Typedefs = filter(m.Typedefs, func(t Typedef) bool { return !pulled(t.Name) || used[t.Name] })
	codes := map[string]bool{}
	for _, f := range m.Functions {
		for _, e := range f.Errors {
			codes[e.Name] = true
		}
	}
	m.ErrorCodes = filter(m.ErrorCodes, func(c Constant) bool { return !b.headerCodes[c.Name] || codes[c.Name] })
}

// fail records an error about a page's item: an error in strict mode
// without a header, else the item is dropped with msg as the reason.
func (b *builder) fail(it *item, file string, line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if it == nil || !b.opts.Lenient && b.opts.Header == nil {
		b.errorf(file, line, "%s", msg)
		return
	}
	if !it.dropped {
		it.dropped = true
		b.m.Skipped = append(b.m.Skipped, Skip{Name: it.name, Page: it.page, Reason: fmt.Sprintf("%s:%d: %s", filepath.Base(file), line, msg)})
	}
}

// dropFailed removes dropped items from the model, and everything whose
// type was one of them, until nothing more falls.
func (b *builder) dropFailed() {
	for {
		gone := map[string]bool{}
		for _, it := range b.items {
			if it.dropped {
				gone[it.page] = true
			}
		}
		if len(gone) == 0 {
			return
		}
		removed := map[string]bool{}
		m := b.m
		m.Functions = filter(m.Functions, func(f Function) bool { return !gone[f.Page] })
		m.Structs = filter(m.Structs, func(s Struct) bool {
			if s.Page != "" && gone[s.Page] {
				removed[s.Name] = true
				for _, p := range s.Ptrs {
					removed[p] = true
				}
				return false
			}
			return true
		})
		m.Enums = filter(m.Enums, func(e Enum) bool {
			if gone[e.Page] {
				removed[e.Name] = true
				return false
			}
			return true
		})
		for _, it := range b.items {
			if it.dropped {
				delete(b.items, it.key)
			}
		}
		more := false
		for _, u := range b.typeUses {
			if u.item == nil || u.item.dropped {
				continue
			}
			for _, w := range strings.Fields(u.typ) {
				if removed[w] {
					b.fail(u.item, u.file, u.line, "uses %s, which is skipped", w)
					more = true
				}
			}
		}
		for n := range removed {
			delete(b.decls, n)
		}
		if !more {
			return
		}
	}
}

func filter[T any](xs []T, keep func(T) bool) []T {
	out := xs[:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// pullHeaderTypes adds to the model the header's declarations of types
// that modelled pages use and no page documents (FLOWSPEC in TC_GEN_FLOW),
// and of the types those use in turn.
func (b *builder) pullHeaderTypes() {
	h := b.opts.Header
	if h == nil {
		return
	}
	for i := 0; i < len(b.typeUses); i++ {
		u := b.typeUses[i]
		if u.item != nil && u.item.dropped {
			continue
		}
		for _, w := range strings.Fields(u.typ) {
			if _, base := cdecl.Base(w); w == "*" || w == "const" || base {
				continue
			}
			if _, ok := b.decls[w]; ok {
				continue
			}
			b.pullType(w, u)
		}
	}
}

// pullType adds the header's declaration of name, attributed to the use
// that needs it.
func (b *builder) pullType(name string, u typeUse) {
	h := b.opts.Header
	hn := b.opts.HeaderName
	if o := b.opts.TypeHeaders[name]; o != "" {
		hn = o
	}
	for _, s := range h.Structs {
		if s.Name != name && !slices.Contains(s.Ptrs, name) {
			continue
		}
		fields, why := b.fields(s)
		if why != "" {
			b.fail(u.item, u.file, u.line, "type %s of %s: %s", s.Name, hn, why)
			return
		}
		b.decls[s.Name] = fmt.Sprintf("%s:%d", hn, s.Line)
		for _, p := range s.Ptrs {
			b.decls[p] = fmt.Sprintf("%s:%d", hn, s.Line)
		}
		for _, f := range fields {
			if f.Union == nil {
				b.typeUses = append(b.typeUses, typeUse{hn, f.Type, s.Line, u.item})
			}
		}
		b.m.Structs = append(b.m.Structs, Struct{Name: s.Name, Fields: fields, Ptrs: s.Ptrs, Header: hn,
			Doc: fmt.Sprintf("It is declared in %s and has no page of its own.", hn)})
		return
	}
	for _, e := range h.Enums {
		if e.Name != name && !slices.Contains(e.Ptrs, name) {
			continue
		}
		b.decls[e.Name] = fmt.Sprintf("%s:%d", hn, e.Line)
		for _, p := range e.Ptrs {
			b.decls[p] = fmt.Sprintf("%s:%d", hn, e.Line)
		}
		en := Enum{Name: e.Name, Ptrs: e.Ptrs, Doc: fmt.Sprintf("It is declared in %s and has no page of its own.", hn)}
		for _, v := range e.Values {
			if _, dup := b.decls[v.Name]; dup {
				continue
			}
			b.decls[v.Name] = fmt.Sprintf("%s:%d", hn, v.Line)
			en.Values = append(en.Values, EnumValue{Name: v.Name, Value: v.Value})
		}
		b.m.Enums = append(b.m.Enums, en)
		return
	}
	for _, t := range h.Typedefs {
		if t.Name != name {
			continue
		}
		b.decls[t.Name] = fmt.Sprintf("%s:%d", hn, t.Line)
		td := Typedef{Name: t.Name, Type: canonical(t.Type), Pointer: t.Pointer, Doc: fmt.Sprintf("It is declared in %s.", hn)}
		switch {
		case t.Func != nil:
			sig := &Signature{Return: t.Func.Return, CallConv: t.Func.CallConv}
			for _, p := range t.Func.Params {
				sig.Params = append(sig.Params, p.Type)
			}
			td.Type, td.Func = "", sig
		case len(t.Dims) > 0:
			b.fail(u.item, u.file, u.line, "type %s of %s is an array typedef, which gen does not declare", t.Name, hn)
			return
		default:
			b.typeUses = append(b.typeUses, typeUse{hn, t.Type, t.Line, u.item})
		}
		b.m.Typedefs = append(b.m.Typedefs, td)
		return
	}
	b.fail(u.item, u.file, u.line, "unknown C type %s; expected a Windows base type or a type declared in the spec or %s", name, hn)
}

// dropTypedefCycles removes typedefs that name each other in a circle
// (a header read with both branches of a conditional can hold
// "typedef A B" and "typedef B A"), failing the pages that use them.
func (b *builder) dropTypedefCycles() {
	alias := map[string]string{}
	for _, t := range b.m.Typedefs {
		if !t.Pointer && t.Func == nil {
			alias[t.Name] = t.Type
		}
	}
	cyclic := map[string]bool{}
	for name := range alias {
		cur := name
		for range len(alias) + 1 {
			next, ok := alias[cur]
			if !ok {
				break
			}
			if next == name {
				cyclic[name] = true
				break
			}
			cur = next
		}
	}
	if len(cyclic) == 0 {
		return
	}
	b.m.Typedefs = filter(b.m.Typedefs, func(t Typedef) bool { return !cyclic[t.Name] })
	for n := range cyclic {
		delete(b.decls, n)
	}
	for _, u := range b.typeUses {
		for _, w := range strings.Fields(u.typ) {
			if cyclic[w] {
				b.fail(u.item, u.file, u.line, "type %s is a typedef of itself through others in the header", w)
			}
		}
	}
}

// firstSentence is a code's general meaning, taken from the first
// function that documents it when no error-code page describes it.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
