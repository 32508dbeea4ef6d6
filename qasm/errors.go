package qasm

import "fmt"

// Error is a parse error at a position in a source file. Parse returns at
// most one, the first found; use errors.As to recover it from a wrapped error.
type Error struct {
	// File is the name of the file the error is in: Options.Name for the main
	// program, the include path as written for an included file.
	File string
	// Line and Col are 1-based; Col counts bytes from the start of the line.
	Line, Col int
	// Msg describes the problem, in lower case without a final period.
	Msg string
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Warning is a diagnostic about a program that was nonetheless accepted, such
// as a missing OPENQASM header or a condition that can never hold.
type Warning struct {
	// File, Line, Col and Msg are as in Error.
	File      string
	Line, Col int
	Msg       string
}

// String returns "file:line:col: warning: msg".
func (w Warning) String() string {
	return fmt.Sprintf("%s:%d:%d: warning: %s", w.File, w.Line, w.Col, w.Msg)
}

// maxWarnings bounds the warnings one parse reports; the last one says that
// more were suppressed.
const maxWarnings = 100

// bailout carries an *Error out of the recursive-descent parser by panic; the
// entry point recovers it and re-panics anything else.
type bailout struct{ err *Error }
