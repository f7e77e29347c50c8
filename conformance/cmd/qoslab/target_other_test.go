//go:build !windows

package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestWineMissingNamesTheInstall(t *testing.T) {
	saved := wineLoader
	defer func() { wineLoader = saved }()
	wineLoader = "/nonexistent/wine64"
	code, err := run([]string{"-wine", "-out", t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
	if code == 0 || err == nil || !strings.Contains(err.Error(), "apt-get install -y --no-install-recommends wine64") {
		t.Fatalf("run -wine without Wine = %d, %v; want a failure naming the apt-get line", code, err)
	}
}
