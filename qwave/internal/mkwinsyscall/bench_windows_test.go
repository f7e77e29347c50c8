package mkwinsyscall

import (
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/qwave"
)

// The paths Wine's qwave.dll implements, each called through package qwave
// and through mkwinsyscall's stub. Run under Wine (or on Windows) with
//
//	GOOS=windows go test ./qwave/internal/mkwinsyscall -run '^$' -bench . -benchmem -count 10
//
// and compare with benchstat.

var sink error

func benchPair(b *testing.B, want syscall.Errno, winqos, mk func() error) {
	for _, impl := range []struct {
		name string
		call func() error
	}{{"winqos", winqos}, {"mkwinsyscall", mk}} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			if err := impl.call(); !errors.Is(err, want) {
				b.Skipf("%s returns %v here, not %v: not the path this benchmark measures", impl.name, err, want)
			}
			b.ReportAllocs()
			for b.Loop() {
				sink = impl.call()
			}
		})
	}
}

func BenchmarkCreateHandleNil(b *testing.B) {
	benchPair(b, windows.ERROR_INVALID_PARAMETER,
		func() error { return qwave.QOSCreateHandle(nil, nil) },
		func() error { return QOSCreateHandle(nil, nil) })
}

func BenchmarkCreateHandleValid(b *testing.B) {
	v := qwave.QOS_VERSION{MajorVersion: 1}
	var h qwave.Handle
	benchPair(b, windows.ERROR_SERVICE_ALREADY_RUNNING,
		func() error { return qwave.QOSCreateHandle(&v, &h) },
		func() error { return QOSCreateHandle(&v, &h) })
}

func BenchmarkAddSocketToFlow(b *testing.B) {
	var id qwave.QOS_FLOWID
	benchPair(b, windows.ERROR_NOT_SUPPORTED,
		func() error { return qwave.QOSAddSocketToFlow(0, 0, nil, qwave.QOSTrafficTypeBestEffort, 0, &id) },
		func() error { return QOSAddSocketToFlow(0, 0, nil, qwave.QOSTrafficTypeBestEffort, 0, &id) })
}

// BenchmarkDocumentedCode is the failure path of a documented code >= 256,
// which mkwinsyscall boxes anew on every failure and qwave boxes once.
func BenchmarkDocumentedCode(b *testing.B) {
	benchPair(b, windows.ERROR_NOT_FOUND,
		func() error { return qwave.Outcome{LastError: qwave.Errno(lastError)}.Err() },
		func() error { return ErrnoErr(lastError) })
}

// lastError is ERROR_NOT_FOUND, documented by QOSRemoveSocketFromFlow and
// others; a variable, as a real last error is, so no conversion is folded
// at compile time.
var lastError = syscall.Errno(1168)
