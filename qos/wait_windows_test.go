package qos_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// NTSTATUS values the system leaves in OVERLAPPED.Internal.
const (
	statusPending   = 0x103
	statusCancelled = 0xC0000120
)

// eventAPI completes overlapped operations as Windows does: it writes the
// status to OVERLAPPED.Internal and sets the OVERLAPPED's event. Handle and
// flow calls succeed; QOSNotifyFlow is always pending until cancelled or
// completed by complete.
type eventAPI struct {
	qwavetest.Missing
	mu      sync.Mutex
	pending *qwave.Overlapped
	started chan struct{}
}

func (a *eventAPI) QOSCreateHandle(_ *qwave.QOS_VERSION, h *qwave.Handle) error {
	*h = 0x1000
	return nil
}
func (a *eventAPI) QOSCloseHandle(qwave.Handle) error { return nil }
func (a *eventAPI) QOSAddSocketToFlow(_ qwave.Handle, _ qwave.Socket, _ *qwave.RawSockaddrAny, _ qwave.QOS_TRAFFIC_TYPE, _ uint32, id *qwave.QOS_FLOWID) error {
	*id = 1
	return nil
}
func (a *eventAPI) QOSRemoveSocketFromFlow(qwave.Handle, qwave.Socket, qwave.QOS_FLOWID, uint32) error {
	return nil
}

func (a *eventAPI) QOSNotifyFlow(_ qwave.Handle, _ qwave.QOS_FLOWID, _ qwave.QOS_NOTIFY_FLOW, _ *uint32, _ unsafe.Pointer, _ uint32, o *qwave.Overlapped) error {
	if o == nil || o.HEvent == 0 {
		return qwave.ERROR_INVALID_PARAMETER
	}
	a.mu.Lock()
	o.Internal = statusPending
	a.pending = o
	a.mu.Unlock()
	a.started <- struct{}{}
	return qwave.ERROR_IO_PENDING
}

// finish completes the pending operation with an NTSTATUS.
func (a *eventAPI) finish(status uintptr) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.pending
	if o == nil {
		return qwave.ERROR_INVALID_PARAMETER
	}
	a.pending = nil
	o.Internal = status
	return windows.SetEvent(windows.Handle(o.HEvent))
}

func (a *eventAPI) QOSCancel(_ qwave.Handle, o *qwave.Overlapped) error {
	return a.finish(statusCancelled)
}

// The Windows wait: an event per operation, a goroutine that ends with the
// operation, QOSCancel when the context ends, GetOverlappedResult for the
// outcome. No goroutine is left (TestMain checks).
func TestNativeWait(t *testing.T) {
	api := &eventAPI{started: make(chan struct{}, 1)}
	c := qos.New(api)
	defer c.Close()
	f, err := c.Apply(connected(t), qos.AudioVideo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.WaitCongested(ctx) }()
	<-api.started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait = %v; want context.Canceled", err)
	}

	go func() { done <- f.WaitCongested(context.Background()) }()
	<-api.started
	if err := api.finish(0); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("completed wait = %v; want nil", err)
	}
}
