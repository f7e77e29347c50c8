//go:build !windows

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/winqos/winqos/conformance"
	"github.com/winqos/winqos/qwave"
)

func defaultTarget() string { return "model" }

func dllTarget(netip.AddrPort) (func() qwave.API, []conformance.Option, error) {
	return nil, nil, errors.New("-target dll needs Windows; on Linux use -wine to run under Wine")
}

func autoBaseline(string) string { return "none" }

// wineLoader is where Debian's wine64 package puts the 64-bit loader.
var wineLoader = "/usr/lib/wine/wine64"

// runUnderWine cross-builds qoslab for windows/amd64 and runs it under Wine
// with the same flags, after preparing the Wine prefix with
// conformance/wine/prepare.sh.
func runUnderWine(c config, args []string, stderr io.Writer) (int, error) {
	if _, err := os.Stat(wineLoader); err != nil {
		return 2, fmt.Errorf("no Wine installation (%v): apt-get install -y --no-install-recommends wine64 binutils-mingw-w64-x86-64", err)
	}
	root, err := moduleRoot()
	if err != nil {
		return 2, err
	}
	prep := exec.Command(filepath.Join(root, "conformance", "wine", "prepare.sh"))
	prep.Stderr = stderr
	envLine, err := prep.Output()
	if err != nil {
		return 2, fmt.Errorf("conformance/wine/prepare.sh: %w", err)
	}
	env := append(os.Environ(), parseExports(string(envLine))...)
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return 2, err
	}
	exe, err := filepath.Abs(filepath.Join(c.out, "qoslab.exe"))
	if err != nil {
		return 2, err
	}
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", exe, "./conformance/cmd/qoslab")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64")
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return 2, fmt.Errorf("cross-building qoslab.exe: %w", err)
	}
	var pass []string
	for _, a := range args {
		if a != "-wine" && a != "--wine" && a != "-wine=true" && a != "--wine=true" {
			pass = append(pass, a)
		}
	}
	cmd := exec.Command(wineLoader, append([]string{exe, "-target", "dll"}, pass...)...)
	cmd.Env = append(env, caseMarksEnv+"=1", commitEnv+"="+commit())
	cmd.Stdout = os.Stdout
	lines := &caseLines{out: stderr, byCase: map[string][]string{}}
	cmd.Stderr = lines
	// A wineserver started by this run may hold stderr open after
	// qoslab.exe exits; do not wait for it.
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	lines.flush()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil && !errors.Is(err, exec.ErrWaitDelay):
		return 2, err
	}
	if code == 2 {
		return code, nil // bad flags or no run: nothing to attach to
	}
	if err := attachStderr(c, lines.byCase); err != nil {
		return 2, err
	}
	return code, nil
}

// caseLines passes Wine's stderr through and keeps each line under the case
// whose mark (caseMark) came last: Wine writes a child's own messages, such
// as "unimplemented function qwave.dll.QOSCancel", there and not into the
// child's stderr pipe.
type caseLines struct {
	out     io.Writer
	partial []byte
	current string
	byCase  map[string][]string
}

func (l *caseLines) Write(p []byte) (int, error) {
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.line(string(l.partial[:i+1]))
		l.partial = l.partial[i+1:]
	}
}

func (l *caseLines) flush() {
	if len(l.partial) > 0 {
		l.line(string(l.partial) + "\n")
		l.partial = nil
	}
}

func (l *caseLines) line(s string) {
	if name, ok := strings.CutPrefix(strings.TrimRight(s, "\r\n"), caseMark); ok {
		l.current = name
		return
	}
	io.WriteString(l.out, s)
	if l.current != "" && !strings.HasPrefix(s, "qoslab: ") { // qoslab's own progress and summary
		l.byCase[l.current] = append(l.byCase[l.current], strings.TrimRight(s, "\r\n"))
	}
}

// attachStderr gives each crashed or hung case of the Wine run the lines
// Wine printed while it ran, and rewrites the reports with them.
func attachStderr(c config, byCase map[string][]string) error {
	path := filepath.Join(c.out, "results.jsonl")
	report, err := readResults(path)
	if err != nil || report.Machine == nil {
		return err
	}
	changed := false
	for i := range report.Results {
		res := &report.Results[i]
		if lines := byCase[res.Case]; len(lines) > 0 && (res.Status == conformance.Crashed || res.Status == conformance.Hung) {
			captured := strings.Join(lines, "\n") + "\n"
			if !strings.Contains(res.Stderr, captured) {
				res.Stderr = tail(res.Stderr+captured, 2000)
				changed = true
			}
		}
	}
	if !changed {
		return nil
	}
	c.target = "dll"
	if c.baseline == "auto" {
		c.baseline = conformance.WineBaseline(report.Machine.Wine)
	}
	_, err = finish(c, report, io.Discard)
	return err
}

// parseExports reads prepare.sh's "export A=b; export C=d" line.
func parseExports(line string) []string {
	var env []string
	for _, part := range strings.Split(line, ";") {
		part = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), "export "))
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.ReplaceAll(v, `"$PATH"`, os.Getenv("PATH"))
		v = strings.ReplaceAll(v, `$PATH`, os.Getenv("PATH"))
		env = append(env, k+"="+v)
	}
	return env
}

// moduleRoot finds the directory holding this module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("-wine must run inside the winqos module (no go.mod found)")
	}
	return filepath.Dir(mod), nil
}
