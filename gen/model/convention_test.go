package model

import (
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/doc"
)

// page builds a function page whose return section is returns.
func page(t *testing.T, name, returns string) *doc.Page {
	t.Helper()
	src := "---\nUID: NF:x." + name + "\ntitle: " + name + " function (x.h)\ndescription: Does it.\nreq.dll: X.dll\napi_name:\n - " + name +
		"\n---\n\n## -description\n\nDoes it.\n\n## -parameters\n\n### -param h [in]\n\nA handle.\n\n## -returns\n\n" + returns + "\n"
	p, err := doc.Parse("nf-x-"+strings.ToLower(name)+".md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConventions(t *testing.T) {
	table := "\n\n<table>\n<tr><th>Return code</th><th>Description</th></tr>\n<tr><td><dl><dt><b>NO_ERROR</b></dt></dl></td><td>Done.</td></tr>\n<tr><td><dl><dt><b>ERROR_INVALID_HANDLE</b></dt></dl></td><td>Bad handle.</td></tr>\n</table>"
	for _, tc := range []struct {
		ret, returns string
		want         Convention
		why          string
	}{
		{"WINBOOL", "If the function fails, the return value is zero. Call GetLastError.", BoolLastError, ""},
		{"BOOL", "TRUE when a theme is active, FALSE otherwise.", "", "a value, not a success flag"},
		{"ULONG", "The function returns NO_ERROR on success." + table, Status, ""},
		{"DWORD", "The return value is the event that ended the wait.", "", "a value, not a status"},
		{"HANDLE", "If the function fails, the return value is NULL. Call GetLastError.", HandleNull, ""},
		{"HANDLE", "If the function fails, the return value is INVALID_HANDLE_VALUE. Call GetLastError.", HandleInvalid, ""},
		{"HTHEME", "NULL when no class matches.", "", "NULL or INVALID_HANDLE_VALUE with GetLastError"},
		{"HRESULT", "Returns S_OK on success, an HRESULT error code otherwise.", HResult, ""},
		{"NTSTATUS", "STATUS_SUCCESS, or an NTSTATUS code.", NTStatus, ""},
		{"int", "SOCKET_ERROR on failure; call WSAGetLastError.", SocketError, ""},
		{"SOCKET", "INVALID_SOCKET on failure; call WSAGetLastError.", InvalidSocket, ""},
		{"VOID", "This function does not return a value.", Void, ""},
		{"double", "A number.", "", "fits no known convention"},
	} {
		got, why := conventionOf(canonical(tc.ret), page(t, "F", tc.returns))
		if got != tc.want || tc.why != "" && !strings.Contains(why, tc.why) {
			t.Errorf("%s returning %q: %q (%s); want %q (%s)", tc.ret, tc.returns, got, why, tc.want, tc.why)
		}
	}
}

// TestHeaderDeclarations builds pages without syntax blocks from header
// declarations: the W form of an A/W pair, a DWORD status whose success
// code is not an error, codes valued from the code headers, and a skip
// with its reason for a return it cannot recognise.
func TestHeaderDeclarations(t *testing.T) {
	h, err := cdecl.ParseHeader("x.h", []byte("ULONG WINAPI OpenA(HANDLE h);\nULONG WINAPI OpenW(HANDLE h);\nDWORD WINAPI Wait(HANDLE h);\n"))
	if err != nil {
		t.Fatal(err)
	}
	status := "Returns NO_ERROR or a code.\n\n| Return code | Description |\n|---|---|\n| **NO_ERROR** | Done. |\n| **ERROR_INVALID_HANDLE** | Bad. |"
	open := page(t, "Open", status)
	open.Front.APIName = []string{"Open", "OpenA", "OpenW"}
	ansi := page(t, "OpenA", status)
	ansi.File = "nf-x-opena.md"
	ansi.Front.APIName = open.Front.APIName
	wait := page(t, "Wait", "The event that ended the wait.")
	opts := Options{Header: h, HeaderName: "x.h", Codes: []cdecl.Define{{Name: "ERROR_INVALID_HANDLE", Value: 6}, {Name: "NO_ERROR", Value: 0}}}
	m, err := BuildWith([]*doc.Page{open, ansi, wait}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Functions) != 1 {
		t.Fatalf("functions %+v; want OpenW", m.Functions)
	}
	f := m.Functions[0]
	if f.Name != "OpenW" || f.Convention != Status || f.CallConv != "stdcall" || len(f.Errors) != 1 || f.Errors[0].Name != "ERROR_INVALID_HANDLE" || f.Errors[0].Value != 6 {
		t.Errorf("OpenW = %+v; want the W form, win32-status, stdcall, one error ERROR_INVALID_HANDLE=6 (NO_ERROR is success)", f)
	}
	reasons := map[string]string{}
	for _, s := range m.Skipped {
		reasons[s.Name] = s.Reason
	}
	if !strings.Contains(reasons["OpenA"], "ANSI form") || !strings.Contains(reasons["Wait"], "not a status") || len(m.Skipped) != 2 {
		t.Errorf("skipped %+v; want OpenA (ANSI form) and Wait (not a status)", m.Skipped)
	}
}

// TestLenient: an unknown code fails a strict build with file:line; a
// lenient one skips that page with the same message as its reason.
func TestLenient(t *testing.T) {
	h, err := cdecl.ParseHeader("x.h", []byte("ULONG WINAPI Close(HANDLE h);\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := page(t, "Close", "NO_ERROR on success.\n\n| Return code | Description |\n|---|---|\n| **ERROR_NOPE** | Bad. |")
	strict := Options{Header: h, HeaderName: "x.h", Codes: []cdecl.Define{{Name: "ERROR_NOT_FOUND", Value: 1168}}}
	m, err := BuildWith([]*doc.Page{p}, strict)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Functions) != 0 || len(m.Skipped) != 1 || !strings.Contains(m.Skipped[0].Reason, "nf-x-close.md:") || !strings.Contains(m.Skipped[0].Reason, "unknown error code ERROR_NOPE") {
		t.Errorf("with a header: functions %v, skipped %+v; want Close skipped for its unknown code, with file:line", m.Functions, m.Skipped)
	}
	p.Syntax = []doc.CodeBlock{{Text: "ULONG Close([in] HANDLE h);\n", Line: 5}}
	if _, err := Build([]*doc.Page{p}); err == nil || !strings.Contains(err.Error(), "ERROR_NOPE") {
		t.Errorf("strict build without a header: %v; want an error naming ERROR_NOPE", err)
	}
}
