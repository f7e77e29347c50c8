package cdecl

import (
	"fmt"
	"strings"

	"github.com/winqos/winqos/gen/diag"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tString
	tPunct
	tAnnotation // [in, optional], brackets dropped
	tDirective  // a whole preprocessor line, continuations joined
)

type token struct {
	kind tokKind
	text string
	line int
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tDirective:
		return fmt.Sprintf("directive %q", t.text)
	case tAnnotation:
		return fmt.Sprintf("annotation [%s]", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lex splits src into tokens, dropping comments.
func lex(src string, line int, errs *diag.List) []token {
	var toks []token
	atLineStart := true
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			atLineStart = true
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '#' && atLineStart:
			start, startLine := i, line
			for i < len(src) && src[i] != '\n' {
				if src[i] == '\\' && i+1 < len(src) && src[i+1] == '\n' {
					i += 2
					line++
					continue
				}
				if strings.HasPrefix(src[i:], "/*") {
					break
				}
				i++
			}
			text := strings.ReplaceAll(src[start:i], "\\\n", " ")
			if j := strings.Index(text, "//"); j >= 0 {
				text = text[:j]
			}
			toks = append(toks, token{kind: tDirective, text: text, line: startLine})
			continue
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				errs.Add(line, "comment is never closed; expected */")
				return toks
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
			continue
		}
		atLineStart = false
		switch {
		case isIdentStart(c):
			j := i
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{kind: tIdent, text: src[i:j], line: line})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (isIdentPart(src[j])) {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: src[i:j], line: line})
			i = j
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' && src[j] != '\n' {
				j++
			}
			if j >= len(src) || src[j] != '"' {
				errs.Add(line, "string is never closed; expected '\"'")
				return toks
			}
			toks = append(toks, token{kind: tString, text: src[i+1 : j], line: line})
			i = j + 1
		case c == '[':
			j := strings.IndexAny(src[i:], "]\n")
			if j < 0 || src[i+j] != ']' {
				errs.Add(line, "annotation is never closed; expected ']' on the same line")
				return toks
			}
			toks = append(toks, token{kind: tAnnotation, text: normalize(src[i+1 : i+j]), line: line})
			i += j + 1
		case strings.IndexByte("{}();,*=-:", c) >= 0:
			toks = append(toks, token{kind: tPunct, text: string(c), line: line})
			i++
		case c > ' ' && c < 0x7f:
			// Operators of inline function bodies; the parser skips
			// bodies, and rejects these anywhere else.
			toks = append(toks, token{kind: tPunct, text: string(c), line: line})
			i++
		default:
			errs.Add(line, "unexpected character %q", c)
			i++
		}
	}
	return toks
}

func normalize(a string) string {
	parts := strings.Split(a, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
