//go:build !windows

package qos

import (
	"context"
	"errors"

	"github.com/winqos/winqos/qwave"
)

// errNoWait: outside Windows, only APIs with a Done method (the reference
// model) complete overlapped operations in a way qos can wait for.
var errNoWait = errors.New("qos: this qwave.API cannot report overlapped completion (it has no Done method)")

// prepare refuses: outside Windows nothing could wait for the operation.
func prepare(*qwave.Overlapped) error { return errNoWait }

func release(*qwave.Overlapped) {}

// waitNative is never reached outside Windows: prepare refused.
func waitNative(context.Context, qwave.API, qwave.Handle, *qwave.Overlapped) (error, bool) {
	return errNoWait, false
}
