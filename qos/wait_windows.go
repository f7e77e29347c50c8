package qos

import (
	"context"

	"github.com/winqos/winqos/qwave"
	"golang.org/x/sys/windows"
)

// prepare gives o an event that the system sets when the operation
// completes.
func prepare(o *qwave.Overlapped) {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err == nil {
		o.HEvent = qwave.Handle(ev)
	}
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
	if o.HEvent == 0 {
		return windows.ERROR_NOT_ENOUGH_MEMORY, false
	}
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
	return windows.GetOverlappedResult(windows.Handle(h), o.Windows(), &n, false), cancelled
}
