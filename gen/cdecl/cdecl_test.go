package cdecl

import (
	"fmt"
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

// TestMingwConstructs reads what mingw-w64's headers write, each construct
// in the form the header uses.
func TestMingwConstructs(t *testing.T) {
	src := `#ifndef _X_H
#define _X_H
#ifdef __cplusplus
extern "C" {
#endif
#ifndef WINAPI
#define WINAPI __stdcall
#endif
#define THEMEAPI EXTERN_C DECLSPEC_IMPORT HRESULT WINAPI
#define THEMEAPI_(type) EXTERN_C DECLSPEC_IMPORT type WINAPI
#define MAX_LEN 256
#define BASE 4000
#define OBJ_A (0x00000001 + BASE)
#define E_BAD _HRESULT_TYPEDEF_(0x80070057)
#define ERR_X __MSABI_LONG(87)
#define TcOpen __MINGW_NAME_AW(TcOpen)
  typedef VOID (CALLBACK *HANDLER)(HANDLE Ctx,ULONG);
  typedef struct _P {
    ULONG Addr;
    union {
      struct { USHORT s_src,s_dst; } ports;
      ULONG Spi;
    } S_un;
    UCHAR Reserved3[3];
    WCHAR Name[MAX_LEN];
    ULONG Flag : 1;
  } P,*PP;
  enum PLAIN { PA, PB = OBJ_A, PC };
  WINBASEAPI DWORD WINAPI F0(VOID);
  ULONG WINAPI F1(HANDLE,PULONG pSize,CONST HANDLE *lpHandles);
  THEMEAPI_(HTHEME) OpenIt(HWND hwnd);
  THEMEAPI CloseIt(HTHEME h);
  DECLARE_HANDLE(HBUF);
#ifdef __cplusplus
}
#endif
#endif
`
	f, err := ParseHeader("x.h", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range f.Warnings {
		if !strings.Contains(w.Msg, "used but never defined") {
			t.Errorf("warning %v", w)
		}
	}
	wantFuncs := []Func{
		{Name: "F0", Return: "DWORD", CallConv: "stdcall", Line: 29},
		{Name: "F1", Return: "ULONG", CallConv: "stdcall", Line: 30, Params: []Param{
			{Type: "HANDLE", Line: 30}, {Name: "pSize", Type: "PULONG", Line: 30}, {Name: "lpHandles", Type: "const HANDLE *", Line: 30}}},
		{Name: "OpenIt", Return: "HTHEME", CallConv: "stdcall", Line: 31, Params: []Param{{Name: "hwnd", Type: "HWND", Line: 31}}},
		{Name: "CloseIt", Return: "HRESULT", CallConv: "stdcall", Line: 32, Params: []Param{{Name: "h", Type: "HTHEME", Line: 32}}},
	}
	if d := cmp.Diff(wantFuncs, f.Funcs); d != "" {
		t.Errorf("funcs (-want +got):\n%s", d)
	}
	wantTD := []Typedef{
		{Name: "HANDLER", Pointer: true, Line: 17, Func: &Func{Name: "HANDLER", Return: "VOID", CallConv: "stdcall", Line: 17,
			Params: []Param{{Name: "Ctx", Type: "HANDLE", Line: 17}, {Type: "ULONG", Line: 17}}}},
		{Name: "HBUF", Type: "HANDLE", Line: 33},
	}
	if d := cmp.Diff(wantTD, f.Typedefs); d != "" {
		t.Errorf("typedefs (-want +got):\n%s", d)
	}
	if len(f.Structs) != 1 {
		t.Fatalf("%d structs; want 1", len(f.Structs))
	}
	s := f.Structs[0]
	var got []string
	for _, fl := range s.Fields {
		got = append(got, fmt.Sprintf("%s %s %v bits=%q record=%v", fl.Type, fl.Name, fl.Dims, fl.Bits, fl.Record != nil && fl.Record.Union))
	}
	want := []string{
		`ULONG Addr [] bits="" record=false`,
		`union S_un [] bits="" record=true`,
		`UCHAR Reserved3 [3] bits="" record=false`,
		`WCHAR Name [MAX_LEN] bits="" record=false`,
		`ULONG Flag [] bits="1" record=false`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	if u := s.Fields[1].Record; len(u.Fields) != 2 || u.Fields[0].Record == nil || len(u.Fields[0].Record.Fields) != 2 {
		t.Errorf("union S_un = %+v; want a nested struct of two members and Spi", u)
	}
	wantEnum := []Enum{{Tag: "PLAIN", Name: "PLAIN", Line: 28, Values: []EnumValue{
		{Name: "PA", Line: 28}, {Name: "PB", Value: 4001, Explicit: true, Line: 28}, {Name: "PC", Value: 4002, Line: 28}}}}
	if d := cmp.Diff(wantEnum, f.Enums); d != "" {
		t.Errorf("enums (-want +got):\n%s", d)
	}
	defs := map[string]uint64{}
	for _, d := range f.Defines {
		defs[d.Name] = d.Value
	}
	wantDefs := map[string]uint64{"MAX_LEN": 256, "BASE": 4000, "OBJ_A": 4001, "E_BAD": 0x80070057, "ERR_X": 87}
	if d := cmp.Diff(wantDefs, defs); d != "" {
		t.Errorf("defines (-want +got):\n%s", d)
	}
	roundTrip := Format(f)
	again, err := Parse("printed", []byte(roundTrip), 1)
	if err != nil {
		t.Fatalf("printed declarations do not parse: %v\n%s", err, roundTrip)
	}
	if len(again.Funcs) != 4 || len(again.Structs) != 1 || len(again.Typedefs) != 2 || again.Typedefs[0].Func == nil {
		t.Errorf("printed and parsed again: %d funcs, %d structs, %d typedefs:\n%s", len(again.Funcs), len(again.Structs), len(again.Typedefs), roundTrip)
	}
}

// TestHeaderSkipsWhatItCannotRead: one declaration the parser cannot read
// is skipped with a warning at its line, and the rest of the header is read.
func TestHeaderSkipsWhatItCannotRead(t *testing.T) {
	src := "DWORD WINAPI A(HANDLE h);\nSOME_MACRO(1, 2);\nDWORD WINAPI B(void);\n"
	f, err := ParseHeader("s.h", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Funcs) != 2 || f.Funcs[0].Name != "A" || f.Funcs[1].Name != "B" {
		t.Errorf("funcs %+v; want A and B", f.Funcs)
	}
	found := false
	for _, w := range f.Warnings {
		found = found || w.Line == 2 && strings.Contains(w.Msg, "declaration skipped")
	}
	if !found {
		t.Errorf("warnings %v; want s.h:2: declaration skipped", f.Warnings)
	}
	if _, err := Parse("s.h", []byte(src), 1); err == nil {
		t.Error("Parse (a syntax block) accepted the unreadable declaration; it must report it as an error")
	}
}

// TestRealHeaders reads each mingw-w64 header whose upstream pages the
// project checks, and the code headers, without an error.
func TestRealHeaders(t *testing.T) {
	readMingwHeader(t)
	want := map[string]int{"traffic": 20, "synchapi": 50, "uxtheme": 70, "ntsecapi": 60, "netioapi": 60, "qos2": 11}
	for h, min := range want {
		path := "/usr/share/mingw-w64/include/" + h + ".h"
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ParseHeader(path, src)
		if err != nil {
			t.Errorf("%s: %v", h, err)
			continue
		}
		if len(f.Funcs) < min {
			t.Errorf("%s: %d prototypes; want at least %d", h, len(f.Funcs), min)
		}
	}
	src, err := os.ReadFile("/usr/share/mingw-w64/include/winerror.h")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseHeader("winerror.h", src)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]uint64{}
	for _, d := range f.Defines {
		codes[d.Name] = d.Value
	}
	for name, v := range map[string]uint64{"ERROR_INVALID_PARAMETER": 87, "WSAEINTR": 10004, "WSAECONNRESET": 10054, "E_INVALIDARG": 0x80070057, "S_OK": 0, "NO_ERROR": 0} {
		if got, ok := codes[name]; !ok || got != v {
			t.Errorf("winerror.h %s = %#x (found %v); want %#x", name, got, ok, v)
		}
	}
}
