package doc

import (
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/winqos/winqos/gen/diag"
)

// parseReturns reads the return-code table of a "## -returns" section:
// the HTML table sdk-api pages use, or a markdown pipe table.
func parseReturns(s Section, errs *diag.List) []ReturnRow {
	if strings.Contains(s.Body, "<table") {
		return htmlRows(s, errs)
	}
	return markdownRows(s, errs)
}

// htmlRows walks the table with the HTML tokenizer, counting newlines in the
// raw token bytes so every row keeps its line.
func htmlRows(s Section, errs *diag.List) []ReturnRow {
	z := html.NewTokenizer(strings.NewReader(s.Body))
	line := s.Line + 1
	var (
		rows     []ReturnRow
		inTable  bool
		rowLine  int
		cells    []string
		cell     *strings.Builder
		dt       *strings.Builder
		dtText   string
		tableEnd bool
	)
	for {
		tt := z.Next()
		raw := z.Raw()
		tokLine := line
		line += strings.Count(string(raw), "\n")
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				errs.Add(tokLine, "returns table: %v", z.Err())
			}
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.StartTagToken:
			switch a {
			case atom.Table:
				inTable = true
			case atom.Tr:
				if inTable {
					rowLine, cells, dtText = tokLine, nil, ""
				}
			case atom.Td, atom.Th:
				cell = &strings.Builder{}
				if rowLine == 0 { // a cell without its <tr>
					rowLine = tokLine
				}
			case atom.Dt:
				if dtText == "" {
					dt = &strings.Builder{}
				}
			case atom.Br, atom.P:
				if cell != nil {
					cell.WriteByte(' ')
				}
			}
		case html.EndTagToken:
			switch a {
			case atom.Table:
				inTable, tableEnd = false, true
			case atom.Dt:
				if dt != nil {
					dtText = collapse(dt.String())
					dt = nil
				}
			case atom.Td, atom.Th:
				if cell != nil {
					c := collapse(cell.String())
					if len(cells) == 0 && dtText != "" {
						c = dtText
					}
					cells = append(cells, c)
					cell = nil
				}
			case atom.Tr:
				line := rowLine
				rowLine, dtText = 0, ""
				if line == 0 {
					line = tokLine
				}
				if !inTable || len(cells) == 0 {
					break
				}
				if isHeaderRow(cells) {
					break
				}
				if len(cells) < 2 {
					errs.Add(line, "returns table row has %d cells; expected 2 (code, description) or 3 (code, value, description)", len(cells))
					break
				}
				rows = append(rows, ReturnRow{Name: cells[0], Code: codeRe.MatchString(cells[0]), Text: cells[len(cells)-1], Line: line})
			}
		case html.TextToken:
			t := string(z.Text())
			if dt != nil {
				dt.WriteString(t)
			}
			if cell != nil {
				cell.WriteString(t)
			}
		}
	}
	if !tableEnd && strings.Contains(s.Body, "<table") {
		errs.Add(s.Line, "returns table is never closed; expected </table>")
	}
	return rows
}

func isHeaderRow(cells []string) bool {
	return len(cells) > 0 && (strings.EqualFold(cells[0], "Return code") || strings.EqualFold(cells[0], "Return value") || strings.EqualFold(cells[0], "Return code/value"))
}

// markdownRows reads "| **ERROR_X** | text |" rows, skipping the header and
// delimiter rows.
func markdownRows(s Section, errs *diag.List) []ReturnRow {
	var rows []ReturnRow
	for i, l := range strings.Split(s.Body, "\n") {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(t, "|"), "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if isDelimiterRow(cells) {
			continue
		}
		name := PlainText(strings.Trim(cells[0], "*`"))
		if strings.EqualFold(name, "Return code") || strings.EqualFold(name, "Return value") {
			continue
		}
		if len(cells) < 2 {
			errs.Add(s.Line+1+i, "returns table row has %d cells; expected 2 (code, description) or 3 (code, value, description)", len(cells))
			continue
		}
		rows = append(rows, ReturnRow{Name: name, Code: codeRe.MatchString(name), Text: PlainText(cells[len(cells)-1]), Line: s.Line + 1 + i})
	}
	return rows
}

func isDelimiterRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

// PlainText strips HTML tags and markdown emphasis from doc prose and folds
// white space, for doc comments and error texts.
func PlainText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapse(strings.NewReplacer("**", "", "`", "").Replace(b.String()))
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.P, atom.Br, atom.Div, atom.Dt, atom.Dd, atom.Li, atom.Td:
				b.WriteByte(' ')
			}
		}
	}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// RenderText renders a section's markdown and HTML prose for a doc
// comment: tags and emphasis dropped, white space folded within a paragraph,
// paragraphs (blank lines, <p>) separated by a blank line, and each row of
// an HTML table as a list item "  - first cell: other cells", which gofmt
// keeps as a Go doc list. Fenced code is dropped.
func RenderText(s string) string {
	const brk, item = "\x00", "\x01"
	s = dropFences(s)
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var (
		inTable bool
		cells   []string
		cell    *strings.Builder
		header  bool
	)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.TextToken:
			t := string(z.Text())
			switch {
			case cell != nil:
				cell.WriteString(t)
			case !inTable:
				b.WriteString(strings.ReplaceAll(t, "\n\n", brk))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch a {
			case atom.Table:
				inTable = true
				b.WriteString(brk)
			case atom.Tr:
				cells, header = nil, false
			case atom.Td, atom.Th:
				cell = &strings.Builder{}
				header = header || a == atom.Th
			case atom.P, atom.Div:
				if cell == nil && !inTable {
					b.WriteString(brk)
				}
			}
			if a == atom.Br || a == atom.Dt || a == atom.Dd || a == atom.Li || a == atom.P {
				if cell != nil {
					cell.WriteByte(' ')
				} else if !inTable {
					b.WriteByte(' ')
				}
			}
		case html.EndTagToken:
			switch a {
			case atom.Table:
				inTable = false
				b.WriteString(brk)
			case atom.Td, atom.Th:
				if cell != nil {
					cells = append(cells, collapse(strings.NewReplacer("**", "", "`", "").Replace(cell.String())))
					cell = nil
				}
			case atom.Tr:
				if !header && len(cells) > 0 {
					text := cells[0]
					if rest := strings.Join(nonEmpty(cells[1:]), " "); rest != "" {
						text += ": " + rest
					}
					b.WriteString(brk + item + text + brk)
				}
				cells = nil
			case atom.P, atom.Div:
				if cell == nil && !inTable {
					b.WriteString(brk)
				}
			}
		}
	}
	var paras []string
	for _, p := range strings.Split(b.String(), brk) {
		isItem := strings.HasPrefix(p, item)
		p = collapse(strings.NewReplacer("**", "", "`", "", item, "").Replace(p))
		if p == "" {
			continue
		}
		if isItem {
			p = "  - " + p
		}
		paras = append(paras, p)
	}
	return strings.Join(paras, "\n\n")
}

// Flatten folds rendered text into one line for a place that cannot hold
// paragraphs or lists (a list item, a string literal): paragraphs joined
// by a space, list items by "; ".
func Flatten(text string) string {
	var b strings.Builder
	prevItem := false
	for i, p := range strings.Split(text, "\n\n") {
		isItem := strings.HasPrefix(p, "  - ")
		p = strings.TrimPrefix(p, "  - ")
		if i > 0 {
			if isItem && prevItem && !strings.HasSuffix(b.String(), ".") {
				b.WriteString("; ")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(p)
		prevItem = isItem
	}
	return b.String()
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// dropFences removes fenced code blocks, which doc comments do not repeat.
func dropFences(s string) string {
	if !strings.Contains(s, "```") {
		return s
	}
	var out []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		if isFence(l) {
			in = !in
			continue
		}
		if !in {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
