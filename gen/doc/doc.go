// Package doc parses API doc pages in the Microsoft sdk-api markdown format:
// YAML front matter, sections opened by "## -name" lines, parameters under
// "### -param Name [in, optional]", fields under "### -field Name[:Value]",
// the error-code table under "## -returns" (HTML or markdown) and, in this
// project's spec files, the C declaration in a fenced "## -syntax" block.
//
// Parse reads one page and never panics; every error names file:line and what
// was expected there.
package doc

import (
	"bytes"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winqos/winqos/gen/diag"
)

// Kind is what a page documents, taken from its UID prefix.
type Kind string

// The page kinds. NA pages are this project's own: type definitions,
// constants and error-code values.
const (
	Function Kind = "NF"
	Struct   Kind = "NS"
	Enum     Kind = "NE"
	Defs     Kind = "NA"
	// Callback pages document a function type a client implements
	// (TCI_NOTIFY_HANDLER); gen declares no function for them.
	Callback Kind = "NC"
)

// FrontMatter is the part of a page's YAML header that gen uses.
type FrontMatter struct {
	UID         string   `yaml:"UID"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	ReqHeader   string   `yaml:"req.header"`
	ReqDLL      string   `yaml:"req.dll"`
	APIType     []string `yaml:"api_type"`
	APILocation []string `yaml:"api_location"`
	APIName     []string `yaml:"api_name"`
}

// Page is one parsed doc page.
type Page struct {
	File  string
	Kind  Kind
	Front FrontMatter
	// Sections in file order, keyed by name without the leading "-".
	Sections []Section
	Params   []Param
	// Fields of "-struct-fields", "-enum-fields", "-constants" and
	// "-typedefs", each tagged with its section.
	Fields  []Field
	Returns []ReturnRow
	Syntax  []CodeBlock
	// Text holds every section's prose rendered for a doc comment: plain
	// text, paragraphs separated by blank lines, HTML tables as list
	// items ("  - cell: cell"), keyed like Sections.
	Text map[string]string
	// ReturnsLine is the line of "## -returns", 0 when the page has none.
	ReturnsLine int
}

// Section is the text between one "## -name" line and the next.
type Section struct {
	Name string
	Line int // line of the "## -" heading
	Body string
}

// Param is a "### -param" entry.
type Param struct {
	Name string
	// Annotation is the bracketed direction as written ("in, optional"),
	// empty when the heading has none.
	Annotation string
	Dir        string // "in", "out" or "inout"; "in" when unannotated
	Optional   bool
	// Reserved is set when the docs say the parameter is reserved for
	// future use, which in qWAVE always means it must be 0.
	Reserved bool
	Doc      string
	Line     int
}

// Field is a "### -field Name" or "### -field Name:Value" entry.
type Field struct {
	Section  string
	Name     string
	Value    string
	HasValue bool
	Doc      string
	Line     int
}

// ReturnRow is a row of the return-code table. Rows whose first cell is not
// an error-code name (such as "Other") are kept with Code false, as notes.
type ReturnRow struct {
	Name string
	Code bool
	Text string
	Line int
}

// CodeBlock is a fenced code block; Line is the line of its first code line.
type CodeBlock struct {
	Lang string
	Text string
	Line int
}

// Section returns the named section, if the page has it.
func (p *Page) Section(name string) (Section, bool) {
	for _, s := range p.Sections {
		if s.Name == name {
			return s, true
		}
	}
	return Section{}, false
}

// Summary is the page's one-line description from its front matter.
func (p *Page) Summary() string { return p.Front.Description }

var (
	paramRe = regexp.MustCompile(`^### -param\s+(\S+)(?:\s+\[([^\]]*)\])?\s*$`)
	fieldRe = regexp.MustCompile(`^### -field\s+([^\s:,]+(?:\s*,\s*[^\s:,]+)*)(?::(\S+))?\s*$`)
	// codeRe matches a return-code name: ERROR_X, STATUS_X, E_X, S_OK,
	// WSAEX (Winsock's names have no underscore), NO_ERROR.
	codeRe   = regexp.MustCompile(`^(?:[A-Z][A-Z0-9_]*_[A-Z0-9_]+|WSA[A-Z0-9_]+)$`)
	headerRe = regexp.MustCompile(`^## -(\S*)\s*$`)
)

