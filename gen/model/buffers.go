package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/winqos/winqos/gen/diag"
)

// BuffersFile is the name of the file, beside the pages, that says what
// Buffer holds for each operation of the functions that take one.
const BuffersFile = "buffers.yaml"

// Buffer is what one operation's Buffer parameter holds.
type Buffer struct {
	Func      string `json:"func" yaml:"func"`
	Operation string `json:"operation" yaml:"operation"`
	// Type is the C type Buffer points to, or "NULL".
	Type string `json:"buffer" yaml:"buffer"`
	// Value is Operation's value in the function's Operation enumeration,
	// and Enum that enumeration.
	Value int64  `json:"value" yaml:"-"`
	Enum  string `json:"enum" yaml:"-"`
	// Page is the function's spec page.
	Page string `json:"-" yaml:"-"`
	File string `json:"-" yaml:"-"`
	Line int    `json:"-" yaml:"-"`
}

// basicBufferTypes are the C types other than the model's own that a
// Buffer may hold.
var basicBufferTypes = map[string]bool{"UINT64": true, "DWORD": true, "ULONG": true, "UINT32": true}

// ParseBuffers reads a buffers.yaml: a list of entries. Every problem is an
// error naming file:line.
func ParseBuffers(file string, src []byte) ([]Buffer, error) {
	keys := []string{"func", "operation", "buffer"}
	return parseEntries(file, src, keys, keys, func(b *Buffer, line int, _ *diag.List) {
		b.File, b.Line = file, line
	})
}

// checkBuffers cross-checks entries against the model: the function takes
// Operation and Buffer, the operation is a member of its enumeration, the
// type is one the model or C knows and the page names it (NULL: the page
// says Buffer must be NULL), and every operation has exactly one entry. It
// returns the entries sorted by function and operation value.
func (m *Model) checkBuffers(bufs []Buffer) ([]Buffer, error) {
	var errs []error
	bad := func(b Buffer, format string, args ...any) {
		errs = append(errs, &diag.Error{File: b.File, Line: b.Line, Msg: fmt.Sprintf(format, args...)})
	}
	known := map[string]bool{}
	for _, s := range m.Structs {
		known[s.Name] = true
	}
	for _, e := range m.Enums {
		known[e.Name] = true
	}
	seen := map[string]int{}
	covered := map[string]bool{} // enums whose functions have entries
	var out []Buffer
	for _, b := range bufs {
		fn, ok := m.Func(b.Func)
		if !ok {
			var fns []string
			for _, f := range m.Functions {
				fns = append(fns, f.Name)
			}
			bad(b, "unknown function %s%s", b.Func, didYouMean(b.Func, fns))
			continue
		}
		var op, buf *Param
		for i := range fn.Params {
			switch fn.Params[i].Name {
			case "Operation":
				op = &fn.Params[i]
			case "Buffer":
				buf = &fn.Params[i]
			}
		}
		if op == nil || buf == nil {
			bad(b, "%s takes no Operation and Buffer", b.Func)
			continue
		}
		enum, ok := m.enum(op.Type)
		if !ok {
			bad(b, "%s's Operation is a %s, not an enumeration", b.Func, op.Type)
			continue
		}
		b.Enum, b.Page = enum.Name, fn.Page
		found := false
		var members []string
		for _, v := range enum.Values {
			members = append(members, v.Name)
			if v.Name == b.Operation {
				b.Value, found = v.Value, true
			}
		}
		if !found {
			bad(b, "%s is no %s member%s", b.Operation, enum.Name, didYouMean(b.Operation, members))
			continue
		}
		key := b.Func + "/" + b.Operation
		if l, dup := seen[key]; dup {
			bad(b, "%s is listed again; first at line %d", key, l)
			continue
		}
		seen[key] = b.Line
		covered[b.Func] = true
		prose := op.Doc + " " + buf.Doc
		switch {
		case b.Type == "NULL":
			if !strings.Contains(buf.Doc, "NULL") || !strings.Contains(prose, b.Operation) {
				bad(b, "%s's page does not say Buffer is NULL for %s", b.Func, b.Operation)
				continue
			}
		case !known[b.Type] && !basicBufferTypes[b.Type]:
			bad(b, "unknown buffer type %s; expected a structure or enumeration of the pages, one of UINT64, DWORD, ULONG, UINT32, or NULL", b.Type)
			continue
		case !strings.Contains(prose, b.Type):
			bad(b, "%s's page does not name %s in Operation or Buffer", b.Func, b.Type)
			continue
		}
		out = append(out, b)
	}
	for _, f := range m.Functions {
		if !covered[f.Name] {
			continue
		}
		for _, p := range f.Params {
			if p.Name != "Operation" {
				continue
			}
			if e, ok := m.enum(p.Type); ok {
				for _, v := range e.Values {
					if _, ok := seen[f.Name+"/"+v.Name]; !ok {
						errs = append(errs, &diag.Error{File: BuffersFile, Line: 1, Msg: fmt.Sprintf("no entry for %s operation %s", f.Name, v.Name)})
					}
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Func != out[j].Func {
			return out[i].Func < out[j].Func
		}
		return out[i].Value < out[j].Value
	})
	return out, nil
}

// enum returns the named enumeration.
func (m *Model) enum(name string) (Enum, bool) {
	for _, e := range m.Enums {
		if e.Name == name {
			return e, true
		}
	}
	return Enum{}, false
}
