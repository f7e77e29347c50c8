package qos_test

import (
	"errors"
	"testing"

	"github.com/winqos/winqos/qos"
	"github.com/winqos/winqos/qwave"
)

// On the real qwave.dll (Windows, or Wine's stub), qos either works or
// reports ErrUnavailable or a documented error; it never panics.
func TestNativeNeverPanics(t *testing.T) {
	c := qos.New(qwave.Native{})
	defer c.Close()
	f, err := c.Apply(connected(t), qos.Voice)
	if err != nil {
		var code qwave.Errno
		if !errors.Is(err, qos.ErrUnavailable) && !(errors.As(err, &code) && qwave.Documented("QOSAddSocketToFlow", code)) {
			t.Fatalf("Apply on qwave.dll = %v; want success, ErrUnavailable or a code QOSAddSocketToFlow documents", err)
		}
		t.Logf("Apply on this qwave.dll: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Priority(); err != nil {
		t.Logf("Priority: %v", err)
	}
}

func TestOpenOnWindows(t *testing.T) {
	c, err := qos.Open()
	if err != nil {
		if !errors.Is(err, qos.ErrUnavailable) {
			t.Errorf("Open() = %v; want success or ErrUnavailable", err)
		}
		t.Logf("Open: %v", err)
		return
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