// directions maps every annotation the sdk-api pages use to its meaning.
var directions = map[string]struct {
	dir      string
	optional bool
}{
	"":                  {"in", false},
	"in":                {"in", false},
	"out":               {"out", false},
	"in, out":           {"inout", false},
	"in, optional":      {"in", true},
	"out, optional":     {"out", true},
	"in, out, optional": {"inout", true},
}

// DirectionOf reports the direction and optionality of an annotation such
// as "in, optional". ok is false for an annotation the docs do not use.
func DirectionOf(annotation string) (dir string, optional, ok bool) {
	d, ok := directions[normalizeAnnotation(annotation)]
	return d.dir, d.optional, ok
}

func normalizeAnnotation(a string) string {
	parts := strings.Split(a, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

const knownAnnotations = "[in] [out] [in, out] [in, optional] [out, optional] [in, out, optional] or none"

// Parse parses one page. file is used in error messages only.
func Parse(file string, src []byte) (*Page, error) {
	errs := &diag.List{File: file}
	p := &Page{File: file}
	lines := splitLines(src)
	body := parseFrontMatter(p, lines, errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	splitSections(p, lines, body, errs)
	p.Kind = kindOf(p.Front.UID)
	switch p.Kind {
	case Function, Struct, Enum, Defs, Callback:
	default:
		errs.Add(2, "UID %q: expected a prefix NF:, NS:, NE:, NC: or NA:", p.Front.UID)
	}
	for _, want := range requiredSections[p.Kind] {
		if _, ok := p.Section(want); !ok {
			errs.Add(len(lines), "missing section \"## -%s\" (a %s page needs %s)", want, kindName[p.Kind], quoteAll(requiredSections[p.Kind]))
		}
	}
	p.Text = map[string]string{}
	for _, s := range p.Sections {
		p.Text[s.Name] = RenderText(s.Body)
		switch s.Name {
		case "parameters":
			p.Params = parseParams(s, errs)
		case "struct-fields", "enum-fields", "constants", "typedefs":
			p.Fields = append(p.Fields, parseFields(s, errs)...)
		case "returns":
			p.Returns = parseReturns(s, errs)
			p.ReturnsLine = s.Line
		case "syntax":
			p.Syntax = append(p.Syntax, codeBlocks(s)...)
			if len(p.Syntax) == 0 {
				errs.Add(s.Line, "\"## -syntax\" holds no fenced code block; expected ```cpp … ```")
			}
		}
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	return p, nil
}

// requiredSections: a function without parameters has no "## -parameters"
// upstream.
var requiredSections = map[Kind][]string{
	Function: {"description", "returns"},
	Callback: {"description"},
	Struct:   {"description", "struct-fields"},
	Enum:     {"description", "enum-fields"},
	Defs:     {"description"},
}

var kindName = map[Kind]string{Function: "function", Struct: "struct", Enum: "enum", Defs: "definitions", Callback: "callback"}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "## -" + n
	}
	return strings.Join(q, ", ")
}

func kindOf(uid string) Kind {
	prefix, _, ok := strings.Cut(uid, ":")
	if !ok {
		return ""
	}
	return Kind(prefix)
}

func splitLines(src []byte) []string {
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// parseFrontMatter decodes the YAML between the first two "---" lines and
// returns the index of the first body line.
func parseFrontMatter(p *Page, lines []string, errs *diag.List) int {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		errs.Add(1, "expected front matter opening with \"---\"")
		return 0
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		errs.Add(1, "front matter opened here is never closed; expected a \"---\" line")
		return 0
	}
	text := strings.Join(lines[1:end], "\n")
	dec := yaml.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&p.Front); err != nil && text != "" {
		errs.Add(1+yamlLine(err), "front matter: %s", yamlMessage(err))
		return end + 1
	}
	if p.Front.UID == "" {
		errs.Add(1, "front matter has no UID; expected e.g. \"UID: NF:qos2.QOSCreateHandle\"")
	}
	return end + 1
}

var (
	yamlLineRe = regexp.MustCompile(`line (\d+)`)
	yamlPosRe  = regexp.MustCompile(`line \d+: `)
)

// yamlLine extracts the 1-based line yaml reports, relative to the front
// matter text.
func yamlLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return 0
		}
	}
	return n
}

func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlPosRe.ReplaceAllString(msg, "")
}

