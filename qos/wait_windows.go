package qos

import (
	"context"
	"errors"

	"github.com/winqos/winqos/qwave"
	"golang.org/x/sys/windows"
)

// prepare gives o an event that the system sets when the operation
// completes.
func prepare(o *qwave.Overlapped) error {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return err
	}
	o.HEvent = qwave.Handle(ev)
	return nil
}

// release closes o's event.
func release(o *qwave.Overlapped) {
	if o.HEvent != 0 {
		windows.CloseHandle(windows.Handle(o.HEvent))
		o.HEvent = 0
	}
}

// waitNative waits for o's event on a goroutine, so that ctx can end the
// wait: then QOSCancel makes the operation complete, the goroutine returns,
// and so does waitNative. Nothing is left running.
func waitNative(ctx context.Context, api qwave.API, h qwave.Handle, o *qwave.Overlapped) (err error, cancelled bool) {
	done := make(chan struct{})
	go func() {
		windows.WaitForSingleObject(windows.Handle(o.HEvent), windows.INFINITE)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		// A failure means the operation is not pending any more
		// (completed meanwhile), or the handle is gone, which aborted it.
		_ = api.QOSCancel(h, o)
		<-done
		cancelled = true
	}
	var n uint32
	err = windows.GetOverlappedResult(windows.Handle(h), o.Windows(), &n, false)
	var code windows.Errno
	if errors.As(err, &code) {
		// As a qwave.Errno, the code matches this package's and qwave's
		// errors (ERROR_OPERATION_ABORTED after a cancel) in errors.Is.
		err = qwave.Outcome{LastError: qwave.Errno(code)}.Err()
	}
	return err, cancelled
}
