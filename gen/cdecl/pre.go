package cdecl

import (
	"strings"

	"github.com/winqos/winqos/gen/diag"
)

// macro is a #define the preprocessor expands in declarations: an
// object-like macro whose body is made of identifiers and punctuation
// (WINBASEAPI, THEMEAPI), or a function-like macro of one parameter
// (THEMEAPI_(type)). Macros with a numeric value are constants, not
// expanded.
type macro struct {
	param string // "" for an object-like macro
	body  []token
	fn    bool
}

// builtinMacros are the SDK macros that headers use but define in headers
// they include (basetyps.h, winnt.h, _mingw.h). Their meaning is fixed by
// the Windows SDK.
var builtinMacros = map[string]string{
	"STDAPI":            "EXTERN_C HRESULT STDAPICALLTYPE",
	"STDAPI_(t)":        "EXTERN_C t STDAPICALLTYPE",
	"STDMETHODCALLTYPE": "__stdcall",
	"NTSYSAPI":          "DECLSPEC_IMPORT",
	"CONST":             "const",
	// DECLARE_HANDLE declares an opaque handle type; its layout and use
	// are HANDLE's.
	"DECLARE_HANDLE(n)": "typedef HANDLE n",
	// _mingw.h: markers of nameless members, empty where C allows them.
	"__C89_NAMELESS": "", "__extension__": "", "DUMMYUNIONNAME": "", "DUMMYSTRUCTNAME": "",
	"DUMMYUNIONNAME2": "", "DUMMYSTRUCTNAME2": "",
}

// undefinedMacros are the macros a Windows C compiler building user code
// for x86 or x64 does not define; #ifdef of any other macro the file does
// not define itself is taken as true, as it usually names another SDK
// header that the including code has read.
var undefinedMacros = map[string]bool{
	"__cplusplus": true, "__CYGWIN__": true, "_ARM_": true, "__WIDL__": true, "MIDL_PASS": true,
	"RC_INVOKED": true, "_MAC": true, "__midl": true, "__WINESRC__": true, "_UXTHEME_": true, "_KERNEL32_": true,
}

// Linkage and calling-convention words: they say how a function is
// imported and called, not what it returns.
var (
	linkageWords = map[string]bool{
		"EXTERN_C": true, "DECLSPEC_IMPORT": true, "WINBASEAPI": true, "WINADVAPI": true,
		"WINSOCK_API_LINKAGE": true, "WINUSERAPI": true, "WINGDIAPI": true, "NTSYSAPI": true,
		"extern": true, "static": true, "__inline": true, "inline": true, "__forceinline": true,
		"FORCEINLINE": true, "WINAPI_INLINE": true, "DECLSPEC_NORETURN": true, "__declspec": true,
		"WSAAPI_INLINE": true, "IPHLPAPI_DLL_LINKAGE": true, "NTAPI_INLINE": true,
		"__MINGW_ATTRIB_DEPRECATED": true, "DECLSPEC_DEPRECATED": true,
	}
	// callConvs maps each calling-convention spelling to the convention
	// it names.
	callConvs = map[string]string{
		"WINAPI": "stdcall", "NTAPI": "stdcall", "CALLBACK": "stdcall", "APIENTRY": "stdcall",
		"__stdcall": "stdcall", "_stdcall": "stdcall", "STDAPICALLTYPE": "stdcall", "WSAAPI": "stdcall",
		"PASCAL": "stdcall", "NETIOAPI_API_": "stdcall", "WINAPIV": "cdecl", "__cdecl": "cdecl",
		"_cdecl": "cdecl", "CDECL": "cdecl", "__fastcall": "fastcall",
	}
	// qualifiers are dropped from types: they do not change a layout or
	// how a value is passed.
	qualifiers = map[string]bool{"volatile": true, "__unaligned": true, "UNALIGNED": true, "__restrict": true, "restrict": true}
)

