// Command gen generates the qwave package from the API doc spec files.
//
// Usage:
//
//	go run ./gen -spec spec/qos2 -out qwave            # regenerate qwave/z*.go
//	go run ./gen -spec spec/qos2 -dump                 # print the model as JSON
//	go run ./gen -spec spec/qos2 -header /usr/share/mingw-w64/include/qos2.h
//	go run ./gen -extract-winerror /usr/share/mingw-w64/include/winerror.h > spec/winerror.txt
//
// gen parses the doc pages and their C declarations, merges them into one
// cross-checked model and emits Go with jennifer. Beside the pages it reads
// observed.yaml, what real Windows does (qwave.Facts), and beside the spec
// directory winerror.txt, every Win32 code name (qwave.ErrorName). Every input error names
// file:line. With -header it also reads a real C header, reports what is
// wrong with it as warnings and lists where it disagrees with the spec.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/winqos/winqos/gen/cdecl"
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

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "spec/qos2", "directory of API doc spec pages (*.md)")
	out := fs.String("out", "", "directory to write the generated z*.go files into")
	dump := fs.Bool("dump", false, "print the merged model as JSON and exit")
	header := fs.String("header", "", "a C header (mingw-w64 qos2.h) to cross-check the spec against")
	winerrTable := fs.String("winerror", "", "the Win32 code table to emit as zwinerror.go (default: winerror.txt beside the spec directory, if present)")
	extract := fs.String("extract-winerror", "", "print the Win32 codes of this winerror.h as the table -winerror reads, and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *extract != "" {
		return extractWinError(*extract, stdout)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	m, err := model.LoadDir(*spec)
	if err != nil {
		return err
	}
	if *header != "" {
		if err := crossCheck(m, *header, stderr); err != nil {
			return err
		}
	}
	if *dump {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	if *out == "" {
		if *header != "" {
			return nil
		}
		return fmt.Errorf("nothing to do: give -out DIR to generate, or -dump")
	}
	codes, err := loadWinError(*winerrTable, *spec)
	if err != nil {
		return err
	}
	return emit.WriteDir(*out, m, emit.Options{Command: commandLine(*spec), WinError: codes})
}

// loadWinError reads the Win32 code table: path, or else winerror.txt
// beside the spec directory when there is one.
func loadWinError(path, spec string) ([]winerror.Code, error) {
	if path == "" {
		path = filepath.Join(filepath.Dir(filepath.Clean(spec)), "winerror.txt")
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
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
// directory as given, and not the output directory, so regenerating into a
// scratch directory yields the same bytes.
func commandLine(spec string) string {
	return "gen -spec " + filepath.ToSlash(spec)
}

func crossCheck(m *model.Model, path string, stderr io.Writer) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	h, err := cdecl.ParseHeader(path, src)
	if err != nil {
		return err
	}
	for _, w := range h.Warnings {
		fmt.Fprintf(stderr, "warning: %v\n", w)
	}
	for _, d := range model.CompareHeader(m, h) {
		fmt.Fprintf(stderr, "%s:%d: differs from spec: %s\n", path, d.Line, d)
	}
	return nil
}
