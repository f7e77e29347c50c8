// Package scratch gives tests of the conformance packages a temporary
// directory that also works under Wine.
package scratch

import (
	"os"
	"runtime"
	"testing"
)

// Dir returns a new temporary directory, removed when the test ends. It
// stands in for t.TempDir, whose cleanup fails the test under Wine 8: Wine
// does not implement the file-disposition call Go's os.Remove makes on
// Windows ("Invalid function"). There the directory is left for Wine's prefix
// and the failure only logged.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "winqos-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			if runtime.GOOS == "windows" {
				t.Logf("leaving %s: %v", dir, err)
				return
			}
			t.Error(err)
		}
	})
	return dir
}
