package model

import (
	"os"
	"strings"
	"testing"

	"github.com/winqos/winqos/gen/cdecl"
)

// readHeader returns a mingw-w64 header, skipping where it is not installed,
// except in CI, which installs mingw-w64-common and must not pass without it.
func readHeader(t *testing.T, name string) (string, []byte) {
	path := "/usr/share/mingw-w64/include/" + name
	src, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: CI must install mingw-w64-common", err)
		}
		t.Skipf("%v (apt-get install -y --no-install-recommends mingw-w64-common)", err)
	}
	return path, src
}

// knownHeaderDifferences are the places where mingw-w64's qos2.h disagrees
// with the spec, each with the reason the spec is right.
var knownHeaderDifferences = map[string]string{
	"typedef PQOS_FLOWID":                             "qos2.h uses PQOS_FLOWID in QOSAddSocketToFlow but never defines it; the Windows SDK declares typedef UINT32 QOS_FLOWID, *PQOS_FLOWID",
	"constant QOS_NON_ADAPTIVE_FLOW":                  "qos2.h lacks the flag; QOSAddSocketToFlow's page documents it and the Windows SDK defines it as 0x00000002",
	"constant QOS_QUERYFLOW_FRESH":                    "qos2.h lacks the flag; QOSQueryFlow's page documents it and the Windows SDK defines it as 0x00000001",
	"constant QOS_OUTGOING_DEFAULT_MINIMUM_BANDWIDTH": "qos2.h lacks the constant; the Windows SDK defines it as 0xFFFFFFFF",
}

// TestMingwHeader checks every parameter type, struct field type and enum
// value of the spec against mingw-w64's qos2.h.
func TestMingwHeader(t *testing.T) {
	path, src := readHeader(t, "qos2.h")
	h, err := cdecl.ParseHeader(path, src)
	if err != nil {
		t.Fatal(err)
	}
	m := loadSpec(t)
	seen := map[string]bool{}
	for _, d := range CompareHeader(m, h) {
		seen[d.Key] = true
		if _, ok := knownHeaderDifferences[d.Key]; !ok {
			t.Errorf("%s:%d: %s", path, d.Line, d)
		}
	}
	for key, why := range knownHeaderDifferences {
		if !seen[key] {
			t.Errorf("known difference %q (%s) no longer occurs; remove it", key, why)
		}
	}
}

// TestWinerrorHeader checks every documented error code's value against
// mingw-w64's winerror.h.
func TestWinerrorHeader(t *testing.T) {
	path, src := readHeader(t, "winerror.h")
	h, err := cdecl.ParseHeader(path, src)
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]uint64{}
	for _, d := range h.Defines {
		defs[d.Name] = d.Value
	}
	m := loadSpec(t)
	if len(m.ErrorCodes) == 0 {
		t.Fatal("spec has no error codes")
	}
	for _, c := range m.ErrorCodes {
		v, ok := defs[c.Name]
		switch {
		case !ok:
			t.Errorf("%s: not in %s", c.Name, path)
		case v != c.Value:
			t.Errorf("%s = %d in spec, %d in %s", c.Name, c.Value, v, path)
		}
	}
}

// TestCompareHeaderFindsChanges makes sure the comparison can fail.
func TestCompareHeaderFindsChanges(t *testing.T) {
	path, src := readHeader(t, "qos2.h")
	mutated := strings.Replace(string(src), "  ULONG Size,", "  PULONG Size,", 1)
	mutated = strings.Replace(mutated, "QOSUseNonConformantMarkings   = 2", "QOSUseNonConformantMarkings   = 3", 1)
	mutated = strings.Replace(mutated, "  UINT32 RTT;", "  UINT64 RTT;", 1)
	h, err := cdecl.ParseHeader(path, []byte(mutated))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"QOSSetFlow.Size type": true, "QOS_SHAPING.QOSUseNonConformantMarkings": true, "QOS_FLOW_FUNDAMENTALS.RTT type": true}
	for _, d := range CompareHeader(loadSpec(t), h) {
		delete(want, d.Key)
	}
	if len(want) > 0 {
		t.Errorf("CompareHeader missed %v", want)
	}
}
