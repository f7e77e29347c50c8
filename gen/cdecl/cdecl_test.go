package cdecl

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/gen/diag"
)

func TestPrototypeWithAnnotations(t *testing.T) {
	src := `BOOL QOSAddSocketToFlow(
  [in]           HANDLE           QOSHandle,
  [in, optional] PSOCKADDR        DestAddr,
  [in,out]       PQOS_FLOWID      FlowId,
                 DWORD            Flags
);`
	f, err := Parse("x.md", []byte(src), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Func{{Name: "QOSAddSocketToFlow", Return: "BOOL", Line: 10, Params: []Param{
		{Name: "QOSHandle", Type: "HANDLE", Annotation: "in", Line: 11},
		{Name: "DestAddr", Type: "PSOCKADDR", Annotation: "in, optional", Line: 12},
		{Name: "FlowId", Type: "PQOS_FLOWID", Annotation: "in, out", Line: 13},
		{Name: "Flags", Type: "DWORD", Line: 14},
	}}}
	if d := cmp.Diff(want, f.Funcs); d != "" {
		t.Errorf("funcs (-want +got):\n%s", d)
	}
}

func TestTypedefs(t *testing.T) {
	src := `/* comment */
typedef enum _E {
  A,
  B = 0x5,
  C
} E, *PE;
typedef struct _S {
  UINT64 X; // trailing
  const char *Name;
} S, *PS;
typedef UINT32 ID, *PID;
#define FLAG 0x00000002
#define BIG  0xFFFFFFFFUL
#define CAST ((DWORD)7)
#define GUARD
#define FN(x) (x)
`
	f, err := Parse("t.h", []byte(src), 1)
	if err != nil {
		t.Fatal(err)
	}
	wantEnum := []Enum{{Tag: "_E", Name: "E", Ptrs: []string{"PE"}, Line: 2, Values: []EnumValue{
		{Name: "A", Value: 0, Line: 3}, {Name: "B", Value: 5, Explicit: true, Line: 4}, {Name: "C", Value: 6, Line: 5},
	}}}
	if d := cmp.Diff(wantEnum, f.Enums); d != "" {
		t.Errorf("enums (-want +got):\n%s", d)
	}
	wantStruct := []Struct{{Tag: "_S", Name: "S", Ptrs: []string{"PS"}, Line: 7, Fields: []Field{
		{Name: "X", Type: "UINT64", Line: 8}, {Name: "Name", Type: "const char *", Line: 9},
	}}}
	if d := cmp.Diff(wantStruct, f.Structs); d != "" {
		t.Errorf("structs (-want +got):\n%s", d)
	}
	wantTD := []Typedef{{Name: "ID", Type: "UINT32", Line: 11}, {Name: "PID", Type: "UINT32", Pointer: true, Line: 11}}
	if d := cmp.Diff(wantTD, f.Typedefs); d != "" {
		t.Errorf("typedefs (-want +got):\n%s", d)
	}
	wantDefs := []Define{{Name: "FLAG", Value: 2, Raw: "0x00000002", Line: 12}, {Name: "BIG", Value: 0xFFFFFFFF, Raw: "0xFFFFFFFFUL", Line: 13}, {Name: "CAST", Value: 7, Raw: "((DWORD)7)", Line: 14}}
	if d := cmp.Diff(wantDefs, f.Defines); d != "" {
		t.Errorf("defines (-want +got):\n%s", d)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		want string
	}{
		{"BOOL F(\n  HANDLE h\n", 2, `expected ',' or ')' after parameter h, found end of input`},
		{"BOOL F(\n  [in HANDLE h);", 2, "annotation is never closed"},
		{"typedef enum _E {\n  A = x\n} E;", 2, "enumerator A: expected an integer value"},
		{"typedef struct _S {\n  UINT64 X\n} S;", 3, `expected ";" after struct member X`},
		{"/* open", 1, "comment is never closed"},
		{"BOOL F(HANDLE h)", 1, `expected ";" after the prototype of F`},
		{"typedef struct _S {\n  int x;\n} ;", 3, "expected a typedef name after '}'"},
		{"\x01", 1, "unexpected character"},
		{"int f(int x) { return x <= 0 ? 1 : 2;", 1, "function body is never closed"},
	} {
		_, err := Parse("e.h", []byte(tc.src), 1)
		if err == nil {
			t.Errorf("%q: no error; want line %d: %s", tc.src, tc.line, tc.want)
			continue
		}
		found := false
		for _, e := range diag.Errors(err) {
			if e.Line == tc.line && strings.Contains(e.Msg, tc.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: error %q; want e.h:%d: …%s…", tc.src, err, tc.line, tc.want)
		}
	}
}

// mingwHeader is Debian's mingw-w64-common copy of qos2.h, a real header
// with real mistakes.
const mingwHeader = "/usr/share/mingw-w64/include/qos2.h"

// readMingwHeader returns the header, skipping the test where it is not
// installed, except in CI, which installs it and must not pass without it.
func readMingwHeader(t testing.TB) []byte {
	src, err := os.ReadFile(mingwHeader)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: CI must install mingw-w64-common", err)
		}
		t.Skipf("%v (apt-get install -y --no-install-recommends mingw-w64-common)", err)
	}
	return src
}

// TestMingwHeaderWarnings reads the header as shipped and reports each of its
// problems at its line.
func TestMingwHeaderWarnings(t *testing.T) {
	f, err := ParseHeader(mingwHeader, readMingwHeader(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range f.Warnings {
		got = append(got, w.Error())
	}
	// Lines are those of mingw-w64-common 10.0.0 (Debian bookworm).
	want := []string{
		mingwHeader + ":25: PQOS_FLOWRATE_REASON is declared without '*': it names QOS_FLOWRATE_REASON itself, not a pointer to it; read as a pointer",
		mingwHeader + ":87: PQOS_FLOWID is used but never defined",
		mingwHeader + ":112: QOS_FLOWID is used before its typedef at line 141",
		mingwHeader + ":122: QOS_FLOWID is used before its typedef at line 141",
		mingwHeader + ":133: QOS_FLOWID is used before its typedef at line 141",
		mingwHeader + ":137: QOSSetTrafficType is #defined again; it is already an enumerator at line 40",
		mingwHeader + ":138: QOSSetOutgoingRate is #defined again; it is already an enumerator at line 41",
		mingwHeader + ":139: QOSSetOutgoingDSCPValue is #defined again; it is already an enumerator at line 42",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if len(f.Funcs) != 11 || len(f.Structs) != 4 || len(f.Enums) != 6 {
		t.Errorf("read %d functions, %d structs, %d enums; want 11, 4, 6", len(f.Funcs), len(f.Structs), len(f.Enums))
	}
}
