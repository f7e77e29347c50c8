package doc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/diag"
)

const goodPage = `---
UID: NF:qos2.QOSThing
title: QOSThing function (qos2.h)
description: Does a thing.
api_name:
 - QOSThing
---

# QOSThing function

## -description

Does a <b>thing</b>.

## -syntax

` + "```cpp" + `
BOOL QOSThing(
  [in]  HANDLE QOSHandle,
        DWORD  Flags
);
` + "```" + `

## -parameters

### -param QOSHandle [in]

A handle.

### -param Flags

Reserved. Must be 0.

## -returns

If the function fails, the return value is zero.

<table>
<tr>
<th>Return code</th>
<th>Description</th>
</tr>
<tr>
<td width="40%">
<dl>
<dt><b><a href="x">ERROR_INVALID_HANDLE</a></b></dt>
</dl>
</td>
<td width="60%">
The <i>QOSHandle</i> is not valid.
</td>
</tr>
<tr>
<td>Other</td>
<td>Anything else.</td>
</tr>
</table>
`

func TestParseGoodPage(t *testing.T) {
	p, err := Parse("good.md", []byte(goodPage))
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != Function || p.Front.APIName[0] != "QOSThing" {
		t.Errorf("kind %q name %q", p.Kind, p.Front.APIName)
	}
	if len(p.Params) != 2 {
		t.Fatalf("params = %+v", p.Params)
	}
	if got := p.Params[1]; got.Dir != "in" || got.Annotation != "" || !got.Reserved || got.Line != 30 {
		t.Errorf("Flags = %+v; want in, unannotated, reserved, line 30", got)
	}
	if len(p.Returns) != 2 {
		t.Fatalf("returns = %+v", p.Returns)
	}
	if r := p.Returns[0]; r.Name != "ERROR_INVALID_HANDLE" || !r.Code || r.Text != "The QOSHandle is not valid." {
		t.Errorf("row 0 = %+v", r)
	}
	if r := p.Returns[1]; r.Name != "Other" || r.Code {
		t.Errorf("row 1 = %+v; want a note", r)
	}
	if len(p.Syntax) != 1 || p.Syntax[0].Line != 18 || !strings.HasPrefix(p.Syntax[0].Text, "BOOL QOSThing(") {
		t.Errorf("syntax = %+v", p.Syntax)
	}
}

func TestDirections(t *testing.T) {
	for ann, want := range map[string]struct {
		dir string
		opt bool
	}{
		"":                  {"in", false},
		"in":                {"in", false},
		"out":               {"out", false},
		"in, out":           {"inout", false},
		"in,out":            {"inout", false},
		"in, optional":      {"in", true},
		"out, optional":     {"out", true},
		"in, out, optional": {"inout", true},
	} {
		dir, opt, ok := DirectionOf(ann)
		if !ok || dir != want.dir || opt != want.opt {
			t.Errorf("DirectionOf(%q) = %q, %v, %v; want %q, %v", ann, dir, opt, ok, want.dir, want.opt)
		}
	}
	if _, _, ok := DirectionOf("inout"); ok {
		t.Error(`DirectionOf("inout") accepted; sdk-api writes "in, out"`)
	}
}

func TestMarkdownReturns(t *testing.T) {
	page := strings.Replace(goodPage, goodPage[strings.Index(goodPage, "<table>"):], `| Return code | Description |
|---|---|
| **ERROR_NOT_FOUND** | The flow is unknown. |
| `+"`ERROR_INVALID_PARAMETER`"+` | A parameter is wrong. |
`, 1)
	p, err := Parse("md.md", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range p.Returns {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "ERROR_NOT_FOUND,ERROR_INVALID_PARAMETER" {
		t.Errorf("codes = %v", names)
	}
}

// TestBadInput checks that each kind of malformed page gives an error naming
// file:line and what was expected, and never a panic.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		line           int
		want           string
	}{
		{"no front matter", "---\nUID", "UID", 1, `expected front matter opening with "---"`},
		{"unclosed front matter", "api_name:\n - QOSThing\n---", "api_name:\n - QOSThing", 1, "never closed"},
		{"bad yaml", "title: QOSThing", "title: [unclosed", 2, "front matter"},
		{"bad UID", "UID: NF:qos2.QOSThing", "UID: qos2.QOSThing", 2, "expected a prefix NF:"},
		{"missing returns", "## -returns", "## -notreturns", 57, `missing section "## -returns"`},
		{"duplicate param", "### -param Flags", "### -param QOSHandle", 30, "parameter QOSHandle documented twice; first at line 26"},
		{"unknown direction", "### -param QOSHandle [in]", "### -param QOSHandle [sideways]", 26, "unknown direction [sideways]; expected [in] [out]"},
		{"malformed param", "### -param Flags", "### -param", 30, "malformed parameter heading"},
		{"unterminated syntax", "BOOL QOSThing(\n  [in]  HANDLE QOSHandle,\n        DWORD  Flags\n);\n```", "BOOL QOSThing(", 17, "code block opened here is never closed"},
		{"duplicate section", "## -remarks", "## -remarks", 0, ""},
		{"returns row cells", "<td width=\"60%\">", "", 43, "row has 1 cells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodPage, tc.old, tc.new, 1)
			if tc.want == "" {
				src = goodPage + "\n## -description\n\nAgain.\n"
				tc.line, tc.want = 59, `section "## -description" again; first at line 11`
			}
			_, err := Parse("bad.md", []byte(src))
			if err == nil {
				t.Fatalf("no error; want %q at line %d", tc.want, tc.line)
			}
			for _, e := range diag.Errors(err) {
				if e.File == "bad.md" && e.Line == tc.line && strings.Contains(e.Msg, tc.want) {
					return
				}
			}
			t.Errorf("error %q\nwant bad.md:%d: …%s…", err, tc.line, tc.want)
		})
	}
}

// TestUpstreamPages parses Microsoft's own pages, which have no syntax
// blocks and carry the upstream mistakes; the parser must read them all.
func TestUpstreamPages(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "sdk-api", "qos2")
	names, _ := filepath.Glob(filepath.Join(dir, "n*.md"))
	if len(names) == 0 {
		t.Skipf("no upstream pages in %s (../shared is absent)", dir)
	}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(n, src); err != nil {
			t.Errorf("%v", err)
		}
	}
}

func BenchmarkParseSpec(b *testing.B) {
	names, _ := filepath.Glob(filepath.Join("..", "..", "spec", "qos2", "*.md"))
	var srcs [][]byte
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, src := range srcs {
			if _, err := Parse(names[i], src); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestRenderTextTablesAsLists(t *testing.T) {
	src := "Flags for the call.\n\n<table>\n<tr><th>Value</th><th>Meaning</th></tr>\n<tr><td><dl><dt><b>QOS_X</b></dt><dt>0x1</dt></dl></td><td>Does <b>x</b>.</td></tr>\n<tr><td>QOS_Y</td><td>Does y.</td></tr>\n</table>\n\nAfter <p>the table</p>."
	got := RenderText(src)
	want := "Flags for the call.\n\n  - QOS_X 0x1: Does x.\n\n  - QOS_Y: Does y.\n\nAfter\n\nthe table\n\n."
	if got != want {
		t.Errorf("RenderText:\n got %q\nwant %q", got, want)
	}
	if got, want := Flatten(want), "Flags for the call. QOS_X 0x1: Does x. QOS_Y: Does y. After the table ."; got != want {
		t.Errorf("Flatten:\n got %q\nwant %q", got, want)
	}
}
