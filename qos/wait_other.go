//go:build !windows

package qos

import (
	"context"
	"errors"

	"github.com/winqos/winqos/qwave"
)

func prepare(*qwave.Overlapped) {}
func release(*qwave.Overlapped) {}

// errNoWait: outside Windows, only APIs with a Done method (the reference
// model) complete overlapped operations in a way qos can wait for.
var errNoWait = errors.New("qos: this qwave.API cannot report overlapped completion (it has no Done method)")

// waitNative cannot wait outside Windows. The operation stays pending, so
// it is cancelled first.
func waitNative(_ context.Context, api qwave.API, h qwave.Handle, o *qwave.Overlapped) (error, bool) {
	_ = api.QOSCancel(h, o)
	return errNoWait, false
}
