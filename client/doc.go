// Package client is a Go client for Qluster's native REST API v1, used by
// the qluster CLI and by tests. It speaks JSON over HTTP with a Bearer
// token; every error response decodes into an *Error that carries the
// status, the qluster error code and, for QASM errors, the line and column.
package client