// splitSections splits the body on "## -" headings outside fenced code.
func splitSections(p *Page, lines []string, start int, errs *diag.List) {
	var cur *Section
	var buf []string
	flush := func() {
		if cur != nil {
			cur.Body = strings.Join(buf, "\n")
			p.Sections = append(p.Sections, *cur)
		}
		buf = nil
	}
	fenceLine := 0
	seen := map[string]int{}
	for i := start; i < len(lines); i++ {
		line := lines[i]
		if isFence(line) {
			if fenceLine == 0 {
				fenceLine = i + 1
			} else {
				fenceLine = 0
			}
		}
		if fenceLine == 0 {
			if m := headerRe.FindStringSubmatch(line); m != nil {
				flush()
				if m[1] == "" {
					errs.Add(i+1, "section heading without a name; expected e.g. \"## -parameters\"")
				} else if first, dup := seen[m[1]]; dup {
					errs.Add(i+1, "section \"## -%s\" again; first at line %d", m[1], first)
				}
				seen[m[1]] = i + 1
				cur = &Section{Name: m[1], Line: i + 1}
				continue
			}
		}
		if cur != nil {
			buf = append(buf, line)
		}
	}
	flush()
	if fenceLine != 0 {
		errs.Add(fenceLine, "code block opened here is never closed; expected a closing ``` line")
	}
}

func isFence(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "```") }

// entries splits a section body on "### " headings; it returns each heading
// with its line and the text below it.
type entry struct {
	heading string
	line    int
	text    string
}

func entries(s Section) []entry {
	var out []entry
	lines := strings.Split(s.Body, "\n")
	inFence := false
	start := 0 // first body line of the current entry
	flush := func(end int) {
		if len(out) > 0 {
			out[len(out)-1].text = strings.Join(lines[start:end], "\n")
		}
	}
	for i, l := range lines {
		if isFence(l) {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(l, "### ") {
			flush(i)
			out = append(out, entry{heading: strings.TrimRight(l, " \t"), line: s.Line + 1 + i})
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}

func parseParams(s Section, errs *diag.List) []Param {
	var params []Param
	first := map[string]int{}
	for _, e := range entries(s) {
		m := paramRe.FindStringSubmatch(e.heading)
		if m == nil {
			errs.Add(e.line, "malformed parameter heading %q; expected \"### -param Name [in]\"", e.heading)
			continue
		}
		dir, opt, ok := DirectionOf(m[2])
		if !ok {
			errs.Add(e.line, "parameter %s: unknown direction [%s]; expected %s", m[1], m[2], knownAnnotations)
			continue
		}
		if l, dup := first[m[1]]; dup {
			errs.Add(e.line, "parameter %s documented twice; first at line %d", m[1], l)
			continue
		}
		first[m[1]] = e.line
		text := RenderText(e.text)
		params = append(params, Param{
			Name:       m[1],
			Annotation: normalizeAnnotation(m[2]),
			Dir:        dir,
			Optional:   opt,
			Reserved:   strings.HasPrefix(text, "Reserved"),
			Doc:        text,
			Line:       e.line,
		})
	}
	return params
}

func parseFields(s Section, errs *diag.List) []Field {
	var fields []Field
	first := map[string]int{}
	for _, e := range entries(s) {
		m := fieldRe.FindStringSubmatch(e.heading)
		if m == nil {
			errs.Add(e.line, "malformed field heading %q; expected \"### -field Name\" or \"### -field Name:Value\"", e.heading)
			continue
		}
		// "### -field Src, Dest" documents two members declared together.
		for _, name := range strings.Split(m[1], ",") {
			name = strings.TrimSpace(name)
			if l, dup := first[name]; dup {
				errs.Add(e.line, "field %s documented twice; first at line %d", name, l)
				continue
			}
			first[name] = e.line
			fields = append(fields, Field{
				Section:  s.Name,
				Name:     name,
				Value:    m[2],
				HasValue: m[2] != "",
				Doc:      RenderText(e.text),
				Line:     e.line,
			})
		}
	}
	return fields
}

// codeBlocks returns the fenced code blocks of a section.
func codeBlocks(s Section) []CodeBlock {
	var out []CodeBlock
	lines := strings.Split(s.Body, "\n")
	var cur *CodeBlock
	var buf bytes.Buffer
	for i, l := range lines {
		if isFence(l) {
			if cur == nil {
				cur = &CodeBlock{Lang: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "```")), Line: s.Line + 2 + i}
				buf.Reset()
			} else {
				cur.Text = buf.String()
				out = append(out, *cur)
				cur = nil
			}
			continue
		}
		if cur != nil {
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
	}
	return out
}
