package qluster

import (
	"errors"
	"fmt"
)

// Error codes. Each names a class of failure that callers (the HTTP API, the
// CLI) map to a status in exactly one table.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
)

// Error is a failure with a code from the list above and a message meant
// for the user. Errors without a code are internal: their text is logged,
// never shown.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a human-readable explanation safe to show to a user.
	Message string
}

// Error returns the message, or the code when there is no message.
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message. The
// format accepts %w like fmt.Errorf, but only the text is kept.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Errorf(format, args...).Error()}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for a
// nil error, and EINTERNAL for an error without a code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, ""
// for a nil error, and "internal error" for an error without a code, whose
// text may hold details not meant for users.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
