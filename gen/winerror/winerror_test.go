package winerror

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

const mingwHeader = "/usr/share/mingw-w64/include/winerror.h"

// TestTableMatchesMingwHeader cross-checks the committed table against
// mingw-w64's winerror.h: extracting it again must give the same bytes.
func TestTableMatchesMingwHeader(t *testing.T) {
	src, err := os.ReadFile(mingwHeader)
	if err != nil {
		t.Skipf("mingw-w64 headers not installed (%v); apt-get install mingw-w64-common", err)
	}
	codes, err := ParseHeader(mingwHeader, src)
	if err != nil {
		t.Fatal(err)
	}
	var fresh bytes.Buffer
	if err := WriteTable(&fresh, "mingw-w64 winerror.h", codes); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../spec/winerror.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh.Bytes(), committed) {
		t.Errorf("spec/winerror.txt differs from %s: go run ./gen -extract-winerror %s > spec/winerror.txt && go generate ./qwave/internal/winapi", mingwHeader, mingwHeader)
	}
	table, err := ReadTable("spec/winerror.txt", committed)
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != len(codes) {
		t.Errorf("table has %d codes, header %d", len(table), len(codes))
	}
}

func TestParseHeader(t *testing.T) {
	src := `#define FACILITY_WIN32 7
#define ERROR_SUCCESS __MSABI_LONG(0)
#define NO_ERROR __MSABI_LONG(0)
#define ERROR_INVALID_HANDLE __MSABI_LONG(6)
#define E_FAIL _HRESULT_TYPEDEF_(0x80004005)
#define WSABASEERR 10000
#define WSAEINTR (WSABASEERR + 4)
#define DNS_ERROR_NO_MEMORY ERROR_OUTOFMEMORY
#define ERROR_OUTOFMEMORY __MSABI_LONG(14)
#define DNS_ERROR_INVALID ERROR_OUTOFMEMORY
#define CLASSFACTORY_E_FIRST __MSABI_LONG(0x80040110)
`
	codes, err := ParseHeader("w.h", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range codes {
		got = append(got, c.Name+"="+strconv.Itoa(int(c.Value))+"/"+c.Alias)
	}
	want := "ERROR_SUCCESS=0/ NO_ERROR=0/ ERROR_INVALID_HANDLE=6/ WSAEINTR=10004/ ERROR_OUTOFMEMORY=14/ DNS_ERROR_INVALID=14/ERROR_OUTOFMEMORY"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	var prim []string
	for _, c := range Primary(codes) {
		prim = append(prim, c.Name)
	}
	if p := strings.Join(prim, " "); p != "ERROR_SUCCESS ERROR_INVALID_HANDLE ERROR_OUTOFMEMORY WSAEINTR" {
		t.Errorf("Primary = %s", p)
	}
}

func TestParseHeaderConflict(t *testing.T) {
	_, err := ParseHeader("w.h", []byte("#define ERROR_X __MSABI_LONG(1)\n#define ERROR_X __MSABI_LONG(2)\n"))
	if err == nil || !strings.Contains(err.Error(), "w.h:2: ERROR_X is 2 here but 1 at line 1") {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseHeader("w.h", []byte("int x;\n")); err == nil {
		t.Error("a header without codes parsed")
	}
}

func TestReadTableErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"# c\nERROR_X 1\nERROR_X 2\n", "t.txt:3: ERROR_X is listed again; first at line 2"},
		{"ERROR_X one\n", "t.txt:1: "},
		{"ERROR_X 70000\n", "t.txt:1: "},
		{"error_x 1\n", "t.txt:1: "},
		{"# nothing\n", "t.txt: no codes"},
	} {
		if _, err := ReadTable("t.txt", []byte(tc.src)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadTable(%q) = %v; want %q", tc.src, err, tc.want)
		}
	}
}
