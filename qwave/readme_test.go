package qwave_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The README's example of the bindings is a complete Windows program: it
// must build and vet for every Windows architecture.
func TestREADMEExampleBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command here:", err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const section = "## Using the bindings\n"
	text := string(readme)
	i := strings.Index(text, section)
	if i < 0 {
		t.Fatalf("README.md has no %q section", strings.TrimSpace(section))
	}
	text = text[i:]
	start := strings.Index(text, "```go\n")
	end := strings.Index(text[start+6:], "```\n")
	if start < 0 || end < 0 {
		t.Fatal("README.md's bindings section has no ```go block")
	}
	src := text[start+6 : start+6+end]
	line := strings.Count(string(readme[:i])+text[:start], "\n") + 2

	// The program builds in a module of its own that requires this checkout
	// (replace) with this module's requirements and sums, so nothing is
	// written into the checkout and nothing is downloaded.
	dir := t.TempDir()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(gomod), "module github.com/winqos/winqos", "module readmeexample", 1) +
		"\nrequire github.com/winqos/winqos v0.0.0\n\nreplace github.com/winqos/winqos => " + root + "\n"
	for name, data := range map[string]string{"main.go": src, "go.mod": mod, "go.sum": string(gosum)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, arch := range []string{"amd64", "386", "arm64"} {
		for _, verb := range [][]string{{"build", "-o", os.DevNull}, {"vet"}} {
			args := append(verb, ".")
			cmd := exec.Command(gobin, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("README.md:%d: GOOS=windows GOARCH=%s go %s: %v\n%s", line, arch, strings.Join(args, " "), err, out)
			}
		}
	}
}
