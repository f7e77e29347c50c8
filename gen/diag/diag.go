// Package diag holds the positioned messages that every gen stage reports:
// each names the file and line of the input it is about.
package diag

import (
	"errors"
	"fmt"
)

// Error is a problem at a line of an input file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// List collects the errors of one input so a user sees all of them at once.
type List struct {
	File string
	errs []error
}

// Add records an error at line of l.File.
func (l *List) Add(line int, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: l.File, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Len reports how many errors l holds.
func (l *List) Len() int { return len(l.errs) }

// Err joins the recorded errors, or returns nil when there are none.
func (l *List) Err() error { return errors.Join(l.errs...) }

// Errors unpacks err into its positioned errors, for callers that sort or
// count them. An error that is not positioned is returned as an Error with no
// line.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range j.Unwrap() {
			out = append(out, Errors(e)...)
		}
		return out
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return []*Error{{Msg: err.Error()}}
}

// Since removes and returns the errors recorded after the first n, so a
// caller can turn the errors of one skipped declaration into warnings.
func (l *List) Since(n int) []*Error {
	if n >= len(l.errs) {
		return nil
	}
	var out []*Error
	for _, e := range l.errs[n:] {
		out = append(out, Errors(e)...)
	}
	l.errs = l.errs[:n]
	return out
}
