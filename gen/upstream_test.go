package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/model"
)

// upstreamHeaders are the headers whose sdk-api pages the shared reference
// data holds, each with mingw-w64's header of the same name.
var upstreamHeaders = []string{"qos2", "traffic", "synchapi", "uxtheme", "ntsecapi", "netioapi"}

// upstreamRoot is Microsoft's sdk-api pages, shared reference data beside
// the repository (../shared/sdk-api from its root); SDK_API_DIR overrides it.
func upstreamRoot(t *testing.T) string {
	dir := os.Getenv("SDK_API_DIR")
	if dir == "" {
		dir = "../../shared/sdk-api"
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no upstream pages: %v (set SDK_API_DIR to a copy of shared/sdk-api)", err)
	}
	return dir
}

const mingwInclude = "/usr/share/mingw-w64/include"

// upstreamPage is what the test reads from one page on its own, with
// regular expressions rather than gen's parser, so the two are compared.
type upstreamPage struct {
	file     string
	uid      string
	apiNames []string
	params   []string
	returns  string // the return section as written
}

var (
	apiNameRe  = regexp.MustCompile(`(?m)^api_name:\n((?: - .*\n)+)`)
	uidRe      = regexp.MustCompile(`(?m)^UID: (\S+)`)
	paramHead  = regexp.MustCompile(`(?m)^### -param (\S+)`)
	returnsSec = regexp.MustCompile(`(?s)\n## -returns\n(.*?)(?:\n## -|$)`)
)

