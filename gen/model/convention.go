package model

import (
	"regexp"
	"strings"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/doc"
)

// Convention is how a function reports success and failure.
type Convention string

// The conventions gen recognises. A function whose return type and return
// section fit none of them is skipped with the reason, never guessed.
const (
	// BoolLastError: a BOOL, FALSE on failure; GetLastError says why.
	BoolLastError Convention = "bool+lasterror"
	// Status: a DWORD that is the error code itself; NO_ERROR
	// (ERROR_SUCCESS) is success.
	Status Convention = "win32-status"
	// HandleNull: a handle, NULL on failure; GetLastError says why.
	HandleNull Convention = "handle-null+lasterror"
	// HandleInvalid: a handle, INVALID_HANDLE_VALUE on failure;
	// GetLastError says why.
	HandleInvalid Convention = "handle-invalid+lasterror"
	// HResult: an HRESULT; negative (FAILED) is failure, S_OK and other
	// non-negative values success.
	HResult Convention = "hresult"
	// NTStatus: an NTSTATUS; negative (NT_ERROR, NT_WARNING high bit) is
	// failure, STATUS_SUCCESS and other non-negative values success.
	NTStatus Convention = "ntstatus"
	// SocketError: an int, SOCKET_ERROR (-1) on failure; WSAGetLastError
	// says why; any other value is a result (a count).
	SocketError Convention = "socket-error+wsa"
	// InvalidSocket: a SOCKET, INVALID_SOCKET on failure;
	// WSAGetLastError says why.
	InvalidSocket Convention = "invalid-socket+wsa"
	// Void: the function cannot fail.
	Void Convention = "void"
)

// Returns reports whether a function of convention c hands back its return
// value (a handle or a count) as well as an error.
func (c Convention) Returns() bool {
	switch c {
	case HandleNull, HandleInvalid, SocketError, InvalidSocket:
		return true
	}
	return false
}

// successCodes are the names of success; never errors.
var successCodes = map[string]bool{
	"NO_ERROR": true, "ERROR_SUCCESS": true, "S_OK": true, "S_FALSE": true, "STATUS_SUCCESS": true,
	"TRUE": true, "FALSE": true,
}

var wordRe = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// conventionOf decides a function's convention from its declared return
// type (after typedefs) and its page's return section. reason says why
// none fits.
func conventionOf(ret string, p *doc.Page) (Convention, string) {
	text := p.Text["returns"]
	words := map[string]bool{}
	for _, w := range wordRe.FindAllString(text, -1) {
		words[w] = true
	}
	codes := 0
	for _, r := range p.Returns {
		words[r.Name] = true
		if r.Code && !successCodes[r.Name] {
			codes++
		}
	}
	has := func(ws ...string) bool {
		for _, w := range ws {
			if words[w] {
				return true
			}
		}
		return false
	}
	base := strings.TrimSpace(strings.TrimPrefix(ret, "const"))
	bt, isBase := cdecl.Base(base)
	switch {
	case isBase && bt.Kind == cdecl.Void:
		return Void, ""
	case base == "BOOL" || base == "WINBOOL":
		if has("GetLastError") || codes > 0 {
			return BoolLastError, ""
		}
		return "", "returns " + base + " but its page names neither GetLastError nor an error code: a value, not a success flag"
	case base == "HRESULT":
		if has("S_OK", "HRESULT") || codes > 0 {
			return HResult, ""
		}
		return "", "returns HRESULT but its page names neither S_OK nor an HRESULT code"
	case base == "NTSTATUS":
		if has("STATUS_SUCCESS", "NTSTATUS") {
			return NTStatus, ""
		}
		return "", "returns NTSTATUS but its page names neither STATUS_SUCCESS nor NTSTATUS"
	case base == "SOCKET":
		if has("INVALID_SOCKET") && has("WSAGetLastError") {
			return InvalidSocket, ""
		}
		return "", "returns SOCKET but its page does not say INVALID_SOCKET and WSAGetLastError"
	case isBase && bt.Kind == cdecl.Handle:
		switch {
		case has("INVALID_HANDLE_VALUE") && has("GetLastError"):
			return HandleInvalid, ""
		case has("NULL") && has("GetLastError"):
			return HandleNull, ""
		}
		return "", "returns " + base + " but its page does not say NULL or INVALID_HANDLE_VALUE with GetLastError"
	case base == "int" && has("SOCKET_ERROR"):
		if has("WSAGetLastError") {
			return SocketError, ""
		}
		return "", "returns SOCKET_ERROR but its page does not name WSAGetLastError"
	case isBase && (bt.Kind == cdecl.Uint || bt.Kind == cdecl.Int) && bt.Size == 4:
		if has("NO_ERROR", "ERROR_SUCCESS") {
			return Status, ""
		}
		return "", "returns " + base + " but its page names neither NO_ERROR nor ERROR_SUCCESS as success: a value, not a status"
	}
	return "", "return type " + ret + " fits no known convention (BOOL, DWORD status, HANDLE, HRESULT, NTSTATUS, SOCKET_ERROR, INVALID_SOCKET, void)"
}

// proseCodes are the code names a return section without a table names,
// leaving out success codes and paragraphs about success.
func proseCodes(p *doc.Page, known func(string) bool) []doc.ReturnRow {
	var out []doc.ReturnRow
	seen := map[string]bool{}
	for _, para := range strings.Split(p.Text["returns"], "\n\n") {
		if strings.Contains(para, "succeed") {
			continue
		}
		for _, w := range wordRe.FindAllString(para, -1) {
			if successCodes[w] || seen[w] || !known(w) {
				continue
			}
			seen[w] = true
			out = append(out, doc.ReturnRow{Name: w, Code: true, Text: "Named in the return section.", Line: p.ReturnsLine})
		}
	}
	return out
}
