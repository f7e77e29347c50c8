package cdecl

import "github.com/winqos/winqos/gen/diag"

// evalText evaluates the body of a #define as an integer constant
// expression.
func (p *parser) evalText(src string) (int64, bool) {
	return p.eval(lex(src, 0, &diag.List{}))
}

// eval evaluates an integer constant expression as headers write them:
// literals with U/L suffixes, earlier constants and enumerators, casts
// ((DWORD)7, ((HRESULT)0x80004005)), value-wrapping macros
// (__MSABI_LONG(87), _HRESULT_TYPEDEF_(0x80070057)) and the operators
// + - * / % << >> & ^ | ~ ! with C precedence. ok is false for anything
// else.
func (p *parser) eval(toks []token) (int64, bool) {
	e := &evaluator{toks: toks, consts: p.consts}
	v := e.binary(0)
	if e.bad || e.pos != len(toks) || len(toks) == 0 {
		return 0, false
	}
	return v, true
}

type evaluator struct {
	toks   []token
	pos    int
	consts map[string]int64
	bad    bool
	depth  int
}

func (e *evaluator) peek() token {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return token{kind: tEOF}
}

func (e *evaluator) peekText(i int) string {
	if e.pos+i < len(e.toks) && e.toks[e.pos+i].kind == tPunct {
		return e.toks[e.pos+i].text
	}
	return ""
}

// operator returns the binary operator at the current token, its length in
// tokens and its precedence (higher binds tighter); prec 0 means none.
func (e *evaluator) operator() (string, int, int) {
	a, b := e.peekText(0), e.peekText(1)
	switch {
	case a == "<" && b == "<":
		return "<<", 2, 5
	case a == ">" && b == ">":
		return ">>", 2, 5
	case a == "|" && b != "|":
		return "|", 1, 1
	case a == "^":
		return "^", 1, 2
	case a == "&" && b != "&":
		return "&", 1, 3
	case a == "+" || a == "-":
		return a, 1, 6
	case a == "*" || a == "/" || a == "%":
		return a, 1, 7
	}
	return "", 0, 0
}

func (e *evaluator) binary(minPrec int) int64 {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > 64 {
		e.bad = true
		return 0
	}
	l := e.unary()
	for !e.bad {
		op, n, prec := e.operator()
		if prec == 0 || prec <= minPrec {
			return l
		}
		e.pos += n
		r := e.binary(prec)
		switch op {
		case "<<":
			l = l << uint(r&63)
		case ">>":
			l = l >> uint(r&63)
		case "|":
			l |= r
		case "^":
			l ^= r
		case "&":
			l &= r
		case "+":
			l += r
		case "-":
			l -= r
		case "*":
			l *= r
		case "/", "%":
			if r == 0 {
				e.bad = true
				return 0
			}
			if op == "/" {
				l /= r
			} else {
				l %= r
			}
		}
	}
	return l
}

// unsigned32 are the cast types that make a value a 32-bit unsigned one.
var unsigned32 = map[string]bool{"DWORD": true, "ULONG": true, "UINT": true, "unsigned": true, "UINT32": true}

func (e *evaluator) unary() int64 {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > 64 {
		e.bad = true
		return 0
	}
	t := e.peek()
	switch {
	case t.kind == tPunct && t.text == "-":
		e.pos++
		return -e.unary()
	case t.kind == tPunct && t.text == "+":
		e.pos++
		return e.unary()
	case t.kind == tPunct && t.text == "~":
		e.pos++
		return ^e.unary()
	case t.kind == tPunct && t.text == "!":
		e.pos++
		if e.unary() == 0 {
			return 1
		}
		return 0
	case t.kind == tNumber:
		e.pos++
		v, ok := parseInt(t.text)
		if !ok {
			e.bad = true
		}
		return int64(v)
	case t.kind == tIdent:
		e.pos++
		if v, ok := e.consts[t.text]; ok {
			return v
		}
		if e.peekText(0) == "(" { // a value-wrapping macro
			return e.parenthesized()
		}
		e.bad = true
		return 0
	case t.kind == tPunct && t.text == "(":
		// A cast: "(" type words [*] ")" followed by an operand.
		j := e.pos + 1
		for j < len(e.toks) && (e.toks[j].kind == tIdent || e.toks[j].text == "*") {
			j++
		}
		if j > e.pos+1 && j < len(e.toks) && e.toks[j].text == ")" && e.toks[j-1].kind == tIdent {
			if _, isConst := e.consts[e.toks[j-1].text]; !isConst && j+1 < len(e.toks) {
				typ := e.toks[j-1].text
				e.pos = j + 1
				v := e.unary()
				if unsigned32[typ] {
					v &= 0xFFFFFFFF
				}
				return v
			}
		}
		return e.parenthesized()
	}
	e.bad = true
	return 0
}

// parenthesized evaluates "(" expression ")" at the current token.
func (e *evaluator) parenthesized() int64 {
	e.pos++
	v := e.binary(0)
	if e.peekText(0) != ")" {
		e.bad = true
		return 0
	}
	e.pos++
	return v
}
