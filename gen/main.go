// Command gen generates Go bindings from API doc spec files.
//
// Usage:
//
//	go run ./gen -spec spec/qos2 -out qwave            # regenerate qwave/z*.go
//	go run ./gen -spec spec/qos2 -dump                 # print the model as JSON
//	go run ./gen -spec spec/qos2 -header /usr/share/mingw-w64/include/qos2.h
//	go run ./gen -spec DIR -header traffic.h -header qos.h -report
//	go run ./gen -extract-winerror /usr/share/mingw-w64/include/winerror.h > spec/winerror.txt
//
// gen parses the doc pages and their C declarations, merges them into one
// cross-checked model and emits Go with jennifer. Beside the pages it reads
// observed.yaml, what real Windows does (qwave.Facts). Every input error
// names file:line. With -winerror-only it writes the complete Win32 code
// table of spec/winerror.txt (every code name, for Errno.Name and
// qwave.ErrorName) into the shared runtime.
//
// With -header, a real C header (mingw-w64's) supplies the declaration of
// every page that has no "## -syntax" block, and the types those
// declarations use; where a page has one, the two are cross-checked and
// their differences listed, and the header's own mistakes are reported as
// warnings. The first -header is the API's own header; further ones supply
// types it includes. Error and status code values come from winerror.h,
// ntstatus.h and tcerror.h beside the first header, or from -codes.
//
// -dump and -report read pages leniently: a page gen cannot model is
// skipped with its reason rather than failing the run (-lenient does the
// same for -out). -report lists, per page, what was generated and what was
// skipped and why.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/winqos/winqos/gen/cdecl"
	"github.com/winqos/winqos/gen/diag"
	"github.com/winqos/winqos/gen/emit"
	"github.com/winqos/winqos/gen/model"
	"github.com/winqos/winqos/gen/winerror"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// codeHeaders are the headers that define error and status codes, read
// from the directory of the first -header when -codes is not given.
var codeHeaders = []string{"winerror.h", "ntstatus.h", "tcerror.h"}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "spec/qos2", "directory of API doc spec pages (*.md)")
	out := fs.String("out", "", "directory to write the generated z*.go files into")
	pkg := fs.String("package", "", "name of the generated package (default qwave)")
	title := fs.String("title", "", "the API's name in doc comments (default qWAVE)")
	runtime := fs.String("runtime", emit.DefaultRuntime, "import path of the shared runtime the package re-declares (Errno, the loader, contracts)")
	dump := fs.Bool("dump", false, "print the merged model as JSON and exit")
	report := fs.Bool("report", false, "print per page what was generated, what was skipped and why, and exit")
	lenient := fs.Bool("lenient", false, "with -out: skip pages that disagree with their declaration, as -dump and -report do, instead of failing")
	var headers, codes listFlag
	fs.Var(&headers, "header", "a C header (mingw-w64's) supplying declarations; repeat for headers it includes")
	fs.Var(&codes, "codes", "a C header defining error codes (default: winerror.h, ntstatus.h, tcerror.h beside the first -header)")
	winerrTable := fs.String("winerror", "", "the Win32 code table (spec/winerror.txt) to emit as zwinerror.go")
	winerrOnly := fs.Bool("winerror-only", false, "write only zwinerror.go, from -winerror, into -out (the shared runtime's table)")
	extract := fs.String("extract-winerror", "", "print the Win32 codes of this winerror.h as the table -winerror reads, and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *extract != "" {
		return extractWinError(*extract, stdout)
	}
	if *winerrOnly {
		if *winerrTable == "" || *out == "" {
			return fmt.Errorf("-winerror-only needs -winerror TABLE and -out DIR")
		}
		table, err := loadWinError(*winerrTable)
		if err != nil {
			return err
		}
		return emit.WriteWinError(*out, table, emit.Options{Command: "gen -winerror-only -winerror " + filepath.ToSlash(*winerrTable), Package: *pkg})
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	opts := model.Options{Lenient: *dump || *report || *lenient}
	var all *cdecl.File
	if len(headers) > 0 {
		h, origin, err := readHeaders(headers, stderr)
		if err != nil {
			return err
		}
		all = h
		opts.TypeHeaders = origin
		if len(codes) == 0 {
			for _, n := range codeHeaders {
				p := filepath.Join(filepath.Dir(headers[0]), n)
				if _, err := os.Stat(p); err == nil {
					codes = append(codes, p)
				}
			}
		}
		cs, from, err := readCodes(codes)
		if err != nil {
			return err
		}
		opts.Header, opts.HeaderName, opts.Codes, opts.CodeHeaders = h, filepath.Base(headers[0]), cs, from
	}
	m, err := model.LoadDirWith(*spec, opts)
	if err != nil {
		return err
	}
	if all != nil {
		for _, d := range model.CompareHeader(m, all) {
			if d.Line > 0 || !opts.Lenient {
				fmt.Fprintf(stderr, "%s:%d: differs from spec: %s\n", headers[0], d.Line, d)
			}
		}
	}
	switch {
	case *report:
		return writeReport(stdout, m)
	case *dump:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	case *out == "":
		if len(headers) > 0 {
			return nil
		}
		return fmt.Errorf("nothing to do: give -out DIR to generate, -dump or -report")
	}
	table, err := loadWinError(*winerrTable)
	if err != nil {
		return err
	}
	return emit.WriteDir(*out, m, emit.Options{Command: commandLine(*spec, headers), Package: *pkg, Title: *title, Header: headerName(headers), Runtime: *runtime, WinError: table})
}

