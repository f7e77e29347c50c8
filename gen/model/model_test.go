package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/diag"
	"github.com/winqos/winqos/gen/doc"
)

const specDir = "../../spec/qos2"

func loadSpec(t testing.TB) *Model {
	t.Helper()
	m, err := LoadDir(specDir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSpecModel(t *testing.T) {
	m := loadSpec(t)
	if len(m.Functions) != 11 || len(m.Structs) != 4 || len(m.Enums) != 6 {
		t.Fatalf("%d functions, %d structs, %d enums; want 11, 4, 6", len(m.Functions), len(m.Structs), len(m.Enums))
	}
	want := map[string]uint64{"QOS_NON_ADAPTIVE_FLOW": 0x2, "QOS_QUERYFLOW_FRESH": 0x1, "QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH": 0xFFFFFFFF}
	for _, c := range m.Constants {
		if v, ok := want[c.Name]; !ok || v != c.Value {
			t.Errorf("constant %s = %#x; want %#x", c.Name, c.Value, v)
		}
		delete(want, c.Name)
	}
	if len(want) > 0 {
		t.Errorf("missing constants %v", want)
	}
	for _, fn := range m.Functions {
		for _, e := range fn.Errors {
			if e.Value == 0 {
				t.Errorf("%s %s has no value", fn.Name, e.Name)
			}
		}
	}
	f, _ := m.Func("QOSNotifyFlow")
	var reserved []string
	for _, p := range f.Params {
		if p.Reserved {
			reserved = append(reserved, p.Name)
		}
	}
	if strings.Join(reserved, ",") != "Flags" {
		t.Errorf("QOSNotifyFlow reserved params = %v; want [Flags]", reserved)
	}
}

// buildErr builds a model from the spec pages with one page's text edited,
// and returns the errors.
func buildErr(t *testing.T, page, old, new string) []*diag.Error {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(specDir, "*.md"))
	var pages []*doc.Page
	edited := false
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(n) == page {
			if !strings.Contains(string(src), old) {
				t.Fatalf("%s has no %q", page, old)
			}
			src = []byte(strings.Replace(string(src), old, new, 1))
			edited = true
		}
		p, err := doc.Parse(n, src)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if !edited {
		t.Fatalf("no page %s", page)
	}
	_, err := Build(pages)
	return diag.Errors(err)
}

func TestCrossCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		name, page, old, new, want string
	}{
		{"unknown error name", "nf-qos2-qosstoptrackingclient.md", "<dt><b>ERROR_DEVICE_REINITIALIZATION_NEEDED</b></dt>", "<dt><b>ERROR_DEVICE_REINITIALIZATION_NEEDER</b></dt>",
			"unknown error code ERROR_DEVICE_REINITIALIZATION_NEEDER; did you mean ERROR_DEVICE_REINITIALIZATION_NEEDED?"},
		{"direction differs", "nf-qos2-qoscreatehandle.md", "### -param QOSHandle [out]", "### -param QOSHandle [in, out]",
			"parameter QOSHandle is [in, out] in the docs but [out] in the declaration"},
		{"param renamed", "nf-qos2-qoscancel.md", "### -param Overlapped [in]", "### -param Overlap [in]",
			"parameter 2 is Overlap in the docs but Overlapped in the declaration"},
		{"param missing", "nf-qos2-qosclosehandle.md", "  [in] HANDLE QOSHandle", "  [in] HANDLE QOSHandle,\n  [in] DWORD Extra",
			"QOSCloseHandle declares 2 parameters (QOSHandle, Extra); the docs describe 1 (QOSHandle)"},
		{"enum value differs", "ne-qos2-qos_shaping.md", "### -field QOSShapeAndMark:1", "### -field QOSShapeAndMark:7",
			"QOSShapeAndMark is 7 in the docs but 1 in the declaration"},
		{"struct field differs", "ns-qos2-qos_version.md", "### -field MinorVersion", "### -field MinorVer",
			"field 2 is MinorVer in the docs but MinorVersion in the declaration"},
		{"unknown type", "nf-qos2-qoscancel.md", "LPOVERLAPPED", "LPOVERLAPPEDX", "unknown C type LPOVERLAPPEDX"},
		{"constant differs", "qos2-definitions.md", "### -field QOS_QUERYFLOW_FRESH:0x1", "### -field QOS_QUERYFLOW_FRESH:0x4",
			"QOS_QUERYFLOW_FRESH is 0x4 in the docs but 0x00000001 in the declaration"},
		{"struct renamed in syntax", "ns-qos2-qos_version.md", "} QOS_VERSION, *PQOS_VERSION;", "} QOS_VERSIONX, *PQOS_VERSION;",
			"syntax block declares QOS_VERSIONX; front matter api_name is QOS_VERSION"},
		{"two enums in syntax", "ne-qos2-qos_shaping.md", "typedef enum _QOS_SHAPING {", "typedef enum _X { XA } X;\ntypedef enum _QOS_SHAPING {",
			"syntax block must declare exactly one enum (QOS_SHAPING); found 2"},
		{"no syntax", "nf-qos2-qoscancel.md", "## -syntax", "## -nosyntax", "no \"## -syntax\" section"},
		{"duplicate code", "nf-qos2-qosclosehandle.md", "<table>", "<table>\n<tr><td><dl><dt><b>ERROR_INVALID_PARAMETER</b></dt></dl></td><td>Again.</td></tr>",
			"QOSCloseHandle documents ERROR_INVALID_PARAMETER twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := buildErr(t, tc.page, tc.old, tc.new)
			for _, e := range errs {
				if strings.HasSuffix(e.File, tc.page) && e.Line > 0 && strings.Contains(e.Msg, tc.want) {
					return
				}
			}
			t.Errorf("errors %v\nwant %s:<line>: …%s…", errs, tc.page, tc.want)
		})
	}
}

func BenchmarkLoadSpec(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadDir(specDir); err != nil {
			b.Fatal(err)
		}
	}
}
