package qos

import (
	"errors"
	"fmt"

	"github.com/winqos/winqos/qwave"
)

// Errors that the errors of this package match (errors.Is). The underlying
// qWAVE code stays in the chain too: errors.Is(err, windows.ERROR_ACCESS_DENIED)
// holds along with errors.Is(err, ErrNeedsAdmin).
var (
	// ErrUnavailable is matched when qWAVE cannot be used: qwave.dll is
	// missing (Windows Server without the qWAVE feature), its service
	// cannot start, or the platform is not Windows. It is
	// qwave.ErrUnavailable.
	ErrUnavailable = qwave.ErrUnavailable
	// ErrNeedsAdmin: setting a DSCP value needs membership of the
	// Administrators or Network Configuration Operators group
	// (ERROR_ACCESS_DENIED).
	ErrNeedsAdmin = errors.New("qos: needs Administrators or Network Configuration Operators")
	// ErrBlockedByPolicy: a QoS policy forbids the operation
	// (ERROR_ACCESS_DISABLED_BY_POLICY), for instance DSCP marking owned by
	// Group Policy, or a rate toward an off-link host.
	ErrBlockedByPolicy = errors.New("qos: blocked by QoS policy")
	// ErrNotYet: qWAVE has no data yet (ERROR_NO_DATA, ERROR_RETRY); ask
	// again later.
	ErrNotYet = errors.New("qos: no data yet")
	// ErrClosed: the Client or Flow is closed.
	ErrClosed = errors.New("qos: closed")
	// ErrNoDestination: an unconnected UDP socket needs Destination; the
	// QOSAddSocketToFlow page forbids adding it without one.
	ErrNoDestination = errors.New("qos: unconnected socket needs a destination (qos.Destination)")
	// ErrDualStackIPv4: Windows rejects an IPv4 destination on an
	// unconnected dual-stack socket (ERROR_INVALID_PARAMETER); connect the
	// socket, or Apply with ConnectDualStack.
	ErrDualStackIPv4 = errors.New("qos: Windows rejects an IPv4 destination on an unconnected dual-stack socket; connect it or use qos.ConnectDualStack")
)

// Error is a failed qWAVE call.
type Error struct {
	Op   string // the qWAVE function and operation, e.g. "QOSSetFlow(QOSSetOutgoingDSCPValue)"
	Err  error  // what it returned: a qwave.Errno, or an error matching ErrUnavailable
	kind error  // the sentinel the failure also matches, or nil
}

func (e *Error) Error() string {
	s := "qos: " + e.Op + ": " + e.Err.Error()
	if e.kind != nil {
		s += " (" + e.kind.Error()[len("qos: "):] + ")"
	}
	return s
}

// Unwrap returns the sentinel the failure matches, if any, and Err.
func (e *Error) Unwrap() []error {
	if e.kind == nil {
		return []error{e.Err}
	}
	return []error{e.kind, e.Err}
}

// wrap turns an API error into an *Error, nil into nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var kind error
	switch {
	case errors.Is(err, qwave.ERROR_ACCESS_DENIED):
		kind = ErrNeedsAdmin
	case errors.Is(err, qwave.ERROR_ACCESS_DISABLED_BY_POLICY):
		kind = ErrBlockedByPolicy
	case errors.Is(err, qwave.ERROR_NO_DATA), errors.Is(err, qwave.ERROR_RETRY):
		kind = ErrNotYet
	}
	return &Error{Op: op, Err: err, kind: kind}
}

// unavailableError says that qWAVE cannot be used, and how to get it.
type unavailableError struct {
	err  error
	hint string // what to do; installHint when empty
}

// installHint says how to get qWAVE on Windows.
const installHint = "on Windows Server install the qWAVE feature (PowerShell as Administrator: " +
	"Install-WindowsFeature qWave), then start the QWAVE service (Start-Service QWAVE)"

func (e *unavailableError) Error() string {
	hint := e.hint
	if hint == "" {
		hint = installHint
	}
	return fmt.Sprintf("qos: qWAVE is not available (%v); %s", e.err, hint)
}

func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// createError classifies a QOSCreateHandle failure: a missing DLL, a
// service that cannot start (ERROR_SERVICE_DEPENDENCY_FAIL,
// ERROR_RESOURCE_DISABLED) and any code the page does not document (Wine's
// stub fails with ERROR_SERVICE_ALREADY_RUNNING) mean qWAVE is unavailable.
func createError(err error) error {
	var code qwave.Errno
	switch {
	case errors.Is(err, qwave.ErrUnavailable),
		errors.Is(err, qwave.ERROR_SERVICE_DEPENDENCY_FAIL),
		errors.Is(err, qwave.ERROR_RESOURCE_DISABLED),
		errors.As(err, &code) && !qwave.Documented("QOSCreateHandle", code):
		return &unavailableError{err: err}
	}
	return wrap("QOSCreateHandle", err)
}

// denied reports whether err is a refusal for want of rights or by policy.
func denied(err error) bool {
	return errors.Is(err, ErrNeedsAdmin) || errors.Is(err, ErrBlockedByPolicy)
}
