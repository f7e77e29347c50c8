package emit

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func fixture(t testing.TB) *model.Model {
	t.Helper()
	m, err := model.LoadDir("testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGolden renders the emitters on a small fixture spec and compares every
// file with testdata/golden. Run with -update to accept a change.
func TestGolden(t *testing.T) {
	files, err := Generate(fixture(t), Options{Command: "gen -spec testdata/fixture", Package: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedKeys(files) {
		t.Run(name, func(t *testing.T) {
			got := files[name]
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./gen/internal/emit -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s (go test ./gen/internal/emit -update to accept):\n%s", name, golden, lineDiff(string(want), string(got)))
			}
		})
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.golden"))
	if !*update && len(goldens) != len(files) {
		t.Errorf("%d golden files for %d generated files", len(goldens), len(files))
	}
}

// lineDiff shows the first lines where want and got part, quoted.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return "(same lines, different bytes)"
}

func TestGeneratedHeaderAndBuildTags(t *testing.T) {
	files, err := Generate(fixture(t), Options{Command: "gen -spec testdata/fixture"})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		first, _, _ := strings.Cut(string(src), "\n")
		if !GeneratedRe.MatchString(first) {
			t.Errorf("%s: first line %q is not a generated-code header", name, first)
		}
		windowsOnly := strings.Contains(string(src), "//go:build windows")
		if windowsOnly != strings.HasSuffix(name, "_windows.go") {
			t.Errorf("%s: windows build tag %v", name, windowsOnly)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments); err != nil {
			t.Errorf("%s does not parse: %v", name, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Generate(fixture(t), Options{Command: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Generate(fixture(t), Options{Command: "x"})
		if err != nil {
			t.Fatal(err)
		}
		for name := range a {
			if string(a[name]) != string(b[name]) {
				t.Fatalf("%s differs between two runs", name)
			}
		}
	}
}

func TestWriteDirRefusesHandWrittenFile(t *testing.T) {
	dir := t.TempDir()
	hand := filepath.Join(dir, "zapi.go")
	if err := os.WriteFile(hand, []byte("package demo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteDir(dir, fixture(t), Options{Command: "x"})
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("WriteDir = %v; want a refusal", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("WriteDir left %d files; want only the hand-written one", len(entries))
	}
	if err := os.Remove(hand); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, fixture(t), Options{Command: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, fixture(t), Options{Command: "x"}); err != nil {
		t.Fatalf("rewriting generated files: %v", err)
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{"QOSHandle": "qosHandle", "FlowId": "flowId", "RTT": "rtt", "Size": "size", "DestAddr": "destAddr", "x": "x"} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestUnformattableOutput: generated text that does not gofmt fails with the
// raw text kept, and saved where the message says.
func TestUnformattableOutput(t *testing.T) {
	g := &gen{opts: Options{Command: "x", Package: "demo"}}
	f := g.file("")
	f.Func().Id("broken").Params().Op("{{")
	_, err := g.render("zbroken.go", f)
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(string(fe.Raw), "broken") {
		t.Fatalf("render = %v; want a FormatError with the raw text", err)
	}
	fe.save()
	defer os.Remove(fe.Saved)
	saved, rerr := os.ReadFile(fe.Saved)
	if rerr != nil || string(saved) != string(fe.Raw) {
		t.Fatalf("saved %q (%v); want the raw text", fe.Saved, rerr)
	}
	if !strings.Contains(fe.Error(), "does not gofmt") || !strings.Contains(fe.Error(), fe.Saved) {
		t.Errorf("message %q does not say what failed and where the text is", fe.Error())
	}
}

// TestUnknownTypeIsAnError: a model holding a type Go cannot express (which
// the model should have refused) makes Generate fail with a message, never
// panic.
func TestUnknownTypeIsAnError(t *testing.T) {
	for _, typ := range []string{"PMYSTERY", "MYSTERY * *", "struct nowhere"} {
		m := fixture(t)
		m.Functions[0].Params[0].Type = typ
		files, err := Generate(m, Options{Command: "test", Package: "demo"})
		if err == nil || files != nil || !strings.Contains(err.Error(), "no Go type for C type") {
			t.Errorf("param type %q: files %d, error %v; want no files and an error naming the type", typ, len(files), err)
		}
	}
}

// TestConventionsInStubs: each convention's stub tests the return register
// its own way and returns a handle where the function returns one.
func TestConventionsInStubs(t *testing.T) {
	for conv, want := range map[model.Convention][]string{
		model.Status:        {"r1, _, _ := syscall.SyscallN(", "if uint32(r1) != 0 {", "return errnoErr(Errno(r1))"},
		model.HResult:       {"if int32(r1) < 0 {"},
		model.HandleNull:    {") (Handle, error) {", "if r1 == 0 {", "return Handle(r1), errnoErr(Errno(e1))", "return Handle(r1), nil"},
		model.HandleInvalid: {"if r1 == ^uintptr(0) {"},
		model.SocketError:   {") (int32, error) {", "if int32(r1) == -1 {"},
		model.Void:          {"syscall.SyscallN(addr, uintptr(handle))\n\treturn nil"},
	} {
		m := fixture(t)
		fn, _ := m.Func("DemoClose")
		fn.Convention, fn.Return = conv, "HANDLE"
		files, err := Generate(m, Options{Command: "test", Package: "demo"})
		if err != nil {
			t.Fatalf("%s: %v", conv, err)
		}
		src := string(files["zdemo_windows.go"])
		for _, w := range want {
			if !strings.Contains(src, w) {
				t.Errorf("%s: stubs lack %q", conv, w)
			}
		}
		if c := string(files["zcontract.go"]); !strings.Contains(c, "Success: "+successRule[conv]+",") {
			t.Errorf("%s: contract lacks Success: %s", conv, successRule[conv])
		}
	}
}

// TestPadding: explicit padding must put a member where C does on 386 and
// amd64 at once; where no one padding can (a pointer before an 8-byte
// integer), generation fails and says why.
func TestPadding(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []string
		want  string // a line of the struct, or the error
		fails bool
	}{
		{"uint32 then uint64", []string{"ULONG", "UINT64"}, "_ [4]byte // C alignment of F1", false},
		{"uint64 then uint32", []string{"UINT64", "ULONG"}, "_ [4]byte // C tail padding", false},
		{"pointer then uint64", []string{"PVOID", "UINT64"}, "no one Go padding puts it there on both", true},
		{"pointer then uint32", []string{"PVOID", "ULONG"}, "F1 uint32", false},
	} {
		m := fixture(t)
		s := &m.Structs[0]
		s.Fields = nil
		for i, typ := range tc.types {
			s.Fields = append(s.Fields, model.Field{Name: fmt.Sprintf("F%d", i), Type: typ})
		}
		files, err := Generate(m, Options{Command: "test", Package: "demo"})
		switch {
		case tc.fails && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v; want one saying %q", tc.name, err, tc.want)
		case !tc.fails && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.fails && !strings.Contains(strings.Join(strings.Fields(string(files["ztypes.go"])), " "), tc.want):
			t.Errorf("%s: ztypes.go lacks %q:\n%s", tc.name, tc.want, files["ztypes.go"])
		}
	}
}