// readHeaders parses the headers and joins their declarations, the first
// header's first, and says which later header declares each type the
// earlier ones do not. The first header's warnings go to stderr.
func readHeaders(paths []string, stderr io.Writer) (*cdecl.File, map[string]string, error) {
	all := &cdecl.File{}
	origin := map[string]string{}
	for i, path := range paths {
		h, err := parseHeader(path)
		if err != nil {
			return nil, nil, err
		}
		if i > 0 {
			note := func(n string) {
				if _, ok := origin[n]; !ok && !declares(all, n) {
					origin[n] = filepath.Base(path)
				}
			}
			for _, s := range h.Structs {
				note(s.Name)
				for _, p := range s.Ptrs {
					note(p)
				}
			}
			for _, e := range h.Enums {
				note(e.Name)
			}
			for _, t := range h.Typedefs {
				note(t.Name)
			}
		}
		if i == 0 {
			defer func(ws []*diag.Error) {
				for _, w := range ws {
					// A type the first header takes from another
					// -header is defined after all.
					if name, ok := strings.CutSuffix(w.Msg, " is used but never defined"); ok && declares(all, name) {
						continue
					}
					fmt.Fprintf(stderr, "warning: %v\n", w)
				}
			}(h.Warnings)
		}
		all.Funcs = append(all.Funcs, h.Funcs...)
		all.Structs = append(all.Structs, h.Structs...)
		all.Enums = append(all.Enums, h.Enums...)
		all.Typedefs = append(all.Typedefs, h.Typedefs...)
		all.Defines = append(all.Defines, h.Defines...)
	}
	return all, origin, nil
}

// readCodes reads the #define codes of the code headers. A name defined
// with two values by two of them is an error.
func readCodes(paths []string) ([]cdecl.Define, map[string]string, error) {
	var out []cdecl.Define
	from := map[string]string{}
	seen := map[string]string{}
	values := map[string]uint64{}
	var errs []error
	for _, path := range paths {
		h, err := parseHeader(path)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range h.Defines {
			at := fmt.Sprintf("%s:%d", path, d.Line)
			if prev, ok := seen[d.Name]; ok {
				if values[d.Name] != d.Value {
					errs = append(errs, fmt.Errorf("%s: %s is %#x; %s defines it as %#x", at, d.Name, d.Value, prev, values[d.Name]))
				}
				continue
			}
			seen[d.Name], values[d.Name] = at, d.Value
			from[d.Name] = filepath.Base(path)
			out = append(out, d)
		}
	}
	return out, from, errors.Join(errs...)
}

// loadWinError reads the Win32 code table at path; none for "".
func loadWinError(path string) ([]winerror.Code, error) {
	if path == "" {
		return nil, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return winerror.ReadTable(path, src)
}

func extractWinError(header string, stdout io.Writer) error {
	src, err := os.ReadFile(header)
	if err != nil {
		return err
	}
	codes, err := winerror.ParseHeader(header, src)
	if err != nil {
		return err
	}
	return winerror.WriteTable(stdout, "mingw-w64 winerror.h", codes)
}

// commandLine is the command named in generated headers: the spec
// directory and headers as given, and not the output directory, so
// regenerating into a scratch directory yields the same bytes.
func commandLine(spec string, headers []string) string {
	s := "gen -spec " + filepath.ToSlash(spec)
	for _, h := range headers {
		s += " -header " + filepath.Base(h)
	}
	return s
}

// writeReport lists per function, struct and enum what was generated, then
// every skip with its reason, then notes. Deterministic: the model is
// sorted.
func writeReport(w io.Writer, m *model.Model) error {
	var b strings.Builder
	fmt.Fprintf(&b, "generated: %d functions, %d structs, %d enums, %d typedefs, %d error codes; skipped: %d\n",
		len(m.Functions), len(m.Structs), len(m.Enums), len(m.Typedefs), len(m.ErrorCodes), len(m.Skipped))
	for _, f := range m.Functions {
		var codes []string
		for _, e := range f.Errors {
			codes = append(codes, e.Name)
		}
		fmt.Fprintf(&b, "generated function %s (%s, %s): %d params; errors: %s\n", f.Name, f.Page, f.Convention, len(f.Params), orDash(strings.Join(codes, ", ")))
	}
	for _, s := range m.Structs {
		src := s.Page
		if src == "" {
			src = s.Header
		}
		fmt.Fprintf(&b, "generated struct %s (%s): %d fields\n", s.Name, src, len(s.Fields))
	}
	for _, e := range m.Enums {
		fmt.Fprintf(&b, "generated enum %s: %d values\n", e.Name, len(e.Values))
	}
	for _, s := range m.Skipped {
		fmt.Fprintf(&b, "skipped %s (%s): %s\n", s.Name, s.Page, s.Reason)
	}
	for _, n := range m.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func headerName(headers []string) string {
	if len(headers) == 0 {
		return ""
	}
	return filepath.Base(headers[0])
}

// declares reports whether h declares a type of that name.
func declares(h *cdecl.File, name string) bool {
	for _, s := range h.Structs {
		if s.Name == name || slices.Contains(s.Ptrs, name) {
			return true
		}
	}
	for _, e := range h.Enums {
		if e.Name == name || slices.Contains(e.Ptrs, name) {
			return true
		}
	}
	for _, t := range h.Typedefs {
		if t.Name == name {
			return true
		}
	}
	return false
}

func parseHeader(path string) (*cdecl.File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return cdecl.ParseHeader(path, src)
}
