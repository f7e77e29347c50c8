package qos

import "github.com/winqos/winqos/qwave"

// Open returns a Client over qwave.dll (qwave.Native), which it loads and
// whose handle it creates now. When qwave.dll is missing (Windows Server
// without the qWAVE feature) or its service cannot run, the error matches
// ErrUnavailable and says how to install it.
func Open(opts ...Option) (*Client, error) {
	c := New(qwave.Native{}, opts...)
	c.mu.Lock()
	err := c.create()
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c, nil
}
