//go:build !windows

package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

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
		return 2, fmt.Errorf("Wine is not installed (%v): apt-get install -y --no-install-recommends wine64 binutils-mingw-w64-x86-64", err)
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
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
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