// preprocess evaluates conditionals, records macros and expands them. A
// condition it cannot decide (#if _WIN32_WINNT >= 0x0600) is taken as true,
// so both a header's newest declarations and its defaults are read; #ifdef
// and #ifndef are decided by the macros defined so far in the same file.
// Directives stay in the output (as #define constants are facts) unless
// they sit in a branch not taken.
func (p *parser) preprocess(toks []token) []token {
	defined := map[string]bool{}
	macros := map[string]*macro{}
	for k, v := range builtinMacros {
		name, param, fn := k, "", false
		if i := strings.IndexByte(k, '('); i > 0 {
			name, param, fn = k[:i], k[i+1:len(k)-1], true
		}
		macros[name] = &macro{param: param, fn: fn, body: lex(v, 0, &diag.List{})}
	}
	type cond struct{ active, taken, parent bool }
	var stack []cond
	active := true
	var out []token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tDirective {
			fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(t.text), "#"))
			if len(fields) == 0 {
				continue
			}
			word, rest := fields[0], fields[1:]
			switch word {
			case "if", "ifdef", "ifndef":
				v := true
				switch {
				case word == "ifdef" && len(rest) > 0:
					v = defined[rest[0]] || !undefinedMacros[rest[0]]
				case word == "ifndef" && len(rest) > 0:
					v = !defined[rest[0]]
				case word == "if":
					v = evalCond(strings.Join(rest, " "), defined)
				}
				stack = append(stack, cond{active: active && v, taken: v, parent: active})
				active = active && v
			case "elif":
				if len(stack) == 0 {
					continue
				}
				c := &stack[len(stack)-1]
				v := !c.taken && evalCond(strings.Join(rest, " "), defined)
				c.taken = c.taken || v
				c.active = c.parent && v
				active = c.active
			case "else":
				if len(stack) == 0 {
					continue
				}
				c := &stack[len(stack)-1]
				c.active = c.parent && !c.taken
				c.taken = true
				active = c.active
			case "endif":
				if len(stack) == 0 {
					continue
				}
				active = stack[len(stack)-1].parent
				stack = stack[:len(stack)-1]
			case "define":
				if !active || len(rest) == 0 {
					continue
				}
				name := rest[0]
				param, fn := "", false
				if j := strings.IndexByte(name, '('); j > 0 {
					fn = true
					param = strings.TrimSuffix(name[j+1:], ")")
					name = name[:j]
				}
				defined[name] = true
				body := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(t.text, "#")), "define"))
				body = strings.TrimSpace(strings.TrimPrefix(body, rest[0]))
				if fn && strings.Contains(param, ",") {
					out = append(out, t)
					continue
				}
				if m, ok := macroOf(body, param, fn); ok {
					if _, had := macros[name]; !had || builtinMacros[name] != "" {
						macros[name] = m
					}
				}
				out = append(out, t)
			case "undef":
				if active && len(rest) > 0 {
					delete(defined, rest[0])
					delete(macros, rest[0])
				}
			default:
				if active {
					out = append(out, t)
				}
			}
			continue
		}
		if !active {
			continue
		}
		if t.kind == tIdent {
			if exp, n, ok := expand(toks, i, macros, 0); ok {
				out = append(out, exp...)
				i += n - 1
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// macroOf keeps a macro worth expanding: its body names types, linkage or
// calling conventions, never a number or a string (those are constants).
func macroOf(body, param string, fn bool) (*macro, bool) {
	toks := lex(body, 0, &diag.List{})
	if len(toks) == 0 {
		return &macro{param: param, fn: fn}, true
	}
	for _, t := range toks {
		switch {
		case t.kind == tIdent:
		case t.kind == tPunct && (t.text == "*" || t.text == "(" || t.text == ")"):
		default:
			return nil, false
		}
	}
	// A lone identifier that is itself wrapped in a call, like
	// __MINGW_NAME_AW(TcOpenInterface), names an A/W pair; keep it out.
	if len(toks) > 1 && toks[0].kind == tIdent && strings.HasPrefix(toks[0].text, "__MINGW_NAME") {
		return nil, false
	}
	return &macro{param: param, fn: fn, body: toks}, true
}

// expand expands the macro named at toks[i], recursively up to a small
// depth; n is how many input tokens the use took.
func expand(toks []token, i int, macros map[string]*macro, depth int) (out []token, n int, ok bool) {
	m, ok := macros[toks[i].text]
	if !ok || depth > 8 {
		return nil, 0, false
	}
	line := toks[i].line
	body := m.body
	n = 1
	if m.fn {
		if i+1 >= len(toks) || toks[i+1].text != "(" {
			return nil, 0, false
		}
		depthP, j := 0, i+1
		for ; j < len(toks); j++ {
			if toks[j].text == "(" && toks[j].kind == tPunct {
				depthP++
			} else if toks[j].text == ")" && toks[j].kind == tPunct {
				depthP--
				if depthP == 0 {
					break
				}
			}
		}
		if j >= len(toks) {
			return nil, 0, false
		}
		arg := toks[i+2 : j]
		n = j - i + 1
		var sub []token
		for _, b := range body {
			if b.kind == tIdent && b.text == m.param {
				sub = append(sub, arg...)
			} else {
				sub = append(sub, b)
			}
		}
		body = sub
	}
	for k := 0; k < len(body); k++ {
		b := body[k]
		b.line = line
		if b.kind == tIdent {
			if e, used, ok := expand(body, k, macros, depth+1); ok {
				for _, x := range e {
					x.line = line
					out = append(out, x)
				}
				k += used - 1
				continue
			}
		}
		out = append(out, b)
	}
	return out, n, true
}

// evalCond decides an #if: defined(X) is false for undefinedMacros and
// true otherwise, !defined(X) is decided by the macros defined so far;
// anything else is taken as true.
func evalCond(expr string, defined map[string]bool) bool {
	e := strings.ReplaceAll(expr, " ", "")
	switch {
	case e == "0":
		return false
	case strings.HasPrefix(e, "defined(") && strings.HasSuffix(e, ")") && isIdent(e[8:len(e)-1]):
		return !undefinedMacros[e[8:len(e)-1]]
	case strings.HasPrefix(e, "!defined(") && strings.HasSuffix(e, ")") && isIdent(e[9:len(e)-1]):
		return !defined[e[9:len(e)-1]]
	case strings.HasPrefix(e, "defined") && isIdent(e[7:]):
		return !undefinedMacros[e[7:]]
	}
	return true
}
