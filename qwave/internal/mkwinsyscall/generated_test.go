package mkwinsyscall

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// TestGeneratedUpToDate regenerates the stubs with the pinned mkwinsyscall
// and compares them with the committed file.
func TestGeneratedUpToDate(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command (a cross-compiled test binary)")
	}
	cmd := exec.Command("go", "run", "golang.org/x/sys/windows/mkwinsyscall", "syscall_windows.go")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	fresh, err := cmd.Output()
	if err != nil {
		t.Fatalf("mkwinsyscall: %v\n%s", err, stderr.String())
	}
	committed, err := os.ReadFile("zsyscall_windows.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Error("zsyscall_windows.go is stale: run go generate ./qwave/internal/mkwinsyscall")
	}
}
