package cdecl

// BaseKind is what a Windows base type is, for layout and for Go.
type BaseKind uint8

// The kinds of base types.
const (
	Void    BaseKind = iota + 1
	Int              // a signed integer of Size bytes
	Uint             // an unsigned integer of Size bytes
	Pointer          // a pointer to Elem ("" for void)
	Handle           // an opaque pointer-sized handle (HANDLE, HWND, SOCKET)
	Record           // a fixed SDK structure of Size bytes and Align alignment
)

// BaseType is a type of the Windows SDK (windef.h, winnt.h, basetsd.h,
// guiddef.h, winsock2.h) that API headers use without declaring.
type BaseType struct {
	Kind BaseKind
	// Size and Align are the C size and alignment in bytes; 0 for a pointer
	// or handle, which is 4 on 386 and 8 on amd64 and arm64. A
	// pointer-sized integer (ULONG_PTR) has Size 0 too.
	Size, Align int
	// Elem is the C type a Pointer points at: a base type or a type the
	// header declares; "" for void.
	Elem string
}

func ints(size int, signed bool, names ...string) {
	k := Uint
	if signed {
		k = Int
	}
	for _, n := range names {
		baseTypes[n] = BaseType{Kind: k, Size: size, Align: size}
	}
}

func ptrs(elem string, names ...string) {
	for _, n := range names {
		baseTypes[n] = BaseType{Kind: Pointer, Elem: elem}
	}
}

var baseTypes = map[string]BaseType{}

func init() {
	baseTypes["void"] = BaseType{Kind: Void}
	baseTypes["VOID"] = BaseType{Kind: Void}
	ints(1, false, "BYTE", "UCHAR", "BOOLEAN", "UINT8", "unsigned char")
	ints(1, true, "CHAR", "INT8", "char", "signed char", "CCHAR")
	ints(2, false, "WORD", "USHORT", "WCHAR", "UINT16", "ADDRESS_FAMILY", "unsigned short", "wchar_t", "ATOM", "LANGID")
	ints(2, true, "SHORT", "INT16", "short")
	ints(4, false, "DWORD", "ULONG", "UINT", "UINT32", "ULONG32", "DWORD32", "COLORREF", "ACCESS_MASK", "NET_IFINDEX",
		"unsigned", "unsigned int", "unsigned long", "LCID", "SECURITY_INFORMATION", "NETIO_STATUS_DWORD")
	ints(4, true, "INT", "INT32", "LONG", "LONG32", "BOOL", "WINBOOL", "HRESULT", "NTSTATUS", "int", "long", "signed int")
	ints(8, false, "ULONG64", "UINT64", "DWORD64", "ULONGLONG", "unsigned __int64", "QWORD")
	ints(8, true, "LONG64", "INT64", "LONGLONG", "__int64", "long long")
	for _, n := range []string{"ULONG_PTR", "UINT_PTR", "SIZE_T", "DWORD_PTR", "WPARAM", "uintptr_t", "size_t"} {
		baseTypes[n] = BaseType{Kind: Uint}
	}
	for _, n := range []string{"LONG_PTR", "INT_PTR", "SSIZE_T", "LPARAM", "LRESULT", "intptr_t"} {
		baseTypes[n] = BaseType{Kind: Int}
	}
	for _, n := range []string{"HANDLE", "HWND", "HTHEME", "HINSTANCE", "HMODULE", "HBITMAP", "HDC", "HKEY",
		"LSA_HANDLE", "SOCKET", "HICON", "HBRUSH", "HMENU", "HRGN", "HFONT", "HPAINTBUFFER", "HANIMATIONBUFFER"} {
		baseTypes[n] = BaseType{Kind: Handle}
	}
	ptrs("", "PVOID", "LPVOID", "LPCVOID", "PCVOID")
	ptrs("HANDLE", "PHANDLE", "LPHANDLE")
	ptrs("ULONG", "PULONG")
	ptrs("DWORD", "LPDWORD", "PDWORD")
	ptrs("LONG", "PLONG", "LPLONG")
	ptrs("BOOL", "PBOOL", "LPBOOL")
	ptrs("BOOLEAN", "PBOOLEAN")
	ptrs("USHORT", "PUSHORT")
	ptrs("UCHAR", "PUCHAR", "PBYTE", "LPBYTE")
	ptrs("ULONG64", "PULONG64")
	ptrs("SIZE_T", "PSIZE_T")
	ptrs("CHAR", "LPSTR", "LPCSTR", "PSTR", "PCSTR", "PCHAR")
	ptrs("WCHAR", "LPWSTR", "LPCWSTR", "PWSTR", "PCWSTR", "PWCHAR")
	ptrs("GUID", "LPGUID", "PGUID", "LPCGUID", "REFGUID")
	ptrs("LUID", "PLUID")
	ptrs("NET_IFINDEX", "PNET_IFINDEX")
	ptrs("", "PSID", "LPOVERLAPPED", "PSOCKADDR", "LPSECURITY_ATTRIBUTES", "LPCRITICAL_SECTION", "PCRITICAL_SECTION",
		"PSRWLOCK", "PCONDITION_VARIABLE", "LPINIT_ONCE", "PINIT_ONCE")
	baseTypes["GUID"] = BaseType{Kind: Record, Size: 16, Align: 4}
	baseTypes["LUID"] = BaseType{Kind: Record, Size: 8, Align: 4}
	baseTypes["NET_LUID"] = BaseType{Kind: Record, Size: 8, Align: 8}
	baseTypes["LARGE_INTEGER"] = BaseType{Kind: Int, Size: 8, Align: 8}
	baseTypes["ULARGE_INTEGER"] = BaseType{Kind: Uint, Size: 8, Align: 8}
}

// Base returns the named Windows base type.
func Base(name string) (BaseType, bool) {
	t, ok := baseTypes[name]
	return t, ok
}
