package qwave

import (
	"sync/atomic"

	"golang.org/x/sys/windows"
)

// procAddr caches a procedure's address. The first call of a stub looks the
// procedure up; later calls pay one atomic load, where LazyProc.Addr pays a
// lookup check and a call, and would panic on a missing DLL.
type procAddr struct {
	proc *windows.LazyProc
	addr atomic.Uintptr
}

// load looks the procedure up, caching its address; a missing DLL or
// procedure is an *UnavailableError (errors.Is(err, ErrUnavailable)), tried
// again on the next call.
func (p *procAddr) load() (uintptr, error) {
	if err := p.proc.Find(); err != nil {
		return 0, &UnavailableError{Proc: p.proc.Name, Err: err}
	}
	a := p.proc.Addr()
	p.addr.Store(a)
	return a, nil
}
