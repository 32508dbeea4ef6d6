// Package httpapi serves Qluster's native REST API v1: job submission,
// status, results and Server-Sent Events, the backends list, accounts and
// tokens for admins, an OpenAPI 3.1 document, health checks and Prometheus
// metrics.
//
// It sits between clients and the durable store. A submission is
// authenticated (a Bearer qlt_ token), checked against the user's limits,
// parsed and validated circuit by circuit, and only then committed to the
// store as a queued job; workers, outside this package, take it from there.
// Handlers take typed input and return (data, error); every error becomes an
// RFC 9457 application/problem+json response through one table from
// qluster error codes to HTTP statuses (see statusOf).
package httpapi
