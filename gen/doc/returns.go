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
				if len(cells) != 2 {
					errs.Add(line, "returns table row has %d cells; expected 2 (code, description)", len(cells))
					break
				}
				rows = append(rows, ReturnRow{Name: cells[0], Code: codeRe.MatchString(cells[0]), Text: cells[1], Line: line})
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
	return len(cells) > 0 && strings.EqualFold(cells[0], "Return code")
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
		if len(cells) != 2 {
			errs.Add(s.Line+1+i, "returns table row has %d cells; expected 2 (code, description)", len(cells))
			continue
		}
		rows = append(rows, ReturnRow{Name: name, Code: codeRe.MatchString(name), Text: PlainText(cells[1]), Line: s.Line + 1 + i})
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
