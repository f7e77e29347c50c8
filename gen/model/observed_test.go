package model

import (
	"strings"
	"testing"
)

// withObserved loads spec/qos2's pages with observed.yaml replaced by src.
func withObserved(t *testing.T, src string) (*Model, error) {
	t.Helper()
	return withSpecFile(t, ObservedFile, src)
}

const goodEntry = `- func: QOSCloseHandle
  case: QOSHandle-null
  param: QOSHandle
  call: QOSCloseHandle(NULL)
  returns: FALSE
  error: ERROR_INVALID_HANDLE
  kind: observed
  source: a lab
  why: because
`

func TestObservedLoaded(t *testing.T) {
	m, err := LoadDir("../../spec/qos2")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Observed) == 0 {
		t.Fatal("spec/qos2/observed.yaml gave no entries")
	}
	for _, o := range m.Observed {
		fn, _ := m.Func(o.Func)
		documented := o.Returns == "TRUE"
		for _, e := range fn.Errors {
			documented = documented || e.Name == o.Error
		}
		if o.Documented != documented {
			t.Errorf("%s/%s: Documented = %v; the page says %v", o.Func, o.Case, o.Documented, documented)
		}
	}
	m, err = withObserved(t, goodEntry)
	if err != nil {
		t.Fatal(err)
	}
	if o := m.Observed[0]; o.Value != 6 || o.Documented || o.Line != 1 {
		t.Errorf("entry = %+v; want code 6, not documented, line 1", o)
	}
}

func TestObservedErrors(t *testing.T) {
	for _, tc := range []struct{ name, edit, want string }{
		{"unknown function", "func: QOSCloseHandel", "observed.yaml:1: unknown function QOSCloseHandel; did you mean QOSCloseHandle?"},
		{"unknown param", "param: QOSHandel", "has no parameter QOSHandel; did you mean QOSHandle?"},
		{"case not of param", "case: Flags-null", "case Flags-null is about parameter QOSHandle"},
		{"unknown code", "error: ERROR_INVALID_HANDEL", "unknown error code ERROR_INVALID_HANDEL; did you mean ERROR_INVALID_HANDLE?"},
		{"bad returns", "returns: MAYBE", "observed.yaml:1: returns \"MAYBE\"; expected TRUE or FALSE"},
		{"bad kind", "kind: rumoured", "kind \"rumoured\"; expected observed or assumed"},
		{"no source", "source: \"\"", "entry has no source"},
		{"unknown key", "colour: red", "observed.yaml:10: unknown key \"colour\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := strings.SplitN(tc.edit, ":", 2)[0]
			src := goodEntry
			if i := strings.Index(src, " "+key+":"); i >= 0 {
				i++
				end := i + strings.Index(src[i:], "\n")
				src = src[:i] + tc.edit + src[end:]
			} else {
				src += "  " + tc.edit + "\n"
			}
			_, err := withObserved(t, src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want %q", err, tc.want)
			}
		})
	}
	_, err := withObserved(t, goodEntry+strings.Replace(goodEntry, "QOSCloseHandle(NULL)", "again", 1))
	if err == nil || !strings.Contains(err.Error(), "observed.yaml:10: QOSCloseHandle/QOSHandle-null is listed again; first at line 1") {
		t.Errorf("duplicate: err = %v", err)
	}
}
