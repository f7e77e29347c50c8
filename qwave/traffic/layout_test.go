package traffic_test

import (
	"reflect"
	"testing"

	"github.com/winqos/winqos/qwave/internal/layout"
	"github.com/winqos/winqos/qwave/traffic"
)

// trafficLayout is what the layout tests check: ztypes.go against
// mingw-w64's traffic.h, which a C file includes after qos.h (FLOWSPEC,
// QOS_OBJECT_HDR), as traffic.h itself does not include it.
var trafficLayout = layout.Package{
	Dir: ".", Path: "github.com/winqos/winqos/qwave/traffic", TypesFile: "ztypes.go", Header: "traffic.h",
	Prelude: `#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>
#include <qos.h>
#include <traffic.h>
`,
	Required: []string{"ENUMERATION_BUFFER", "IP_PATTERN", "TCI_CLIENT_FUNC_LIST", "TC_GEN_FILTER", "TC_GEN_FLOW", "TC_IFC_DESCRIPTOR"},
}

// TestLayoutMatchesClang compares every struct of ztypes.go with the layout
// clang computes for mingw-w64's traffic.h on each Windows target.
func TestLayoutMatchesClang(t *testing.T) { trafficLayout.CheckClang(t, nil) }

// TestLayoutGoTypesMatchesCompiler checks that go/types computes the
// layouts the compiler gave the real types.
func TestLayoutGoTypesMatchesCompiler(t *testing.T) {
	trafficLayout.CheckCompiler(t, map[string]reflect.Type{
		"ENUMERATION_BUFFER":   reflect.TypeFor[traffic.ENUMERATION_BUFFER](),
		"IP_PATTERN":           reflect.TypeFor[traffic.IP_PATTERN](),
		"TCI_CLIENT_FUNC_LIST": reflect.TypeFor[traffic.TCI_CLIENT_FUNC_LIST](),
		"TC_GEN_FILTER":        reflect.TypeFor[traffic.TC_GEN_FILTER](),
		"TC_GEN_FLOW":          reflect.TypeFor[traffic.TC_GEN_FLOW](),
		"TC_IFC_DESCRIPTOR":    reflect.TypeFor[traffic.TC_IFC_DESCRIPTOR](),
	})
}
