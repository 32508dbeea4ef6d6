// Package storetest is the conformance suite every qluster.Store passes:
// store/sqlite and store/postgres run it from their own tests, so the HTTP
// API and the workers can rely on one behaviour whichever store is behind
// them. It checks each method's results and error codes and the properties
// that make jobs durable and finished exactly once under concurrency.
package storetest
