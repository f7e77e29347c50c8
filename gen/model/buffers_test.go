package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withBuffers loads spec/qos2's pages with buffers.yaml replaced by src.
func withBuffers(t *testing.T, src string) (*Model, error) {
	t.Helper()
	return withSpecFile(t, BuffersFile, src)
}

// withSpecFile copies spec/qos2's pages into a temporary directory, writes
// src there as file, and loads it.
func withSpecFile(t *testing.T, file, src string) (*Model, error) {
	t.Helper()
	dir := t.TempDir()
	pages, _ := filepath.Glob("../../spec/qos2/*.md")
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, file), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return LoadDir(dir)
}

func TestBuffersLoaded(t *testing.T) {
	m, err := LoadDir("../../spec/qos2")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range m.Buffers {
		got[b.Func+"/"+b.Operation] = b.Type
	}
	for key, want := range map[string]string{
		"QOSSetFlow/QOSSetTrafficType":          "QOS_TRAFFIC_TYPE",
		"QOSQueryFlow/QOSQueryPacketPriority":   "QOS_PACKET_PRIORITY",
		"QOSNotifyFlow/QOSNotifyCongested":      "NULL",
		"QOSNotifyFlow/QOSNotifyAvailable":      "UINT64",
		"QOSSetFlow/QOSSetOutgoingDSCPValue":    "DWORD",
		"QOSQueryFlow/QOSQueryFlowFundamentals": "QOS_FLOW_FUNDAMENTALS",
	} {
		if got[key] != want {
			t.Errorf("%s: buffer %q; want %q", key, got[key], want)
		}
	}
	if len(m.Buffers) != 9 {
		t.Errorf("%d entries; want 9, one per operation of the three functions", len(m.Buffers))
	}
}

func TestBuffersErrors(t *testing.T) {
	all, err := os.ReadFile("../../spec/qos2/" + BuffersFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, src, want string }{
		{"unknown function", "- func: QOSSetFlw\n  operation: QOSSetTrafficType\n  buffer: DWORD\n", "buffers.yaml:1: unknown function QOSSetFlw; did you mean QOSSetFlow?"},
		{"no operation parameter", "- func: QOSCancel\n  operation: QOSSetTrafficType\n  buffer: DWORD\n", "buffers.yaml:1: QOSCancel takes no Operation and Buffer"},
		{"not a member", "- func: QOSSetFlow\n  operation: QOSSetTraficType\n  buffer: DWORD\n", "buffers.yaml:1: QOSSetTraficType is no QOS_SET_FLOW member; did you mean QOSSetTrafficType?"},
		{"unknown type", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: WORD\n", "buffers.yaml:1: unknown buffer type WORD"},
		{"type the page does not name", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: QOS_PACKET_PRIORITY\n", "buffers.yaml:1: QOSSetFlow's page does not name QOS_PACKET_PRIORITY"},
		{"NULL the page does not say", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: \"NULL\"\n", "buffers.yaml:1: QOSSetFlow's page does not say Buffer is NULL for QOSSetTrafficType"},
		{"bare NULL", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: NULL\n", "buffers.yaml:1: entry has no buffer"},
		{"unknown key", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: QOS_TRAFFIC_TYPE\n  size: 4\n", "buffers.yaml:4: unknown key \"size\""},
		{"missing operation", "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: QOS_TRAFFIC_TYPE\n", "no entry for QOSSetFlow operation QOSSetOutgoingRate"},
		{"listed twice", string(all) + "- func: QOSSetFlow\n  operation: QOSSetTrafficType\n  buffer: QOS_TRAFFIC_TYPE\n", "QOSSetFlow/QOSSetTrafficType is listed again; first at line"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := withBuffers(t, c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v; want it to say %q", err, c.want)
			}
		})
	}
}
