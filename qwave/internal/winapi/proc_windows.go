package winapi

import (
	"sync/atomic"

	"golang.org/x/sys/windows"
)

// Proc caches a procedure's address. The first call of a stub looks the
// procedure up; later calls pay one atomic load, where LazyProc.Addr pays a
// lookup check and a call, and would panic on a missing DLL.
type Proc struct {
	proc *windows.LazyProc
	addr atomic.Uintptr
}

// NewProc returns the named procedure of dll, not yet looked up.
func NewProc(dll *windows.LazyDLL, name string) *Proc {
	return &Proc{proc: dll.NewProc(name)}
}

// Name is the procedure's name.
func (p *Proc) Name() string { return p.proc.Name }

// Addr is the cached address, 0 before the first successful Load.
func (p *Proc) Addr() uintptr { return p.addr.Load() }

// Load looks the procedure up, caching its address; a missing DLL or
// procedure is an *UnavailableError (errors.Is(err, ErrUnavailable)), tried
// again on the next call.
func (p *Proc) Load() (uintptr, error) {
	if err := p.proc.Find(); err != nil {
		return 0, &UnavailableError{Proc: p.proc.Name, Err: err}
	}
	a := p.proc.Addr()
	p.addr.Store(a)
	return a, nil
}
