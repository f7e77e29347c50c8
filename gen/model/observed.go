package model

import (
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/winqos/winqos/gen/diag"
)

// ObservedFile is the name of the file, beside the pages, that holds what
// real Windows does where the pages are silent or say otherwise.
const ObservedFile = "observed.yaml"

// Observed is one behaviour of real Windows, with where it was seen.
type Observed struct {
	Func    string `json:"func" yaml:"func"`
	Case    string `json:"case" yaml:"case"`
	Param   string `json:"param,omitempty" yaml:"param"`
	Call    string `json:"call" yaml:"call"`
	Returns string `json:"returns" yaml:"returns"` // TRUE or FALSE
	Error   string `json:"error,omitempty" yaml:"error"`
	// Value is Error's code, resolved against the error-code pages.
	Value uint32 `json:"value,omitempty" yaml:"-"`
	// Documented is true when the outcome is one the function's page
	// allows (success, or a code it documents).
	Documented bool   `json:"documented" yaml:"-"`
	Kind       string `json:"kind" yaml:"kind"` // observed or assumed
	Source     string `json:"source" yaml:"source"`
	Why        string `json:"why" yaml:"why"`
	File       string `json:"-" yaml:"-"`
	Line       int    `json:"-" yaml:"-"`
}

var caseRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ParseObserved reads an observed.yaml: a list of entries. Every problem is
// an error naming file:line.
func ParseObserved(file string, src []byte) ([]Observed, error) {
	keys := []string{"func", "case", "param", "call", "returns", "error", "kind", "source", "why"}
	required := []string{"func", "case", "call", "returns", "kind", "source", "why"}
	return parseEntries(file, src, keys, required, func(o *Observed, line int, errs *diag.List) {
		o.File, o.Line = file, line
		if o.Case != "" && !caseRe.MatchString(o.Case) {
			errs.Add(line, "case %q: expected a case name such as QOSHandle-null", o.Case)
		}
		switch o.Returns {
		case "TRUE":
			if o.Error != "" {
				errs.Add(line, "returns TRUE with error %s; a success has no error", o.Error)
			}
		case "FALSE":
			if o.Error == "" {
				errs.Add(line, "returns FALSE without an error; expected the last error, e.g. error: ERROR_INVALID_HANDLE")
			}
		case "":
		default:
			errs.Add(line, "returns %q; expected TRUE or FALSE", o.Returns)
		}
		if o.Kind != "" && o.Kind != "observed" && o.Kind != "assumed" {
			errs.Add(line, "kind %q; expected observed or assumed", o.Kind)
		}
	})
}

// checkObserved cross-checks observed entries against the model: the
// function, parameter and error code must exist, the case must be named for
// its parameter, and no case may be listed twice. It resolves codes, marks
// the entries whose outcome the docs allow, and returns them sorted by
// function and case.
func (m *Model) checkObserved(obs []Observed) ([]Observed, error) {
	codes := map[string]uint32{}
	var names []string
	for _, c := range m.ErrorCodes {
		codes[c.Name] = uint32(c.Value)
		names = append(names, c.Name)
	}
	var errs []error
	bad := func(o Observed, format string, args ...any) {
		errs = append(errs, &diag.Error{File: o.File, Line: o.Line, Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	var out []Observed
	for _, o := range obs {
		fn, ok := m.Func(o.Func)
		if !ok {
			var fns []string
			for _, f := range m.Functions {
				fns = append(fns, f.Name)
			}
			bad(o, "unknown function %s%s", o.Func, didYouMean(o.Func, fns))
			continue
		}
		key := o.Func + "/" + o.Case
		if l, dup := seen[key]; dup {
			bad(o, "%s is listed again; first at line %d", key, l)
			continue
		}
		seen[key] = o.Line
		if o.Param != "" {
			found := false
			var params []string
			for _, p := range fn.Params {
				found = found || p.Name == o.Param
				params = append(params, p.Name)
			}
			switch {
			case !found:
				bad(o, "%s has no parameter %s%s", o.Func, o.Param, didYouMean(o.Param, params))
				continue
			case len(o.Case) <= len(o.Param) || o.Case[:len(o.Param)+1] != o.Param+"-":
				bad(o, "case %s is about parameter %s; expected a case named %s-...", o.Case, o.Param, o.Param)
				continue
			}
		}
		o.Documented = o.Returns == "TRUE"
		if o.Error != "" {
			v, ok := codes[o.Error]
			if !ok {
				bad(o, "unknown error code %s%s; add it to an error-code page first", o.Error, didYouMean(o.Error, names))
				continue
			}
			o.Value = v
			for _, e := range fn.Errors {
				o.Documented = o.Documented || e.Name == o.Error
			}
		}
		out = append(out, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Func != out[j].Func {
			return out[i].Func < out[j].Func
		}
		return out[i].Case < out[j].Case
	})
	return out, nil
}

func didYouMean(name string, candidates []string) string {
	if near := Closest(name, candidates); near != "" {
		return "; did you mean " + near + "?"
	}
	return ""
}
