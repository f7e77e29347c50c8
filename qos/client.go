package qos

import (
	"cmp"
	"errors"
	"maps"
	"net/netip"
	"slices"
	"sync"

	"github.com/winqos/winqos/qwave"
)

// Client applies traffic classes to connections through one QOS handle. It
// is safe for concurrent use. Close removes every flow it made.
type Client struct {
	api      qwave.API
	describe describer // api's DescribeSocket, or nil
	waiter   waiter    // api's Done and OverlappedResult, or nil
	onReinit func(error)

	// mu guards everything below. API calls on live flows run under the
	// read lock, so they run concurrently; handle (re)creation, Apply's
	// bookkeeping and Close take the write lock.
	mu     sync.RWMutex
	h      qwave.Handle
	open   bool   // h is a handle
	gen    uint64 // handles created so far; a reinitialisation starts gen+1
	closed bool
	flows  map[qwave.Socket]*Flow
	seq    uint64 // flows made so far
}

// describer is implemented by APIs without sockets of their own, such as the
// reference model: qos tells them what Winsock would tell Windows.
type describer interface {
	DescribeSocket(s qwave.Socket, local, peer netip.AddrPort, dualStack bool)
}

// waiter is implemented by APIs that complete overlapped operations
// themselves, such as the reference model.
type waiter interface {
	Done(o *qwave.Overlapped) <-chan struct{}
	OverlappedResult(o *qwave.Overlapped) (n uint32, err error, done bool)
}

// Option configures a Client.
type Option func(*Client)

// OnReinitialize sets a function the Client calls after it recreated its
// handle following ERROR_DEVICE_REINITIALIZATION_NEEDED (the host slept, an
// adapter failed) and added its live flows again. err is nil when every flow
// came back, else it joins the failures of the flows that did not; those
// flows report ErrClosed from then on. fn runs on the goroutine whose call
// met the error, with no lock held.
func OnReinitialize(fn func(err error)) Option { return func(c *Client) { c.onReinit = fn } }

// New returns a Client over api: qwave.Native on Windows, the reference
// model (qwavetest.New) anywhere. The QOS handle is created on first use, so
// New cannot fail; Open reports a missing qWAVE at once.
func New(api qwave.API, opts ...Option) *Client {
	c := &Client{api: api, flows: make(map[qwave.Socket]*Flow)}
	c.describe, _ = api.(describer)
	c.waiter, _ = api.(waiter)
	for _, o := range opts {
		o(c)
	}
	return c
}

var errNilAPI = errors.New("qos.New was given a nil qwave.API")

// version is the only QOS_VERSION qWAVE accepts.
var version = qwave.QOS_VERSION{MajorVersion: 1, MinorVersion: 0}

// create creates the handle; c.mu is held for writing.
func (c *Client) create() error {
	if c.api == nil {
		return &unavailableError{err: errNilAPI, hint: "pass qwave.Native{} or a model to qos.New"}
	}
	var h qwave.Handle
	v := version
	if err := c.api.QOSCreateHandle(&v, &h); err != nil {
		return createError(err)
	}
	c.h, c.open = h, true
	c.gen++
	return nil
}

// ensure returns the open handle and its generation, creating it if need be.
// It returns with c.mu read-locked when err is nil.
func (c *Client) ensure() (qwave.Handle, uint64, error) {
	for {
		c.mu.RLock()
		switch {
		case c.closed:
			c.mu.RUnlock()
			return 0, 0, ErrClosed
		case c.open:
			return c.h, c.gen, nil
		}
		c.mu.RUnlock()
		c.mu.Lock()
		var err error
		if !c.open && !c.closed {
			err = c.create()
		}
		c.mu.Unlock()
		if err != nil {
			return 0, 0, err
		}
	}
}

// reinitNeeded reports whether err says the handle must be recreated.
func reinitNeeded(err error) bool {
	return errors.Is(err, qwave.ERROR_DEVICE_REINITIALIZATION_NEEDED)
}

// reinit replaces handle generation gen, unless another call did already,
// and adds the live flows again. It calls OnReinitialize.
func (c *Client) reinit(gen uint64) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.gen != gen || !c.open {
		c.mu.Unlock()
		return nil
	}
	_ = c.api.QOSCloseHandle(c.h) // it is invalid anyway; closing frees what is left
	c.open = false
	if err := c.create(); err != nil {
		for _, f := range c.flows {
			f.lost = true
		}
		clear(c.flows)
		c.mu.Unlock()
		c.notifyReinit(err)
		return err
	}
	// Restore in the order the flows were made, so that the outcome does
	// not depend on map order.
	var errs []error
	for _, f := range c.ordered() {
		if err := c.restore(f); err != nil {
			f.lost = true
			delete(c.flows, f.sock)
			errs = append(errs, err)
		}
	}
	c.mu.Unlock()
	err := errors.Join(errs...)
	c.notifyReinit(err)
	return nil
}

// ordered returns the live flows in the order they were made, so that what
// happens to them does not depend on map order; c.mu is held.
func (c *Client) ordered() []*Flow {
	return slices.SortedFunc(maps.Values(c.flows), func(a, b *Flow) int { return cmp.Compare(a.seq, b.seq) })
}

func (c *Client) notifyReinit(err error) {
	if c.onReinit != nil {
		c.onReinit(err)
	}
}

// do runs fn with the handle under the read lock, recreating the handle and
// running fn once more when it fails with ERROR_DEVICE_REINITIALIZATION_NEEDED.
func (c *Client) do(fn func(h qwave.Handle) error) error {
	for try := 0; ; try++ {
		h, gen, err := c.ensure()
		if err != nil {
			return err
		}
		err = fn(h)
		c.mu.RUnlock()
		if try > 0 || !reinitNeeded(err) {
			return err
		}
		if rerr := c.reinit(gen); rerr != nil {
			return rerr
		}
	}
}

// Close removes every flow the Client made and closes its handle. Flows
// report ErrClosed from then on. Closing twice is harmless.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	for _, f := range c.ordered() {
		f.lost = true
		delete(c.flows, f.sock)
		if err := c.api.QOSRemoveSocketFromFlow(c.h, 0, f.id, 0); err != nil && !reinitNeeded(err) {
			errs = append(errs, wrap("QOSRemoveSocketFromFlow", err))
		}
	}
	if c.open {
		c.open = false
		if err := c.api.QOSCloseHandle(c.h); err != nil && !reinitNeeded(err) {
			errs = append(errs, wrap("QOSCloseHandle", err))
		}
	}
	return errors.Join(errs...)
}

// Flows returns the number of live flows the Client made.
func (c *Client) Flows() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.flows)
}
