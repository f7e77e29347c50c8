// Package winerror reads the Win32 error codes of a winerror.h (mingw-w64's,
// which is in the public domain) and the table spec/winerror.txt that gen
// turns into qwave's complete code-name table.
//
// Only Win32 codes are kept: names #defined as __MSABI_LONG(n), a plain
// number or (WSABASEERR + n) with a value below 0x10000, and names #defined
// as another such name (aliases). HRESULTs, facilities, severities and
// ranges are left out.
package winerror

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/winqos/winqos/gen/diag"
)

// Code is one named Win32 error code.
type Code struct {
	Name  string
	Value uint32
	// Alias is the name this one is #defined as, or "" when it is defined
	// by value.
	Alias string
	Line  int // in the file it was read from
}

var (
	defineRe = regexp.MustCompile(`^#define\s+([A-Z][A-Z0-9_]*)\s+(.+?)\s*(?:/[/*].*)?$`)
	longRe   = regexp.MustCompile(`^__MSABI_LONG\((0[xX][0-9A-Fa-f]+|[0-9]+)\)$`)
	plainRe  = regexp.MustCompile(`^(0[xX][0-9A-Fa-f]+|[0-9]+)[lLuU]*$`)
	baseRe   = regexp.MustCompile(`^\(\s*([A-Z][A-Z0-9_]*)\s*\+\s*([0-9]+)\s*\)$`)
	nameRe   = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// notCodes are name patterns of plain-number #defines that are not error
// codes: facilities, severities, bases of ranges, masks.
var notCodes = regexp.MustCompile(`^(FACILITY_|SEVERITY_)|_(BASE|FIRST|LAST|MASK)$|^_|^WSABASEERR$|^NOERROR$`)

// ParseHeader reads the Win32 error codes a winerror.h defines, in header
// order. A name defined twice with different values is an error naming
// file:line.
func ParseHeader(file string, src []byte) ([]Code, error) {
	values := map[string]uint64{} // every plain-number define, for bases
	seen := map[string]int{}
	var codes []Code
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		m := defineRe.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		name, expr := m[1], m[2]
		var v uint64
		var ok bool
		alias := ""
		if sm := longRe.FindStringSubmatch(expr); sm != nil {
			v, ok = parseNum(sm[1])
		} else if sm := plainRe.FindStringSubmatch(expr); sm != nil {
			v, ok = parseNum(sm[1])
			if ok {
				values[name] = v
			}
			ok = ok && !notCodes.MatchString(name)
		} else if sm := baseRe.FindStringSubmatch(expr); sm != nil {
			base, known := values[sm[1]]
			n, _ := strconv.ParseUint(sm[2], 10, 32)
			v, ok = base+n, known
		} else if nameRe.MatchString(expr) {
			if i, known := seen[expr]; known {
				v, ok, alias = uint64(codes[i].Value), true, expr
			}
		}
		if !ok || v >= 0x10000 {
			continue
		}
		if i, dup := seen[name]; dup {
			if uint64(codes[i].Value) != v {
				errs = append(errs, &diag.Error{File: file, Line: line, Msg: fmt.Sprintf("%s is %d here but %d at line %d", name, v, codes[i].Value, codes[i].Line)})
			}
			continue
		}
		seen[name] = len(codes)
		codes = append(codes, Code{Name: name, Value: uint32(v), Alias: alias, Line: line})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", file, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s: no Win32 error code defined; expected lines such as \"#define ERROR_INVALID_HANDLE __MSABI_LONG(6)\"", file)
	}
	return codes, nil
}

func parseNum(s string) (uint64, bool) {
	v, err := strconv.ParseUint(s, 0, 64)
	return v, err == nil
}

// Primary picks, for every value, the name a printer should show: the first
// ERROR_ name in header order, else the first name defined by value. The
// result is sorted by value.
func Primary(codes []Code) []Code {
	best := map[uint32]Code{}
	rank := func(c Code) int {
		r := 2
		if strings.HasPrefix(c.Name, "ERROR_") {
			r = 0
		} else if c.Alias == "" {
			r = 1
		}
		return r
	}
	for _, c := range codes {
		b, ok := best[c.Value]
		if !ok || rank(c) < rank(b) {
			best[c.Value] = c
		}
	}
	out := make([]Code, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// WriteTable writes codes as the table gen reads: a comment header, then
// "NAME VALUE" or "NAME VALUE ALIAS" per line, in the given order.
func WriteTable(w io.Writer, source string, codes []Code) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Win32 error codes of %s, extracted by `go run ./gen -extract-winerror HEADER`.\n", source)
	fmt.Fprintln(bw, "# mingw-w64's winerror.h is in the public domain. One code per line: NAME VALUE [ALIAS-OF].")
	for _, c := range codes {
		if c.Alias != "" {
			fmt.Fprintf(bw, "%s %d %s\n", c.Name, c.Value, c.Alias)
		} else {
			fmt.Fprintf(bw, "%s %d\n", c.Name, c.Value)
		}
	}
	return bw.Flush()
}

// ReadTable reads a table WriteTable wrote. Every malformed line is an error
// naming file:line.
func ReadTable(file string, src []byte) ([]Code, error) {
	var codes []Code
	var errs []error
	seen := map[string]int{}
	for i, text := range strings.Split(string(src), "\n") {
		line := i + 1
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		v, err := strconv.ParseUint(fieldOr(f, 1), 10, 16)
		switch {
		case len(f) < 2 || len(f) > 3 || !nameRe.MatchString(f[0]) || err != nil:
			errs = append(errs, &diag.Error{File: file, Line: line, Msg: fmt.Sprintf("%q: expected NAME VALUE [ALIAS-OF] with a value below 65536", text)})
			continue
		case seen[f[0]] > 0:
			errs = append(errs, &diag.Error{File: file, Line: line, Msg: fmt.Sprintf("%s is listed again; first at line %d", f[0], seen[f[0]])})
			continue
		}
		seen[f[0]] = line
		codes = append(codes, Code{Name: f[0], Value: uint32(v), Alias: fieldOr(f, 2), Line: line})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s: no codes", file)
	}
	return codes, nil
}

func fieldOr(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}