func readUpstreamPage(t *testing.T, path string) upstreamPage {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	p := upstreamPage{file: filepath.Base(path)}
	if m := uidRe.FindStringSubmatch(s); m != nil {
		p.uid = m[1]
	}
	if m := apiNameRe.FindStringSubmatch(s); m != nil {
		for _, l := range strings.Split(strings.TrimSpace(m[1]), "\n") {
			p.apiNames = append(p.apiNames, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")))
		}
	}
	for _, m := range paramHead.FindAllStringSubmatch(s, -1) {
		p.params = append(p.params, m[1])
	}
	if m := returnsSec.FindStringSubmatch(s); m != nil {
		p.returns = m[1]
	}
	return p
}

// conventionWords are the words a page's return section must use for each
// convention gen reports.
var conventionWords = map[model.Convention][]string{
	model.BoolLastError: {"GetLastError", "ERROR_", "zero"},
	model.Status:        {"NO_ERROR", "ERROR_SUCCESS"},
	model.HandleNull:    {"NULL"},
	model.HandleInvalid: {"INVALID_HANDLE_VALUE"},
	model.HResult:       {"S_OK", "HRESULT"},
	model.NTStatus:      {"STATUS_SUCCESS", "NTSTATUS"},
	model.SocketError:   {"SOCKET_ERROR"},
	model.InvalidSocket: {"INVALID_SOCKET"},
	model.Void:          {"not return a value", "None"},
}

// TestUpstreamPagesDump runs gen -spec <pages> -header <mingw header> -dump
// for every header of the shared reference pages, and compares the dump
// with the pages read independently: every page is generated or skipped
// with a reason; each function's parameters are its page's, in order; its
// convention is the one its return section describes; each error code is
// named in that section and has the value the mingw-w64 headers give it.
func TestUpstreamPagesDump(t *testing.T) {
	root := upstreamRoot(t)
	if _, err := os.Stat(filepath.Join(mingwInclude, "traffic.h")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: CI must install mingw-w64-common", err)
		}
		t.Skipf("%v (apt-get install -y --no-install-recommends mingw-w64-common)", err)
	}
	codes := mingwCodes(t)
	for _, h := range upstreamHeaders {
		t.Run(h, func(t *testing.T) {
			dir := filepath.Join(root, h)
			header := filepath.Join(mingwInclude, h+".h")
			var out, stderr bytes.Buffer
			args := []string{"-spec", dir, "-header", header, "-dump"}
			if err := run(args, &out, &stderr); err != nil {
				t.Fatalf("gen %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			}
			var m model.Model
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				t.Fatalf("dump is not the model's JSON: %v", err)
			}
			names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
			if len(names) == 0 {
				t.Fatalf("%s holds no pages", dir)
			}
			skipped := map[string]model.Skip{}
			for _, s := range m.Skipped {
				if strings.TrimSpace(s.Reason) == "" {
					t.Errorf("%s (%s) is skipped without a reason", s.Name, s.Page)
				}
				skipped[s.Page] = s
			}
			funcs := map[string]model.Function{}
			for _, f := range m.Functions {
				funcs[f.Page] = f
			}
			types := map[string]bool{}
			for _, s := range m.Structs {
				types[s.Name] = true
			}
			for _, e := range m.Enums {
				types[e.Name] = true
			}
			generated := 0
			for _, n := range names {
				p := readUpstreamPage(t, n)
				if s, ok := skipped[p.file]; ok {
					t.Logf("skipped %s: %s", p.file, s.Reason)
					continue
				}
				if f, ok := funcs[p.file]; ok {
					generated++
					checkFunction(t, p, f, codes)
					continue
				}
				if len(p.apiNames) > 0 && types[p.apiNames[0]] {
					generated++
					continue
				}
				t.Errorf("%s is neither generated nor skipped with a reason", p.file)
			}
			if generated == 0 {
				t.Errorf("nothing generated from %s", dir)
			}
		})
	}
}

func checkFunction(t *testing.T, p upstreamPage, f model.Function, codes map[string]uint64) {
	t.Helper()
	if !contains(p.apiNames, f.Name) {
		t.Errorf("%s: function %s is not in the page's api_name %v", p.file, f.Name, p.apiNames)
	}
	var params []string
	for _, x := range f.Params {
		params = append(params, x.Name)
	}
	if strings.Join(params, ",") != strings.Join(p.params, ",") {
		t.Errorf("%s: %s parameters %v; the page documents %v", p.file, f.Name, params, p.params)
	}
	words, ok := conventionWords[f.Convention]
	if !ok {
		t.Errorf("%s: %s has unknown convention %q", p.file, f.Name, f.Convention)
	}
	found := false
	for _, w := range words {
		found = found || strings.Contains(p.returns, w)
	}
	if !found {
		t.Errorf("%s: %s is %s, but its return section names none of %v", p.file, f.Name, f.Convention, words)
	}
	for _, e := range f.Errors {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(e.Name) + `\b`).MatchString(p.returns) {
			t.Errorf("%s: %s error %s is not named in its return section", p.file, f.Name, e.Name)
		}
		if v, ok := codes[e.Name]; ok && uint32(v) != e.Value {
			t.Errorf("%s: %s error %s = %#x; mingw-w64 defines %#x", p.file, f.Name, e.Name, e.Value, v)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// mingwCodes reads the literal values of the codes in winerror.h,
// ntstatus.h and tcerror.h with a regular expression of its own: those
// written as a number, __MSABI_LONG(n), _HRESULT_TYPEDEF_(n) or a cast.
func mingwCodes(t *testing.T) map[string]uint64 {
	re := regexp.MustCompile(`(?m)^#define\s+([A-Z][A-Z0-9_]+)\s+(?:__MSABI_LONG\(|_HRESULT_TYPEDEF_\(|\(\([A-Z]+\))?\s*(0x[0-9A-Fa-f]+|[0-9]+)L?\)*\s*$`)
	out := map[string]uint64{}
	for _, n := range []string{"winerror.h", "ntstatus.h", "tcerror.h"} {
		src, err := os.ReadFile(filepath.Join(mingwInclude, n))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			v, err := strconv.ParseUint(m[2], 0, 64)
			if err == nil {
				if _, dup := out[m[1]]; !dup {
					out[m[1]] = v
				}
			}
		}
	}
	if len(out) < 1000 {
		t.Fatalf("read only %d codes from the mingw-w64 code headers", len(out))
	}
	return out
}

// TestUpstreamPagesGenerateGo generates a package from each header's
// upstream pages (-lenient: what gen models it must emit) and vets it for windows/amd64, windows/386 and linux: every
// convention the pages use (BOOL, DWORD status, NULL handles, HRESULT,
// NTSTATUS, void) compiles. The packages are written to a scratch
// directory inside qwave/internal, so they may use the shared runtime, and
// removed afterwards; none is kept, as their doc comments carry upstream's
// prose.
func TestUpstreamPagesGenerateGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds six packages")
	}
	root := upstreamRoot(t)
	if _, err := os.Stat(filepath.Join(mingwInclude, "traffic.h")); err != nil {
		t.Skipf("%v (apt-get install -y --no-install-recommends mingw-w64-common)", err)
	}
	base, err := os.MkdirTemp(filepath.Join("..", "qwave", "internal"), "tmp-upstream-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	for _, h := range upstreamHeaders {
		dir := filepath.Join(base, h)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		args := []string{"-spec", filepath.Join(root, h), "-header", filepath.Join(mingwInclude, h+".h"), "-package", "up" + h, "-lenient", "-out", dir}
		var stderr bytes.Buffer
		if err := run(args, &bytes.Buffer{}, &stderr); err != nil {
			t.Errorf("gen %s: %v", strings.Join(args, " "), err)
			continue
		}
		for _, target := range [][2]string{{"windows", "amd64"}, {"windows", "386"}, {"linux", "amd64"}} {
			cmd := exec.Command("go", "vet", "./"+filepath.ToSlash(dir))
			cmd.Env = append(os.Environ(), "GOOS="+target[0], "GOARCH="+target[1])
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: GOOS=%s GOARCH=%s go vet: %v\n%s\n(regenerate with: go run ./gen %s)", h, target[0], target[1], err, out, strings.Join(args, " "))
			}
		}
	}
}
