//go:build !windows

package qos

import "errors"

// Open returns a Client over qwave.dll; outside Windows it always fails
// with an error matching ErrUnavailable. Use New with an implementation of
// qwave.API, such as the reference model (qwavetest.New), instead.
func Open(opts ...Option) (*Client, error) {
	return nil, &unavailableError{
		err:  errors.New("qwave.dll exists only on Windows"),
		hint: "use qos.New with a qwave.API such as the reference model, qwavetest.New()",
	}
}
